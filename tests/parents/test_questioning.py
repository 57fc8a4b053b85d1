"""'I do not know this person': a guardian suspends a new guardian at once, and a leader decides."""

import pytest
from django.utils import translation

from notifications.models import Notice
from parents.models import Guardianship
from parents.services import GuardianshipError, guardianship_question, invitation_claim
from tests import factories as f
from tests.notifications.conftest import at

pytestmark = pytest.mark.django_db
Status = Guardianship.Status


@pytest.fixture
def stranger_claims(world, django_capture_on_commit_callbacks):
    """Someone who is not staff uses a code for Khôi (the parent's child) and is a guardian at once."""
    stranger = f.UserFactory(full_name="Đoàn Văn Lạ", email="la@example.test")
    invitation = f.InvitationFactory(child=world.child, code="LALA2345", created_by=world.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        guardianship = invitation_claim(code=invitation.code, user=stranger, relationship="father")
    assert guardianship.status == Status.ACTIVE
    return guardianship


def test_the_parent_says_no_and_the_new_guardian_loses_access_at_once(world, client, stranger_claims, clock):
    guardianship = stranger_claims
    notice = Notice.objects.get(recipient=world.parent, category="family")
    client.force_login(world.parent)
    page = client.get(notice.url).content.decode()
    assert "Đoàn Văn Lạ" in page and "Tôi không biết người này" in page

    clock.to(at(2026, 11, 24, 7, 15))
    response = client.post(notice.url, {"answer": "unknown"})
    assert response.status_code == 302
    guardianship.refresh_from_db()
    assert guardianship.status == Status.SUSPENDED
    assert guardianship.disputed_by == world.parent and guardianship.disputed_at == at(2026, 11, 24, 7, 15)
    # Nothing of the child any more.
    client.force_login(guardianship.guardian)
    assert client.get(f"/children/{world.child.pk}/").status_code == 404
    assert client.get(f"/children/{world.child.pk}/pickup/").status_code == 404
    family = client.get("/family/")
    assert family.context["has_children"] is False and family.context["children_part"] == ""
    assert family.context["waiting"] == [guardianship]
    # The leaders are asked to decide; the person is told why.
    asked = Notice.objects.filter(category="family", url="/schools/sao-mai/manage/guardians/")
    assert set(asked.values_list("recipient", flat=True)) == {world.principal.pk, world.vice_principal.pk}
    assert Notice.objects.filter(recipient=guardianship.guardian, title__contains="bị tạm ngừng").exists()


def test_the_principal_restores_on_the_portal_and_the_decision_is_recorded(world, client, stranger_claims, clock):
    guardianship = stranger_claims
    guardianship_question(guardianship=guardianship, by=world.parent)
    client.force_login(world.principal)
    page = client.get("/schools/sao-mai/manage/guardians/").content.decode()
    assert "Đoàn Văn Lạ" in page and "Khôi phục" in page
    clock.to(at(2026, 11, 24, 9, 0))
    client.post(f"/guardianships/{guardianship.pk}/decide/", {"decision": "restore"})
    guardianship.refresh_from_db()
    assert guardianship.status == Status.ACTIVE
    assert (guardianship.decided_by, guardianship.decided_at) == (world.principal, at(2026, 11, 24, 9, 0))
    assert Notice.objects.filter(recipient=world.parent, title__contains="lại là phụ huynh").exists()
    # The decision stands: asking again changes nothing.
    with translation.override("en"), pytest.raises(GuardianshipError, match="already looked into"):
        guardianship_question(guardianship=guardianship, by=world.parent)
    guardianship.refresh_from_db()
    assert guardianship.status == Status.ACTIVE
    page = client.get("/schools/sao-mai/manage/guardians/").content.decode()
    assert "quyết định lúc" in page


def test_the_principal_ends_it_in_the_admin(world, client, stranger_claims):
    guardianship = stranger_claims
    guardianship_question(guardianship=guardianship, by=world.parent)
    client.force_login(world.principal)
    client.post("/admin/parents/guardianship/", {"action": "end", "_selected_action": [guardianship.pk]})
    guardianship.refresh_from_db()
    assert guardianship.status == Status.ENDED and guardianship.decided_by == world.principal
    client.force_login(guardianship.guardian)
    assert client.get(f"/children/{world.child.pk}/").status_code == 404


def test_an_active_guardian_cannot_be_restored_or_ended_without_a_question(world, client, stranger_claims):
    client.force_login(world.principal)
    client.cookies["django_language"] = "en"
    response = client.post(f"/guardianships/{stranger_claims.pk}/decide/", {"decision": "end"}, follow=True)
    assert "Only a suspended guardian can be restored or ended" in response.content.decode()
    stranger_claims.refresh_from_db()
    assert stranger_claims.status == Status.ACTIVE


def test_i_know_this_person_changes_nothing(world, client, stranger_claims):
    client.force_login(world.parent)
    client.post(f"/guardianships/{stranger_claims.pk}/check/", {"answer": "known"})
    stranger_claims.refresh_from_db()
    assert stranger_claims.status == Status.ACTIVE and stranger_claims.disputed_by is None


@pytest.mark.parametrize("persona", ["other_parent", "teacher", "principal"])
def test_only_the_childs_other_guardians_may_question(world, client, stranger_claims, persona):
    client.force_login(getattr(world, persona))
    url = f"/guardianships/{stranger_claims.pk}/check/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "unknown"}).status_code == 404
    stranger_claims.refresh_from_db()
    assert stranger_claims.status == Status.ACTIVE


def test_a_guardian_cannot_question_themselves(world, client, stranger_claims):
    own = world.child.guardianships.get(guardian=world.parent)
    client.force_login(world.parent)
    assert client.post(f"/guardianships/{own.pk}/check/", {"answer": "unknown"}).status_code == 404
    own.refresh_from_db()
    assert own.status == Status.ACTIVE
