"""Reads for families: consent and invitations."""

from __future__ import annotations

from dataclasses import dataclass

from parents.consent_texts import CONSENT_TEXTS
from parents.models import ConsentPurpose, ConsentRecord, InvitationCode
from schools.models import Child


@dataclass
class ConsentState:
    purpose: str
    label: str
    text: str
    text_version: str
    latest: ConsentRecord | None

    @property
    def granted(self) -> bool:
        # Silence is not consent: no record means no.
        return bool(self.latest and self.latest.granted)

    @property
    def outdated(self) -> bool:
        return bool(self.latest and self.latest.granted and self.latest.text_version != self.text_version)


def consent_states(*, guardian, child: Child) -> list[ConsentState]:
    """This guardian's current decision for each purpose, with the text in force."""
    latest: dict[str, ConsentRecord] = {}
    for record in ConsentRecord.objects.filter(guardian=guardian, child=child).order_by("-recorded_at", "-pk"):
        latest.setdefault(record.purpose, record)
    return [
        ConsentState(
            purpose=purpose,
            label=label,
            text=str(CONSENT_TEXTS[purpose][1]),
            text_version=CONSENT_TEXTS[purpose][0],
            latest=latest.get(purpose),
        )
        for purpose, label in ConsentPurpose.choices
    ]


def consent_history(*, child: Child, guardian=None) -> list[ConsentRecord]:
    records = ConsentRecord.objects.filter(child=child).select_related("guardian")
    if guardian is not None:
        records = records.filter(guardian=guardian)
    return list(records.order_by("-recorded_at", "-pk"))


def child_consent_granted(*, child: Child, purpose: str) -> bool:
    """Whether the school may use the child's data for a purpose.

    At least one guardian must have said yes, and no guardian's latest word may
    be a withdrawal: one parent's no outweighs the other's yes.
    """
    latest: dict[int, bool] = {}
    for guardian_id, granted in (
        ConsentRecord.objects.filter(child=child, purpose=purpose)
        .order_by("-recorded_at", "-pk")
        .values_list("guardian_id", "granted")
    ):
        latest.setdefault(guardian_id, granted)
    return bool(latest) and all(latest.values())


def invitations_for_child(*, child: Child) -> list[InvitationCode]:
    return list(InvitationCode.objects.filter(child=child).select_related("claimed_by").order_by("-created_at"))
