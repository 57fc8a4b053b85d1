"""What every app holds about people, gathered from `<app>/personal_data.py` (the contract).

Each app that stores something about a person or a child says so in a module named `personal_data.py`,
found here with `autodiscover_modules`, the way the admin finds `admin.py`. The module imports nothing of
`privacy`: it gives plain data, so that the core apps declare theirs too and removing an app removes its
declarations.

    # <app>/personal_data.py
    from django.utils.translation import gettext_lazy as _

    DECLARATIONS = [
        {
            "model": "parents.ConsentRecord",                # app_label.ModelName
            "holds": _("Each guardian's decisions about photos and health records"),
            "purpose": _("To show or hide a child's photos and records as the guardians decided"),
            "ground": "consent",                              # one of GROUNDS below
            "recipients": [_("the school's staff")],          # who else sees it (may be empty)
            "retention": _("Until the child's data is erased"),
            "child": "child",                                 # lookup path to the child it is about, or ""
            "people": ("guardian",),                          # lookup paths to the users it is about
            "actors": ("confirmed_by",),                      # staff who acted on it: never the subject
            "media": ("media",),                              # ForeignKeys to mediafiles.MediaFile
            "erase": "delete",                                # "delete" | "anonymise" | "keep" | "custom"
            "anonymise": {"note": ""},                        # erase="anonymise": the values written
            "exclude": ("token",),                            # fields never exported (secrets)
            "export_filter": None,                            # callable(queryset, *, user, child_ids) -> queryset
        },
    ]

    # Optional, all keyword-only; each runs inside the app's own transaction:
    def erase_child(child, *, now): ...        # what the generic rules cannot do; returns {label: count}
    def erase_person(user, *, now): ...        # the same for a person's own data
    def legal_holds(*, child=None, user=None): ...  # reasons (translated strings) not to erase now
    def access_reads(*, child_ids): ...        # the app's own read log: dicts (child_id, reader_id, at, area)
    RETENTION = [                              # periods the retention job runs, a school may change the days
        {"key": "health.reads", "label": _("Health record reads"), "days": 730,
         "purge": callable(*, school, cutoff, now) -> int},
    ]
    ORDER = 50                                 # erasers run in this order, lower first (default: features
                                               # before the core, so that what refers to a child goes first)

`people` are the persons whose own data the row is (a guardian's answer, a donor's record). `child` says
which child's data it is. A row may be both. `actors` are the staff members who recorded or decided: a
person's erasure clears them where the column allows it (otherwise the row keeps pointing to the erased,
nameless account). "delete" removes the subject's rows, "anonymise" writes the `anonymise` values and
clears the subject's ForeignKeys where they may be empty, "keep" keeps the rows (what law keeps, without
anything more to remove), "custom" leaves it all to the app's `erase_child`/`erase_person`.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

MODULE = "personal_data"

# The legal grounds of Law 91/2025/QH15 that the portal relies on.
GROUNDS = {
    "consent": _("Consent of the person, or of the child's parent or guardian"),
    "contract": _("Providing the service the family or the school signed up for"),
    "legal_obligation": _("A duty the law sets on the school (education, accounting, health)"),
    "public_task": _("The school's public task of caring for and educating children"),
    "vital_interests": _("Protecting a child's life or health"),
}
ERASE_MODES = ("delete", "anonymise", "keep", "custom")


@dataclass(frozen=True)
class Declaration:
    app_label: str
    model_label: str
    holds: Any
    purpose: Any
    ground: str
    retention: Any
    recipients: tuple = ()
    child: str = ""
    people: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    media: tuple[str, ...] = ()
    erase: str = "delete"
    anonymise: dict = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    export_filter: Callable | None = None

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    @property
    def ground_label(self):
        return GROUNDS[self.ground]


@dataclass(frozen=True)
class AppDeclarations:
    """One app's module: its declarations and the optional functions."""

    app_label: str
    declarations: tuple[Declaration, ...]
    order: int
    erase_child: Callable | None = None
    erase_person: Callable | None = None
    legal_holds: Callable | None = None
    access_reads: Callable | None = None
    retention: tuple[dict, ...] = ()
    verbose_name: Any = ""


