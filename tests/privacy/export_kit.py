"""Test-local declarations for the export's tests, added to whatever the apps declare themselves."""

from __future__ import annotations

import io
import json
import zipfile

from privacy import declarations as registry
from privacy.declarations import AppDeclarations, Declaration

TEST_DECLARATIONS = (
    Declaration(
        app_label="parents",
        model_label="parents.Guardianship",
        holds="Who looks after each child (test)",
        purpose="test",
        ground="contract",
        retention="test",
        child="child",
        people=("guardian",),
        actors=("confirmed_by", "disputed_by", "decided_by"),
    ),
    Declaration(
        app_label="parents",
        model_label="parents.ConsentRecord",
        holds="Consents (test)",
        purpose="test",
        ground="consent",
        retention="test",
        child="child",
        people=("guardian",),
        exclude=("text",),
    ),
    Declaration(
        app_label="parents",
        model_label="parents.FamilyViewer",
        holds="Family members who follow a child (test)",
        purpose="test",
        ground="consent",
        retention="test",
        child="child",
        people=("viewer", "invited_by"),
        actors=("revoked_by",),
        exclude=("token",),
    ),
    Declaration(
        app_label="portfolio",
        model_label="portfolio.Work",
        holds="Works of the children (test)",
        purpose="test",
        ground="public_task",
        retention="test",
        child="child",
        actors=("created_by",),
        media=("voice",),
        exclude=("token", "qr_token"),
    ),
    Declaration(
        app_label="portfolio",
        model_label="portfolio.WorkPhoto",
        holds="Photos of the works (test)",
        purpose="test",
        ground="consent",
        retention="test",
        child="work__child",
        media=("media",),
    ),
)


def with_declarations(monkeypatch, *extra: Declaration, only: bool = False) -> None:
    """The apps' own declarations (unless `only`) and these, for one test."""
    real = () if only else registry.app_declarations()
    fake = AppDeclarations(app_label="tests", declarations=tuple(extra), order=-1)
    monkeypatch.setattr(registry, "app_declarations", lambda: (fake, *real))


def archive_of(export) -> zipfile.ZipFile:
    export.file.open("rb")
    try:
        return zipfile.ZipFile(io.BytesIO(export.file.read()))
    finally:
        export.file.close()


def rows_in(archive: zipfile.ZipFile, model) -> list[dict]:
    """Every exported row of a model (a model declared twice has a file per declaration)."""
    prefix = f"data/{model._meta.app_label}/{model._meta.model_name}"
    rows = []
    for name in archive.namelist():
        if (
            name.startswith(prefix)
            and name.endswith(".json")
            and name[len(prefix) :] in (".json",) + tuple(f"-{n}.json" for n in range(2, 10))
        ):
            rows += json.loads(archive.read(name))
    return rows
