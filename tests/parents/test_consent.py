import pytest

from parents.models import ConsentPurpose, ConsentRecord
from parents.selectors import child_consent_granted, consent_states
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_silence_is_not_consent(world):
    assert not child_consent_granted(child=world.child, purpose=ConsentPurpose.PORTFOLIO_PHOTOS)
    states = consent_states(guardian=world.parent, child=world.child)
    assert [s.granted for s in states] == [False] * len(ConsentPurpose.values)
    assert "voice_recordings" in [s.purpose for s in states]  # asked of guardians, never assumed


def test_a_guardian_gives_and_withdraws_consent(world, client):
    client.force_login(world.parent)
    url = f"/children/{world.child.pk}/consents/"
    client.post(url, {"purpose": "health_records", "decision": "grant"})
    assert child_consent_granted(child=world.child, purpose="health_records")
    record = ConsentRecord.objects.get()
    assert record.guardian == world.parent and record.text_version == "2026-01" and record.text
    client.post(url, {"purpose": "health_records", "decision": "withdraw"})
    assert not child_consent_granted(child=world.child, purpose="health_records")
    # Both decisions are kept: the history is never rewritten.
    assert ConsentRecord.objects.count() == 2


def test_one_guardians_withdrawal_outweighs_another_guardians_yes(world):
    father = f.GuardianshipFactory(child=world.child, relationship="father").guardian
    f.ConsentFactory(child=world.child, guardian=world.parent, purpose="shared_photos", granted=True)
    f.ConsentFactory(child=world.child, guardian=father, purpose="shared_photos", granted=False)
    assert not child_consent_granted(child=world.child, purpose="shared_photos")


def test_staff_and_other_parents_cannot_record_consent(world, client):
    for person in (world.teacher, world.principal, world.other_parent):
        client.force_login(person)
        response = client.post(
            f"/children/{world.child.pk}/consents/", {"purpose": "health_records", "decision": "grant"}
        )
        assert response.status_code == 404
    assert not ConsentRecord.objects.exists()


def test_an_unknown_purpose_changes_nothing(world, client):
    client.force_login(world.parent)
    response = client.post(f"/children/{world.child.pk}/consents/", {"purpose": "marketing", "decision": "grant"})
    assert response.status_code == 200
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize("status", ["pending", "suspended", "ended"])
def test_only_an_active_guardian_records_consent(world, client, status):
    from django.core.exceptions import PermissionDenied

    from parents.services import consent_record

    person = f.GuardianshipFactory(child=world.child, status=status, is_primary=False).guardian
    with pytest.raises(PermissionDenied):
        consent_record(guardian=person, child=world.child, purpose="health_records", granted=True)
    client.force_login(person)
    response = client.post(f"/children/{world.child.pk}/consents/", {"purpose": "health_records", "decision": "grant"})
    assert response.status_code == 404
    assert not ConsentRecord.objects.exists()
