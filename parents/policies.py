"""What a family may see and do. The school side of the same questions is schools.policies."""

from __future__ import annotations

from parents.models import Guardianship


def guardian_child_ids(user) -> frozenset[int]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_guardian_child_ids", None)
    if cached is None:
        cached = frozenset(Guardianship.objects.filter(guardian=user).values_list("child_id", flat=True))
        user._guardian_child_ids = cached
    return cached


def forget_guardianships(user) -> None:
    user.__dict__.pop("_guardian_child_ids", None)


def remember_guardianships(user, child_ids) -> None:
    """Keep the person's children, read by a query that needed them anyway, for this request."""
    user._guardian_child_ids = frozenset(child_ids)


def is_guardian_of(user, child) -> bool:
    return child.pk in guardian_child_ids(user)


def is_guardian(user) -> bool:
    return bool(guardian_child_ids(user))


def can_manage_pickup_persons(user, child) -> bool:
    """Only the child's guardians decide who may collect the child."""
    return is_guardian_of(user, child)


def can_record_consent(user, child) -> bool:
    """Consent is each guardian's own decision; staff cannot give it for them."""
    return is_guardian_of(user, child)


def has_verified_contact(user) -> bool:
    from allauth.account.models import EmailAddress

    return bool(user.phone_verified) or EmailAddress.objects.filter(user=user, verified=True).exists()


def can_claim_children(user) -> bool:
    """Only someone whose e-mail or phone is verified may become a child's guardian."""
    return getattr(user, "is_authenticated", False) and has_verified_contact(user)
