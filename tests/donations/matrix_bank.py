"""Who may use the donations' bank URLs and admin pages (merged into tests/test_authorization_matrix.py).

The school's principal, vice-principal and accountant use these pages for their own school (another
school's principal for theirs, and is told Sao Mai's objects do not exist). Bank statement imports and
unmatched transfers are records of what the bank said: read in the admin, never added, changed or
deleted there (imports come from the import page, transfers are assigned on their own page).
Handover records and the asset register are the school's to keep up.
"""

from __future__ import annotations

import datetime

from tests.conftest import World
from tests.donations.bank_files import csv_file
from tests.donations.matrix_admin import MANAGED, READ_ONLY, answers
from tests.matrix_kit import Entry


def _bank_import(w: World):
    from donations.models import BankImport

    return BankImport.objects.create(school=w.school, file_name="saoke-thang-12.csv", imported_by=w.principal, rows=1)


def _bank_line(w: World, reference: str = "FT26337999"):
    from donations.models import BankLine

    return BankLine.objects.create(
        bank_import=_bank_import(w),
        school=w.school,
        row=2,
        date=datetime.date(2026, 12, 3),
        amount=500_000,
        message="UNG HO TRUONG",
        bank_reference=reference,
    )


def BankLineModel():  # noqa: N802 - the model, imported when the matrix runs
    from donations.models import BankLine

    return BankLine


def _line_and_campaign(w: World):
    from tests.donations import makers

    return _bank_line(w, "FT26337888"), makers.opened(w)


def _goods(w: World):
    from donations.models import Campaign, CampaignState, Contribution, Donor

    campaign = Campaign.objects.create(
        school=w.school,
        title="Bếp ăn cho bé",
        purpose="Trang bị bếp",
        beneficiaries="Các lớp",
        use_plan="Mua lò nướng",
        uses=["equipment"],
        state=CampaignState.OPEN,
    )
    donor = Donor.objects.create(school=w.school, kind="business", name="Công ty TNHH Điện máy Hồng Phúc")
    return Contribution.objects.create(
        school=w.school,
        campaign=campaign,
        donor=donor,
        kind="in_kind",
        items="Lò nướng điện",
        quantity=1,
        estimated_value=3_450_000,
    )


def _handover(w: World):
    from donations.models import Handover

    return Handover.objects.create(
        contribution=_goods(w),
        handed_over_on=datetime.date(2026, 12, 3),
        giver_name="Trần Quốc Hưng",
        receiver_name="Phạm Thị Thu Hằng",
    )


def _asset(w: World):
    from donations.models import Asset

    return Asset.objects.create(
        school=w.school, name="Lò nướng điện", quantity=1, value=3_450_000, acquired_on=datetime.date(2026, 12, 3)
    )


def _imports(w: World) -> int:
    from donations.models import BankImport

    return BankImport.objects.filter(school=w.school).count()


def _statement(w: World) -> dict:
    rows = [["03/12/2026", "500.000", "UNG HO TRUONG", "FT26337123"]]
    return {"school": w.school.pk, "statement": csv_file(rows)}


MATRIX: dict[str, Entry | list[Entry]] = {
    # The import page: each manager for their own school (another school's principal cannot name Sao Mai).
    "admin/donations/bankimport/import/": [
        Entry("/admin/donations/bankimport/import/", answers(200)),
        Entry(
            "/admin/donations/bankimport/import/",
            answers("redirect", other_principal=200),
            method="post",
            data=_statement,
            effect=_imports,
            changes_for=frozenset({"principal", "vice_principal", "accountant", "superuser"}),
        ),
    ],
    "admin/donations/bankline/<path:object_id>/assign/": [
        Entry(
            lambda w: f"/admin/donations/bankline/{w.made.pk}/assign/",
            answers(200, other_principal="redirect"),
            setup=_bank_line,
            shows="FT26337999",
        ),
        Entry(
            lambda w: f"/admin/donations/bankline/{w.made[0].pk}/assign/",
            answers("redirect"),
            method="post",
            setup=_line_and_campaign,
            data=lambda w: {"campaign": w.made[1].pk},
            effect=lambda w: BankLineModel().objects.filter(pk=w.made[0].pk, contribution__isnull=False).exists(),
            # Another school's principal is sent away before anything happens.
            changes_for=frozenset({"principal", "vice_principal", "accountant", "superuser"}),
        ),
    ],
    "admin/donations/handover/<path:object_id>/pdf/": Entry(
        lambda w: f"/admin/donations/handover/{w.made.pk}/pdf/",
        answers(200, other_principal="redirect"),
        setup=_handover,
    ),
    "admin/donations/asset/export/": Entry("/admin/donations/asset/export/", answers(200)),
}
ADMIN_MODELS: dict = {
    "donations/bankimport": (READ_ONLY, _bank_import),
    "donations/bankline": (READ_ONLY, _bank_line),
    "donations/handover": (MANAGED, _handover),
    "donations/asset": (MANAGED, _asset),
}
