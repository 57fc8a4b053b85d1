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
    guardian's latest word is a withdrawal: each guardian's latest record, all granted), as SQL, so
    that the page reads it with the work instead of in queries of its own
    (tests/portfolio/test_consent.py holds the two equal)."""
    # Each guardian's latest record (window functions: PostgreSQL, and SQLite for development), all
    # granted; no record at all is no consent. The table's name from the model; the purpose a parameter.
    return (
        "COALESCE((SELECT MIN(CASE WHEN latest.granted THEN 1 ELSE 0 END) FROM ("  # noqa: S608
        "SELECT k.granted, ROW_NUMBER() OVER ("
        "PARTITION BY k.guardian_id ORDER BY k.recorded_at DESC, k.id DESC) AS newest"
        f" FROM {ConsentRecord._meta.db_table} k WHERE k.child_id = {alias}.child_id AND k.purpose = %s"
        ") latest WHERE latest.newest = 1), 0) = 1"
    )


def _columns(model, alias: str, only: tuple[str, ...] = ()) -> tuple[list[str], str]:
    """The model's columns (or only these fields'), with their attribute names for Model.from_db."""
    chosen = [f for f in model._meta.concrete_fields if not only or f.name in only or f.primary_key]
    return [f.attname for f in chosen], ", ".join(f'{alias}."{f.column}"' for f in chosen)


@functools.cache
def _lookup_sql() -> tuple[str, dict]:
    """The lookup's SQL, built once from the models' tables and columns."""
    from portfolio.models import RevokedToken, WorkOpen

    # The school and the class only with what the page and the policies use (the family's period after
    # leaving; the class's name, school and teachers' access): the rest is never read here.
    parts = {
        "work": (Work, "w", ()),
        "child": (Child, "c", ()),
        "school": (School, "s", ("portfolio_access_months",)),
        "classroom": (Classroom, "r", ("school", "name")),
        "voice": (MediaFile, "v", ()),
    }
    fields, selects = {}, []
    for name, (model, alias, only) in parts.items():
        fields[name], columns = _columns(model, alias, only)
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


def _converters(fields: dict) -> dict[str, list]:
    """Per part, each column's (position, field's column, converters) for this connection's backend: what
    the ORM applies to values read (SQLite gives UUIDs, dates and times as text), kept on the connection."""
    cached = getattr(connection, "_portfolio_work_converters", None)
    if cached is None:
        models = {"work": Work, "child": Child, "school": School, "classroom": Classroom, "voice": MediaFile}
        cached = {}
        for name, attnames in fields.items():
            by_attname = {f.attname: f for f in models[name]._meta.concrete_fields}
            part = []
            for index, attname in enumerate(attnames):
                col = by_attname[attname].get_col(name)
                found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                if found:
                    part.append((index, col, found))
            cached[name] = part
        connection._portfolio_work_converters = cached
    return cached


def _converted(values: tuple, converters: list) -> list:
    values = list(values)
    for index, col, found in converters:
        for converter in found:
            values[index] = converter(values[index], col, connection)
    return values


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
    params = [token, user.pk, PHOTOS, VOICE, token, token]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    values, start, converters = {}, 0, _converters(fields)
    for name, names in fields.items():
        values[name] = _converted(row[start : start + len(names)], converters[name])
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
        Work.objects.filter(school_id=work.school_id, child_id=work.child_id, domain=work.domain)
        .filter(Q(made_on__lt=work.made_on) | Q(made_on=work.made_on, pk__lt=work.pk))
        .only("pk", "title", "made_on", "token", "child_id")
        .order_by("-made_on", "-pk")[:EARLIER_WORKS]
    )
    rows = list(
        WorkPhoto.objects.filter(school_id=work.school_id, work_id__in=[work.pk, *(w.pk for w in earlier)])
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
