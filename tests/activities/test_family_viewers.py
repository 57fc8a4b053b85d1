"""A family viewer (the grandmother who follows Khôi) sees Khôi's answers that the teacher approved for
the class, and hears and sees their files; nothing else of home activities: no feed, no activity to
answer, no private answer, no other child."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Answer
from parents.models import FamilyViewer
from parents.services import family_viewer_revoke
from tests import factories as f
from tests.activities.makers import activity_make, answer_make, clip_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def activities(world):
    return [
        activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], title=title)
        for title in ("Gấp thuyền giấy", "Nặn đất sét", "Vẽ gia đình")
    ]


@pytest.fixture
def approved(world, activities):
    return answer_make(activity=activities[0], child=world.child, by=world.parent, sharing="approved", note="Thuyền đỏ")


@pytest.fixture
def private(world, activities):
    return answer_make(activity=activities[1], child=world.child, by=world.parent, note="Chỉ nhà mình xem")


@pytest.fixture
def grandma(client, world):
    client.force_login(world.family_viewer)
    client.cookies["django_language"] = "en"
    return client


def test_a_viewer_sees_the_approved_answers_photo_and_not_the_private_one(grandma, approved, private):
    assert grandma.get(f"/media/{approved.media_id}/thumb").status_code == 200
    assert grandma.get(f"/media/{approved.media_id}/original").status_code == 200
    assert grandma.get(f"/media/{private.media_id}/thumb").status_code == 404
    assert grandma.get(f"/media/{private.media_id}/original").status_code == 404


def test_a_viewer_hears_an_approved_clip(world, grandma, activities):
    clip = clip_make(school=world.school, by=world.parent)
    answer_make(activity=activities[2], child=world.child, by=world.parent, media=clip, sharing="approved")
    assert grandma.get(f"/media/{clip.pk}/video").status_code == 200


@pytest.mark.parametrize("sharing", ["private", "offered", "declined"])
def test_an_answer_not_approved_stays_the_familys_and_the_teachers(world, grandma, activities, sharing):
    answer = answer_make(activity=activities[0], child=world.child, by=world.parent, sharing=sharing)
    assert grandma.get(f"/media/{answer.media_id}/thumb").status_code == 404


def test_the_shared_answers_page_shows_the_approved_answers_only(world, grandma, approved, private):
    page = grandma.get(f"/children/{world.child.pk}/shared-answers/").content.decode()
    assert "Gấp thuyền giấy" in page and "Thuyền đỏ" in page and f"/media/{approved.media_id}/" in page
    assert "Nặn đất sét" not in page and "Chỉ nhà mình xem" not in page and f"/media/{private.media_id}/" not in page
    # Nothing to do there: no answering, no offering, no consent.
    assert "<form" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_viewer_gets_no_feed_no_activity_and_cannot_answer(world, grandma, activities, approved):
    activity = activities[2]
    for url in (
        f"/children/{world.child.pk}/activities/",
        f"/activities/{activity.pk}/",
        f"/activities/{activity.pk}/children/{world.child.pk}/answer/",
        f"/activities/{activity.pk}/card.pdf",
    ):
        assert grandma.get(url).status_code == 404, url
    response = grandma.post(f"/activities/{activity.pk}/children/{world.child.pk}/answer/", {"note": "Bà gửi"})
    assert response.status_code == 404
    assert grandma.post(f"/answers/{approved.pk}/share/", {"action": "withdraw"}).status_code == 404
    assert not Answer.objects.filter(activity=activity).exists()
    approved.refresh_from_db()
    assert approved.sharing == "approved"


def test_a_viewer_sees_nothing_of_the_sibling_or_of_classmates(world, grandma, activities, classmate):
    sibling_activity = activity_make(school=world.school, by=world.principal, classrooms=[world.sibling.classroom])
    sibling_answer = answer_make(activity=sibling_activity, child=world.sibling, by=world.parent, sharing="approved")
    f.ConsentFactory(child=classmate, guardian=classmate.guardianships.get().guardian, purpose="shared_photos")
    classmate_answer = answer_make(
        activity=activities[0], child=classmate, by=classmate.guardianships.get().guardian, sharing="approved"
    )
    assert grandma.get(f"/children/{world.sibling.pk}/shared-answers/").status_code == 404
    assert grandma.get(f"/media/{sibling_answer.media_id}/thumb").status_code == 404
    assert grandma.get(f"/media/{classmate_answer.media_id}/thumb").status_code == 404
    page = grandma.get(f"/children/{world.child.pk}/shared-answers/").content.decode()
    assert "Lê Gia Huy" not in page and "Nguyễn Ngọc An" not in page


def test_revoking_the_viewer_stops_the_photos_at_once(world, client, grandma, approved):
    url = f"/media/{approved.media_id}/thumb"
    assert grandma.get(url).status_code == 200
    family_viewer_revoke(viewer=FamilyViewer.objects.get(viewer=world.family_viewer), by=world.parent)
    assert grandma.get(url).status_code == 404
    assert grandma.get(f"/children/{world.child.pk}/shared-answers/").status_code == 404


def test_the_viewers_card_links_to_the_shared_answers_and_not_to_the_feed(world, grandma, client):
    page = grandma.get("/family/").content.decode()
    assert f"/children/{world.child.pk}/shared-answers/" in page
    assert f"/children/{world.child.pk}/activities/" not in page
    client.force_login(world.parent)
    page = client.get("/family/").content.decode()
    assert f"/children/{world.child.pk}/activities/" in page
    assert "/shared-answers/" not in page


def test_the_shared_answers_page_runs_a_fixed_number_of_queries(world, grandma, activities, approved):
    def queries() -> int:
        grandma.get(f"/children/{world.child.pk}/shared-answers/")  # the person's cached values in place
        with CaptureQueriesContext(connection) as ctx:
            assert grandma.get(f"/children/{world.child.pk}/shared-answers/").status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for n in range(6):
        activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom], title=f"Số {n}")
        answer_make(activity=activity, child=world.child, by=world.parent, sharing="approved")
    assert queries() == one
