"""The demo, seeded once for every app's checks: `seed_demo` takes about a minute on PostgreSQL, so
this module runs it twice (the second run must add nothing) and each app checks what its step made,
in its own `tests/<app>/test_demo.py`. Each check runs in its own savepoint; the module's seed is
rolled back at the end, so no other test sees it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings

from tests.activities import test_demo as activities_demo
from tests.announcements import test_demo as announcements_demo
from tests.portfolio import test_demo as portfolio_demo
from tests.privacy import test_demo as privacy_demo
from tests.schools import test_seed_demo as schools_demo


def every_count() -> dict[str, int]:
    """How many rows each model of every installed app holds."""
    from django.apps import apps

    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    """The demo's files, for the whole module (the project's conftest gives each test a media folder)."""
    folder = tmp_path_factory.mktemp("demo") / "media"
    with override_settings(MEDIA_ROOT=folder):
        yield folder


@pytest.fixture(autouse=True)
def _media_root(demo_media, settings):
    settings.MEDIA_ROOT = demo_media


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, demo_media):
    """The demo run twice in one transaction, rolled back after the module: (counts after the first run,
    counts after the second)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("seed_demo", verbosity=0)
            first = every_count()
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("seed_demo", verbosity=0)
            yield first, every_count()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_the_whole_demo_run_again_adds_nothing(seeded):
    first, again = seeded
    assert first["schools.Child"] and first["health.Measurement"] and first["portfolio.Work"]
    assert {label: n for label, n in again.items() if n != first[label]} == {}


@pytest.mark.django_db
def test_the_demo_matches_the_readme(seeded, client):
    schools_demo.check_the_demo_matches_the_readme(client)


@pytest.mark.django_db
def test_the_demo_announcement_and_pickup_notices(seeded):
    announcements_demo.check_demo_announcement_and_pickup_notices()


@pytest.mark.django_db
def test_the_demo_week_of_home_activities(seeded, client):
    activities_demo.check_the_demo_week_of_home_activities(client)


@pytest.mark.django_db
def test_the_demo_library_and_commendations(seeded, client):
    activities_demo.check_the_demo_library(client)


@pytest.mark.django_db
def test_the_demo_works_and_portfolios(seeded, client, settings):
    portfolio_demo.check_the_demo_works(client, settings)


@pytest.mark.django_db
def test_the_demo_privacy_requests_copy_and_breach(seeded, client):
    privacy_demo.check_the_demo_privacy(client)
