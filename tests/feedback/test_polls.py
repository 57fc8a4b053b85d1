"""Polls: one answer per child, the last one counts; results for families once closed."""

from __future__ import annotations

import pytest

from feedback.models import Poll, PollAnswer
from tests import factories as f
from tests.feedback.factories import poll_make

pytestmark = pytest.mark.django_db


def _answer(client, user, poll, child, option):
    client.force_login(user)
    return client.post(f"/polls/{poll.pk}/answer/", {"child": str(child.pk), "option": str(option.pk)})


def test_two_guardians_of_one_child_give_one_answer_and_the_last_counts(client, world):
    father = f.UserFactory(email="father@example.test", full_name="Nguyễn Văn Bố")
    f.GuardianshipFactory(child=world.child, guardian=father, relationship="father")
    poll = poll_make(world)
    saturday, sunday = poll.choices
    assert _answer(client, world.parent, poll, world.child, saturday).status_code == 302
    assert _answer(client, father, poll, world.child, sunday).status_code == 302
    answer = PollAnswer.objects.get()
    assert (answer.child, answer.option, answer.answered_by) == (world.child, sunday, father)
    client.force_login(world.parent)
    page = client.get(f"/polls/{poll.pk}/").content.decode()
    assert f'value="{sunday.pk}" checked' in page


def test_each_child_of_a_family_answers_once(client, world):
    poll = poll_make(world)
    _answer(client, world.parent, poll, world.child, poll.choices[0])
    _answer(client, world.parent, poll, world.sibling, poll.choices[1])
    assert sorted(PollAnswer.objects.values_list("child_id", flat=True)) == sorted([world.child.pk, world.sibling.pk])


def test_results_are_hidden_from_families_until_the_poll_closes(client, world):
    poll = poll_make(world)
    _answer(client, world.parent, poll, world.child, poll.choices[0])
    client.force_login(world.other_parent)
    page = client.get(f"/polls/{poll.pk}/").content.decode()
    assert "data-results" not in page and "The results are shown when the poll closes." in page
    assert "data-results" in _leader_page(client, world, poll)

    client.force_login(world.principal)
    assert client.post(f"/polls/{poll.pk}/close/").status_code == 302
    client.force_login(world.other_parent)
    page = client.get(f"/polls/{poll.pk}/").content.decode()
    assert "data-results" in page and "1 child answered." in page
    assert "Saturday: 1" in client.get("/polls/").content.decode()


def _leader_page(client, world, poll):
    client.force_login(world.principal)
    return client.get(f"/polls/{poll.pk}/").content.decode()


def test_a_closed_poll_takes_no_answer(client, world):
    poll = poll_make(world, closed=True)
    response = _answer(client, world.parent, poll, world.child, poll.choices[0])
    assert response.status_code == 400
    assert "This poll is closed" in response.content.decode()
    assert not PollAnswer.objects.exists()


def test_an_answer_for_a_child_who_is_not_ones_own_is_refused_and_changes_nothing(client, world):
    poll = poll_make(world)
    _answer(client, world.parent, poll, world.child, poll.choices[0])
    response = _answer(client, world.other_parent, poll, world.child, poll.choices[1])
    assert response.status_code == 400
    assert "You can answer only for your own child at this school." in response.content.decode()
    assert list(PollAnswer.objects.values_list("option_id", flat=True)) == [poll.choices[0].pk]


def test_an_option_of_another_poll_is_refused(client, world):
    poll, other = poll_make(world), poll_make(world, question="Another?")
    response = _answer(client, world.parent, poll, world.child, other.choices[0])
    assert response.status_code == 400 and "Choose one of the answers." in response.content.decode()
    assert not PollAnswer.objects.exists()


def test_a_leader_opens_a_poll_and_bad_input_is_refused(client, world):
    client.force_login(world.principal)
    response = client.post(
        "/polls/schools/sao-mai/new/",
        {"question": "Which day?", "options": "Only one", "closes_at": "2099-01-01T10:00"},
    )
    assert response.status_code == 400
    assert "Give between 2 and 8 different answers, one a line." in response.content.decode()
    assert not Poll.objects.exists()
    response = client.post(
        "/polls/schools/sao-mai/new/",
        {"question": "Which day?", "options": "Monday\nTuesday\n", "closes_at": "2099-01-01T10:00"},
    )
    assert response.status_code == 302
    poll = Poll.objects.get()
    assert list(poll.options.values_list("label", flat=True)) == ["Monday", "Tuesday"]


def test_the_polls_page_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    poll = poll_make(world)
    _answer(client, world.parent, poll, world.child, poll.choices[0])
    client.force_login(world.parent)
    client.get("/polls/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/polls/").status_code == 200
    expected = len(few.captured_queries)  # read now: every request clears the connection's log
    for n in range(6):
        more = poll_make(world, question=f"Question {n}", options=("A", "B", "C"), closed=n % 2 == 0)
        _answer(client, world.parent, more, world.sibling, more.choices[1])
    client.force_login(world.parent)
    with django_assert_num_queries(expected):
        client.get("/polls/")


def test_the_poll_page_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    poll = poll_make(world)
    client.force_login(world.parent)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/polls/{poll.pk}/")
    expected = len(few.captured_queries)  # read now: every request clears the connection's log
    big = poll_make(world, question="Big", options=tuple(f"Option {n}" for n in range(8)))
    _answer(client, world.parent, big, world.child, big.choices[3])
    _answer(client, world.parent, big, world.sibling, big.choices[5])
    with django_assert_num_queries(expected):
        client.get(f"/polls/{big.pk}/")
