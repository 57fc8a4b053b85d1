"""A member of the school's staff cannot make themselves a child's guardian alone.

The attack: a teacher prints a code for a child of the class, uses it, and then gives the
family's consents and adds pick-up persons, and nobody is told.
"""

import pytest
from django.utils import translation

from notifications.models import Delivery, Notice
from parents.models import ConsentRecord, Guardianship, InvitationCode
from parents.services import GuardianshipError, guardianship_decide, invitation_claim, invitation_create
from schools.models import PickupPerson, StaffMembership
from tests import factories as f
from tests.notifications.conftest import at, prefer

pytestmark = pytest.mark.django_db
Status = Guardianship.Status


def join(client, code, relationship="father"):
    client.cookies["django_language"] = "en"
    return client.post("/join/", {"code": code, "relationship": relationship})


def co_teacher(world):
    """A second, active teacher of Lá 1 (the class of the parent's child)."""
    return f.StaffFactory(
        school=world.school, classrooms=[world.classroom], user=f.UserFactory(email="coteacher@example.test")
    ).user


def test_a_code_cannot_be_used_by_the_staff_member_who_created_it(world, client):
    invitation = invitation_create(child=world.child, by=world.teacher)
    client.force_login(world.teacher)
    response = join(client, invitation.code)
    assert response.status_code == 200
    assert "You created this code, so you cannot use it" in response.content.decode()
    assert not Guardianship.objects.filter(guardian=world.teacher).exists()
    invitation.refresh_from_db()
    assert invitation.claimed_at is None and invitation.claimed_by is None


