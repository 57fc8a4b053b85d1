"""Erasing a person or a child in the core apps: what goes, what stays nameless, and that it runs twice."""

from __future__ import annotations

import datetime

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from notifications.models import Notice, Preference
from notifications.services import notice_send
from parents import policies as parent_policies
from parents.models import BoardMember, ConsentRecord, FamilyViewer, Guardianship, InvitationCode
from parents.selectors import child_consent_granted
from privacy.erasing import child_erase, person_erase
from privacy.models import Erasure
from schools.models import Child, Enrolment, PickupPerson, StaffMembership
from tests import factories as f

User = get_user_model()
NOW = timezone.now()


def fresh(user):
    return User.objects.get(pk=user.pk)


def consent(child, guardian, purpose, granted, minutes):
    return f.ConsentFactory(
        child=child,
        guardian=guardian,
        purpose=purpose,
        granted=granted,
        recorded_at=NOW - datetime.timedelta(days=10) + datetime.timedelta(minutes=minutes),
    )


@pytest.fixture
def family(world):
    """The parent and a second guardian of the child, each with their own decisions."""
    father = f.UserFactory(email="father@example.test", full_name="Nguyễn Văn Bố")
    f.GuardianshipFactory(child=world.child, guardian=father, relationship="father", is_primary=False)
    child, parent = world.child, world.parent
    # Photos in the portfolio: both said yes.
    consent(child, parent, "portfolio_photos", True, 1)
    consent(child, father, "portfolio_photos", True, 2)
    # Shared galleries: the father said yes, the parent said yes and then withdrew.
    consent(child, father, "shared_photos", True, 3)
    consent(child, parent, "shared_photos", True, 4)
    consent(child, parent, "shared_photos", False, 5)
    # Voice recordings: only the parent said yes.
    consent(child, parent, "voice_recordings", True, 6)
    # Thank-you letters: the parent withdrew, then said yes again; the father said yes.
    consent(child, parent, "donor_letter_drawings", False, 7)
    consent(child, parent, "donor_letter_drawings", True, 8)
    consent(child, father, "donor_letter_drawings", True, 9)
    return father


def sign_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_guardians_erasure_scrubs_the_account_and_removes_their_own_data(world, family):
    parent = world.parent
    Authenticator.objects.create(user=parent, type=Authenticator.Type.TOTP, data={"secret": "x"})
    EmailAddress.objects.get_or_create(user=parent, email=parent.email, defaults={"verified": True, "primary": True})
    notice_send(recipient=parent, category="works", title="A work", body="", dedupe_key="erasure-test")
    assert Notice.objects.filter(recipient=parent).exists() and Preference.objects.filter(user=parent).exists()
    signed_in = sign_in(parent)
    other_session = sign_in(world.other_parent)
    seat = BoardMember.objects.create(school=world.school, school_year=world.classroom.school_year, guardian=parent)
    followed = f.FamilyViewerFactory(child=world.other_class_child, viewer=parent, invited_by=world.other_parent)

    erasure = person_erase(user=parent, reason=Erasure.Reason.REQUEST)

    account = fresh(parent)
    assert (account.full_name, account.phone, account.is_active) == ("", None, False)
    assert account.email == f"erased-{parent.pk}@erased.invalid"
    assert not account.has_usable_password()
    with translation.override("vi"):
        assert str(account) == gettext("Erased account")
    assert not EmailAddress.objects.filter(user=parent).exists()
    assert not Authenticator.objects.filter(user=parent).exists()
    assert not Notice.objects.filter(recipient=parent).exists()
    assert not Preference.objects.filter(user=parent).exists()
    assert not BoardMember.objects.filter(pk=seat.pk).exists()
    assert not FamilyViewer.objects.filter(pk=followed.pk).exists()
    # Signed out everywhere; another person stays signed in.
    assert signed_in.get("/").wsgi_request.user.is_anonymous
    assert other_session.get("/").wsgi_request.user.is_authenticated
    assert Session.objects.count() == 1
    # The guardianships ended: the record stays, nameless, and gives nothing.
    assert set(Guardianship.objects.filter(guardian=parent).values_list("status", flat=True)) == {"ended"}
    assert not parent_policies.guardian_child_ids(account)
    assert erasure.counts["accounts.User"] == 1


@pytest.mark.django_db
def test_the_other_guardian_keeps_the_child_and_becomes_the_first_contact(world, family):
    person_erase(user=world.parent, reason=Erasure.Reason.REQUEST)

    father = fresh(family)
    assert parent_policies.is_guardian_of(father, world.child)
    assert Guardianship.objects.get(child=world.child, guardian=father).is_primary
    # The grandmother the parent invited still follows the child: the father may revoke her.
    assert parent_policies.is_family_viewer_of(fresh(world.family_viewer), world.child)
    assert FamilyViewer.objects.get(viewer=world.family_viewer).invited_by is None


