"""The event's page, a family's answer and the volunteer roles: what people see and what is saved."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import EventAnswer, VolunteerSignup
from tests.community.factories_events import (
    _in_english,  # noqa: F401  (autouse)
    event_make,
    role_make,
)

pytestmark = pytest.mark.django_db


def test_a_parent_sees_the_event_of_their_childs_class_and_answers(client, world):
    event = event_make(
        world.school, classrooms=[world.classroom], title="Tiết dạy mẫu Lá 1", kind="demonstration_lesson"
    )
    client.force_login(world.parent)
    page = client.get(reverse("community:event_list"))
    assert "Tiết dạy mẫu Lá 1" in page.content.decode()
    response = client.post(reverse("community:event_answer", args=[event.pk]), {"coming": "yes", "people": "3"})
    assert response.status_code == 302
    answer = EventAnswer.objects.get(event=event, guardian=world.parent)
    assert (answer.coming, answer.people) == (True, 3)
    page = client.get(reverse("community:event_detail", args=[event.pk])).content.decode()
    assert "1 family, 3 people" in page


def test_answering_again_replaces_the_answer(client, world):
    event = event_make(world.school, whole_school=True)
    client.force_login(world.parent)
    client.post(reverse("community:event_answer", args=[event.pk]), {"coming": "yes", "people": "2"})
    client.post(reverse("community:event_answer", args=[event.pk]), {"coming": "no", "people": ""})
    assert list(EventAnswer.objects.values_list("coming", "people")) == [(False, 0)]


@pytest.mark.parametrize("people", ["0", "", "-2", "99"])
def test_a_coming_answer_needs_a_sensible_number_of_people(client, world, people):
    event = event_make(world.school, whole_school=True)
    client.force_login(world.parent)
    response = client.post(reverse("community:event_answer", args=[event.pk]), {"coming": "yes", "people": people})
    assert response.status_code == 400
    assert "people" in response.content.decode()
    assert not EventAnswer.objects.exists()


def test_families_of_other_classes_are_not_invited(client, world):
    event = event_make(world.school, classrooms=[world.classroom])
    client.force_login(world.other_parent)
    assert client.get(reverse("community:event_detail", args=[event.pk])).status_code == 404
    assert (
        client.post(reverse("community:event_answer", args=[event.pk]), {"coming": "yes", "people": 1}).status_code
        == 404
    )
    assert "Tết Trung thu" not in client.get(reverse("community:event_list")).content.decode()


def test_sign_up_and_cancel(client, world):
    event = event_make(world.school, whole_school=True)
    role = role_make(event, slots=6)
    client.force_login(world.parent)
    client.post(reverse("community:event_role_signup", args=[role.pk]))
    assert VolunteerSignup.objects.filter(role=role, guardian=world.parent).exists()
    page = client.get(reverse("community:event_detail", args=[event.pk])).content.decode()
    assert "5 of 6" in page and "You are signed up" in page
    client.post(reverse("community:event_role_cancel", args=[role.pk]))
    assert not VolunteerSignup.objects.exists()
    assert "6 of 6" in client.get(reverse("community:event_detail", args=[event.pk])).content.decode()


def test_signing_up_twice_is_refused_with_a_message(client, world):
    event = event_make(world.school, whole_school=True)
    role = role_make(event, slots=6)
    client.force_login(world.parent)
    client.post(reverse("community:event_role_signup", args=[role.pk]))
    response = client.post(reverse("community:event_role_signup", args=[role.pk]), follow=True)
    assert "You have already signed up for this role." in response.content.decode()
    assert VolunteerSignup.objects.count() == 1


def test_a_full_role_refuses_with_a_message(client, world):
    event = event_make(world.school, whole_school=True)
    role = role_make(event, name="Nấu ăn", slots=1)
    VolunteerSignup.objects.create(school=world.school, role=role, guardian=world.other_parent)
    client.force_login(world.parent)
    response = client.post(reverse("community:event_role_signup", args=[role.pk]), follow=True)
    assert "This role is full" in response.content.decode()
    assert list(VolunteerSignup.objects.values_list("guardian_id", flat=True)) == [world.other_parent.pk]


def test_cancelling_what_one_has_not_signed_up_for_says_so(client, world):
    role = role_make(event_make(world.school, whole_school=True))
    client.force_login(world.parent)
    response = client.post(reverse("community:event_role_cancel", args=[role.pk]), follow=True)
    assert "You are not signed up for this role." in response.content.decode()


def test_a_past_event_takes_no_answer_nor_sign_up(client, world):
    event = event_make(world.school, whole_school=True, days=-3)
    role = role_make(event)
    client.force_login(world.parent)
    response = client.post(reverse("community:event_answer", args=[event.pk]), {"coming": "yes", "people": 2})
    assert response.status_code == 400
    assert not EventAnswer.objects.exists()
    client.post(reverse("community:event_role_signup", args=[role.pk]))
    assert not VolunteerSignup.objects.exists()


def test_the_event_page_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    from tests.factories import GuardianshipFactory, UserFactory

    event = event_make(world.school, whole_school=True)
    role_make(event, name="Dựng sân khấu")
    client.force_login(world.parent)
    url = reverse("community:event_detail", args=[event.pk])
    client.get(url)
    with django_assert_num_queries(_count(client, url)) as few:
        client.get(url)
    for n in range(12):
        role = role_make(event, name=f"Vai {n}", slots=10)
        for _i in range(3):
            other = UserFactory()
            GuardianshipFactory(child=world.other_class_child, guardian=other)
            VolunteerSignup.objects.create(school=world.school, role=role, guardian=other)
            EventAnswer.objects.create(school=world.school, event=event, guardian=other, coming=True, people=2)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)


def test_the_organisers_page_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    from tests.factories import GuardianshipFactory, UserFactory

    event = event_make(world.school, whole_school=True)
    role_make(event)
    client.force_login(world.principal)
    url = reverse("community:event_organise", args=[event.pk])
    client.get(url)
    base = _count(client, url)
    for n in range(10):
        role = role_make(event, name=f"Vai {n}", slots=10)
        other = UserFactory()
        GuardianshipFactory(child=world.other_class_child, guardian=other)
        VolunteerSignup.objects.create(school=world.school, role=role, guardian=other)
        EventAnswer.objects.create(school=world.school, event=event, guardian=other, coming=n % 2 == 0, people=2)
    with django_assert_num_queries(base):
        page = client.get(url)
    assert "Vai 9" in page.content.decode()


def test_the_organisers_see_answers_and_sign_ups_per_role(client, world):
    event = event_make(world.school, classrooms=[world.classroom, world.other_classroom])
    role = role_make(event, name="Dựng sân khấu", slots=6)
    VolunteerSignup.objects.create(school=world.school, role=role, guardian=world.parent)
    EventAnswer.objects.create(school=world.school, event=event, guardian=world.parent, coming=True, people=3)
    EventAnswer.objects.create(school=world.school, event=event, guardian=world.other_parent, coming=False, people=0)
    client.force_login(world.teacher)  # teaches Lá 1 only: the event is also Chồi 1's
    assert client.get(reverse("community:event_organise", args=[event.pk])).status_code == 404
    client.force_login(world.principal)
    page = client.get(reverse("community:event_organise", args=[event.pk])).content.decode()
    assert "1 / 6" in page and world.parent.full_name in page
    assert "Answers: 2. Families coming: 1 (people: 3); not coming: 1." in page


def test_the_class_teacher_organises_an_event_of_their_class(client, world):
    event = event_make(world.school, classrooms=[world.classroom])
    client.force_login(world.teacher)
    assert client.get(reverse("community:event_organise", args=[event.pk])).status_code == 200


def test_dates_shown_day_month_year(client, world):
    starts = timezone.make_aware(datetime.datetime(2031, 9, 14, 17, 30))
    event = event_make(world.school, whole_school=True, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))
    client.force_login(world.parent)
    page = client.get(reverse("community:event_detail", args=[event.pk])).content.decode()
    assert "14/09/2031 17:30" in page and "19:30" in page


def test_the_list_of_events_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    event_make(world.school, classrooms=[world.classroom])
    client.force_login(world.parent)
    url = reverse("community:event_list")
    client.get(url)
    base = _count(client, url)
    for n in range(10):
        event_make(world.school, classrooms=[world.classroom, world.sibling.classroom], title=f"Họp lớp {n}")
        event_make(world.school, whole_school=True, days=-n - 1, title=f"Ngày hội {n}")
    with django_assert_num_queries(base):
        page = client.get(url).content.decode()
    assert "Họp lớp 9" in page and "Ngày hội 9" in page


def test_a_guardian_sees_what_the_childs_other_guardian_answered(client, world):
    from tests.factories import GuardianshipFactory, UserFactory

    father = UserFactory(full_name="Nguyễn Văn Hùng")
    GuardianshipFactory(child=world.child, guardian=father)
    event = event_make(world.school, classrooms=[world.classroom])
    EventAnswer.objects.create(school=world.school, event=event, guardian=father, coming=True, people=3)
    client.force_login(world.parent)
    page = client.get(reverse("community:event_detail", args=[event.pk])).content.decode()
    assert "Nguyễn Văn Hùng has answered for your family: coming, 3 people." in page
    client.force_login(world.other_parent)  # another family: nothing of theirs
    assert client.get(reverse("community:event_detail", args=[event.pk])).status_code == 404


def test_two_guardians_of_one_child_are_one_family_whose_latest_answer_counts(client, world):
    from tests.factories import GuardianshipFactory, UserFactory

    father = UserFactory(full_name="Nguyễn Văn Hùng")
    GuardianshipFactory(child=world.child, guardian=father)
    event = event_make(world.school, classrooms=[world.classroom, world.other_classroom])
    EventAnswer.objects.create(school=world.school, event=event, guardian=world.parent, coming=True, people=3)
    later = EventAnswer.objects.create(school=world.school, event=event, guardian=father, coming=True, people=4)
    EventAnswer.objects.filter(pk=later.pk).update(answered_at=timezone.now() + datetime.timedelta(minutes=5))
    EventAnswer.objects.create(school=world.school, event=event, guardian=world.other_parent, coming=True, people=2)
    client.force_login(world.principal)
    organise = client.get(reverse("community:event_organise", args=[event.pk])).content.decode()
    assert "Answers: 3. Families coming: 2 (people: 6); not coming: 0." in organise  # Khôi's family: 4, Linh's: 2
    client.force_login(world.parent)
    detail = client.get(reverse("community:event_detail", args=[event.pk])).content.decode()
    assert "2 families, 6 people" in detail

    # The mother then says the family cannot come after all: her answer is now the family's.
    client.post(reverse("community:event_answer", args=[event.pk]), {"coming": "no"})
    EventAnswer.objects.filter(guardian=world.parent).update(answered_at=timezone.now() + datetime.timedelta(minutes=9))
    client.force_login(world.principal)
    organise = client.get(reverse("community:event_organise", args=[event.pk])).content.decode()
    assert "Answers: 3. Families coming: 1 (people: 2); not coming: 1." in organise
