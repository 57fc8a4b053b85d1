"""Who may view a file: its uploader, and whoever an app that uses the file says.

Each app that attaches media to its objects registers a resolver in its
`AppConfig.ready()`:

    from mediafiles import access
    access.register(activity_media_viewer)   # (user, media) -> bool

A resolver answers for the files that belong to its app and False for every
other file; it must be cheap (one query at most). Everything that no resolver
grants is refused.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

Resolver = Callable[[object, object], bool]
_resolvers: list[Resolver] = []


def register(resolver: Resolver) -> Resolver:
    """Add a resolver (once, however often the app is readied); usable as a decorator."""
    if resolver not in _resolvers:
        _resolvers.append(resolver)
    return resolver


def unregister(resolver: Resolver) -> None:
    if resolver in _resolvers:
        _resolvers.remove(resolver)


def can_view_media(user, media) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if media.uploaded_by_id is not None and media.uploaded_by_id == user.pk:
        return True
    from mediafiles.models import State

    # Processing files are asked too, so that the download says "being prepared"
    # to those who will see them; nothing of an unfinished or failed file is anyone's.
    if media.state not in (State.READY, State.PROCESSING):
        return False
    return any(resolver(user, media) for resolver in list(_resolvers))


# --- Files the school's leaders do not see in the admin
#
# Some files belong to a school but are not the school's to look at: the photo of a concern a family
# sent straight to the authority, or of an item sent anonymously (the file's uploader would name the
# sender). The app that attaches them registers a query that answers their ids; the media admin leaves
# them out for everyone but superusers.

WithheldQuery = Callable[[], object]  # () -> a queryset of one column: MediaFile ids
_withheld: list[WithheldQuery] = []


def register_withheld(query: WithheldQuery) -> WithheldQuery:
    if query not in _withheld:
        _withheld.append(query)
    return query


def withheld_queries() -> list[WithheldQuery]:
    return list(_withheld)
