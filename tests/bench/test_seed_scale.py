from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from accounts.models import User
from bench import scale
from parents.models import Guardianship
from schools.models import AuthorityOfficer, Child, Classroom, Enrolment, School, SchoolYear, StaffMembership

pytestmark = pytest.mark.django_db


def counts():
    return (
        School.objects.count(),
        User.objects.count(),
        Child.objects.count(),
        Enrolment.objects.count(),
        Guardianship.objects.count(),
        StaffMembership.objects.count(),
        AuthorityOfficer.objects.count(),
    )


def seed(schools: int) -> str:
    out = StringIO()
    call_command("seed_scale", schools=schools, stdout=out)
    return out.getvalue()


def test_two_schools_with_children_families_and_staff_safe_to_run_twice(client):
    output = seed(2)
    first = counts()
    seed(2)
    assert counts() == first

    schools = list(School.objects.filter(slug__startswith=scale.SLUG_PREFIX).order_by("slug"))
    assert [s.slug for s in schools] == ["scale-00001", "scale-00002"]
    for school in schools:
        assert SchoolYear.objects.filter(school=school, is_current=True).count() == 1
        classrooms = Classroom.objects.filter(school=school, school_year__is_current=True)
        assert sorted(classrooms.values_list("age_group", flat=True)) == ["choi", "choi", "la", "la", "mam", "nha_tre"]

        children = Child.objects.filter(school=school)
        assert 140 <= children.count() <= 160
        assert not children.filter(classroom__isnull=True).exists()
        open_enrolments = Enrolment.objects.filter(child__school=school, ends_on__isnull=True)
        assert open_enrolments.count() == children.count()
        assert not open_enrolments.exclude(classroom=F("child__classroom")).exists()

        with_family = children.filter(guardianships__isnull=False).distinct().count()
        assert 0.55 <= with_family / children.count() <= 0.8
        siblings = (
            Guardianship.objects.filter(school=school)
            .values("guardian")
            .annotate(n=Count("child"), classes=Count("child__classroom", distinct=True))
            .filter(n=2, classes=2)
        )
        assert siblings.exists()

        staff = StaffMembership.objects.filter(school=school)
        assert Counter(staff.values_list("role", flat=True)) == {
            "principal": 1,
            "teacher": 6,
            "nurse": 1,
            "accountant": 1,
        }
        teachers = staff.filter(role="teacher").annotate(n=Count("classrooms"))
        assert set(teachers.values_list("n", flat=True)) == {1}
        assert set(teachers.values_list("classrooms", flat=True)) == set(classrooms.values_list("pk", flat=True))
        assert AuthorityOfficer.objects.filter(authority=school.authority).count() == 1

    assert scale.SAMPLE_PRINCIPAL in output and scale.SAMPLE_GUARDIAN in output and scale.SCALE_PASSWORD in output
    assert client.login(username=scale.SAMPLE_GUARDIAN, password=scale.SCALE_PASSWORD)
    page = client.get("/family/").content.decode()
    for name in Child.objects.filter(guardianships__guardian__email=scale.SAMPLE_GUARDIAN).values_list(
        "full_name", flat=True
    ):
        assert name in page


def test_more_schools_later_adds_only_the_missing_ones():
    seed(1)
    before = list(Child.objects.filter(school__slug="scale-00001").order_by("pk").values_list("full_name", flat=True))
    seed(2)
    assert School.objects.filter(slug__startswith=scale.SLUG_PREFIX).count() == 2
    after = list(Child.objects.filter(school__slug="scale-00001").order_by("pk").values_list("full_name", flat=True))
    assert after == before
    assert User.objects.filter(email=scale.principal_email(2)).exists()
