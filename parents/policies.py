"""What a family may see and do. The school side of the same questions is schools.policies.

Only an active guardianship counts: a pending claim (made by a member of the school's staff) or
a suspended one (another guardian did not recognise the person) gives nothing.
"""

from __future__ import annotations

from django.db.models import Value

from parents.models import FamilyViewer, Guardianship, GuardianshipStatus
from schools import policies as school_policies
from schools.models import LEADER_ROLES, StaffMembership, StaffRole


def guardian_child_ids(user) -> frozenset[int]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_guardian_child_ids", None)
    if cached is None:
        # The children the person follows as a family viewer come with the same query: the menu and
        # the home page ask both on every page.
        cached, user._viewer_child_ids, _waiting, user._family_school_ids = _family_child_ids_cached(user)
        user._guardian_child_ids = cached
    return cached


def family_school_ids(user) -> frozenset[int] | None:
    """The schools of the children the person looks after or follows, when read with them (None when not
    known for this request)."""
    guardian_child_ids(user)
    return getattr(user, "_family_school_ids", None)


def waiting_child_ids(user) -> frozenset[int]:
    """The children of the person's claims waiting for confirmation and of their suspended links."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return _family_child_ids_cached(user)[2]


def _family_child_ids_cached(user) -> tuple[frozenset[int], frozenset[int], frozenset[int], frozenset[int]]:
    """Kept between requests, forgotten when the person's guardianships or follows change (parents/caching.py)."""
    from coordination.lib import percache
    from parents.caching import KIND

    return percache.remember(KIND, user.pk, lambda: _family_child_ids(user))


def forget_guardianships(user) -> None:
    from parents.caching import forget_family_of

    user.__dict__.pop("_guardian_child_ids", None)
    user.__dict__.pop("_guardian_children", None)
    user.__dict__.pop("_viewer_child_ids", None)
    user.__dict__.pop("_family_school_ids", None)
    forget_family_of([user.pk])


def remember_guardianships(user, child_ids) -> None:
    """Keep the person's children, read by a query that needed them anyway, for this request."""
    user._guardian_child_ids = frozenset(child_ids)


def is_guardian_of(user, child) -> bool:
    return child.pk in guardian_child_ids(user)


def is_guardian(user) -> bool:
    return bool(guardian_child_ids(user))


# --- Family viewers: read-only followers of a child (a grandparent, a relative abroad)


def _family_child_ids(user) -> tuple[frozenset[int], frozenset[int], frozenset[int], frozenset[int]]:
    """The children the person is an active guardian of, those they follow, those of their claims
    waiting for confirmation or suspended, and the schools of the first two (which send later queries
    of those children to their schools' shards), in one query."""
    guardianships = Guardianship.objects.filter(guardian=user).order_by()
    guardian = guardianships.filter(status=GuardianshipStatus.ACTIVE).values_list("child_id", "school_id", Value("g"))
    waiting = guardianships.filter(status__in=WAITING).values_list("child_id", "school_id", Value("w"))
    viewer = FamilyViewer.objects.current().filter(viewer=user).order_by()
    rows = list(guardian.union(viewer.values_list("child_id", "school_id", Value("v")), waiting, all=True))
    guardian_ids, viewer_ids, waiting_ids = (
        frozenset(child_id for child_id, _school_id, kind in rows if kind == wanted) for wanted in "gvw"
    )
    schools = frozenset(school_id for _child_id, school_id, kind in rows if kind in "gv")
    return guardian_ids, viewer_ids, waiting_ids, schools


# Guardianships the family page lists as waiting: a claim not yet confirmed, a link suspended.
WAITING = (GuardianshipStatus.PENDING, GuardianshipStatus.SUSPENDED)


def viewer_child_ids(user) -> frozenset[int]:
    """The children the person follows as an invited family viewer (accepted, not revoked)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_viewer_child_ids", None)
    if cached is None:
        cached = _family_child_ids_cached(user)[1]
        user._viewer_child_ids = cached
    return cached


def is_family_viewer_of(user, child) -> bool:
    return child.pk in viewer_child_ids(user)


def is_family_viewer(user) -> bool:
    return bool(viewer_child_ids(user))


def can_follow_child(user, child) -> bool:
    """The family's read-only view of a child (works, voice notes, approved answers, portfolio):
    its active guardians and the family viewers they invited. Not consents, pick-up, health or contacts."""
    return is_guardian_of(user, child) or is_family_viewer_of(user, child)


def can_see_family_viewers(user, child) -> bool:
    """Every active guardian of the child sees who follows them, and may revoke any of them."""
    return is_guardian_of(user, child)


def can_invite_family_viewers(user, child) -> bool:
    """An active guardian invites family members to follow the child, while the child attends the school."""
    return is_guardian_of(user, child) and child.left_on is None


def can_revoke_family_viewer(user, viewer: FamilyViewer) -> bool:
    """The child's active guardians, the viewer themselves (who stops following), and in the admin the
    school's leaders (or a superuser)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if viewer.viewer_id is not None and viewer.viewer_id == user.pk:
        return True
    if viewer.child_id in guardian_child_ids(user):
        return True
    return user.is_superuser or school_policies.is_leader_of(user, viewer.school_id)


