"""Family viewers: a guardian invites a family member with a link; the person accepts with their own
account and follows the child read-only; any guardian may revoke it, and access ends at once."""

from __future__ import annotations

import base64
import datetime
import re

import pytest
from django.utils import timezone, translation

from notifications.models import Notice
from parents.models import FamilyViewer
from parents.policies import can_follow_child, forget_guardianships
from parents.services import (
    FamilyViewerError,
    family_viewer_accept,
    family_viewer_invite,
    family_viewer_revoke,
    invitation_claim,
)
from tests import factories as f
from tests.pages import page_queries

pytestmark = pytest.mark.django_db


def invite(client, child, **data):
    payload = {"name": "Bà Lan", "relationship": "Bà nội", "send_to": "", **data}
    return client.post(f"/children/{child.pk}/family-viewers/", payload)


def english(client):
    client.cookies["django_language"] = "en"


def open_invitation(world) -> FamilyViewer:
    with translation.override("en"):
        return family_viewer_invite(child=world.child, by=world.parent, name="Bà Lan", relationship="Bà nội").viewer


# --- Inviting


def test_a_guardian_invites_a_family_member_with_a_link_that_expires(world, client, settings):
    settings.FAMILY_VIEWER_INVITATION_DAYS = 3
    client.force_login(world.parent)
    english(client)
    response = invite(client, world.child, relationship="Cô ruột ở Nhật")
    viewer = FamilyViewer.objects.get(child=world.child, name="Bà Lan")
    assert response.status_code == 302
    assert response["Location"] == f"/children/{world.child.pk}/family-viewers/?new={viewer.pk}#invitation-{viewer.pk}"
    assert viewer.relationship == "Cô ruột ở Nhật" and viewer.invited_by == world.parent and viewer.viewer is None
    assert abs(viewer.expires_at - (timezone.now() + datetime.timedelta(days=3))) < datetime.timedelta(minutes=1)
    page = client.get(response["Location"]).content.decode()
    assert f"http://127.0.0.1:8000/follow/{viewer.token}/" in page
    assert "The invitation for Bà Lan is ready" in page


def test_the_token_is_random_unguessable_and_unique(world):
    tokens = [open_invitation(world).token for _ in range(8)]
    FamilyViewer.objects.all().update(revoked_at=timezone.now())  # room for more open ones
    tokens += [open_invitation(world).token for _ in range(8)]
    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128


def test_only_an_active_guardian_of_a_child_still_at_school_may_invite(world, client):
    for person in (world.family_viewer, world.teacher, world.principal, world.other_parent):
        client.force_login(person)
        assert invite(client, world.child).status_code == 404
    client.force_login(world.former_parent)
    assert invite(client, world.left_child).status_code == 404
    assert not FamilyViewer.objects.filter(name="Bà Lan").exists()


def test_bad_input_is_explained_and_makes_nothing(world, client):
    client.force_login(world.parent)
    english(client)
    response = invite(client, world.child, name="  ", send_to="09-12")
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page and "Enter a valid phone number" in page
    assert not FamilyViewer.objects.filter(invited_by=world.parent).exclude(viewer=world.family_viewer).exists()


def test_too_many_open_invitations_are_refused_with_a_message(world, client):
    for _ in range(10):
        open_invitation(world)
    client.force_login(world.parent)
    english(client)
    response = invite(client, world.child, name="Chú Tư")
    assert response.status_code == 200
    assert "Cancel one you no longer need first" in response.content.decode()
    assert not FamilyViewer.objects.filter(name="Chú Tư").exists()


