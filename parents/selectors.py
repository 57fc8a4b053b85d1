"""Reads for families: consent, invitations, and guardianships waiting for a decision."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from parents.consent_texts import CONSENT_TEXTS
from parents.models import ConsentPurpose, ConsentRecord, Guardianship, GuardianshipStatus, InvitationCode
from parents.policies import can_decide_guardianship, can_question_guardianship
from schools import policies as school_policies
from schools.models import LEADER_ROLES, Child, School, StaffMembership

Status = GuardianshipStatus
AWAITING = (Status.PENDING, Status.SUSPENDED)


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
    return child.pk in consent_granted_child_ids(child_ids=[child.pk], purpose=purpose)


def consent_granted_child_ids(*, child_ids, purpose: str) -> set[int]:
    """Of these children, those for whom the purpose is consented to (the rule above), in one query."""
    child_ids = list(child_ids)
    if not child_ids:
        return set()
    latest: dict[tuple[int, int], bool] = {}
    records = (
        ConsentRecord.objects.filter(child_id__in=child_ids, purpose=purpose)
        .order_by("-recorded_at", "-pk")
        .values_list("child_id", "guardian_id", "granted")
    )
    for child_id, guardian_id, granted in records:
        latest.setdefault((child_id, guardian_id), granted)
    verdict: dict[int, bool] = {}
    for (child_id, _guardian_id), granted in latest.items():
        verdict[child_id] = verdict.get(child_id, True) and granted
    return {child_id for child_id, granted in verdict.items() if granted}


def invitations_for_child(*, child: Child) -> list[InvitationCode]:
    return list(InvitationCode.objects.filter(child=child).select_related("claimed_by").order_by("-created_at"))


# --- Guardianships waiting for someone's decision


def _with_people(queryset):
    return queryset.select_related("child__classroom", "guardian", "disputed_by", "confirmed_by", "decided_by")


@dataclass
class GuardianshipsToDecide:
    awaiting: list[Guardianship]
    recent: list[Guardianship]


RECENT = 20


def guardianships_to_decide(*, user, school: School) -> GuardianshipsToDecide:
    """The school's claims waiting for confirmation and its suspended guardians that this person may
    decide about, and (for leaders) the latest decisions. 404 for someone who may decide nothing.

    A leader sees all but their own; another member of the staff only those about the school's
    only leader. Four queries at most, whatever the number of rows.
    """
    leader = school_policies.is_leader_of(user, school) or getattr(user, "is_superuser", False)
    if not leader and not school_policies.is_staff_of(user, school):
        raise Http404
    leaders = set(
        StaffMembership.objects.filter(school=school, role__in=LEADER_ROLES, is_active=True).values_list(
            "user_id", flat=True
        )
    )
    rows = _with_people(Guardianship.objects.filter(school=school, status__in=AWAITING)).order_by("created_at", "pk")
    awaiting = [g for g in rows if can_decide_guardianship(user, g, other_leaders=bool(leaders - {g.guardian_id}))]
    if not leader:
        if not awaiting:
            raise Http404
        return GuardianshipsToDecide(awaiting=awaiting, recent=[])
    decided = Q(confirmed_at__isnull=False) | Q(decided_at__isnull=False)
    recent = list(
        _with_people(Guardianship.objects.filter(decided, school=school)).order_by("-created_at", "-pk")[:RECENT]
    )
    return GuardianshipsToDecide(awaiting=awaiting, recent=recent)


def guardianships_awaiting_count(*, school: School) -> int:
    return Guardianship.objects.filter(school=school, status__in=AWAITING).count()


def guardianships_waiting_of(*, user) -> list[Guardianship]:
    """The person's own claims waiting for confirmation and links suspended, for their family page."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Guardianship.objects.filter(guardian=user, status__in=AWAITING)
        .select_related("child")
        .order_by("created_at", "pk")
    )


def guardianship_for_check(*, user, guardianship_id: int) -> Guardianship:
    """A guardianship of one of the person's children, for them to say whether they know the person."""
    guardianship = Guardianship.objects.select_related("child__school", "guardian").filter(pk=guardianship_id).first()
    if guardianship is None or not can_question_guardianship(user, guardianship):
        raise Http404
    return guardianship
