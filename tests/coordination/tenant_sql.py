"""Reading captured SQL the way Citus would route it: does a query of school data name its school?

Under Citus (docs/scaling.md) a query that filters a distributed table by `school_id` goes to the one
shard that holds the school; any other query of a distributed table goes to every shard. That is
fine for a short list of lookups that cannot know the school beforehand (ALLOWED_LOOKUPS: by the
person, or by an unguessable token or code) and for the officers' dashboards, which read many schools
on purpose; everything else must name the school.

It reads the SQL the ORM writes (quoted table names, `U0`/`T3` aliases). A statement written by hand
with unquoted table names, such as the roles query of schools.policies (a lookup by the person), is
not read at all: keep such statements few, and filter them by school_id or by the person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# table -> the columns a query may look it up by without naming the school, and why.
ALLOWED_LOOKUPS: dict[str, dict[str, str]] = {
    # A person's roles, guardianships and viewer links: what the portal shows depends on them.
    "schools_staffmembership": {"user_id": "a person's roles"},
    "parents_guardianship": {"guardian_id": "a person's guardianships"},
    "parents_familyviewer": {"viewer_id": "the children a family viewer follows", "token": "viewer invitations"},
    "parents_boardmember": {"guardian_id": "a person's seats on parents' boards"},
    "donations_donor": {"user_id": "the donor records of an account"},
    "donations_teammember": {"user_id": "a person's seats on sponsorship teams"},
    # A person's own items, listed by the person: they outlive the link to the school they were sent
    # under (a suspended guardian still reads their feedback; an erasure request ends with the links
    # gone), so the person's schools cannot name them. Each row still carries its school_id.
    "feedback_feedbackitem": {"sender_id": "the feedback a person sent"},
    "privacy_privacyrequest": {"requester_id": "a person's data-subject requests"},
    # Unguessable tokens and codes, typed or followed from a link.
    "parents_invitationcode": {"code": "invitation codes"},
    "portfolio_work": {"token": "work pages"},
    "portfolio_revokedtoken": {"token": "work pages"},
    "donations_donorinvitation": {"token": "donor invitations"},
    "privacy_export": {"token": "export links"},
}

_TABLES = re.compile(r'\b(?:FROM|JOIN|UPDATE|INTO)\s+"(\w+)"(?:\s+(?:AS\s+)?"?([A-Z]\d+)\b"?)?', re.IGNORECASE)
_VALUE = r"(?:%s|\$\d+|'[^']*'|-?\d+)"


def _filters(sql: str, names: set[str], column: str) -> bool:
    """Whether the statement compares `column` of one of the tables `names` (or their aliases) with a value."""
    qualifier = "|".join(re.escape(f'"{name}"') + "|" + re.escape(name) for name in sorted(names))
    pattern = rf'(?:{qualifier})\."{re.escape(column)}"\s*(?:=\s*{_VALUE}|IN\s*\(\s*{_VALUE}|=\s*ANY\()'
    return re.search(pattern, sql, re.IGNORECASE) is not None


@dataclass(frozen=True)
class Verdict:
    tables: frozenset[str]  # the distributed tables the statement reads or changes
    routed: bool  # filters one of them by school_id
    allowed: str | None  # the allowed lookup it makes instead, if any

    @property
    def ok(self) -> bool:
        return not self.tables or self.routed or self.allowed is not None


def judge(sql: str, distributed: set[str]) -> Verdict:
    """How Citus would route one statement. INSERTs carry their school_id, so only reads, updates and
    deletes are judged."""
    words = sql.split(None, 1)
    if not words or words[0].upper() not in ("SELECT", "UPDATE", "DELETE", "WITH"):
        return Verdict(frozenset(), True, None)
    names: dict[str, set[str]] = {}
    for table, alias in _TABLES.findall(sql):
        names.setdefault(table, {table}).update({alias} if alias else set())
    tables = frozenset(t for t in names if t in distributed)
    if not tables:
        return Verdict(tables, True, None)
    if _filters(sql, set().union(*(names[t] for t in tables)), "school_id"):
        return Verdict(tables, True, None)
    for table, aliases in names.items():
        for column, why in ALLOWED_LOOKUPS.get(table, {}).items():
            if _filters(sql, aliases, column):
                return Verdict(tables, False, why)
    return Verdict(tables, False, None)
