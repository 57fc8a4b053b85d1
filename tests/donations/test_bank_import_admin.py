"""The bank statement pages of the admin: the import page, its errors and result, and assigning unmatched transfers."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import translation

from donations import services
from donations.models import BankImport, BankLine, Contribution, ContributionState
from tests.donations import makers
from tests.donations.bank_files import csv_file

IMPORT = "/admin/donations/bankimport/import/"


def written(days_ago: int = 1) -> str:
    return f"{makers.today() - datetime.timedelta(days=days_ago):%d/%m/%Y}"


@pytest.fixture
def campaign(world):
    return makers.opened(world)


def upload(client, world, rows, **extra):
    with translation.override("en"):
        return client.post(IMPORT, {"school": world.school.pk, "statement": csv_file(rows), **extra})


def test_the_principal_imports_a_statement_and_sees_what_it_did(client, world, campaign):
    promised = makers.cash(world, campaign, 500_000, received=False)
    client.force_login(world.principal)
    page = client.get(IMPORT)
    assert page.status_code == 200 and 'type="file"' in page.content.decode()
    rows = [
        [written(), "500.000", promised.payment_reference, "FT1"],
        [written(), "1.000.000", f"ung ho {services.campaign_reference(campaign)}", "FT2"],
        [written(), "300.000", "ung ho truong", "FT3"],
        [written(), "-100.000", "phi chuyen khoan", "FT4"],
    ]
    in_english(world.principal)
    response = upload(client, world, rows)
    done = BankImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/donations/bankimport/{done.pk}/change/"
    page = client.get(response["Location"]).content.decode()
    assert "Pledges received: 1; new gifts to campaigns: 1; transfers to assign: 1; outgoing rows skipped: 1." in page
    assert "FT3" in page  # the unmatched row, listed on the import
    # Who imported it, in the import's history.
    assert LogEntry.objects.get(object_id=str(done.pk)).user == world.principal
    promised.refresh_from_db()
    assert promised.state == ContributionState.RECEIVED


def in_english(user):
    """The person chose English for the portal (the texts asserted below are the English ones)."""
    user.language = "en"
    user.save(update_fields=["language"])


def test_a_bad_statement_shows_every_row_and_saves_nothing(client, world, campaign):
    in_english(world.principal)
    client.force_login(world.principal)
    rows = [
        [written(), "300.000", "ung ho", "FT1"],
        ["32/12/2026", "300.000", "ung ho", "FT2"],
        [written(), "1,5", "ung ho", "FT3"],
    ]
    response = upload(client, world, rows)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "Row 3: the date “32/12/2026” is not a date" in page
    assert "Row 4: the amount “1,5” is not a whole number of đồng." in page
    assert not BankImport.objects.exists() and not BankLine.objects.exists()


def test_another_schools_principal_cannot_import_into_this_school(client, world):
    client.force_login(world.other_principal)
    response = upload(client, world, [[written(), "300.000", "ung ho", "FT1"]])
    assert response.status_code == 200
    assert response.context["form"].errors["school"][0].startswith(("Select a valid choice", "Hãy chọn"))
    assert not BankImport.objects.exists()


def test_a_superuser_chooses_the_school(client, world):
    client.force_login(world.superuser)
    page = client.get(IMPORT).content.decode()
    assert "Sao Mai" in page and "Hoa Sen" in page
    assert upload(client, world, [[written(), "300.000", "ung ho", "FT1"]]).status_code == 302
    assert BankImport.objects.get().school == world.school


def _kept(world, reference="FT9", amount="300.000") -> BankLine:
    from donations.bank import bank_statement_import

    bank_statement_import(
        school=world.school,
        by=world.principal,
        uploaded_file=csv_file([[written(), amount, "ung ho be Na", reference]]),
    )
    return BankLine.objects.get(bank_reference=reference)


def test_the_unmatched_list_and_assigning_one_transfer(client, world, campaign):
    line = _kept(world)
    client.force_login(world.principal)
    listing = client.get("/admin/donations/bankline/?assigned=no").content.decode()
    assert "FT9" in listing and "ung ho be Na" in listing
    page = client.get(f"/admin/donations/bankline/{line.pk}/assign/").content.decode()
    assert campaign.title in page
    draft = makers.draft(world, title="Sân chơi mới")
    assert "Sân chơi mới" not in page  # only open campaigns
    refused = client.post(f"/admin/donations/bankline/{line.pk}/assign/", {"campaign": draft.pk})
    assert refused.status_code == 200 and not Contribution.objects.exists()
    response = client.post(f"/admin/donations/bankline/{line.pk}/assign/", {"campaign": campaign.pk})
    assert response.status_code == 302
    assert LogEntry.objects.filter(object_id=str(line.pk), user=world.principal).exists()
    line.refresh_from_db()
    assert line.contribution.state == ContributionState.RECEIVED and line.contribution.amount == 300_000
    assert "FT9" not in client.get("/admin/donations/bankline/?assigned=no").content.decode()
    again = client.get(f"/admin/donations/bankline/{line.pk}/assign/").content.decode()
    assert "already assigned" in again or "đã" in again


def test_assigning_several_transfers_with_the_action(client, world, campaign):
    lines = [_kept(world, "FT10"), _kept(world, "FT11", "450.000")]
    donor = makers.donor(world, name="Hội cựu học sinh")
    client.force_login(world.principal)
    data = {"action": "assign_selected", "_selected_action": [line.pk for line in lines]}
    page = client.post("/admin/donations/bankline/", data)
    assert page.status_code == 200 and "FT10" in page.content.decode() and "FT11" in page.content.decode()
    done = client.post(
        "/admin/donations/bankline/", {**data, "apply": "yes", "campaign": campaign.pk, "donor": donor.pk}
    )
    assert done.status_code == 302
    gifts = Contribution.objects.filter(donor=donor).order_by("amount")
    assert [gift.amount for gift in gifts] == [300_000, 450_000]
    assert all(gift.state == ContributionState.RECEIVED for gift in gifts)


def test_another_schools_donor_cannot_be_chosen(client, world, campaign):
    line = _kept(world)
    stranger = makers.donor(world, name="Công ty Hoa Sen")
    stranger.school = world.other_school
    stranger.save()
    client.force_login(world.principal)
    response = client.post(
        f"/admin/donations/bankline/{line.pk}/assign/", {"campaign": campaign.pk, "donor": stranger.pk}
    )
    assert response.status_code == 200 and "Công ty Hoa Sen" not in response.content.decode()
    assert not Contribution.objects.exists()


def test_the_accountant_imports_and_assigns_too(client, world, campaign):
    promised = makers.cash(world, campaign, 500_000, received=False)
    client.force_login(world.accountant)
    assert client.get(IMPORT).status_code == 200
    rows = [
        [written(), "500.000", promised.payment_reference, "FT1"],
        [written(), "300.000", "ung ho truong", "FT2"],
    ]
    assert upload(client, world, rows).status_code == 302
    done = BankImport.objects.get()
    assert done.imported_by == world.accountant and (done.matched, done.unmatched) == (1, 1)
    line = BankLine.objects.get()
    response = client.post(f"/admin/donations/bankline/{line.pk}/assign/", {"campaign": campaign.pk})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.contribution.received_by == world.accountant