def test_the_link_goes_by_e_mail_to_a_member_and_the_guardian_hears_the_same_either_way(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    aunt = f.UserFactory(email="co.mai@example.test", full_name="Nguyễn Thị Mai", language="en")
    client.force_login(world.parent)
    english(client)
    with django_capture_on_commit_callbacks(execute=True):
        member = client.get(invite(client, world.child, name="Cô Mai", send_to="Co.Mai@Example.test")["Location"])
    with django_capture_on_commit_callbacks(execute=True):
        stranger = client.get(invite(client, world.child, name="Chú Tư", send_to="chu.tu@example.test")["Location"])
    # Only to the member's verified address: the portal writes to no one else.
    assert [m.to for m in mailoutbox] == [["co.mai@example.test"]]
    token = FamilyViewer.objects.get(name="Cô Mai").token
    assert f"/follow/{token}/" in mailoutbox[0].body
    assert "Khôi" in mailoutbox[0].body and "Nguyễn Minh Khôi" not in mailoutbox[0].body
    # The link is erased from the record once sent, like a password link.
    notice = Notice.objects.get(recipient=aunt)
    assert notice.category == "account" and token not in notice.body
    # The guardian cannot tell from the page whether an address has an account.
    for response, address in ((member, "co.mai@example.test"), (stranger, "chu.tu@example.test")):
        assert f"If {address} belongs to an account on the portal, the link was sent there too" in (
            response.content.decode()
        )
    assert FamilyViewer.objects.get(name="Chú Tư").sent_to == "chu.tu@example.test"


def test_a_text_goes_only_to_a_members_verified_number_and_counts_against_the_budget_either_way(
    world, client, sms_outbox, settings, django_capture_on_commit_callbacks
):
    from notifications.models import SmsCount

    settings.SMS_ACCOUNT_PER_NUMBER_DAY = 1
    f.UserFactory(email=None, phone="+84912000077", phone_verified=True, verified=False)
    client.force_login(world.parent)
    english(client)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, world.child, name="Ông", send_to="0912 000 077")
        invite(client, world.child, name="Chú", send_to="0912 000 088")
    assert [sms["to"] for sms in sms_outbox] == ["+84912000077"]
    assert "/follow/" in sms_outbox[0]["body"] and "Nguyễn Minh Khôi" not in sms_outbox[0]["body"]
    assert SmsCount.objects.filter(kind="account", scope="number", sent=1).count() == 2
    # A second text to the same number today is refused alike, member or not; the link is still made.
    for address in ("0912 000 077", "0912 000 088"):
        response = client.get(invite(client, world.child, name="Lại", send_to=address)["Location"])
        assert "No text message was sent: Too many text messages have been sent to this number today" in (
            response.content.decode()
        )
    assert len(sms_outbox) == 1
    assert FamilyViewer.objects.filter(name="Lại", accepted_at__isnull=True).count() == 2


# --- Accepting


def test_accepting_with_an_account_makes_the_person_follow_the_child(world, client):
    viewer = open_invitation(world)
    aunt = f.UserFactory(full_name="Nguyễn Thị Mai")
    client.force_login(aunt)
    english(client)
    page = client.get(f"/follow/{viewer.token}/").content.decode()
    assert "Trần Thị Hoa invites you, as Bà nội, to follow Khôi." in page
    response = client.post(f"/follow/{viewer.token}/")
    assert response.status_code == 302 and response["Location"] == "/family/"
    viewer.refresh_from_db()
    assert viewer.viewer == aunt and viewer.accepted_at is not None
    forget_guardianships(aunt)
    assert can_follow_child(aunt, world.child) and not can_follow_child(aunt, world.sibling)
    home = client.get("/family/").content.decode()
    assert "Children I follow" in home and "Nguyễn Minh Khôi" in home
    assert "Nguyễn Ngọc An" not in home  # the sibling


def test_before_signing_in_the_link_says_nothing_about_the_child(world, client):
    viewer = open_invitation(world)
    english(client)
    page = client.get(f"/follow/{viewer.token}/").content.decode()
    assert "Khôi" not in page and "Trần Thị Hoa" not in page
    assert f"/accounts/signup/?next=%2Ffollow%2F{viewer.token}%2F" in page
    assert f"/accounts/login/?next=%2Ffollow%2F{viewer.token}%2F" in page
    assert client.get("/follow/not-a-token/").status_code == 404


