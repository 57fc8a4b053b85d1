"""Importing a bank statement: pledges received, gifts to campaigns recorded, the rest kept; all or nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from donations import services
from donations.bank import StatementRejected, bank_line_assign, bank_statement_import
from donations.models import (
    BankImport,
    BankLine,
    CampaignState,
    Contribution,
    ContributionKind,
    ContributionState,
    DonorDisplay,
    LedgerEntry,
    ReceiptCounter,
)
from tests.donations import makers
from tests.donations.bank_files import csv_file, xlsx_file


def day(days_ago: int = 1) -> datetime.date:
    return makers.today() - datetime.timedelta(days=days_ago)


def written(date: datetime.date) -> str:
    return f"{date:%d/%m/%Y}"


def rejected(world, upload) -> list[str]:
    with pytest.raises(StatementRejected) as caught:
        bank_statement_import(school=world.school, by=world.accountant, uploaded_file=upload)
    with translation.override("en"):
        return caught.value.messages


def imported(world, upload) -> BankImport:
    return bank_statement_import(school=world.school, by=world.accountant, uploaded_file=upload)


@pytest.fixture
def campaign(world):
    return makers.opened(world)


def pledge(world, campaign, amount=500_000, **fields):
    return makers.cash(world, campaign, amount, received=False, **fields)


def test_a_transfer_naming_a_pledge_receives_it(world, campaign):
    promised = pledge(world, campaign)
    reference = promised.payment_reference
    # Banks pass the message on in upper case, often without its spaces.
    spaced = f"{reference[:4].lower()} {reference[4:].lower()}"
    rows = [[written(day(2)), "500.000", f"Nguyen Thi Hoa chuyen tien ung ho {spaced}", "FT26001"]]
    done = imported(world, csv_file(rows))
    assert (done.rows, done.matched, done.created, done.unmatched) == (1, 1, 0, 0)
    promised.refresh_from_db()
    assert promised.state == ContributionState.RECEIVED
    assert promised.bank_reference == "FT26001"
    assert promised.received_on == day(2)
    assert promised.receipt_number == 1 and promised.received_by == world.accountant
    assert LedgerEntry.objects.get(contribution=promised).amount == 500_000
    assert done.imported_by == world.accountant and done.file_name == "saoke.csv"


def test_the_banks_figure_is_what_was_received(world, campaign):
    promised = pledge(world, campaign, amount=500_000)
    rows = [[written(day()), "650.000", f"UNGHO{promised.payment_reference}", "FT26002"]]
    imported(world, csv_file(rows))
    promised.refresh_from_db()
    assert promised.amount == 650_000 and promised.state == ContributionState.RECEIVED
    assert LedgerEntry.objects.get(contribution=promised).amount == 650_000
    change = promised.events.get(action="amount changed")
    assert change.by == world.accountant and "500" in change.detail and "650" in change.detail


def test_a_transfer_naming_a_campaign_is_an_anonymous_gift(world, campaign):
    reference = services.campaign_reference(campaign)
    rows = [[written(day()), "1.000.000", f"NGUYEN VAN BINH UNG HO {reference}", "FT26003"]]
    done = imported(world, csv_file(rows))
    assert (done.matched, done.created, done.unmatched) == (0, 1, 0)
    gift = Contribution.objects.get(bank_reference="FT26003")
    assert gift.campaign == campaign and gift.kind == ContributionKind.CASH and gift.amount == 1_000_000
    assert gift.state == ContributionState.RECEIVED and gift.receipt_number == 1 and gift.received_on == day()
    # The sender's name in the message is never the donor's name, and the donor is anonymous.
    assert gift.donor.display == DonorDisplay.ANONYMOUS and gift.donor.chosen_public_name == ""
    assert "BINH" not in gift.donor.name.upper()
    assert gift.donor.school == world.school
    # The message stays in the history, for the accountant.
    assert "NGUYEN VAN BINH" in gift.events.get(action="bank transfer").detail


def test_other_rows_are_kept_for_the_accountant_to_assign(world, campaign):
    other_school_pledge_reference = "UH" + "A" * 8  # no such pledge at this school
    rows = [
        [written(day(3)), "300.000", "ung ho truong mam non", "FT26004"],
        [written(day(3)), "200.000", f"ung ho {other_school_pledge_reference}", "FT26005"],
        [written(day(3)), "-1.200.000", "THANH TOAN TIEN DIEN", "FT26006"],
    ]
    done = imported(world, csv_file(rows))
    assert (done.rows, done.matched, done.created, done.unmatched) == (3, 0, 0, 2)
    lines = list(BankLine.objects.order_by("row"))
    assert [(line.row, line.amount, line.bank_reference) for line in lines] == [
        (2, 300_000, "FT26004"),
        (3, 200_000, "FT26005"),
    ]
    assert all(line.bank_import == done and line.contribution is None for line in lines)
    assert not Contribution.objects.exists()


def test_a_pledge_of_another_school_is_not_matched(world, campaign):
    promised = pledge(world, campaign)
    rows = [[written(day()), "500.000", promised.payment_reference, "FT26007"]]
    done = bank_statement_import(school=world.other_school, by=world.other_principal, uploaded_file=csv_file(rows))
    assert (done.matched, done.unmatched) == (0, 1)
    promised.refresh_from_db()
    assert promised.state == ContributionState.PLEDGED


def test_a_statement_from_xlsx(world, campaign):
    promised = pledge(world, campaign)
    rows = [[datetime.datetime.combine(day(), datetime.time(9, 30)), 500000, promised.payment_reference, "FT26008"]]
    done = imported(world, xlsx_file(rows))
    assert done.matched == 1


def test_each_bad_row_is_reported_and_nothing_is_saved(world, campaign):
    good = pledge(world, campaign)
    cancelled = pledge(world, campaign)
    services.contribution_cancel(contribution=cancelled, by=world.accountant, reason="Gia đình đổi ý")
    received = makers.cash(world, campaign, 100_000)
    goods = services.contribution_pledge(
        campaign=campaign, donor=makers.donor(world), by=world.accountant, kind="in_kind", items="Nồi", quantity=1
    )
    draft = makers.draft(world, title="Sân chơi")
    rows = [
        [written(day()), "500.000", good.payment_reference, "FT1"],  # fine on its own
        [written(day()), "300.000", "ung ho truong", "FT2"],  # fine on its own
        [written(day()), "100.000", cancelled.payment_reference, "FT3"],
        [written(day()), "100.000", received.payment_reference, "FT4"],
        [written(day()), "100.000", goods.payment_reference, "FT5"],
        [written(day()), "100.000", f"ung ho {services.campaign_reference(draft)}", "FT6"],
        [written(day()), "100.000", good.payment_reference, "FT7"],
        [written(day(-3)), "100.000", "ngay mai", "FT8"],
        ["hôm qua", "100.000", "x", "FT9"],
        [written(day()), "0", "x", "FT10"],
        [written(day()), "100.000", "x", "ft2"],
    ]
    problems = rejected(world, csv_file(rows))
    assert problems == [
        f"Row 4: the pledge {cancelled.payment_reference} is cancelled, not waiting for the money.",
        f"Row 5: the pledge {received.payment_reference} is received, not waiting for the money.",
        f"Row 6: {goods.payment_reference} is a pledge of goods or work, not of cash.",
        "Row 7: the transfer is for “Sân chơi”, which is not open for contributions.",
        f"Row 8: the pledge {good.payment_reference} is also paid on row 2.",
        f"Row 9: the date {day(-3):%d/%m/%Y} is in the future.",
        "Row 10: the date “hôm qua” is not a date (write it as dd/mm/yyyy or yyyy-mm-dd).",
        "Row 11: the amount is zero.",
        "Row 12: the bank's reference ft2 is also on row 3.",
    ]
    good.refresh_from_db()
    assert good.state == ContributionState.PLEDGED and good.bank_reference == ""
    assert not BankImport.objects.exists() and not BankLine.objects.exists()


def test_a_reference_imported_before_is_a_duplicate(world, campaign):
    imported(world, csv_file([[written(day()), "300.000", "ung ho", "FT26010"]]))
    makers.cash(world, campaign, 100_000)  # a receipt that is not from a statement
    promised = pledge(world, campaign)
    imported(world, csv_file([[written(day()), "500.000", promised.payment_reference, "FT26011"]]))
    rows = [
        [written(day()), "300.000", "ung ho", "ft26010"],
        [written(day()), "500.000", "ung ho lan nua", "FT26011"],
    ]
    assert rejected(world, csv_file(rows)) == [
        "Row 2: the bank's reference ft26010 was imported before.",
        "Row 3: the bank's reference FT26011 was imported before.",
    ]
    assert BankImport.objects.count() == 2


def test_a_rejected_import_leaves_no_gap_in_the_receipts(world, campaign):
    first, second = pledge(world, campaign), pledge(world, campaign)
    rows = [
        [written(day()), "500.000", first.payment_reference, "FT1"],
        [written(day()), "mười", "x", "FT2"],
    ]
    rejected(world, csv_file(rows))
    assert not ReceiptCounter.objects.filter(last_number__gt=0).exists()
    imported(world, csv_file([[written(day()), "500.000", second.payment_reference, "FT3"]]))
    second.refresh_from_db()
    assert second.receipt_number == 1


def test_a_failure_in_the_middle_undoes_the_rows_before(world, campaign, monkeypatch):
    """A row that passes every check but fails when recorded: the rows already recorded are undone too."""
    first, second = pledge(world, campaign), pledge(world, campaign)
    real = services.contribution_receive

    def failing(*, contribution, **kwargs):
        if contribution.pk == second.pk:
            raise ValidationError("Máy chủ bận")
        return real(contribution=contribution, **kwargs)

    monkeypatch.setattr(services, "contribution_receive", failing)
    rows = [
        [written(day()), "500.000", first.payment_reference, "FT1"],
        [written(day()), "300.000", "khong ro", "FT2"],
        [written(day()), "500.000", second.payment_reference, "FT3"],
    ]
    assert rejected(world, csv_file(rows)) == ["Row 4: Máy chủ bận"]
    first.refresh_from_db()
    assert first.state == ContributionState.PLEDGED and first.receipt_number is None
    assert not LedgerEntry.objects.exists() and not BankLine.objects.exists() and not BankImport.objects.exists()


def test_a_pledge_of_a_closed_campaign_can_still_be_paid(world, campaign):
    promised = pledge(world, campaign)
    services.campaign_close(campaign=campaign, by=world.principal)
    done = imported(world, csv_file([[written(day()), "500.000", promised.payment_reference, "FT1"]]))
    assert done.matched == 1
    rows = [[written(day()), "500.000", services.campaign_reference(campaign), "FT2"]]
    assert rejected(world, csv_file(rows)) == [
        f"Row 2: the transfer is for “{campaign.title}”, which is not open for contributions."
    ]


# --- Assigning a kept transfer


def kept_line(world, amount="300.000", reference="FT26020") -> BankLine:
    imported(world, csv_file([[written(day(4)), amount, "ung ho be Na lop La 1", reference]]))
    return BankLine.objects.get(bank_reference=reference)


def test_assigning_a_transfer_records_a_received_gift(world, campaign):
    line = kept_line(world)
    known = makers.donor(world, name="Gia đình bé Na", display=DonorDisplay.NAME)
    gift = bank_line_assign(line=line, by=world.accountant, campaign=campaign, donor=known)
    assert (gift.donor, gift.amount, gift.received_on, gift.bank_reference) == (known, 300_000, day(4), "FT26020")
    assert gift.state == ContributionState.RECEIVED and gift.receipt_number == 1
    line.refresh_from_db()
    assert line.contribution == gift and line.assigned_at is not None
    with pytest.raises(ValidationError, match="already assigned"):
        bank_line_assign(line=line, by=world.accountant, campaign=campaign)


def test_a_transfer_assigned_without_a_donor_is_anonymous(world, campaign):
    gift = bank_line_assign(line=kept_line(world), by=world.accountant, campaign=campaign)
    assert gift.donor.display == DonorDisplay.ANONYMOUS and "Na" not in gift.donor.name


def test_a_transfer_goes_only_to_an_open_campaign_of_its_school(world, campaign):
    line = kept_line(world)
    draft = makers.draft(world, title="Sân chơi")
    with pytest.raises(ValidationError, match="not open"):
        bank_line_assign(line=line, by=world.accountant, campaign=draft)
    stranger = makers.donor(world)
    stranger.school = world.other_school
    stranger.save()
    with pytest.raises(ValidationError, match="of the school"):
        bank_line_assign(line=line, by=world.accountant, campaign=campaign, donor=stranger)
    line.refresh_from_db()
    assert line.contribution is None and not Contribution.objects.exists()
    assert campaign.state == CampaignState.OPEN
