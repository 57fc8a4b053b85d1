"""Which files are in use. Each app that attaches media says where, in its `AppConfig.ready()`:

    from mediafiles import usage
    usage.register(Activity, "video")        # a ForeignKey or OneToOneField to MediaFile,
    usage.register(ActivityPhoto, "media")   # or a field that holds a file's id
    usage.register_query(portfolio_media_in_use)   # (ids) -> the ids among them in use, for anything else

A file that no registered use names, and that has not changed for
MEDIA_UNUSED_HOURS, is deleted by the daily cleanup (`services.media_unused_delete`),
row and stored files together: an upload never attached, the file of a deleted
answer or activity, a video replaced by another. A foreign key to MediaFile that
no app registered still counts as a use (and `manage.py check` names it,
mediafiles.W002): a forgotten registration keeps files, it never loses one.

Attaching and the cleanup never cross. Attach a file inside a transaction that
first locked it with `services.media_lock_for_attaching`; the cleanup takes the
same lock and asks the uses only once it holds it. Either the attachment
committed first and the cleanup sees it, or the cleanup deleted the file first
and the attachment finds no file ("upload it again"). A foreign key gives the
same guarantee by itself on PostgreSQL (the insert locks the file's row).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

Query = Callable[[Collection], Iterable]


@dataclass(frozen=True)
class FieldUse:
    """A model field that holds a file (a foreign key) or a file's id."""

    model: type
    field: str

    def in_use(self, ids: Collection) -> set:
        field = self.model._meta.get_field(self.field)
        column = field.attname
        # The base manager: rows that a default manager hides (archived, say) still use their files.
        rows = self.model._base_manager.filter(**{f"{column}__in": list(ids)})
        return set(rows.values_list(column, flat=True).distinct())


@dataclass(frozen=True)
class QueryUse:
    query: Query

    def in_use(self, ids: Collection) -> set:
        return set(self.query(list(ids)))


_uses: list[FieldUse | QueryUse] = []


def register(model: type, field: str) -> None:
    """Files named by `model.field` are in use (once, however often the app is readied)."""
    use = FieldUse(model, field)
    if use not in _uses:
        _uses.append(use)


def register_query(query: Query) -> Query:
    """`query(ids)` returns those of the given file ids that are in use; usable as a decorator."""
    use = QueryUse(query)
    if use not in _uses:
        _uses.append(use)
    return query


def unregister_query(query: Query) -> None:
    use = QueryUse(query)
    if use in _uses:
        _uses.remove(use)


def unregistered_foreign_keys() -> list[FieldUse]:
    """Foreign keys to MediaFile that no app registered."""
    from mediafiles.models import MediaFile

    found = []
    for relation in MediaFile._meta.related_objects:
        if not (relation.many_to_one or relation.one_to_one) or relation.related_model is None:
            continue
        use = FieldUse(relation.related_model, relation.field.name)
        if use not in _uses:
            found.append(use)
    return found


def all_uses() -> list[FieldUse | QueryUse]:
    return [*_uses, *unregistered_foreign_keys()]


def in_use(ids: Collection) -> set:
    """Those of the given file ids that something uses (compared as text: a use may keep ids in a text field)."""
    ids = list(ids)
    used: set[str] = set()
    for use in all_uses():
        remaining = [pk for pk in ids if str(pk) not in used]
        if not remaining:
            break
        used |= {str(pk) for pk in use.in_use(remaining)}
    return {pk for pk in ids if str(pk) in used}
