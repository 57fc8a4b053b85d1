"""Erasing a child's or a person's data across the apps, from their declarations.

Each app's part runs in one transaction of its own, in the declarations' order (features before the
core), so that one app's failure leaves the others' work done and a rerun finishes the job: every step
is idempotent (a second run finds nothing more to remove). Media files go from storage with their
renditions once the app's transaction commits. The erasure is recorded with counts only, in the database
and as one object outside it (privacy/erasurelog.py), so that a restore from an older backup can replay it.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mediafiles.models import MediaFile
from mediafiles.services import media_delete
from privacy import erasurelog
from privacy.declarations import Declaration, app_declarations
from privacy.models import Erasure, LegalHold

logger = logging.getLogger(__name__)


class UnderLegalHold(Exception):
    """The data is held (a dispute, an inquiry, an audit): nothing is erased."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(str(reason) for reason in reasons))
        self.reasons = reasons


def legal_holds(*, child=None, user=None) -> list[str]:
    """Why this child's or person's data may not be erased now (empty: it may)."""
    reasons = []
    holds = LegalHold.objects.filter(lifted_at__isnull=True)
    if child is not None:
        reasons += [_("Legal hold: %(reason)s") % {"reason": hold.reason} for hold in holds.filter(child=child)]
    if user is not None:
        reasons += [_("Legal hold: %(reason)s") % {"reason": hold.reason} for hold in holds.filter(user=user)]
    for app in app_declarations():
        if app.legal_holds is not None:
            reasons += list(app.legal_holds(child=child, user=user))
    return reasons


def _field(model: type[models.Model], path: str) -> models.Field | None:
    """The model's own field for a one-step path (None for a longer path: those rows are filtered only)."""
    if "__" in path:
        return None
    return model._meta.get_field(path)


def _media_ids(queryset: models.QuerySet, declaration: Declaration) -> set:
    ids: set = set()
    for name in declaration.media:
        ids.update(pk for pk in queryset.values_list(name, flat=True) if pk is not None)
    return ids


def _media_remove(ids: set) -> int:
    removed = 0
    for media in MediaFile.objects.filter(pk__in=ids):
        try:
            media_delete(media=media)
        except models.ProtectedError:  # still used by another row (a copy kept by law): kept
            continue
        removed += 1
    return removed


def _rows_erase(declaration: Declaration, queryset: models.QuerySet, *, subject_fields: list[str]) -> Counter:
    """Apply a declaration's erase mode to the rows of one subject."""
    counts: Counter = Counter()
    if declaration.erase in ("keep", "custom"):
        return counts
    model = declaration.model
    media = _media_ids(queryset, declaration)
    if declaration.erase == "delete":
        deleted, _by_model = queryset.delete()
        if deleted:
            counts[declaration.model_label] += _by_model.get(declaration.model_label, 0)
    else:  # anonymise: the declared values, and the subject's links cleared where the column allows it
        values = dict(declaration.anonymise)
        for name in [*subject_fields, *declaration.media]:
            field = _field(model, name)
            if field is not None and field.null and not field.many_to_many:
                values[name] = None
        if values:
            changed = queryset.update(**values)
            if changed:
                counts[declaration.model_label] += changed
        else:
            media = set()
    if media:
        counts["mediafiles.MediaFile"] += _media_remove(media)
    return counts


def _actors_clear(declaration: Declaration, user) -> Counter:
    """A person's name on what they recorded or decided as staff: cleared where the column may be empty."""
    counts: Counter = Counter()
    model = declaration.model
    for name in declaration.actors:
        field = _field(model, name)
        if field is None or not field.null or field.many_to_many:
            continue  # kept: it points to the erased, nameless account
        changed = model._default_manager.filter(**{name: user}).update(**{name: None})
        if changed:
            counts[f"{declaration.model_label}.{name}"] += changed
    return counts


def _run(subject: str, target, *, now: datetime.datetime) -> dict[str, int]:
    # Rows are found by the subject's key, so that a declaration of the subject's own model may say "pk".
    totals: Counter = Counter()
    for app in app_declarations():
        try:
            with transaction.atomic():
                counts: Counter = Counter()
                for declaration in app.declarations:
                    model = declaration.model
                    if subject == "child" and declaration.child:
                        rows = model._default_manager.filter(**{declaration.child: target.pk}).distinct()
                        if declaration.erase == "delete" or "__" not in declaration.child:
                            counts += _rows_erase(declaration, rows, subject_fields=[declaration.child])
                    elif subject == "person":
                        for path in declaration.people:
                            rows = model._default_manager.filter(**{path: target.pk})
                            counts += _rows_erase(declaration, rows, subject_fields=[path])
                        counts += _actors_clear(declaration, target)
                custom = app.erase_child if subject == "child" else app.erase_person
                if custom is not None:
                    counts += Counter({key: value for key, value in (custom(target, now=now) or {}).items() if value})
        except Exception:
            logger.exception("erasure of %s %s: %s failed", subject, target.pk, app.app_label)
            raise
        totals += counts
    return dict(totals)


def child_erase(
    *, child, reason: str, request=None, now: datetime.datetime | None = None, force: bool = False
) -> Erasure:
    """Erase or anonymise everything the apps hold about a child (refused under a legal hold)."""
    now = now or timezone.now()
    if not force:
        reasons = legal_holds(child=child)
        if reasons:
            raise UnderLegalHold(reasons)
    counts = _run("child", child, now=now)
    return _record(
        Erasure.Subject.CHILD,
        child.pk,
        school_id=child.school_id,
        reason=reason,
        request=request,
        now=now,
        counts=counts,
    )


def person_erase(
    *, user, reason: str, request=None, school=None, now: datetime.datetime | None = None, force: bool = False
) -> Erasure:
    """Erase a person's own data (their account, contacts, answers to the school) in every app."""
    now = now or timezone.now()
    if not force:
        reasons = legal_holds(user=user)
        if reasons:
            raise UnderLegalHold(reasons)
    counts = _run("person", user, now=now)
    return _record(
        Erasure.Subject.PERSON,
        user.pk,
        school_id=school.pk if school else None,
        reason=reason,
        request=request,
        now=now,
        counts=counts,
    )


def _record(subject, subject_id, *, school_id, reason, request, now, counts) -> Erasure:
    erasure = Erasure.objects.create(
        school_id=school_id,
        subject=subject,
        subject_id=subject_id,
        reason=reason,
        request=request,
        at=now,
        counts=counts,
    )
    if reason != Erasure.Reason.REPLAY:
        name = erasurelog.erasure_log_write(erasure=erasure)
        Erasure.objects.filter(pk=erasure.pk).update(log_name=name)
        erasure.log_name = name
    return erasure
