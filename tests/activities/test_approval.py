"""A family offers its answer to the class; other families see it once a teacher approves it, and only
while the family consents to photos in shared galleries."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.html import escape

from activities.models import Answer
from parents.services import consent_record
from tests.activities.makers import activity_make, answer_make

pytestmark = pytest.mark.django_db


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


@pytest.fixture
def activity(world):
    return activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom, world.other_classroom])


@pytest.fixture
def answer(world, activity):
    return answer_make(activity=activity, child=world.child, by=world.parent, note="Khôi tự gấp thuyền")


def share(client, answer, action: str):
    return client.post(f"/answers/{answer.pk}/share/", {"action": action}, follow=True)


def review(client, answer, decision: str):
    return client.post(f"/answers/{answer.pk}/review/", {"decision": decision}, follow=True)


def classmate_sees(client, person, activity, answer) -> bool:
    client.force_login(person)
    page = client.get(f"/activities/{activity.pk}/").content.decode()
    download = client.get(f"/media/{answer.media_id}/thumb").status_code
    assert ("Khôi tự gấp thuyền" in page) is (download == 200)
    return download == 200


def test_without_shared_gallery_consent_the_offer_is_refused_with_a_clear_message(client, world, answer):
    consent_record(guardian=world.parent, child=world.child, purpose="portfolio_photos", granted=True)
    client.force_login(world.parent)
    page = share(client, answer, "offer").content.decode()
    expected = vi(
        "Your answer stays private: to show the photos and videos of %(child)s to the other families of the class, "
        "each guardian must first agree to “photos in shared class galleries” on the consent page."
    ) % {"child": world.child.given_name}
    assert escape(expected) in page
    answer.refresh_from_db()
    assert answer.sharing == "private" and answer.offered_at is None


def test_offered_then_approved_the_answer_is_shown_to_the_other_families_of_the_class(
    client, world, activity, answer, classmate_parent
):
    consent_record(guardian=world.parent, child=world.child, purpose="shared_photos", granted=True)
    client.force_login(world.parent)
    share(client, answer, "offer")
    answer.refresh_from_db()
    assert answer.sharing == "offered" and answer.offered_at
    assert not classmate_sees(client, classmate_parent, activity, answer)

    client.force_login(world.teacher)
    page = review(client, answer, "approve").content.decode()
    assert vi("The answer is shown to the families of the class.") in page
    answer.refresh_from_db()
    assert answer.sharing == "approved" and answer.decided_by == world.teacher

    assert classmate_sees(client, classmate_parent, activity, answer)
    # A family of another class of the same activity does not see Lá 1's answers.
    assert not classmate_sees(client, world.other_parent, activity, answer)


def test_the_family_can_withdraw_an_approved_answer(client, world, activity, answer, classmate_parent):
    consent_record(guardian=world.parent, child=world.child, purpose="shared_photos", granted=True)
    Answer.objects.filter(pk=answer.pk).update(sharing="approved")
    assert classmate_sees(client, classmate_parent, activity, answer)
    client.force_login(world.parent)
    page = share(client, answer, "withdraw").content.decode()
    assert vi("Taken back: only your family and the teachers see it now.") in page
    assert not classmate_sees(client, classmate_parent, activity, answer)


def test_the_teacher_can_decline_and_the_family_cannot_offer_it_again(client, world, answer):
    consent_record(guardian=world.parent, child=world.child, purpose="shared_photos", granted=True)
    Answer.objects.filter(pk=answer.pk).update(sharing="offered")
    client.force_login(world.teacher)
    review(client, answer, "decline")
    answer.refresh_from_db()
    assert answer.sharing == "declined"
    client.force_login(world.parent)
    assert vi("The teacher decided to keep this answer private.") in share(client, answer, "offer").content.decode()
    answer.refresh_from_db()
    assert answer.sharing == "declined"


def test_withdrawn_consent_hides_an_approved_answer_and_blocks_approval(
    client, world, activity, answer, classmate_parent
):
    consent_record(guardian=world.parent, child=world.child, purpose="shared_photos", granted=True)
    Answer.objects.filter(pk=answer.pk).update(sharing="approved")
    consent_record(guardian=world.parent, child=world.child, purpose="shared_photos", granted=False)
    assert not classmate_sees(client, classmate_parent, activity, answer)

    Answer.objects.filter(pk=answer.pk).update(sharing="offered")
    client.force_login(world.teacher)
    page = review(client, answer, "approve").content.decode()
    assert (
        vi("The family no longer consents to shared photos of %(child)s: the answer stays private.")
        % {"child": world.child.given_name}
        in page
    )
    answer.refresh_from_db()
    assert answer.sharing == "offered"


def test_only_the_teachers_of_the_childs_class_and_the_leaders_review(client, world, answer):
    Answer.objects.filter(pk=answer.pk).update(sharing="offered")
    for person in (world.other_teacher, world.parent, world.other_principal, world.nurse):
        client.force_login(person)
        assert client.post(f"/answers/{answer.pk}/review/", {"decision": "approve"}).status_code == 404
    answer.refresh_from_db()
    assert answer.sharing == "offered"


def test_a_teacher_cannot_offer_for_the_family(client, world, answer):
    consent_record(guardian=world.parent, child=world.child, purpose="shared_photos", granted=True)
    client.force_login(world.teacher)
    assert client.post(f"/answers/{answer.pk}/share/", {"action": "offer"}).status_code == 404
    answer.refresh_from_db()
    assert answer.sharing == "private"
