"""The privacy export behind PgBouncer in transaction mode, as docker-compose.yml runs the portal.

Transaction pooling lends a server connection for one transaction at a time, so Django's
server-side cursors (DISABLE_SERVER_SIDE_CURSORS) are off: the export still finishes with every
row and, reading a page at a time by key, needs no more memory for ten times the rows.

The pooler sees only what is committed: the families are made, exported and removed on a thread of
their own (Django gives each thread its own connection, outside the test's transaction), which
costs less than emptying every table after the test as a transactional test does.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from portfolio.models import Work
from privacy import exporting
from schools.models import Authority, Child, Classroom, Enrolment, School, SchoolYear
from tests import factories as f
from tests.conftest import requires_binary, requires_postgres
from tests.privacy.export_kit import with_declarations
from tests.privacy.test_export_memory import PAGE, SMALL, WORKS, peak_of, works_add

pytestmark = pytest.mark.django_db


def committed(fn, *args, **kwargs):
    """fn on a connection of its own, in autocommit: what it writes is committed at once."""

    def run():
        try:
            return fn(*args, **kwargs)
        finally:
            connection.close()  # the thread's own connection

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pooler_config(directory: Path, *, port: int, database: str, user: str) -> Path:
    target = connection.settings_dict
    (directory / "users.txt").write_text(f'"{user}" ""\n', encoding="utf-8")
    ini = directory / "pgbouncer.ini"
    ini.write_text(
        "[databases]\n"
        f"{database} = host={target['HOST'] or '127.0.0.1'} port={target['PORT'] or 5432} dbname={database}\n"
        "[pgbouncer]\n"
        "listen_addr = 127.0.0.1\n"
        f"listen_port = {port}\n"
        "unix_socket_dir =\n"
        "pool_mode = transaction\n"
        "default_pool_size = 2\n"
        "auth_type = trust\n"
        f"auth_file = {directory / 'users.txt'}\n"
        f"admin_users = {user}\n",
        encoding="utf-8",
    )
    return ini


@pytest.fixture
def pooler():
    """A PgBouncer of this test's own, in transaction mode, in front of the test database; stopped after."""
    requires_postgres()
    # Debian puts it in /usr/sbin, which is not on every user's PATH.
    program = shutil.which("pgbouncer", path=f"{os.environ.get('PATH', '')}:/usr/sbin") or requires_binary(
        "pgbouncer", "apt-get install pgbouncer"
    )
    settings_dict = connection.settings_dict
    user = settings_dict["USER"] or "postgres"
    port = free_port()
    directory = Path(tempfile.mkdtemp(prefix="pooler-"))
    directory.chmod(0o755)  # read by the unprivileged user it runs as when the tests run as root
    ini = pooler_config(directory, port=port, database=settings_dict["NAME"], user=user)
    for path in directory.iterdir():
        path.chmod(0o644)
    command = [program, "-u", "nobody", str(ini)] if os.geteuid() == 0 else [program, str(ini)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for _attempt in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                try:
                    process.wait(timeout=0.05)  # paces the attempts; returns at once if it stopped
                except subprocess.TimeoutExpired:
                    continue
                pytest.fail(f"pgbouncer stopped: {process.stdout.read()}")
        else:
            pytest.fail("pgbouncer did not listen")
        yield {"port": port, "user": user}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(directory, ignore_errors=True)


def through_pooler(pooler, fn, *args, **kwargs):
    """fn with Django's connection through the pooler, without server-side cursors, on a connection of its own."""

    def run():
        saved = dict(connection.settings_dict)  # the dict every thread's connection shares
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(pooler["port"]), DISABLE_SERVER_SIDE_CURSORS=True)
        try:
            assert connection.connection is None  # a new connection, made with these settings
            return fn(*args, **kwargs)
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)

    return committed(run)


def pooler_stats(pooler) -> tuple[str, int]:
    """The pool's mode and how many transactions it has passed on, from PgBouncer's own console."""
    admin = psycopg2.connect(host="127.0.0.1", port=pooler["port"], user=pooler["user"], dbname="pgbouncer")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SHOW POOLS")
            columns = [column.name for column in cursor.description]
            [pool] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall() if row[0] != "pgbouncer"]
            cursor.execute("SHOW STATS")
            columns = [column.name for column in cursor.description]
            [stats] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall() if row[0] != "pgbouncer"]
    finally:
        admin.close()
    return pool["pool_mode"], int(stats["total_xact_count"])


def families_make() -> tuple[Authority, list]:
    ward = f.CommuneFactory()
    school = f.SchoolFactory(authority=ward)
    families = []
    for count in (SMALL, SMALL * 10):
        parent = f.UserFactory()
        families.append(parent)
        parent._child = f.ChildFactory(classroom=f.ClassroomFactory(school=school))
        works_add(parent._child, count)
    return ward, families


@pytest.fixture
def small_and_large(monkeypatch):
    """Two families, one with ten times the other's works, committed; every row of theirs removed after."""
    with_declarations(monkeypatch, WORKS, only=True)
    monkeypatch.setattr(exporting, "PAGE_SIZE", PAGE)
    ward, families = committed(families_make)
    try:
        yield families
    finally:
        committed(family_rows_delete, ward, families)


def family_rows_delete(ward: Authority, parents: list) -> None:
    schools = School.objects.filter(authority=ward)
    Work.objects.filter(school__in=schools).delete()
    Enrolment.objects.filter(school__in=schools).delete()
    Child.objects.filter(school__in=schools).delete()
    Classroom.objects.filter(school__in=schools).delete()
    SchoolYear.objects.filter(school__in=schools).delete()
    schools.delete()
    for parent in parents:
        parent.delete()
    province = ward.province
    ward.delete()
    province.delete()


def exports_through_the_pooler(pooler, small, large, tmp_path) -> dict:
    assert connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] is True
    with connection.cursor() as cursor:  # the pool is made on the first connection
        cursor.execute("SELECT 1")
    _mode, transactions_before = pooler_stats(pooler)
    peak_of(small, tmp_path, "warm-up.zip")  # templates compiled, modules imported
    small_peak, small_zip = peak_of(small, tmp_path, "small.zip")
    large_peak, large_zip = peak_of(large, tmp_path, "large.zip")
    mode, transactions_after = pooler_stats(pooler)
    return {
        "mode": mode,
        "transactions": transactions_after - transactions_before,
        "small": (small_peak, json.loads(small_zip.read("data/portfolio/work.json"))),
        "large": (large_peak, json.loads(large_zip.read("data/portfolio/work.json"))),
    }


def test_the_export_through_pgbouncer_is_whole_and_keeps_memory_flat(pooler, small_and_large, tmp_path):
    small, large = small_and_large

    done = through_pooler(pooler, exports_through_the_pooler, pooler, small, large, tmp_path)

    assert done["mode"] == "transaction"
    # Every page was a transaction of its own through the pooler: the large family's alone took 31.
    assert done["transactions"] > SMALL * 10 // PAGE
    small_peak, small_rows = done["small"]
    large_peak, large_rows = done["large"]
    assert len(small_rows) == SMALL
    assert len(large_rows) == SMALL * 10
    assert len({row["id"] for row in large_rows}) == SMALL * 10  # no page read twice, none skipped
    assert large_peak < 2 * small_peak, f"peak {large_peak} bytes for {SMALL * 10} rows, {small_peak} for {SMALL}"
    # The test's own connection never went through the pooler.
    assert connection.settings_dict["PORT"] != str(pooler["port"])
