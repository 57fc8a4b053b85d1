from parents.models import Guardianship
from schools.models import Authority, Child, Classroom, School, StaffMembership

DEMO_ACCOUNTS = [
    "principal@saomai.test",
    "teacher@saomai.test",
    "teacher2@saomai.test",
    "parent@saomai.test",
    "parent2@saomai.test",
    "nurse@saomai.test",
    "accountant@saomai.test",
    "principal@hoasen.test",
    "parent@hoasen.test",
    "district@thuynguyen.test",
    "province@haiphong.test",
    "teacher@hoasen.test",
    "formerparent@saomai.test",
    "vice@saomai.test",
    "admin@coordination.test",
]


def classes_of(email: str) -> set[str]:
    return set(Guardianship.objects.filter(guardian__email=email).values_list("child__classroom__name", flat=True))


def every_count() -> dict[str, int]:
    """How many rows each model of every installed app holds."""
    from django.apps import apps

    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def check_the_demo_matches_the_readme(client):
    """Called by tests/test_demo.py on the demo seeded once (twice, for idempotence) for every app's checks."""

    sao_mai = School.objects.get(slug="sao-mai")
    assert Classroom.objects.filter(school=sao_mai, school_year__is_current=True).count() == 6
    assert 140 <= Child.objects.filter(school=sao_mai).count() <= 160
    assert Child.objects.filter(school__slug="hoa-sen").count() < 60

    for email in DEMO_ACCOUNTS:
        assert client.login(username=email, password="demo-pass-2026"), email

    parent_classes = classes_of("parent@saomai.test")
    assert len(parent_classes) == 2
    parent2_classes = classes_of("parent2@saomai.test")
    assert len(parent2_classes) == 1 and not parent2_classes & parent_classes
    teacher_class = StaffMembership.objects.get(user__email="teacher@saomai.test").classrooms.get()
    teacher2_class = StaffMembership.objects.get(user__email="teacher2@saomai.test").classrooms.get()
    assert teacher_class.name in parent_classes
    assert teacher2_class.name in parent2_classes

    every_persona_of_the_readme()
    one_staff_claim_for_the_principal_to_confirm(client)


def every_persona_of_the_readme():
    ward = Authority.objects.get(officers__user__email="district@thuynguyen.test")
    assert ward.level == "commune" and ward.province.officers.get().user.email == "province@haiphong.test"
    assert set(School.objects.filter(authority=ward).values_list("slug", flat=True)) == {"sao-mai", "hoa-sen"}
    hoa_sen_teacher = StaffMembership.objects.get(user__email="teacher@hoasen.test")
    assert (hoa_sen_teacher.school.slug, hoa_sen_teacher.role) == ("hoa-sen", "teacher")
    assert hoa_sen_teacher.classrooms.get().name == "Chồi A"
    former = Guardianship.objects.select_related("child").get(guardian__email="formerparent@saomai.test")
    assert former.child.left_on is not None and former.child.classroom is None
    assert former.child.school.slug == "sao-mai"


def one_staff_claim_for_the_principal_to_confirm(client):
    """teacher2@saomai.test claimed a code for her son in Mầm 1: pending; everything else is active."""
    pending = Guardianship.objects.select_related("child__classroom").get(status="pending")
    assert pending.guardian.email == "teacher2@saomai.test"
    assert (pending.child.full_name, pending.child.classroom.name) == ("Lý Gia Hưng", "Mầm 1")
    assert set(Guardianship.objects.exclude(pk=pending.pk).values_list("status", flat=True)) == {"active"}
    assert client.login(username="principal@saomai.test", password="demo-pass-2026")
    page = client.get("/schools/sao-mai/manage/guardians/").content.decode()
    assert "Lý Gia Hưng" in page
    client.post(f"/guardianships/{pending.pk}/decide/", {"decision": "confirm"})
    pending.refresh_from_db()
    assert pending.status == "active"