class DeclarationError(Exception):
    pass


def _check(entry: dict, app_label: str) -> Declaration:
    missing = {"model", "holds", "purpose", "ground", "retention"} - set(entry)
    if missing:
        raise DeclarationError(f"{app_label}.{MODULE}: {entry.get('model')!r} lacks {sorted(missing)}")
    if entry["ground"] not in GROUNDS:
        raise DeclarationError(f"{app_label}.{MODULE}: unknown ground {entry['ground']!r}; one of {sorted(GROUNDS)}")
    erase = entry.get("erase", "delete")
    if erase not in ERASE_MODES:
        raise DeclarationError(f"{app_label}.{MODULE}: unknown erase mode {erase!r}; one of {ERASE_MODES}")
    apps.get_model(entry["model"])  # a typo fails at once
    return Declaration(
        app_label=app_label,
        model_label=entry["model"],
        holds=entry["holds"],
        purpose=entry["purpose"],
        ground=entry["ground"],
        retention=entry["retention"],
        recipients=tuple(entry.get("recipients", ())),
        child=entry.get("child", ""),
        people=tuple(entry.get("people", ())),
        actors=tuple(entry.get("actors", ())),
        media=tuple(entry.get("media", ())),
        erase=erase,
        anonymise=dict(entry.get("anonymise", {})),
        exclude=tuple(entry.get("exclude", ())),
        export_filter=entry.get("export_filter"),
    )


@functools.cache
def app_declarations() -> tuple[AppDeclarations, ...]:
    """Every installed app's declarations, in eraser order (cached per process)."""
    autodiscover_modules(MODULE)
    found = []
    for position, config in enumerate(apps.get_app_configs()):
        try:
            module = importlib.import_module(f"{config.name}.{MODULE}")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.{MODULE}":
                raise
            continue
        entries = tuple(_check(entry, config.label) for entry in getattr(module, "DECLARATIONS", ()))
        found.append(
            AppDeclarations(
                app_label=config.label,
                declarations=entries,
                # Features before the core by default: the later an app is installed, the earlier it erases.
                order=getattr(module, "ORDER", 1000 - position),
                erase_child=getattr(module, "erase_child", None),
                erase_person=getattr(module, "erase_person", None),
                legal_holds=getattr(module, "legal_holds", None),
                access_reads=getattr(module, "access_reads", None),
                retention=tuple(getattr(module, "RETENTION", ())),
                verbose_name=config.verbose_name,
            )
        )
    return tuple(sorted(found, key=lambda item: item.order))


def declarations() -> list[Declaration]:
    return [declaration for app in app_declarations() for declaration in app.declarations]


def declared_models() -> set[str]:
    return {declaration.model_label for declaration in declarations()}


def personal_models() -> set[str]:
    """Every model with a ForeignKey (or many-to-many) to a user or a child: each must be declared.

    The link model of a many-to-many field that only adds the school (schools.models.SchoolLink) is
    declared with the model whose field it is, as Django's automatic link tables are."""
    from schools.models import SchoolLink

    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    child_model = apps.get_model("schools", "Child")
    found = {user_model._meta.label, child_model._meta.label}
    for model in apps.get_models():
        if issubclass(model, SchoolLink):
            continue
        for field_ in model._meta.get_fields():
            if field_.concrete and field_.is_relation and field_.related_model in (user_model, child_model):
                found.add(model._meta.label)
    return found


def undeclared_models() -> list[str]:
    return sorted(personal_models() - declared_models())


def retention_rules() -> list[dict]:
    """Every app's retention periods, each with its `app_label`."""
    return [dict(rule, app_label=app.app_label) for app in app_declarations() for rule in app.retention]


def reads_for(child_ids: Iterable[int]) -> list[dict]:
    """The apps' own read logs for these children (the health read log, for instance)."""
    rows: list[dict] = []
    for app in app_declarations():
        if app.access_reads is not None:
            rows.extend(app.access_reads(child_ids=list(child_ids)))
    return rows