def test_a_newcomer_signs_up_from_the_link_verifies_and_comes_back_to_accept(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    viewer = open_invitation(world)
    english(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/accounts/signup/?next=/follow/{viewer.token}/",
            {
                "full_name": "Đỗ Thị Lan",
                "email": "ba.lan@example.test",
                "phone": "",
                "password1": "m0t-m4t-khau-dai",
                "password2": "m0t-m4t-khau-dai",
                "next": f"/follow/{viewer.token}/",
            },
        )
    assert response.status_code == 302
    # Not signed in before the address is verified.
    assert client.get(f"/follow/{viewer.token}/").content.decode().count("Create an account") == 1
    link = re.search(r"http://\S+(/accounts/confirm-email/\S+)", mailoutbox[-1].body).group(1)
    confirmed = client.post(link, follow=True)
    assert confirmed.redirect_chain[-1][0] == f"/follow/{viewer.token}/"
    assert "to follow Khôi" in confirmed.content.decode()
    client.post(f"/follow/{viewer.token}/")
    viewer.refresh_from_db()
    assert viewer.viewer.email == "ba.lan@example.test" and viewer.accepted_at is not None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expires_at": timezone.now() - datetime.timedelta(minutes=1)}, "This invitation has expired."),
        ({"revoked_at": timezone.now()}, "This invitation was cancelled by the child&#x27;s family."),
        ({"accepted_at": timezone.now()}, "This invitation has already been used."),
    ],
)
def test_an_expired_cancelled_or_used_link_is_explained_and_gives_nothing(world, client, change, message):
    viewer = open_invitation(world)
    if "accepted_at" in change:
        change["viewer"] = f.UserFactory()
    FamilyViewer.objects.filter(pk=viewer.pk).update(**change)
    newcomer = f.UserFactory()
    client.force_login(newcomer)
    english(client)
    page = client.get(f"/follow/{viewer.token}/").content.decode()
    assert message in page
    assert "Khôi" not in page and "Trần Thị Hoa" not in page
    response = client.post(f"/follow/{viewer.token}/", follow=True)
    assert message in response.content.decode()
    assert not FamilyViewer.objects.filter(viewer=newcomer).exists()


def test_a_link_from_a_guardian_who_was_suspended_no_longer_works(world, client):
    viewer = open_invitation(world)
    world.parent.guardianships.filter(child=world.child).update(status="suspended")
    newcomer = f.UserFactory()
    client.force_login(newcomer)
    english(client)
    assert "This invitation is no longer valid." in client.get(f"/follow/{viewer.token}/").content.decode()
    client.post(f"/follow/{viewer.token}/")
    assert not FamilyViewer.objects.filter(viewer=newcomer).exists()


def test_a_link_works_once(world, client):
    viewer = open_invitation(world)
    first, second = f.UserFactory(), f.UserFactory()
    family_viewer_accept(token=viewer.token, user=first)
    with translation.override("en"), pytest.raises(FamilyViewerError, match="already been used"):
        family_viewer_accept(token=viewer.token, user=second)
    forget_guardianships(second)
    assert not can_follow_child(second, world.child)


def test_a_guardian_of_the_child_cannot_also_be_its_viewer(world, client):
    viewer = open_invitation(world)
    father = f.UserFactory()
    f.GuardianshipFactory(child=world.child, guardian=father, relationship="father", is_primary=False)
    client.force_login(father)
    english(client)
    assert (
        "a guardian cannot also follow the child as a family viewer"
        in client.get(f"/follow/{viewer.token}/").content.decode()
    )
    client.post(f"/follow/{viewer.token}/")
    viewer.refresh_from_db()
    assert viewer.viewer is None and viewer.accepted_at is None


def test_a_viewer_who_becomes_a_guardian_follows_the_child_as_a_guardian_only(world):
    f.InvitationFactory(child=world.child, code="BANO2345")
    invitation_claim(code="BANO2345", user=world.family_viewer, relationship="grandparent")
    row = FamilyViewer.objects.get(child=world.child, viewer=world.family_viewer)
    assert row.revoked_at is not None and row.revoked_by == world.family_viewer


def test_an_unverified_account_must_verify_first(world, client):
    viewer = open_invitation(world)
    unverified = f.UserFactory(verified=False)
    client.force_login(unverified)
    english(client)
    page = client.get(f"/follow/{viewer.token}/").content.decode()
    assert "Verify your e-mail address or phone number first" in page
    client.post(f"/follow/{viewer.token}/")
    assert not FamilyViewer.objects.filter(viewer=unverified).exists()


# --- Telling the guardians


