"""The erasure log outside the database, its replay, and a restore that must not bring an erased family back."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from parents.models import Guardianship
from privacy.erasing import child_erase, person_erase
from privacy.erasurelog import ErasureLogError, erasure_log_list, erasure_log_storage
from privacy.models import Erasure, LegalHold
from privacy.restore import database_dump, database_restore, erasures_replay
from schools.models import Child
from tests import factories as f
from tests.conftest import requires_binary, requires_postgres
from tests.coordination.processes import clean_env, run_python

NOW = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def log_storage(tmp_path, settings):
    """The log in a storage of its own, as in production (a second bucket), apart from the media."""
    settings.STORAGES = {
        **settings.STORAGES,
        "erasure_log": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "erasure-log")},
        },
    }
    settings.PRIVACY_ERASURE_LOG_STORAGE = "erasure_log"
    return erasure_log_storage()


def family():
    child = f.ChildFactory(full_name="Đỗ Minh Châu")
    guardian = f.UserFactory(email="mother@example.test", full_name="Đỗ Thị Lan")
    f.GuardianshipFactory(child=child, guardian=guardian)
    return child, guardian


def snapshot(child_id: int, user_id: int) -> dict:
    """What the database holds about the family, row by row."""
    return {
        "child": list(Child.objects.filter(pk=child_id).values()),
        # The unusable password is random each time it is set: whether it is usable is what counts.
        "guardian": [
            {**row, "password": row["password"].startswith("!")}
            for row in get_user_model().objects.filter(pk=user_id).values()
        ],
        "guardianships": list(Guardianship.objects.filter(child_id=child_id).order_by("pk").values()),
    }


def test_each_erasure_is_logged_in_the_logs_own_storage_and_listed_oldest_first(db, log_storage, settings):
    child, guardian = family()
    later = child_erase(child=child, reason=Erasure.Reason.REQUEST, now=NOW + datetime.timedelta(hours=1))
    earlier = person_erase(user=guardian, reason=Erasure.Reason.REQUEST, school=child.school, now=NOW)

    entries = erasure_log_list()

    assert [(e.subject, e.subject_id, e.at) for e in entries] == [
        ("person", guardian.pk, NOW),
        ("child", child.pk, NOW + datetime.timedelta(hours=1)),
    ]
    assert entries[0].school_id == child.school_id and entries[0].reason == "request"
    assert [e.name for e in entries] == [earlier.log_name, later.log_name]
    assert all(log_storage.exists(e.name) for e in entries)
    assert not (settings.MEDIA_ROOT / "privacy").exists()  # nothing of it among the media


def log_settings(**env: str) -> dict:
    code = (
        "import json, coordination.settings as s; "
        "print(json.dumps([s.PRIVACY_ERASURE_LOG_STORAGE, s.STORAGES.get('erasure_log')]))"
    )
    result = run_python(code, clean_env(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_in_production_the_log_has_a_bucket_of_its_own_on_the_media_s3_service():
    media = {"S3_BUCKET": "media", "S3_ENDPOINT_URL": "http://minio:9000", "S3_ACCESS_KEY": "portal-key"}
    assert log_settings(**media, S3_SECRET_KEY="media-secret") == ["default", None]

    alias, storage = log_settings(**media, S3_SECRET_KEY="media-secret", PRIVACY_ERASURE_LOG_BUCKET="erasures")

    assert alias == "erasure_log"
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"]) == ("erasures", "http://minio:9000")
    assert (options["access_key"], options["secret_key"]) == ("portal-key", "media-secret")
    # Its own service and keys when given; an empty value (as compose passes) means the media's.
    other_alias, other = log_settings(
        **media,
        PRIVACY_ERASURE_LOG_BUCKET="erasures",
        PRIVACY_ERASURE_LOG_ENDPOINT_URL="https://s3.elsewhere.example",
        PRIVACY_ERASURE_LOG_ACCESS_KEY="log-key",
        PRIVACY_ERASURE_LOG_STORAGE="",
    )
    assert other["OPTIONS"]["endpoint_url"] == "https://s3.elsewhere.example"
    assert other["OPTIONS"]["access_key"] == "log-key"
    assert other_alias == "erasure_log"


def test_an_empty_log_lists_nothing(db):
    assert erasure_log_list() == []


def test_an_unreadable_log_object_is_refused_and_reported(db, log_storage):
    log_storage.save("privacy/erasure-log/20261102T000000000000-child-1.json", ContentFile(b"{not json"))

    with pytest.raises(ErasureLogError):
        erasure_log_list()
    errors: list[str] = []
    assert erasure_log_list(errors=errors) == []
    assert len(errors) == 1 and "child-1.json" in errors[0]

    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("privacy_erasures_replay", stdout=io.StringIO(), stderr=stderr)
    assert "child-1.json" in stderr.getvalue()


def test_replay_erases_each_logged_subject_again_despite_a_hold_and_skips_those_gone(db):
    child, guardian = family()
    child_erase(child=child, reason=Erasure.Reason.REQUEST, now=NOW)
    person_erase(user=guardian, reason=Erasure.Reason.REQUEST, school=child.school, now=NOW)
    gone = f.ChildFactory()
    child_erase(child=gone, reason=Erasure.Reason.REQUEST, now=NOW)
    Child.objects.filter(pk=gone.pk).delete()
    # An erasure already done is replayed even if a hold was placed since (the data is gone either way).
    LegalHold.objects.create(school=child.school, child=child, reason="Inquiry")

    report = erasures_replay(now=NOW)

    assert (report.replayed, report.missing, report.ok) == (2, 1, True)
    replays = Erasure.objects.filter(reason=Erasure.Reason.REPLAY)
    assert sorted(replays.values_list("subject", "subject_id")) == [("child", child.pk), ("person", guardian.pk)]
    assert not replays.exclude(log_name="").exists()  # a replay writes no new log object
    assert len(erasure_log_list()) == 3


def test_the_command_reports_its_counts_and_a_second_run_erases_nothing_more(db):
    child, guardian = family()
    child_erase(child=child, reason=Erasure.Reason.REQUEST, now=NOW)
    call_command("privacy_erasures_replay", stdout=io.StringIO())

    stdout = io.StringIO()
    call_command("privacy_erasures_replay", stdout=stdout)

    assert "Erasures replayed: 1; subjects no longer in the database: 0; rows erased again: 0" in stdout.getvalue()


@pytest.fixture
def postgres_tools():
    requires_postgres()
    requires_binary("pg_dump", "apt-get install postgresql-client")
    requires_binary("pg_restore", "apt-get install postgresql-client")


def test_after_a_replay_no_new_child_or_person_gets_an_erased_ones_id(db, postgres_tools):
    child, guardian = family()
    child_erase(child=child, reason=Erasure.Reason.REQUEST, now=NOW)
    person_erase(user=guardian, reason=Erasure.Reason.REQUEST, now=NOW)
    # As after restoring a dump that predates them: the rows and the sequences' progress gone.
    Guardianship.objects.filter(child=child).delete()
    Child.objects.filter(pk=child.pk).delete()
    get_user_model().objects.filter(pk=guardian.pk).delete()
    with connection.cursor() as cursor:
        for table in (Child._meta.db_table, get_user_model()._meta.db_table):
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), 1, false)", [table])

    report = erasures_replay(now=NOW)

    assert (report.replayed, report.missing) == (0, 2)
    assert f.ChildFactory().pk > child.pk
    assert f.UserFactory().pk > guardian.pk


def test_an_erased_family_stays_erased_after_a_restore(transactional_db, postgres_tools, tmp_path):
    # The test database itself is dumped and restored over: what a restore in production does.
    child, guardian = family()
    before = snapshot(child.pk, guardian.pk)
    dump = tmp_path / "nightly.dump"
    database_dump(path=dump)

    erased = [
        child_erase(child=child, reason=Erasure.Reason.REQUEST, now=NOW),
        person_erase(user=guardian, reason=Erasure.Reason.REQUEST, school=child.school, now=NOW),
    ]
    after_erasure = snapshot(child.pk, guardian.pk)

    database_restore(dump=dump)
    assert snapshot(child.pk, guardian.pk) == before  # the backup predates the erasure: the family is back
    assert not Erasure.objects.exists()

    report = erasures_replay(now=NOW)

    assert (report.replayed, report.missing, report.ok) == (2, 0, True)
    assert snapshot(child.pk, guardian.pk) == after_erasure
    replays = {e.subject: e.counts for e in Erasure.objects.filter(reason=Erasure.Reason.REPLAY)}
    assert replays == {e.subject: e.counts for e in erased}
    assert not Child.objects.filter(full_name="Đỗ Minh Châu").exists()
    assert not get_user_model().objects.filter(email="mother@example.test").exists()

    # The same in one command, as the operator runs it: restore, migrate, replay.
    stdout = io.StringIO()
    call_command("backup_restore", "--dump", str(dump), "--noinput", stdout=stdout)

    assert f"into {connection.settings_dict['NAME']}" in stdout.getvalue()
    assert "Erasures replayed: 2; subjects no longer in the database: 0" in stdout.getvalue()
    replays = {e.subject: e.counts for e in Erasure.objects.all()}
    assert replays == {e.subject: e.counts for e in erased}
    assert set(Erasure.objects.values_list("reason", flat=True)) == {Erasure.Reason.REPLAY}


def test_backup_restore_refuses_a_missing_dump(db, postgres_tools, tmp_path):
    with pytest.raises(CommandError, match="no such dump"):
        call_command("backup_restore", "--dump", str(tmp_path / "none.dump"), "--noinput")
