#!/usr/bin/env bash
# Proves that a nightly dump restores whole: a scratch database is migrated and filled with the demo,
# dumped as the backup service dumps (pg_dump -Fc), restored into a second scratch database as a
# restore does (pg_restore, one transaction), and the two compared table by table (exact row counts)
# and sequence by sequence. Any difference fails, naming it. Both databases are dropped at the end.
#
#   deploy/backup/verify_restore.sh           (run from anywhere; CI runs it, .ci/run)
#
# The server: PGHOST, PGPORT, PGUSER (and PGPASSWORD) as for psql, default 127.0.0.1:5432 postgres.
# The scratch databases: ${VERIFY_DB_PREFIX}_source and _restored (default coordination_restore_check).
# pg_dump and pg_restore on PATH must be of the server's major version.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
PREFIX="${VERIFY_DB_PREFIX:-coordination_restore_check}"
SOURCE="${PREFIX}_source"
RESTORED="${PREFIX}_restored"
PY="${PY:-.venv/bin/python}"
WORK=$(mktemp -d)

psql_on() {
    local db=$1
    shift
    PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"
}

drop_scratch() {
    psql_on postgres -c "DROP DATABASE IF EXISTS ${SOURCE} WITH (FORCE)" -c "DROP DATABASE IF EXISTS ${RESTORED} WITH (FORCE)"
}

cleanup() {
    drop_scratch || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# Every table's row count and every sequence's position, one "name value" a line, sorted.
inventory() {
    psql_on "$1" -At <<'SQL'
SELECT format('SELECT %L || '' '' || count(*) FROM %I.%I', 'table ' || schemaname || '.' || tablename, schemaname, tablename)
FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1
\gexec
SELECT 'sequence ' || schemaname || '.' || sequencename || ' ' || coalesce(last_value, 0) FROM pg_sequences ORDER BY 1;
SQL
}

echo "pg_dump: $(pg_dump --version); server: $(psql_on postgres -Atc 'SHOW server_version')"
drop_scratch
psql_on postgres -c "CREATE DATABASE ${SOURCE}" -c "CREATE DATABASE ${RESTORED}"

# The portal's own environment for the scratch database: tasks in-process, files in a temporary folder;
# what it prints is shown only if it fails.
if ! (
    export DATABASE_URL="postgres://${PGUSER}@${PGHOST}:${PGPORT}/${SOURCE}"
    export REDIS_URL="" CELERY_BROKER_URL="" CELERY_TASK_ALWAYS_EAGER=1 S3_BUCKET="" MEDIA_ROOT="$WORK/media"
    export LOG_LEVEL=WARNING
    "$PY" manage.py migrate --noinput --verbosity 0
    "$PY" manage.py seed_demo --verbosity 0
) >"$WORK/portal.log" 2>&1; then
    tail -n 40 "$WORK/portal.log" >&2
    echo "migrating or filling the scratch database ${SOURCE} failed" >&2
    exit 1
fi

pg_dump --format=custom --no-owner --file="$WORK/backup.dump" "$SOURCE"
pg_restore --no-owner --no-privileges --single-transaction --exit-on-error --dbname="$RESTORED" "$WORK/backup.dump"
echo "dump of $(wc -c <"$WORK/backup.dump") bytes restored"

inventory "$SOURCE" >"$WORK/source.txt"
inventory "$RESTORED" >"$WORK/restored.txt"

tables=$(grep -c '^table ' "$WORK/source.txt" || true)
filled=$(grep '^table ' "$WORK/source.txt" | awk '$3 > 0' | wc -l)
rows=$(grep '^table ' "$WORK/source.txt" | awk '{ total += $3 } END { print total + 0 }')
if [ "$filled" -lt 20 ]; then
    echo "the demo filled only $filled of $tables tables: nothing much was checked" >&2
    exit 1
fi
if ! diff -u "$WORK/source.txt" "$WORK/restored.txt"; then
    echo "RESTORE DIFFERS from the database it was dumped from (lines above: - dumped, + restored)" >&2
    exit 1
fi
echo "restore identical: $tables tables ($filled with rows, $rows rows), $(grep -c '^sequence ' "$WORK/source.txt" || true) sequences"