def test_the_guardians_are_told_at_once_when_a_viewer_joins(
    world, mailoutbox, clock, django_capture_on_commit_callbacks
):
    from tests.notifications.conftest import at

    father = f.UserFactory(email="father@example.test", full_name="Nguyễn Văn Hùng", language="en")
    f.GuardianshipFactory(child=world.child, guardian=father, relationship="father", is_primary=False)
    viewer = open_invitation(world)
    clock.to(at(2026, 11, 23, 23, 30))  # in the quiet hours: told anyway
    with django_capture_on_commit_callbacks(execute=True):
        family_viewer_accept(token=viewer.token, user=f.UserFactory(full_name="Đỗ Thị Lan"))
    notices = {n.recipient: n for n in Notice.objects.filter(category="family")}
    assert set(notices) == {world.parent, father}
    notice = notices[father]
    assert notice.title == "Đỗ Thị Lan now follows Khôi"
    assert "accepted the invitation of Trần Thị Hoa" in notice.body and "Nguyễn Minh Khôi" not in notice.body
    assert notice.url == f"/children/{world.child.pk}/family-viewers/"
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.parent.email, father.email])


# --- Seeing and revoking


def test_every_guardian_sees_who_follows_the_child(world, client):
    father = f.UserFactory()
    f.GuardianshipFactory(child=world.child, guardian=father, relationship="father", is_primary=False)
    open_invitation(world)
    client.force_login(father)
    english(client)
    page = client.get(f"/children/{world.child.pk}/family-viewers/").content.decode()
    assert "Nguyễn Thị Bà" in page  # the grandmother's account
    assert "Bà Lan" in page and "/follow/" in page  # the open invitation and its link
    home = client.get("/family/").content.decode()
    assert "Following" in home and f"/children/{world.child.pk}/family-viewers/" in home


def test_revoking_cuts_access_at_once_and_records_who_and_when(world, client):
    row = FamilyViewer.objects.get(child=world.child, viewer=world.family_viewer)
    grandma = client
    grandma.force_login(world.family_viewer)
    assert "Nguyễn Minh Khôi" in grandma.get("/family/").content.decode()

    from django.test import Client

    parent = Client()
    parent.force_login(world.parent)
    response = parent.post(f"/family-viewers/{row.pk}/revoke/")
    assert response["Location"] == f"/children/{world.child.pk}/family-viewers/"
    row.refresh_from_db()
    assert row.revoked_by == world.parent and row.revoked_at is not None
    assert "Nguyễn Minh Khôi" not in grandma.get("/family/").content.decode()
    assert grandma.get(f"/children/{world.child.pk}/shared-answers/").status_code == 404
    english(parent)
    page = parent.get(f"/children/{world.child.pk}/family-viewers/").content.decode()
    assert "access revoked by Trần Thị Hoa" in page


def test_a_viewer_may_stop_following_and_the_guardians_hear_of_it(world, client):
    world.parent.language = "en"
    world.parent.save(update_fields=["language"])
    row = FamilyViewer.objects.get(child=world.child, viewer=world.family_viewer)
    client.force_login(world.family_viewer)
    assert client.post(f"/family-viewers/{row.pk}/revoke/")["Location"] == "/family/"
    row.refresh_from_db()
    assert row.revoked_by == world.family_viewer
    notice = Notice.objects.get(recipient=world.parent, category="family")
    assert notice.title == "Nguyễn Thị Bà no longer follows Khôi"
    assert notice.body == "Nguyễn Thị Bà stopped following Khôi."


def test_nobody_else_may_revoke(world, client):
    row = FamilyViewer.objects.get(child=world.child, viewer=world.family_viewer)
    for person in (world.other_parent, world.teacher, world.principal, f.UserFactory()):
        client.force_login(person)
        assert client.post(f"/family-viewers/{row.pk}/revoke/").status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None


def test_a_leader_revokes_from_the_admin_through_the_service(world, client):
    row = FamilyViewer.objects.get(child=world.child, viewer=world.family_viewer)
    client.force_login(world.principal)
    response = client.post(
        "/admin/parents/familyviewer/", {"action": "revoke", "_selected_action": [row.pk]}, follow=True
    )
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.revoked_by == world.principal
    assert Notice.objects.filter(recipient=world.parent, category="family").exists()
    # Read-only otherwise: nothing to add, and the token is never shown.
    assert client.get("/admin/parents/familyviewer/add/").status_code == 403
    assert row.token not in client.get(f"/admin/parents/familyviewer/{row.pk}/change/").content.decode()


def test_another_schools_leader_cannot_revoke(world):
    row = FamilyViewer.objects.get(child=world.child, viewer=world.family_viewer)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        family_viewer_revoke(viewer=row, by=world.other_principal)


# --- What a viewer does not get


