"""Who may use the donations' admin URLs and admin pages (merged into tests/test_authorization_matrix.py).

The donations' admin is the school's principal, vice-principal and accountant's (superusers: every
school); the principal of another school manages their own school's donations, so they get the
lists and forms but are told another school's object does not exist. Teachers, nurses, parents and
officers are sent to the admin's sign-in, which refuses them. What only the principal decides
(naming the team, the bank account, deleting a draft) refuses the vice-principal and the accountant.
Records of money are never deleted, and the ledger is read-only for everyone.
"""

from __future__ import annotations

from tests.conftest import World
from tests.matrix_kit import OUT, Entry, expect

NO = 403


def answers(
    principal, vice_principal=None, accountant=None, other_principal=None, superuser=None
) -> dict[str, int | str]:
    """The managers' answers (vice-principal and accountant default to the principal's); everyone else: OUT."""
    return expect(
        anonymous=OUT,
        others=OUT,
        principal=principal,
        vice_principal=principal if vice_principal is None else vice_principal,
        accountant=principal if accountant is None else accountant,
        other_principal=principal if other_principal is None else other_principal,
        superuser=principal if superuser is None else superuser,
    )


# The school's managers use it all; another school's principal finds no such object.
MANAGED = {
    "changelist": answers(200),
    "add": answers(200),
    "change": answers(200, other_principal="redirect"),
    "delete": answers(200, other_principal="redirect"),
    "history": answers(200, other_principal="redirect"),
}
# Records of money: recorded through the services, changed by actions, never deleted.
RECORDS = {**MANAGED, "delete": answers(NO)}
# What the principal decides: the others read it.
PRINCIPALS = {
    **MANAGED,
    "add": answers(200, vice_principal=NO, accountant=NO),
    "delete": answers(200, vice_principal=NO, accountant=NO, other_principal="redirect"),
}
# Written by the services only, read here.
READ_ONLY = {**MANAGED, "add": answers(NO), "delete": answers(NO)}


def _campaign(w: World):
    from tests.donations import makers

    return makers.draft(w)


def _received(w: World):
    from tests.donations import makers

    return makers.cash(w, makers.opened(w))


def _spending(w: World):
    from donations import services
    from tests.donations import makers

    contribution = _received(w)
    return services.spending_record(
        campaign=contribution.campaign,
        by=w.accountant,
        use="equipment",
        description="Lò nướng điện",
        amount=300_000,
        spent_on=makers.today(),
    )


def _team_member(w: World):
    from tests.donations import makers

    makers.board_member(w)
    return w.other_parent.sponsorship_teams.get()


def _account(w: World):
    from tests.donations import makers

    return makers.bank_account(w)


def _ledger_entry(w: World):
    return _received(w).ledger.get()


def _settlement(w: World):
    from donations import services

    campaign = _received(w).campaign
    services.campaign_close(campaign=campaign, by=w.principal)
    return services.settlement_prepare(campaign=campaign, by=w.principal, summary="Đã mua lò nướng.")


def _contributions_csv(w: World):
    _received(w)
    return "/admin/donations/contribution/export.csv"


MATRIX: dict[str, Entry | list[Entry]] = {
    # The contributions' list as it is filtered, for the school's managers (contacts: test_admin_export.py).
    "admin/donations/contribution/export.csv": Entry(_contributions_csv, answers(200, other_principal=200)),
    "admin/donations/contribution/export.xlsx": Entry(
        "/admin/donations/contribution/export.xlsx", answers(200, other_principal=200)
    ),
}
ADMIN_MODELS: dict = {
    "donations/campaign": (
        {**MANAGED, "delete": answers(200, vice_principal=NO, accountant=NO, other_principal="redirect")},
        _campaign,
    ),
    "donations/contribution": (RECORDS, _received),
    "donations/spending": (RECORDS, _spending),
    "donations/teammember": (PRINCIPALS, _team_member),
    "donations/schoolaccount": (PRINCIPALS, _account),
    "donations/ledgerentry": (READ_ONLY, _ledger_entry),
    "donations/settlement": (READ_ONLY, _settlement),
}
