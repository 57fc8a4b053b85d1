#!/bin/sh
# Restore the database from a nightly dump (see README.md, "Backups and restore"):
#   docker compose run --rm backup /backup/restore.sh /backups/postgres/coordination-20261204T020000Z.dump
# then migrate and replay the erasure log as it says. Without compose, where the pg_restore on PATH
# matches the server: python manage.py backup_restore --dump FILE does all three.
set -eu
[ $# -eq 1 ] || { echo "usage: restore.sh DUMP_FILE" >&2; exit 2; }
exec "$(dirname "$0")/database.sh" restore "$1"