def can_manage_pickup_persons(user, child) -> bool:
    """On the portal, only the child's (active) guardians decide who may collect the child, while
    the child attends the school."""
    return child.left_on is None and is_guardian_of(user, child)


def can_change_pickup_persons(user, child) -> bool:
    """Who may add or remove a pick-up person at all: an active guardian, or a leader of the
    school (or a superuser) in the admin, for a family without the portal. Either way the
    guardians are told."""
    if getattr(user, "is_superuser", False):
        return True
    return can_manage_pickup_persons(user, child) or school_policies.is_leader_of(user, child.school_id)


def can_record_consent(user, child) -> bool:
    """Consent is each (active) guardian's own decision; staff cannot give it for them."""
    return is_guardian_of(user, child)


# --- Confirming, questioning and deciding about a guardianship


def other_leaders_exist(guardianship: Guardianship) -> bool:
    """Whether the school has a leader besides the person the guardianship is for."""
    return (
        StaffMembership.objects.filter(school_id=guardianship.school_id, role__in=LEADER_ROLES, is_active=True)
        .exclude(user_id=guardianship.guardian_id)
        .exists()
    )


def can_decide_guardianship(user, guardianship: Guardianship, *, other_leaders: bool | None = None) -> bool:
    """Who confirms or refuses a staff member's claim, and restores or ends a suspended guardian.

    Never the person it is about. A leader (principal or vice-principal) of the child's school;
    where the school has no leader besides that person, another active member of its staff.
    A superuser may too, for a school that has nobody else. `other_leaders` spares the query
    when the caller knows it already.
    """
    if not getattr(user, "is_authenticated", False) or user.pk == guardianship.guardian_id:
        return False
    if user.is_superuser:
        return True
    role = school_policies.role_at(user, guardianship.school_id)
    if role is None or role == StaffRole.KITCHEN:  # the kitchen staff know nothing of the children's families
        return False
    if role in LEADER_ROLES:
        return True
    if other_leaders is None:
        other_leaders = other_leaders_exist(guardianship)
    return not other_leaders


def can_question_guardianship(user, guardianship: Guardianship) -> bool:
    """Another active guardian of the same child may say they do not know the person."""
    return (
        guardianship.guardian_id != getattr(user, "pk", None)
        and guardianship.status in (GuardianshipStatus.ACTIVE, GuardianshipStatus.SUSPENDED)
        and guardianship.child_id in guardian_child_ids(user)
    )


def has_verified_contact(user) -> bool:
    from allauth.account.models import EmailAddress

    return bool(user.phone_verified) or EmailAddress.objects.filter(user=user, verified=True).exists()


def can_claim_children(user) -> bool:
    """Only someone whose e-mail or phone is verified may become a child's guardian."""
    return getattr(user, "is_authenticated", False) and has_verified_contact(user)


# --- The parents' representative board ----------------------------------------------------------


def board_school_ids(user) -> frozenset[int]:
    """The schools whose parents' board the person sits on this school year, while a guardian of a child
    there (one query, kept for the request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_board_school_ids", None)
    if cached is None:
        from django.db.models import Exists, OuterRef

        from parents.models import BoardMember

        # A seat counts while its holder is still an active guardian of a child at the school.
        still_a_family = Guardianship.objects.active().filter(
            guardian=user, child__school_id=OuterRef("school_id"), child__left_on__isnull=True
        )
        seats = BoardMember.objects.filter(Exists(still_a_family), guardian=user, school_year__is_current=True)
        cached = frozenset(seats.values_list("school_id", flat=True))
        user._board_school_ids = cached
    return cached


def is_board_member(user, school) -> bool:
    """On the school's parents' representative board for the current school year."""
    return getattr(school, "pk", school) in board_school_ids(user)