def test_a_viewer_gets_no_consent_pick_up_child_page_or_sibling(world, client):
    client.force_login(world.family_viewer)
    person = f.PickupPersonFactory(child=world.child)
    for url in (
        f"/children/{world.child.pk}/",  # teachers' phones, guardians, pick-up persons
        f"/children/{world.child.pk}/consents/",
        f"/children/{world.child.pk}/pickup/",
        f"/children/{world.child.pk}/family-viewers/",
        f"/children/{world.sibling.pk}/",
        f"/children/{world.sibling.pk}/shared-answers/",
    ):
        assert client.get(url).status_code == 404, url
    consent = {"purpose": "shared_photos", "decision": "grant"}
    assert client.post(f"/children/{world.child.pk}/consents/", consent).status_code == 404
    assert client.post(f"/children/{world.child.pk}/pickup/{person.pk}/remove/").status_code == 404
    assert world.child.consents.count() == 0 and world.child.pickup_persons.count() == 1


def test_the_viewers_family_page_shows_no_contacts(world, client):
    world.teacher.phone, world.teacher.phone_verified = "+84912000055", True
    world.teacher.save(update_fields=["phone", "phone_verified"])
    f.PickupPersonFactory(child=world.child, full_name="Trần Văn Bình", phone="+84912345678")
    client.force_login(world.family_viewer)
    page = client.get("/family/").content.decode()
    assert "Nguyễn Minh Khôi" in page
    for hidden in ("0912 000 055", "912000055", "Trần Văn Bình", "912345678", world.parent.email, "Lá 1"):
        assert hidden not in page, hidden


def test_a_viewer_only_person_is_sent_to_the_family_page(world, client):
    client.force_login(world.family_viewer)
    assert client.get("/")["Location"] == "/family/"


def test_the_school_knows_its_childrens_viewers_as_linked_accounts(world):
    from schools.linked_accounts import linked_accounts

    assert world.family_viewer in linked_accounts(school_ids=[world.school.pk])
    FamilyViewer.objects.filter(viewer=world.family_viewer).update(revoked_at=timezone.now())
    assert world.family_viewer not in linked_accounts(school_ids=[world.school.pk])


# --- Queries


def _queries(client, url) -> int:
    return page_queries(client, url)  # after a change: the kept parts rendered again


def test_the_family_page_runs_a_fixed_number_of_queries_with_one_or_many_followed_children(world, client):
    client.force_login(world.family_viewer)
    english(client)
    one = _queries(client, "/family/")
    for n in range(8):
        child = f.ChildFactory(classroom=f.ClassroomFactory(school=world.school, name=f"Lớp {n}"))
        guardian = f.UserFactory()
        f.GuardianshipFactory(child=child, guardian=guardian)
        f.FamilyViewerFactory(child=child, viewer=world.family_viewer, invited_by=guardian)
    assert client.get("/family/").content.decode().count("Stop following") == 9
    assert _queries(client, "/family/") == one


def test_a_guardians_family_page_runs_a_fixed_number_of_queries_with_many_viewers(world, client):
    client.force_login(world.parent)
    one = _queries(client, "/family/")
    for n in range(6):
        f.FamilyViewerFactory(child=world.child, name=f"Họ hàng {n}")
        f.FamilyViewerFactory(child=world.sibling, name=f"Họ hàng {n}")
        open_invitation(world)
    assert _queries(client, "/family/") == one
    assert _queries(client, f"/children/{world.child.pk}/family-viewers/") == _queries(
        client, f"/children/{world.sibling.pk}/family-viewers/"
    )


# --- The demo


def test_the_demo_grandmother_follows_khoi(client):
    import random

    from coordination.lib.demo import DemoContext, steps_in_order

    for step in steps_in_order():
        if step.name in ("schools", "families"):
            step.run(DemoContext(rng=random.Random(f"demo:{step.name}"), log=lambda _: None))
    assert client.login(username="grandma@saomai.test", password="demo-pass-2026")
    assert client.get("/")["Location"] == "/family/"
    page = client.get("/family/").content.decode()
    assert "Nguyễn Minh Khôi" in page and "Nguyễn Ngọc An" not in page
    client.login(username="parent@saomai.test", password="demo-pass-2026")
    page = client.get(f"/children/{FamilyViewer.objects.current().get().child_id}/family-viewers/").content.decode()
    assert "Đỗ Thị Lan" in page and "Cô ruột ở Nhật" in page
