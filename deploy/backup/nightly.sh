#!/bin/sh
# Runs a command once a day at BACKUP_TIME (HH:MM, UTC; default 02:00), for ever: the loop of the
# backup services in docker-compose.yml, whose images have no cron. A failed run is reported on
# stderr (docker compose logs) and tried again the next night; the loop itself keeps going.
#   nightly.sh /backup/database.sh dump
set -u

BACKUP_TIME="${BACKUP_TIME:-02:00}"
case "$BACKUP_TIME" in
    [0-2][0-9]:[0-5][0-9]) ;;
    *) echo "BACKUP_TIME must be HH:MM (UTC), not '$BACKUP_TIME'" >&2; exit 2 ;;
esac

echo "every day at $BACKUP_TIME UTC: $*"
done_on=""
while true; do
    today=$(date -u +%F)
    # Checked twice a minute; done_on keeps a run that lasts past the minute from starting again.
    if [ "$(date -u +%H:%M)" = "$BACKUP_TIME" ] && [ "$done_on" != "$today" ]; then
        done_on=$today
        if "$@"; then
            echo "$(date -u +%FT%TZ) done: $*"
        else
            echo "$(date -u +%FT%TZ) FAILED (exit $?): $*" >&2
        fi
    fi
    sleep 30
done
