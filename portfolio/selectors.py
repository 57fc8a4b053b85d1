"""Reads of children's works."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from mediafiles.models import MediaFile, State
from parents.models import ConsentPurpose, ConsentRecord
from portfolio.models import Work, WorkPhoto
from schools.models import Child, Classroom, School

PHOTOS = ConsentPurpose.PORTFOLIO_PHOTOS
VOICE = ConsentPurpose.VOICE_RECORDINGS


def work_of_media(*, media) -> tuple[Work, bool] | None:
    """The work a file belongs to, as a photo or as its voice note (True), in one query; None for other files."""
    work = (
        Work.objects.filter(Q(photos__media_id=media.pk) | Q(voice_id=media.pk)).select_related("child__school").first()
    )
    if work is None:
        return None
    return work, work.voice_id == media.pk


def work_is_ready(work: Work, photos) -> bool:
    """Whether the work's page shows it whole: its QR images are made and its files are processed.

    `photos` are the work's WorkPhoto rows with their media (already read)."""
    if not work.qr_ready:
        return False
    if any(photo.media.state != State.READY for photo in photos):
        return False
    return work.voice is None or work.voice.state == State.READY


# --- The work's page (/w/<token>) -----------------------------------------------------------------

# Earlier works of the child in the same domain shown under a work.
EARLIER_WORKS = 4


def _consent_sql(alias: str) -> str:
    """Whether the guardians' consent to a purpose (the next parameter) stands for `alias`'s child.

    The rule of parents.selectors.consent_granted_child_ids (at least one guardian said yes, and no
    guardian's latest word is a withdrawal), as SQL, so that the page reads it with the work instead
    of in queries of its own (tests/portfolio/test_consent.py holds the two equal)."""
    table = ConsentRecord._meta.db_table
    # Table names from the models; the values are parameters.
    return (
        f"(EXISTS (SELECT 1 FROM {table} k WHERE k.child_id = {alias}.child_id AND k.purpose = %s AND k.granted)"  # noqa: S608
        f" AND NOT EXISTS (SELECT 1 FROM {table} k WHERE k.child_id = {alias}.child_id AND k.purpose = %s"
        " AND NOT k.granted AND NOT EXISTS ("
        f"SELECT 1 FROM {table} l WHERE l.child_id = k.child_id AND l.guardian_id = k.guardian_id"
        " AND l.purpose = k.purpose"
        " AND (l.recorded_at > k.recorded_at OR (l.recorded_at = k.recorded_at AND l.id > k.id)))))"
    )


def _columns(model, alias: str) -> tuple[list[str], str]:
    fields = [f.attname for f in model._meta.concrete_fields]
    return fields, ", ".join(f'{alias}."{f.column}"' for f in model._meta.concrete_fields)


@functools.cache
def _lookup_sql() -> tuple[str, dict]:
    """The lookup's SQL, built once from the models' tables and columns."""
    from portfolio.models import RevokedToken, WorkOpen

    parts = {
        "work": (Work, "w"),
        "child": (Child, "c"),
        "school": (School, "s"),
        "classroom": (Classroom, "r"),
        "voice": (MediaFile, "v"),
    }
    fields, selects = {}, []
    for name, (model, alias) in parts.items():
        fields[name], columns = _columns(model, alias)
        selects.append(columns)
    work_table = Work._meta.db_table
    # Table and column names from the models; the values are parameters.
    sql = (
        f"SELECT {', '.join(selects)}, w.token = %s,"  # noqa: S608
        f" EXISTS (SELECT 1 FROM {WorkOpen._meta.db_table} o WHERE o.work_id = w.id AND o.user_id = %s),"
        f" {_consent_sql('w')}, {_consent_sql('w')},"
        # Marks of what the page shows beside the work's own row: its photos, and the child's works
        # in the domain (added, removed, moved). The page's cached content is keyed by them.
        f" (SELECT COUNT(*) || ':' || COALESCE(MAX(p.id), 0) FROM {WorkPhoto._meta.db_table} p"
        " WHERE p.work_id = w.id),"
        f" (SELECT COUNT(*) || ':' || COALESCE(MAX(e.id), 0) FROM {work_table} e"
        " WHERE e.child_id = w.child_id AND e.domain = w.domain)"
        f" FROM {work_table} w"
        f" JOIN {Child._meta.db_table} c ON c.id = w.child_id"
        f" JOIN {School._meta.db_table} s ON s.id = c.school_id"
        f" JOIN {Classroom._meta.db_table} r ON r.id = w.classroom_id"
        f" LEFT JOIN {MediaFile._meta.db_table} v ON v.id = w.voice_id"
        f" WHERE w.id IN (SELECT id FROM {work_table} WHERE token = %s"
        f" UNION ALL SELECT work_id FROM {RevokedToken._meta.db_table} WHERE token = %s)"
    )
    return sql, fields


