"""Donors: shown in public only as they chose, contacts for the principal and the accountant only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from donations.models import Donor, DonorDisplay, DonorKind
from donations.policies import can_see_donor_contacts
from schools.linked_accounts import linked_accounts


def donor(world, **fields) -> Donor:
    values = {"school": world.school, "kind": DonorKind.PERSON, "name": "Lê Văn Tâm", **fields}
    made = Donor(**values)
    made.full_clean()
    made.save()
    return made


def test_a_donor_is_anonymous_unless_they_chose_otherwise(world):
    with translation.override("en"):
        assert donor(world).public_name == "Anonymous"
    with translation.override("vi"):
        assert donor(world).public_name == "Ẩn danh"
    assert donor(world, name="Trần Thu", display=DonorDisplay.NAME).public_name == "Trần Thu"
    assert donor(world, display=DonorDisplay.CHOSEN, display_name="Gia đình bé Na").public_name == "Gia đình bé Na"
    with pytest.raises(ValidationError) as caught:
        donor(world, display=DonorDisplay.CHOSEN, display_name=" ")
    assert "display_name" in caught.value.message_dict


def test_a_guardian_donor_is_a_guardian_of_the_school(world):
    assert donor(world, kind=DonorKind.GUARDIAN, user=world.parent).user == world.parent
    for account in (None, world.foreign_parent, world.teacher):
        with pytest.raises(ValidationError) as caught:
            donor(world, kind=DonorKind.GUARDIAN, user=account)
        assert "user" in caught.value.message_dict
    assert Donor.objects.count() == 1


def test_phone_numbers_are_checked_and_kept_one_way(world):
    assert donor(world, phone="0912 345 678").phone == "+84912345678"
    with pytest.raises(ValidationError) as caught:
        donor(world, phone="12")
    assert "phone" in caught.value.message_dict


def test_the_ledger_reference_is_random_and_says_nothing(world):
    references = {donor(world, name="Cùng một tên").reference for _ in range(20)}
    assert len(references) == 20
    assert all(ref.startswith("D") and len(ref) == 17 and "Cung" not in ref for ref in references)


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("principal", True),
        ("accountant", True),
        ("vice_principal", False),
        ("teacher", False),
        ("nurse", False),
        ("parent", False),
        ("other_principal", False),
        ("anonymous", False),
    ],
)
def test_contacts_are_for_the_principal_and_the_accountant(world, persona, sees):
    assert can_see_donor_contacts(world.persona(persona), world.school) is sees


def test_the_admin_shows_contacts_to_the_principal_only(client, world):
    made = donor(world, email="tam@example.test", phone="0912345678", display=DonorDisplay.ANONYMOUS)
    client.force_login(world.principal)
    page = client.get(f"/admin/donations/donor/{made.pk}/change/").content.decode()
    assert "tam@example.test" in page and made.reference in page
    client.force_login(world.vice_principal)
    page = client.get(f"/admin/donations/donor/{made.pk}/change/")
    assert page.status_code == 200
    assert "tam@example.test" not in page.content.decode() and "+84912345678" not in page.content.decode()


def test_a_principal_adds_a_donor_in_the_admin(client, world):
    client.force_login(world.principal)
    response = client.post(
        "/admin/donations/donor/add/",
        {
            "school": world.school.pk,
            "kind": "business",
            "name": "Công ty Sao Việt",
            "display": "name",
            "language": "vi",
            "email": "",
            "phone": "",
            "address": "",
            "tax_code": "0101234567",
            "display_name": "",
        },
    )
    assert response.status_code == 302
    added = Donor.objects.get()
    assert added.created_by == world.principal and added.public_name == "Công ty Sao Việt"


def test_a_donors_account_is_linked_to_the_school(world):
    outsider = world.foreign_parent
    assert not linked_accounts(school_ids=[world.school.pk]).filter(pk=outsider.pk).exists()
    Donor.objects.create(school=world.school, kind=DonorKind.PERSON, name="Ngô Thị Phương", user=outsider)
    assert linked_accounts(school_ids=[world.school.pk]).filter(pk=outsider.pk).exists()
