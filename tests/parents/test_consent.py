import pytest

from parents.models import ConsentPurpose, ConsentRecord
from parents.selectors import child_consent_granted, consent_states
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_silence_is_not_consent(world):
    assert not child_consent_granted(child=world.child, purpose=ConsentPurpose.PORTFOLIO_PHOTOS)
    states = consent_states(guardian=world.parent, child=world.child)
    assert [s.granted for s in states] == [False] * (len(ConsentPurpose.values) - 1)
    assert "voice_recordings" in [s.purpose for s in states]  # asked of guardians, never assumed
    assert "health_sharing" in [s.purpose for s in states]


def test_the_retired_health_records_purpose_is_history_only(world, client):
    """Recording health data never depended on consent: the old purpose is no longer asked or recorded,
    and what guardians said under it stays in their history."""
    f.ConsentFactory(child=world.child, guardian=world.parent, purpose="health_records", granted=True)
    assert "health_records" not in [s.purpose for s in consent_states(guardian=world.parent, child=world.child)]
    client.force_login(world.parent)
    url = f"/children/{world.child.pk}/consents/"
    world.parent.language = "en"
    world.parent.save(update_fields=["language"])
    page = client.get(url).content.decode()
    assert 'value="health_records"' not in page and 'id="consent-health_records"' not in page
    assert 'id="consent-health_sharing"' in page
    assert "Health and growth records (no longer asked)" in page  # in the history of decisions
    response = client.post(url, {"purpose": "health_records", "decision": "withdraw"})
    assert response.status_code == 200  # refused: the form does not offer it
    assert list(ConsentRecord.objects.values_list("purpose", "granted")) == [("health_records", True)]


def test_a_guardian_gives_and_withdraws_consent(world, client):
    client.force_login(world.parent)
    url = f"/children/{world.child.pk}/consents/"
    client.post(url, {"purpose": "health_sharing", "decision": "grant"})
    assert child_consent_granted(child=world.child, purpose="health_sharing")
    record = ConsentRecord.objects.get()
    assert record.guardian == world.parent and record.text_version == "2026-12" and record.text
    client.post(url, {"purpose": "health_sharing", "decision": "withdraw"})
    assert not child_consent_granted(child=world.child, purpose="health_sharing")
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
            f"/children/{world.child.pk}/consents/", {"purpose": "health_sharing", "decision": "grant"}
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
        consent_record(guardian=person, child=world.child, purpose="health_sharing", granted=True)
    client.force_login(person)
    response = client.post(f"/children/{world.child.pk}/consents/", {"purpose": "health_sharing", "decision": "grant"})
    assert response.status_code == 404
    assert not ConsentRecord.objects.exists()
