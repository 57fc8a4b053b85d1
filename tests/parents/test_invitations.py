import datetime

import pytest
from django.utils import timezone, translation

from parents.models import Guardianship, InvitationCode
from parents.services import InvitationError, invitation_claim, invitation_create, invitation_revoke
from tests import factories as f


def join(client, code, relationship="father"):
    return client.post("/join/", {"code": code, "relationship": relationship})


def test_valid_code_makes_the_parent_a_guardian(world, client):
    newcomer = f.UserFactory()
    client.force_login(newcomer)
    response = join(client, "abcd-2345")
    assert response.status_code == 302
    assert response["Location"] == f"/children/{world.other_class_child.pk}/consents/"
    guardianship = Guardianship.objects.get(guardian=newcomer)
    assert guardianship.child == world.other_class_child
    assert guardianship.relationship == "father"
    assert not guardianship.is_primary  # the child already had a guardian
    world.invitation.refresh_from_db()
    assert world.invitation.claimed_by == newcomer
    page = client.get("/family/").content.decode()
    assert "Phạm Khánh Linh" in page


def test_the_code_on_the_letter_is_prefilled_from_the_qr_link(world, client):
    client.force_login(f.UserFactory())
    page = client.get("/join/?code=ABCD2345").content.decode()
    assert 'value="ABCD2345"' in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expires_at": timezone.now() - datetime.timedelta(minutes=1)}, "expired"),
        ({"revoked_at": timezone.now()}, "cancelled by the school"),
    ],
)
def test_expired_or_revoked_code_is_refused(world, client, change, message):
    InvitationCode.objects.filter(pk=world.invitation.pk).update(**change)
    newcomer = f.UserFactory()
    client.force_login(newcomer)
    client.cookies["django_language"] = "en"
    response = client.post("/join/", {"code": "ABCD2345", "relationship": "mother"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Guardianship.objects.filter(guardian=newcomer).exists()


def test_already_used_code_is_refused_for_a_second_person(world, client):
    first, second = f.UserFactory(), f.UserFactory()
    invitation_claim(code="ABCD2345", user=first, relationship="mother")
    client.force_login(second)
    response = join(client, "ABCD2345")
    assert response.status_code == 200
    assert not Guardianship.objects.filter(guardian=second).exists()
    with translation.override("en"), pytest.raises(InvitationError, match="already been used"):
        invitation_claim(code="ABCD2345", user=second, relationship="father")


def test_unknown_code_gets_a_clear_message_and_creates_nothing(world, client):
    newcomer = f.UserFactory()
    client.force_login(newcomer)
    before = Guardianship.objects.count()
    client.cookies["django_language"] = "en"
    response = client.post("/join/", {"code": "ZZZZ9999", "relationship": "mother"})
    assert "This code is not valid" in response.content.decode()
    assert Guardianship.objects.count() == before


def test_malformed_code_is_explained_in_vietnamese(world, client):
    client.force_login(f.UserFactory())
    response = client.post("/join/", {"code": "ABC", "relationship": "mother"})
    assert response.status_code == 200
    assert "Mã gồm 8 chữ cái và chữ số" in response.content.decode()


def test_a_guardian_cannot_claim_the_same_child_twice(world):
    extra = f.InvitationFactory(child=world.child, code="WXYZ7777")
    with translation.override("en"), pytest.raises(InvitationError, match="already a guardian"):
        invitation_claim(code=extra.code, user=world.parent, relationship="mother")
    extra.refresh_from_db()
    assert extra.claimed_at is None


def test_an_unverified_account_cannot_claim_a_child(world, client):
    stranger = f.UserFactory(verified=False)
    client.force_login(stranger)
    response = join(client, "ABCD2345")
    assert response.status_code == 200
    assert not Guardianship.objects.filter(guardian=stranger).exists()
    world.invitation.refresh_from_db()
    assert world.invitation.claimed_at is None


def test_guessing_codes_is_rate_limited(world, client):
    newcomer = f.UserFactory()
    client.force_login(newcomer)
    for _ in range(10):
        join(client, "QQQQ2222")
    response = join(client, "ABCD2345")
    assert not Guardianship.objects.filter(guardian=newcomer).exists()
    assert response.status_code == 200


def test_someone_elses_child_stays_hidden_after_joining(world, client):
    """Claiming a code links that one child; the other children stay out of reach."""
    newcomer = f.UserFactory()
    invitation_claim(code="ABCD2345", user=newcomer, relationship="father")
    client.force_login(newcomer)
    assert client.get(f"/children/{world.other_class_child.pk}/").status_code == 200
    assert client.get(f"/children/{world.child.pk}/").status_code == 404
    assert client.get(f"/children/{world.other_school_child.pk}/").status_code == 404


def test_teacher_issues_and_revokes_codes_for_their_class(world, client):
    client.force_login(world.teacher)
    response = client.post(f"/children/{world.child.pk}/invitations/")
    assert response.status_code == 302
    code = InvitationCode.objects.filter(child=world.child).get()
    assert code.status == "active"
    client.post(f"/invitations/{code.pk}/revoke/")
    code.refresh_from_db()
    assert code.status == "revoked"
    with pytest.raises(InvitationError):
        invitation_claim(code=code.code, user=f.UserFactory(), relationship="mother")


def test_other_teacher_cannot_issue_codes(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        invitation_create(child=world.child, by=world.other_teacher)
    with pytest.raises(PermissionDenied):
        invitation_revoke(invitation=world.invitation, by=world.other_principal)


def test_the_code_is_kept_through_e_mail_verification(world, client):
    newcomer = f.UserFactory(verified=False)
    client.force_login(newcomer)
    client.get("/join/?code=ABCD2345")
    # Later, after confirming the e-mail, the parent arrives without the link.
    page = client.get("/join/").content.decode()
    assert 'value="ABCD2345"' in page
