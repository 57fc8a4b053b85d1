"""The accounts linked to a school: the only accounts a school's forms may name.

A leader choosing a person in the admin (a staff member, who added a pick-up person, ...) picks
from the people the school already knows, never from every account on the platform. The school
knows its staff, the guardians of its children and the family viewers the guardians invited;
features add theirs (a school's donors) by registering a source in their `AppConfig.ready()`:

    from schools import linked_accounts

    linked_accounts.register("donors", lambda school_ids: Contribution.objects.filter(
        school__in=school_ids).values("donor_id"))

A source takes the ids of the schools and answers a queryset of user ids (one column). Removing
an app removes its source.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

AccountSource = Callable[[Collection[int]], QuerySet]

_sources: dict[str, AccountSource] = {}


def register(name: str, source: AccountSource) -> AccountSource:
    """Add (or replace, under the same name) a kind of account linked to a school."""
    _sources[name] = source
    return source


def sources() -> dict[str, AccountSource]:
    return dict(_sources)


def linked_accounts(*, school_ids: Collection[int]) -> QuerySet:
    """The active accounts that at least one source links to one of these schools."""
    user_model = get_user_model()
    school_ids = list(school_ids)
    if not school_ids or not _sources:
        return user_model.objects.none()
    linked = Q()
    for source in _sources.values():
        linked |= Q(pk__in=source(school_ids))
    return user_model.objects.filter(linked, is_active=True)


def _staff(school_ids: Collection[int]) -> QuerySet:
    from schools.models import StaffMembership

    return StaffMembership.objects.filter(school__in=school_ids, is_active=True).values("user_id")


def _guardians(school_ids: Collection[int]) -> QuerySet:
    # Active guardians of the children still at the school: a family whose child has left is no longer
    # linked, nor is a claim waiting for confirmation or a suspended guardian.
    from parents.models import Guardianship

    active = Guardianship.objects.active()
    return active.filter(school__in=school_ids, child__left_on__isnull=True).values("guardian_id")


def _family_viewers(school_ids: Collection[int]) -> QuerySet:
    # The family members who follow a child still at the school (accepted, not revoked).
    from parents.models import FamilyViewer

    return FamilyViewer.objects.current().filter(school__in=school_ids, child__left_on__isnull=True).values("viewer_id")


register("staff", _staff)
register("guardians", _guardians)
register("family_viewers", _family_viewers)