@pytest.mark.django_db
def test_the_erased_guardians_withdrawals_stay_in_force_and_their_grants_go(world, family):
    child, parent = world.child, world.parent
    before = {p: child_consent_granted(child=child, purpose=p) for p in ("portfolio_photos", "voice_recordings")}
    assert before == {"portfolio_photos": True, "voice_recordings": True}

    person_erase(user=parent, reason=Erasure.Reason.REQUEST)

    kept = ConsentRecord.objects.filter(guardian=parent)
    # Only the standing withdrawal stays, on the nameless account.
    assert list(kept.values_list("purpose", "granted")) == [("shared_photos", False)]
    # What the father decided, plus the standing withdrawal.
    assert child_consent_granted(child=child, purpose="portfolio_photos")  # the father's yes
    assert not child_consent_granted(child=child, purpose="shared_photos")  # the parent's no still counts
    assert not child_consent_granted(child=child, purpose="voice_recordings")  # nobody's yes any more
    assert child_consent_granted(child=child, purpose="donor_letter_drawings")  # the father's yes
    # The younger child has no other guardian: nothing is consented to any more.
    assert not child_consent_granted(child=world.sibling, purpose="portfolio_photos")


@pytest.mark.django_db
def test_a_staff_members_erasure_keeps_their_records_without_their_name(world):
    teacher = world.teacher
    pickup = f.PickupPersonFactory(child=world.child, added_by=teacher)
    letter = f.InvitationFactory(child=world.child, created_by=teacher, claimed_by=world.parent, claimed_at=NOW)
    person_erase(user=teacher, reason=Erasure.Reason.REQUEST)
    person_erase(user=world.parent, reason=Erasure.Reason.REQUEST)

    membership = StaffMembership.objects.get(user=teacher)
    assert not membership.is_active
    assert fresh(teacher).full_name == ""
    assert PickupPerson.objects.get(pk=pickup.pk).added_by is None
    letter.refresh_from_db()
    assert (letter.created_by, letter.claimed_by, letter.status) == (None, None, "used")


@pytest.mark.django_db
def test_a_persons_erasure_runs_twice_without_changing_anything(world, family):
    person_erase(user=world.parent, reason=Erasure.Reason.REQUEST)
    account = fresh(world.parent)
    again = person_erase(user=account, reason=Erasure.Reason.REQUEST)

    assert again.counts == {}
    assert fresh(world.parent).email == account.email
    assert ConsentRecord.objects.filter(guardian=world.parent).count() == 1


@pytest.mark.django_db
def test_a_childs_erasure_anonymises_the_child_and_removes_the_familys_links(world, family):
    child = world.child
    Child.objects.filter(pk=child.pk).update(nickname="Bin", national_id="031221000123", code="HS-1")
    f.PickupPersonFactory(child=child, added_by=world.parent)
    f.InvitationFactory(child=child)
    LogEntry.objects.create(
        user=world.principal,
        content_type=ContentType.objects.get_for_model(Child),
        object_id=str(child.pk),
        object_repr=child.full_name,
        action_flag=ADDITION,
        change_message="",
    )
    enrolments = list(Enrolment.objects.filter(child=child).values_list("classroom_id", "starts_on", "ends_on"))

    child_erase(child=child, reason=Erasure.Reason.REQUEST)

    row = Child.objects.get(pk=child.pk)
    assert row.full_name == f"— {child.pk}"
    assert (row.nickname, row.national_id, row.code) == ("", "", "")
    assert row.date_of_birth == datetime.date(2021, 1, 1)
    assert (row.sex, row.school_id) == ("f", world.school.pk)
    for model in (PickupPerson, InvitationCode, FamilyViewer, Guardianship, ConsentRecord):
        assert not model.objects.filter(child=child).exists(), model
    assert list(Enrolment.objects.filter(child=child).values_list("classroom_id", "starts_on", "ends_on")) == enrolments
    assert not LogEntry.objects.filter(object_repr__contains="Khôi").exists()
    # The parent's other child is untouched.
    assert parent_policies.is_guardian_of(fresh(world.parent), world.sibling)


@pytest.mark.django_db
def test_a_childs_erasure_runs_twice_and_two_children_of_a_school_can_be_erased(world, family):
    child_erase(child=world.child, reason=Erasure.Reason.REQUEST)
    again = child_erase(child=Child.objects.get(pk=world.child.pk), reason=Erasure.Reason.REQUEST)
    child_erase(child=world.sibling, reason=Erasure.Reason.REQUEST)

    assert again.counts == {}
    assert Child.objects.filter(pk__in=[world.child.pk, world.sibling.pk], code="").count() == 2
