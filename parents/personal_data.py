"""What the parents' app holds: who looks after each child, their consents, invitations, followers and board seats."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import admin_log_scrub
from coordination.lib import fragments
from parents.caching import forget_family_of
from parents.models import BoardMember, ConsentRecord, FamilyViewer, Guardianship, GuardianshipStatus, InvitationCode

DECLARATIONS = [
    {
        "model": "parents.Guardianship",
        "holds": _("Who looks after each child, their relationship to the child, and who confirmed it"),
        "purpose": _("To show a child's data only to the people who look after the child"),
        "ground": "contract",
        "recipients": [_("the school's staff"), _("the child's other guardians")],
        "retention": _("While your child attends the school; when your data is erased the link ends and keeps no name"),
        "child": "child",
        "people": ("guardian",),
        "actors": ("confirmed_by", "disputed_by", "decided_by"),
        "erase": "custom",
    },
    {
        "model": "parents.InvitationCode",
        "holds": _("The codes on the school's letters, who made them, who used them and when"),
        "purpose": _("To let only the child's family join the child on the portal"),
        "ground": "contract",
        "recipients": [_("the school's staff")],
        "retention": _("The code itself is removed some time after it expires; who made and used it is kept"),
        "child": "child",
        "people": ("claimed_by",),
        "actors": ("created_by",),
        "erase": "anonymise",
        "exclude": ("code",),
    },
    {
        "model": "parents.ConsentRecord",
        "holds": _("Each guardian's decisions about photos, voice recordings and sharing, with the text agreed to"),
        "purpose": _("To use your child's photos and records only as the guardians decided"),
        "ground": "consent",
        "recipients": [_("the school's staff")],
        "retention": _(
            "Until your child's data is erased; a withdrawal stays in force, without your name, when your own "
            "data is erased"
        ),
        "child": "child",
        "people": ("guardian",),
        "erase": "custom",
    },
    {
        "model": "parents.FamilyViewer",
        "holds": _("The family members a guardian invited to follow a child: name, relationship, where it was sent"),
        "purpose": _("To let relatives follow the child's works and portfolio, as the guardians decided"),
        "ground": "consent",
        "recipients": [_("the child's guardians")],
        "retention": _("Until a guardian or the relative ends it, or the child's or the relative's data is erased"),
        "child": "child",
        "people": ("viewer",),
        "actors": ("invited_by", "revoked_by"),
        "erase": "custom",
        "exclude": ("token",),
    },
    {
        "model": "parents.BoardMember",
        "holds": _("The guardians on the parents' representative board and their role"),
        "purpose": _("To let the board follow the school's sponsorship campaigns on the families' behalf"),
        "ground": "public_task",
        "recipients": [_("the school's staff"), _("the families of the school")],
        "retention": _("For the school year, and until the member's data is erased"),
        "people": ("guardian",),
        "actors": ("appointed_by",),
        "erase": "custom",
    },
]


def _scrub_and_delete(model, queryset) -> dict[str, int]:
    ids = list(queryset.values_list("pk", flat=True))
    counts = {"admin.LogEntry": admin_log_scrub(model=model, object_ids=ids, placeholder="—")}
    counts[model._meta.label] = model._default_manager.filter(pk__in=ids).delete()[0] if ids else 0
    return counts


def _merge(*parts: dict[str, int]) -> dict[str, int]:
    total: dict[str, int] = {}
    for part in parts:
        for key, value in part.items():
            total[key] = total.get(key, 0) + value
    return total


def erase_child(child, *, now) -> dict[str, int]:
    """Everything about who looks after the child, their consents and invitations: nothing depends on them now."""
    return _merge(
        _scrub_and_delete(FamilyViewer, FamilyViewer.objects.filter(child=child)),
        _scrub_and_delete(InvitationCode, InvitationCode.objects.filter(child=child)),
        _scrub_and_delete(ConsentRecord, ConsentRecord.objects.filter(child=child)),
        _scrub_and_delete(Guardianship, Guardianship.objects.filter(child=child)),
    )


def _consents_erase(user) -> int:
    """A guardian's standing withdrawals stay in force; their grants, and what later words overrode, go."""
    keep = set()
    seen = set()
    for pk, child_id, purpose, granted in (
        ConsentRecord.objects.filter(guardian=user)
        .order_by("child_id", "purpose", "-recorded_at", "-pk")
        .values_list("pk", "child_id", "purpose", "granted")
    ):
        if (child_id, purpose) in seen:
            continue
        seen.add((child_id, purpose))
        if not granted:
            keep.add(pk)
    return ConsentRecord.objects.filter(guardian=user).exclude(pk__in=keep).delete()[0]


def _guardianships_end(user, *, now) -> int:
    """Ended, not deleted: the school's record of decisions about the child stays whole, without a name."""
    rows = list(Guardianship.objects.select_for_update().filter(guardian=user).exclude(status=GuardianshipStatus.ENDED))
    primary_of = [row.child_id for row in rows if row.is_primary]
    Guardianship.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=GuardianshipStatus.ENDED, is_primary=False, decided_by=None, decided_at=now
    )
    forget_family_of([user.pk])  # update() sends no signal (parents/caching.py)
    fragments.schools_changed(row.school_id for row in rows)
    # The child's earliest remaining guardian becomes the school's first contact.
    for child_id in primary_of:
        remaining = Guardianship.objects.active().filter(child_id=child_id)
        if not remaining.filter(is_primary=True).exists():
            successor = remaining.order_by("created_at", "pk").first()
            if successor is not None:
                Guardianship.objects.filter(pk=successor.pk).update(is_primary=True)
    return len(rows)


def erase_person(user, *, now) -> dict[str, int]:
    """End the person's links to children, keep their standing withdrawals, remove the rest of their own data."""
    guardianship_ids = Guardianship.objects.filter(guardian=user).values_list("pk", flat=True)
    return _merge(
        {"admin.LogEntry": admin_log_scrub(model=Guardianship, object_ids=list(guardianship_ids), placeholder="—")},
        {"parents.Guardianship": _guardianships_end(user, now=now)},
        {"parents.ConsentRecord": _consents_erase(user)},
        _scrub_and_delete(FamilyViewer, FamilyViewer.objects.filter(Q(viewer=user))),
        _scrub_and_delete(BoardMember, BoardMember.objects.filter(guardian=user)),
    )


def invitation_codes_purge(*, school, cutoff, now) -> int:
    """Empty the codes that stopped working before the cutoff; who made and who used them stays."""
    stopped = Q(expires_at__lt=cutoff) | Q(claimed_at__lt=cutoff) | Q(revoked_at__lt=cutoff)
    return InvitationCode.objects.filter(stopped, school=school, code__isnull=False).update(code=None)


RETENTION = [
    {
        "key": "parents.invitation_codes",
        "label": _("Codes on the school's invitation letters, once they no longer work"),
        "days": 90,
        "purge": invitation_codes_purge,
    },
]