def work_for_token(*, token: str, user) -> Work | None:
    """The work whose current or replaced code `token` is, in one query, or None.

    The current and the replaced codes are looked up together (a union), so that an unknown code, a
    replaced one and another family's cost the same query. The work comes with its child, school,
    class and voice note, and with:
    - `token_is_current`: False for a replaced code;
    - `viewer_opened`: whether `user` opened it before (the page writes the mark only once);
    - `photos_allowed`, `voice_allowed`: whether the guardians' consents stand;
    - `content_marks`: marks of its photos and of the child's works in its domain, which change when
      one is added or removed (the page's cached content is keyed by them).

    Plain SQL, built once from the models: the page runs it on every visit, and the ORM took three
    times longer to build this query than PostgreSQL to run it (BENCHMARKS.md, Work page)."""
    sql, fields = _lookup_sql()
    params = [token, user.pk, PHOTOS, PHOTOS, VOICE, VOICE, token, token]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    values, start = {}, 0
    for name, names in fields.items():
        values[name] = row[start : start + len(names)]
        start += len(names)
    db = connection.alias
    work = Work.from_db(db, fields["work"], values["work"])
    child = Child.from_db(db, fields["child"], values["child"])
    child.school = School.from_db(db, fields["school"], values["school"])
    work.child = child
    work.classroom = Classroom.from_db(db, fields["classroom"], values["classroom"])
    work.voice = MediaFile.from_db(db, fields["voice"], values["voice"]) if work.voice_id else None
    flags, marks = row[start : start + 4], row[start + 4 :]
    work.token_is_current, work.viewer_opened, work.photos_allowed, work.voice_allowed = (bool(v) for v in flags)
    work.content_marks = tuple(marks)
    return work


@dataclass
class WorkPage:
    work: Work
    photos: list  # the work's WorkPhoto rows with their media, in order
    earlier: list[Work]  # earlier works of the child in the same domain, newest first, each with `.cover`
    ready: bool


def work_page(work: Work) -> WorkPage:
    """What the page shows beside the work itself, in two queries whatever the numbers of photos and
    works: the child's earlier works in the same domain, and the photos of the work and of those."""
    earlier = list(
        Work.objects.filter(child_id=work.child_id, domain=work.domain)
        .filter(Q(made_on__lt=work.made_on) | Q(made_on=work.made_on, pk__lt=work.pk))
        .only("pk", "title", "made_on", "token", "child_id")
        .order_by("-made_on", "-pk")[:EARLIER_WORKS]
    )
    rows = list(
        WorkPhoto.objects.filter(work_id__in=[work.pk, *(w.pk for w in earlier)])
        .select_related("media")
        .order_by("position", "pk")
    )
    photos = [row for row in rows if row.work_id == work.pk]
    covers: dict[int, WorkPhoto] = {}
    for row in rows:
        covers.setdefault(row.work_id, row)
    for other in earlier:
        other.cover = covers.get(other.pk)
    return WorkPage(work=work, photos=photos, earlier=earlier, ready=work_is_ready(work, photos))
