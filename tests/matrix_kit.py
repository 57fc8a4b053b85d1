"""The vocabulary of the authorisation matrix, shared by the per-app tables.

Each app that adds URLs may keep its entries in `tests/<app>/matrix.py`, with
`MATRIX` (URL pattern -> Entry) and optionally `ADMIN_MODELS`; the matrix test
merges them (see APP_TABLES there).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tests.conftest import PERSONAS, World


@dataclass(frozen=True)
class Entry:
    path: Callable[[World], str] | str
    expect: tuple  # one answer per persona, in PERSONAS order
    method: str = "get"
    data: Callable[[World], dict] | None = None


def answers(spec: str) -> tuple:
    values = tuple(int(v) if v.isdigit() else v for v in spec.split())
    assert len(values) == len(PERSONAS), spec
    return values


#                         anon   parent other_p teacher other_t princ. other_pr nurse  account district
EVERYONE_200 = answers("200    200    200     200     200     200    200      200    200     200")
SIGNED_IN_200 = answers("login  200    200     200     200     200    200      200    200     200")
GUARDIAN_ONLY = answers("login  200    404     404     404     404    404      404    404     404")
CHILD_VIEWERS = answers("login  200    404     200     404     200    404      200    404     404")
CLASS_VIEWERS = answers("login  404    404     200     404     200    404      404    404     404")
SCHOOL_LEADERS = answers("login 404    404     404     404     200    404      404    404     404")
DISTRICT_ONLY = answers("login  404    404     404     404     404    404      404    404     200")
TEACHERS_ONLY = answers("login  403    403     200     200     403    403      403    403     403")
REDIRECTED = answers("200    redirect redirect redirect redirect redirect redirect redirect redirect redirect")
ALL_REDIRECT = answers("redirect redirect redirect redirect redirect redirect redirect redirect redirect redirect")
ANON_200_ELSE_REDIRECT = answers("200 redirect redirect redirect redirect redirect redirect redirect redirect redirect")
LOGIN_ELSE_REDIRECT = answers("login redirect redirect redirect redirect redirect redirect redirect redirect redirect")


OUT = "admin-login"


def admin_answers(principal, other_principal) -> tuple:
    """Everyone but the two principals is sent to the admin's sign-in, which refuses them."""
    return (OUT, OUT, OUT, OUT, OUT, principal, other_principal, OUT, OUT, OUT)


# The admin's model pages: which models a principal manages for their own school,
# and which are for superusers only. Each gets changelist, add, change, delete and
# history, for an object of the first school.
SCOPED = {  # principal of the school: yes; principal of another school: list yes, this object no
    "changelist": admin_answers(200, 200),
    "add": admin_answers(200, 200),
    "change": admin_answers(200, "redirect"),
    "delete": admin_answers(200, "redirect"),
    "history": admin_answers(200, "redirect"),
}
SCOPED_NO_ADD = {**SCOPED, "add": admin_answers(403, 403)}
READ_ONLY = {
    **SCOPED_NO_ADD,
    "delete": admin_answers(403, 403),
}
SUPERUSER_ONLY = {view: admin_answers(403, 403) for view in SCOPED}


ADMIN_VIEW_SUFFIXES = {
    "changelist": "",
    "add": "add/",
    "change": "{pk}/change/",
    "delete": "{pk}/delete/",
    "history": "{pk}/history/",
}
