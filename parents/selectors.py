"""Reads for families: consent, invitations, guardianships waiting for a decision, and family viewers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from parents.consent_texts import CONSENT_TEXTS
from parents.models import (
    ASKED_PURPOSES,
    ConsentRecord,
    FamilyViewer,
    Guardianship,
    GuardianshipStatus,
    InvitationCode,
)
from parents.policies import (
    WAITING,
    can_decide_guardianship,
    can_question_guardianship,
    can_see_family_viewers,
    guardian_child_ids,
    viewer_child_ids,
    waiting_child_ids,
)
from schools import policies as school_policies
from schools.models import LEADER_ROLES, Child, School, StaffMembership

Status = GuardianshipStatus
AWAITING = WAITING


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
    records = ConsentRecord.objects.filter(school_id=child.school_id, guardian=guardian, child=child)
    for record in records.order_by("-recorded_at", "-pk"):
        latest.setdefault(record.purpose, record)
    return [
        ConsentState(
            purpose=purpose,
            label=label,
            text=str(CONSENT_TEXTS[purpose][1]),
            text_version=CONSENT_TEXTS[purpose][0],
            latest=latest.get(purpose),
        )
        for purpose, label in ((purpose, purpose.label) for purpose in ASKED_PURPOSES)
    ]


def consent_history(*, child: Child, guardian=None) -> list[ConsentRecord]:
    records = ConsentRecord.objects.filter(school_id=child.school_id, child=child).select_related("guardian")
    if guardian is not None:
        records = records.filter(guardian=guardian)
    return list(records.order_by("-recorded_at", "-pk"))


def child_consent_granted(*, child: Child, purpose: str) -> bool:
    """Whether the school may use the child's data for a purpose.

    At least one guardian must have said yes, and no guardian's latest word may
    be a withdrawal: one parent's no outweighs the other's yes.
    """
    return child.pk in consent_granted_child_ids(child_ids=[child.pk], purpose=purpose)


def consent_granted_child_ids(*, child_ids, purpose: str, school_ids=None) -> set[int]:
    """Of these children, those for whom the purpose is consented to (the rule above), in one query;
    give the children's schools to send it to their shards only."""
    child_ids = list(child_ids)
    if not child_ids:
        return set()
    latest: dict[tuple[int, int], bool] = {}
    records = ConsentRecord.objects.filter(child_id__in=child_ids, purpose=purpose)
    if school_ids is not None:
        records = records.filter(school_id__in=school_ids)
    records = records.order_by("-recorded_at", "-pk").values_list("child_id", "guardian_id", "granted")
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
    if not waiting_child_ids(user):  # known without a query (parents.policies)
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


# --- Family viewers

ENDED_SHOWN = 10


@dataclass
class ChildViewers:
    """Who follows a child, the invitations still open, and the latest ended ones (revoked or expired)."""

    current: list[FamilyViewer]
    open: list[FamilyViewer]
    ended: list[FamilyViewer]


def family_viewers_of(*, user, child: Child) -> ChildViewers:
    """For the child's guardians only (404 for anyone else): one query whatever the number of rows."""
    if not can_see_family_viewers(user, child):
        raise Http404
    rows = list(
        FamilyViewer.objects.filter(child=child)
        .select_related("viewer", "invited_by", "revoked_by")
        .order_by("-invited_at", "-pk")
    )
    by_status: dict[str, list[FamilyViewer]] = {status: [] for status in FamilyViewer.Status.values}
    for row in rows:
        by_status[row.status].append(row)
    ended = sorted(
        by_status[FamilyViewer.Status.REVOKED] + by_status[FamilyViewer.Status.EXPIRED],
        key=lambda row: row.revoked_at or row.expires_at,
        reverse=True,
    )
    return ChildViewers(
        current=by_status[FamilyViewer.Status.FOLLOWING],
        open=by_status[FamilyViewer.Status.OPEN],
        ended=ended[:ENDED_SHOWN],
    )


def viewer_names_by_child(*, child_ids, school_ids=None) -> dict[int, list[FamilyViewer]]:
    """The current viewers of each of these children (for their guardians' cards), in one query; give
    the children's schools to send it to their shards only."""
    found: dict[int, list[FamilyViewer]] = {}
    if not child_ids:
        return found
    rows = FamilyViewer.objects.current().filter(child_id__in=child_ids)
    if school_ids is not None:
        rows = rows.filter(school_id__in=school_ids)
    for row in rows.order_by("accepted_at", "pk"):
        found.setdefault(row.child_id, []).append(row)
    return found


def children_followed_by(*, user) -> list[FamilyViewer]:
    """The children the person follows as a family viewer (not those they are a guardian of), each with
    the invitation it came from: one query."""
    if not viewer_child_ids(user):  # known without a query (parents.policies)
        return []
    return [
        row
        for row in FamilyViewer.objects.current()
        .filter(viewer=user)
        .select_related("child", "invited_by")
        .order_by("child__date_of_birth", "pk")
        if row.child_id not in guardian_child_ids(user)
    ]


def family_viewer_for_revoking(*, user, viewer_id: int) -> FamilyViewer:
    """A viewer (or open invitation) of one of the person's children, or the person's own following;
    404 for anyone else. (A school's leaders revoke from the admin.)"""
    viewer = FamilyViewer.objects.select_related("child").filter(pk=viewer_id).first()
    if viewer is None:
        raise Http404
    own = viewer.viewer_id is not None and viewer.viewer_id == getattr(user, "pk", None)
    if not (own or can_see_family_viewers(user, viewer.child)):
        raise Http404
    return viewer


def family_viewer_by_token(*, token: str) -> FamilyViewer | None:
    return FamilyViewer.objects.select_related("child__school", "invited_by").filter(token=token).first()
