"""The vocabulary of the authorisation matrix, shared by the per-app tables.

Each app that adds URLs keeps its entries in `tests/<app>/matrix.py`, with `MATRIX` (URL pattern ->
Entry, or a list of entries when one pattern serves several things, like a file's variants) and
optionally `ADMIN_MODELS`; the matrix test merges them (see APP_TABLES there).

An answer is a status code, "login" (sent to the sign-in page), "admin-login" (sent to the admin's
sign-in, which refuses everyone but leaders and superusers) or "redirect" (sent elsewhere).
Expectations name the personas (tests/conftest.py) that get something other than the default:

    expect(parent=200, teacher=200, leaders=200)   # everyone else signed in: 404; anonymous: login
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.conftest import PERSONAS, World

# Names for personas that are asked the same way.
GROUPS = {
    "leaders": ("principal", "vice_principal"),
    "officers": ("officer", "province_officer"),
    "teachers": ("teacher", "other_teacher", "foreign_teacher"),
    "school_teachers": ("teacher", "other_teacher"),
    "parents": ("parent", "other_parent", "former_parent", "foreign_parent"),
}

Answer = int | str


def expect(*, anonymous: Answer = "login", others: Answer = 404, **named: Answer) -> dict[str, Answer]:
    """The answer of each persona: `others` for the signed-in ones not named."""
    answers = dict.fromkeys(PERSONAS, others)
    answers["anonymous"] = anonymous
    for name, answer in named.items():
        for persona in GROUPS.get(name, (name,)):
            if persona not in answers:
                raise ValueError(f"unknown persona {persona!r}")
            answers[persona] = answer
    return answers


@dataclass(frozen=True)
class Entry:
    path: Callable[[World], str] | str
    expect: dict[str, Answer]
    method: str = "get"
    data: Callable[[World], dict] | None = None
    # A text that every 200 answer shows (the page's own object): a string or one made from the world.
    shows: Callable[[World], str] | str | None = None
    # For a request that changes something: a snapshot of what it changes (read before and after
    # the request, in the same transaction). It must change for the personas in `changes_for`
    # (by default those answered 200, 201 or "redirect") and stay the same for everyone else.
    effect: Callable[[World], Any] | None = None
    changes_for: frozenset[str] | None = None
    headers: dict | None = None
    # Made once before the personas are asked (each ask is rolled back); the path reads it as `w.made`.
    setup: Callable[[World], Any] | None = None

    def changers(self) -> frozenset[str]:
        if self.changes_for is not None:
            return self.changes_for
        return frozenset(p for p, answer in self.expect.items() if answer in (200, 201, 204, "redirect"))


# --- The common answers
EVERYONE_200 = expect(anonymous=200, others=200)
SIGNED_IN_200 = expect(others=200)
GUARDIAN_ONLY = expect(parent=200)
CHILD_VIEWERS = expect(parent=200, teacher=200, leaders=200, nurse=200)
CLASS_VIEWERS = expect(teacher=200, leaders=200)
SCHOOL_LEADERS = expect(leaders=200)
AUTHORITY_VIEWERS = expect(officers=200, superuser=200)
TEACHERS_ONLY = expect(others=403, teachers=200)
REDIRECTED = expect(anonymous=200, others="redirect")
ALL_REDIRECT = expect(anonymous="redirect", others="redirect")
ANON_200_ELSE_REDIRECT = expect(anonymous=200, others="redirect")
LOGIN_ELSE_REDIRECT = expect(others="redirect")


OUT = "admin-login"


def admin_answers(
    leaders: Answer, other_principal: Answer, superuser: Answer = 200, accountant: Answer = 403
) -> dict[str, Answer]:
    """Everyone but leaders, the accountant and superusers is sent to the admin's sign-in, which refuses them.

    The accountant is let into the admin for the donations pages only: every other page refuses them
    (tests/donations/matrix_admin.py gives their answers on the donations pages).
    """
    return expect(
        anonymous=OUT,
        others=OUT,
        leaders=leaders,
        other_principal=other_principal,
        superuser=superuser,
        accountant=accountant,
    )


# The admin's model pages: which models a principal manages for their own school,
# and which are for superusers only. Each gets changelist, add, change, delete and
# history, for an object of the first school.
SCOPED = {  # leaders of the school: yes; principal of another school: list yes, this object no
    "changelist": admin_answers(200, 200),
    "add": admin_answers(200, 200),
    "change": admin_answers(200, "redirect"),
    "delete": admin_answers(200, "redirect"),
    # The accountant's rows are none of these: told, like another school's principal, the object is not there.
    "history": admin_answers(200, "redirect", accountant="redirect"),
}
SCOPED_NO_ADD = {**SCOPED, "add": admin_answers(403, 403, superuser=403)}
READ_ONLY = {
    **SCOPED_NO_ADD,
    "delete": admin_answers(403, 403, superuser=403),
}
SUPERUSER_ONLY = {view: admin_answers(403, 403) for view in SCOPED}
# Counters and logs the portal keeps: a superuser reads them, nobody edits them.
SUPERUSER_READS = {
    **SUPERUSER_ONLY,
    "add": admin_answers(403, 403, superuser=403),
    "delete": admin_answers(403, 403, superuser=403),
}


ADMIN_VIEW_SUFFIXES = {
    "changelist": "",
    "add": "add/",
    "change": "{pk}/change/",
    "delete": "{pk}/delete/",
    "history": "{pk}/history/",
}