def test_the_teacher_attack_is_held_until_a_leader_confirms_and_the_family_is_told_at_once(
    world, client, clock, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = co_teacher(world)
    prefer(world.parent, frequency="daily")  # e-mails wait for the evening digest, normally
    clock.to(at(2026, 11, 23, 22, 30))  # quiet hours for everyone

    # The teacher's own code is refused; a letter the principal printed for the class is not.
    own = invitation_create(child=world.child, by=world.teacher)
    with translation.override("en"), pytest.raises(Exception, match="You created this code"):
        invitation_claim(code=own.code, user=world.teacher, relationship="father")
    letter = invitation_create(child=world.child, by=world.principal)
    client.force_login(world.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        response = join(client, letter.code)
    assert response.status_code == 302 and response["Location"] == "/family/"
    claim = Guardianship.objects.get(guardian=world.teacher)
    assert claim.status == Status.PENDING

    # The claimant is told it waits, and gets nothing of a guardian.
    page = client.get("/family/").content.decode()
    assert "waiting for confirmation" in page
    assert "waits for confirmation by the school" in page
    assert f'href="/children/{world.child.pk}/"' not in page
    assert client.get(f"/children/{world.child.pk}/consents/").status_code == 404
    response = client.post(f"/children/{world.child.pk}/consents/", {"purpose": "health_sharing", "decision": "grant"})
    assert response.status_code == 404
    response = client.post(
        f"/children/{world.child.pk}/pickup/",
        {"full_name": "Kẻ Lạ", "relationship": "Chú", "phone": "0912345678", "can_pick_up": "on"},
    )
    assert response.status_code == 404
    assert not ConsentRecord.objects.exists() and not PickupPerson.objects.exists()
    # Not shown to the family, not counted as signed up.
    client.force_login(world.parent)
    family = client.get(f"/children/{world.child.pk}/").context["guardianships"]
    assert [g.guardian for g in family] == [world.parent]
    client.force_login(world.principal)
    overview = client.get("/schools/sao-mai/manage/").context["overview"]
    assert overview["guardians"] == 2  # the two parents of children at school, not the teacher

    # Nobody has been told of a new guardian yet; the leaders are asked to confirm.
    assert not Notice.objects.filter(recipient__in=[world.parent, colleague], category="family").exists()
    asked = Notice.objects.filter(category="family", url="/schools/sao-mai/manage/guardians/")
    assert set(asked.values_list("recipient", flat=True)) == {world.principal.pk, world.vice_principal.pk}

    # A leader confirms, from the page linked on their home.
    mailoutbox.clear()
    home = client.get("/schools/sao-mai/manage/").content.decode()
    assert 'href="/schools/sao-mai/manage/guardians/"' in home
    page = client.get("/schools/sao-mai/manage/guardians/").content.decode()
    assert world.teacher.full_name in page and "Nguyễn Minh Khôi" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/guardianships/{claim.pk}/decide/", {"decision": "confirm"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Status.ACTIVE
    assert claim.confirmed_by == world.principal and claim.confirmed_at == at(2026, 11, 23, 22, 30)

    # The other guardian and the class's other teacher are told at once, at night, digest or not.
    told = {message.to[0] for message in mailoutbox}
    assert {world.parent.email, colleague.email} <= told
    notice = Notice.objects.get(recipient=world.parent, category="family")
    assert notice.read_at is None  # rings the bell
    assert notice.url == f"/guardianships/{claim.pk}/check/"
    assert "Khôi" in notice.title and "Nguyễn Minh Khôi" not in notice.title + notice.body
    assert world.teacher.full_name in notice.title
    delivery = notice.deliveries.get()
    assert (delivery.channel, delivery.state, delivery.digest) == ("email", Delivery.State.SENT, False)
    # The teacher is now a guardian like any other (their own child, say): the consent page opens.
    client.force_login(world.teacher)
    assert client.get(f"/children/{world.child.pk}/consents/").status_code == 200


def test_a_claim_waits_for_a_leader_other_than_the_claimant(world, client):
    invitation = invitation_create(child=world.child, by=world.teacher)
    claim = invitation_claim(code=invitation.code, user=world.vice_principal, relationship="mother")
    assert claim.status == Status.PENDING
    # The claimant's own confirmation: a clear message, nothing changes, on the portal...
    client.force_login(world.vice_principal)
    client.cookies["django_language"] = "en"
    response = client.post(f"/guardianships/{claim.pk}/decide/", {"decision": "confirm"}, follow=True)
    assert "You cannot decide about your own link to a child" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Status.PENDING and claim.confirmed_by is None
    # ... and in the admin, with the action or by posting the status in the change form.
    response = client.post(
        "/admin/parents/guardianship/",
        {"action": "confirm", "_selected_action": [claim.pk]},
        follow=True,
    )
    assert "You cannot decide about your own link to a child" in response.content.decode()
    client.post(
        f"/admin/parents/guardianship/{claim.pk}/change/",
        {"relationship": "mother", "is_primary": "on", "status": "active"},
    )
    claim.refresh_from_db()
    assert claim.status == Status.PENDING and claim.confirmed_by is None
    # Teachers may not confirm while the school has another leader.
    client.force_login(world.teacher)
    assert client.get("/schools/sao-mai/manage/guardians/").status_code == 404
    assert client.post(f"/guardianships/{claim.pk}/decide/", {"decision": "confirm"}).status_code == 404
    claim.refresh_from_db()
    assert claim.status == Status.PENDING
    # The principal may, in the admin too.
    client.force_login(world.principal)
    client.post("/admin/parents/guardianship/", {"action": "confirm", "_selected_action": [claim.pk]})
    claim.refresh_from_db()
    assert claim.status == Status.ACTIVE and claim.confirmed_by == world.principal


def test_without_another_leader_another_member_of_staff_confirms(world, client):
    StaffMembership.objects.filter(user=world.vice_principal).update(is_active=False)
    invitation = invitation_create(child=world.other_class_child, by=world.other_teacher)
    claim = invitation_claim(code=invitation.code, user=world.principal, relationship="father")
    assert claim.status == Status.PENDING
    # The rest of the staff are asked, and the principal is not.
    asked = set(Notice.objects.filter(category="family").values_list("recipient", flat=True))
    assert world.principal.pk not in asked and world.vice_principal.pk not in asked
    assert {world.teacher.pk, world.nurse.pk, world.accountant.pk} <= asked
    with translation.override("en"), pytest.raises(GuardianshipError, match="your own link"):
        guardianship_decide(guardianship=claim, by=world.principal, decision="confirm")
    # The nurse finds it on the page (only this row) and confirms.
    client.force_login(world.nurse)
    page = client.get("/schools/sao-mai/manage/guardians/")
    assert page.status_code == 200 and [g.pk for g in page.context["awaiting"]] == [claim.pk]
    client.post(f"/guardianships/{claim.pk}/decide/", {"decision": "confirm"})
    claim.refresh_from_db()
    assert claim.status == Status.ACTIVE and claim.confirmed_by == world.nurse and claim.confirmed_at


def test_a_refused_claim_gives_nothing_and_is_recorded(world, client):
    invitation = invitation_create(child=world.child, by=world.principal)
    claim = invitation_claim(code=invitation.code, user=world.teacher, relationship="father")
    client.force_login(world.vice_principal)
    client.cookies["django_language"] = "en"
    page = client.get(f"/children/{world.child.pk}/").content.decode()
    assert "Not counted as guardians" in page and "Awaiting confirmation" in page
    assert 'href="/schools/sao-mai/manage/guardians/"' in page
    client.post(f"/guardianships/{claim.pk}/decide/", {"decision": "refuse"})
    claim.refresh_from_db()
    assert claim.status == Status.ENDED and claim.decided_by == world.vice_principal and claim.decided_at
    assert claim.confirmed_at is None
    assert Notice.objects.filter(recipient=world.teacher, category="family", title__contains="đã bị từ chối").exists()
    # Refusing again, or confirming after a refusal, changes nothing.
    with translation.override("en"), pytest.raises(GuardianshipError, match="not waiting"):
        guardianship_decide(guardianship=claim, by=world.principal, decision="confirm")
    claim.refresh_from_db()
    assert claim.status == Status.ENDED
    assert InvitationCode.objects.get(pk=invitation.pk).claimed_by == world.teacher  # the code stays used


def test_a_parent_who_is_not_staff_becomes_a_guardian_at_once(world):
    invitation = invitation_create(child=world.child, by=world.teacher)
    parent = f.UserFactory()
    guardianship = invitation_claim(code=invitation.code, user=parent, relationship="father")
    assert guardianship.status == Status.ACTIVE
    # A former member of staff is no longer staff: their claim counts at once too.
    gone = f.InvitationFactory(child=world.other_class_child, code="GONE2345")
    assert invitation_claim(code=gone.code, user=world.deactivated_staff, relationship="mother").status == (
        Status.ACTIVE
    )


def test_the_admin_makes_no_guardian_and_moves_none(world, client):
    """Guardians are made with codes: the admin has no add form, and a guardianship's person and
    child cannot be changed there."""
    client.force_login(world.principal)
    response = client.post(
        "/admin/parents/guardianship/add/",
        {"child": world.child.pk, "guardian": world.principal.pk, "relationship": "mother", "status": "active"},
    )
    assert response.status_code == 403
    assert not Guardianship.objects.filter(guardian=world.principal).exists()
    own = world.child.guardianships.get()
    client.post(
        f"/admin/parents/guardianship/{own.pk}/change/",
        {"child": world.sibling.pk, "guardian": world.principal.pk, "relationship": "father"},
    )
    own.refresh_from_db()
    assert (own.child, own.guardian, own.relationship) == (world.child, world.parent, "father")
