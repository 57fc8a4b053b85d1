#!/bin/sh
# The database's backups, in the postgres image (its pg_dump and pg_restore match the server).
#   database.sh dump             a dump now, in pg_dump's custom format (-Fc), then the old ones pruned
#   database.sh restore FILE     replace the database's content with FILE (stop web, worker and beat first)
# The connection comes from PGHOST, PGUSER, PGPASSWORD and PGDATABASE; dumps go to BACKUP_DIR
# (default /backups/postgres), of which the BACKUP_KEEP newest (default 14) are kept.
set -eu

BACKUP_DIR="${BACKUP_DIR:-/backups/postgres}"
BACKUP_KEEP="${BACKUP_KEEP:-14}"
case "$BACKUP_KEEP" in
    '' | *[!0-9]* | 0) echo "BACKUP_KEEP must be a number of dumps (1 or more), not '$BACKUP_KEEP'" >&2; exit 2 ;;
esac

dump() {
    mkdir -p "$BACKUP_DIR"
    name="$BACKUP_DIR/${PGDATABASE}-$(date -u +%Y%m%dT%H%M%SZ).dump"
    # Written aside, read back, then renamed: a dump cut short never looks like a backup.
    pg_dump --format=custom --no-owner --file="$name.partial"
    pg_restore --list "$name.partial" >/dev/null
    mv "$name.partial" "$name"
    echo "dumped $name ($(wc -c <"$name") bytes)"
    prune
}

# Only the BACKUP_KEEP newest dumps stay: an erased family's rows leave the backups with the last
# dump that predates the erasure (until then a restore replays the erasure log).
prune() {
    # The names sort by time (UTC stamps); the newest first, everything after the first BACKUP_KEEP goes.
    find "$BACKUP_DIR" -maxdepth 1 -name "${PGDATABASE}-*.dump" | sort -r | tail -n "+$((BACKUP_KEEP + 1))" |
        while read -r old; do
            rm -f -- "$old"
            echo "removed $old"
        done
    find "$BACKUP_DIR" -maxdepth 1 -name '*.partial' -mmin +1440 -exec rm -f -- {} +
}

restore() {
    dump_file=$1
    [ -f "$dump_file" ] || { echo "no such dump: $dump_file" >&2; exit 1; }
    # One transaction: the database holds either the whole dump or what it held before.
    pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
        --dbname="$PGDATABASE" "$dump_file"
    echo "restored $dump_file into $PGDATABASE."
    echo "Now bring the schema up to date and erase again whoever was erased since the dump was taken:"
    echo "  docker compose run --rm migrate python manage.py migrate --noinput"
    echo "  docker compose run --rm migrate python manage.py privacy_erasures_replay"
}

case "${1:-}" in
    dump) dump ;;
    restore)
        [ $# -eq 2 ] || { echo "usage: database.sh restore FILE" >&2; exit 2; }
        restore "$2"
        ;;
    *) echo "usage: database.sh dump | database.sh restore FILE" >&2; exit 2 ;;
esac
