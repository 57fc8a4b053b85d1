#!/bin/sh
# Copies of the media and of the erasure log, in the minio/mc image.
#   media.sh sync       the media mirrored (deletions too), the erasure log copied (never pruned)
#   media.sh restore    the media mirror copied back into the media bucket (or folder)
# Source: the media bucket S3_BUCKET on S3_ENDPOINT_URL, or the folder /data/media when S3_BUCKET is
# empty; the erasure log's bucket PRIVACY_ERASURE_LOG_BUCKET. Destination: BACKUP_S3_BUCKET on
# BACKUP_S3_ENDPOINT_URL when set (another machine), else the folder /backups, where the database
# dumps are too (they are copied along to the other machine).
set -eu

store_alias() {
    mc alias set store "$S3_ENDPOINT_URL" "$S3_ACCESS_KEY" "$S3_SECRET_KEY" >/dev/null
}

if [ -n "${S3_BUCKET:-}" ]; then
    store_alias
    media="store/$S3_BUCKET"
else
    media=/data/media
fi

if [ -n "${BACKUP_S3_ENDPOINT_URL:-}" ]; then
    : "${BACKUP_S3_BUCKET:?set BACKUP_S3_BUCKET with BACKUP_S3_ENDPOINT_URL}"
    mc alias set offsite "$BACKUP_S3_ENDPOINT_URL" "${BACKUP_S3_ACCESS_KEY:?set BACKUP_S3_ACCESS_KEY}" \
        "${BACKUP_S3_SECRET_KEY:?set BACKUP_S3_SECRET_KEY}" >/dev/null
    target="offsite/$BACKUP_S3_BUCKET"
else
    target=/backups
fi

media_sync() {
    # --remove: a photo deleted on the portal (an erased child's among them) leaves the copy too.
    mc mirror --overwrite --remove "$media" "$target/media"
    if [ -n "${PRIVACY_ERASURE_LOG_BUCKET:-}" ]; then
        store_alias
        # Never --remove: the log only grows, and it is what keeps erased families erased.
        mc mirror --overwrite "store/$PRIVACY_ERASURE_LOG_BUCKET" "$target/erasure-log"
    fi
    if [ "$target" != /backups ]; then
        mc mirror --overwrite --remove /backups/postgres "$target/postgres"
    fi
}

media_restore() {
    # Without --remove: what was uploaded since the copy stays; the replay of the erasure log then
    # deletes an erased family's files again along with their rows.
    mc mirror --overwrite "$target/media" "$media"
    if [ -n "${PRIVACY_ERASURE_LOG_BUCKET:-}" ]; then
        store_alias
        # Merged back, never replacing: objects written since the copy stay.
        mc mb --ignore-existing "store/$PRIVACY_ERASURE_LOG_BUCKET"
        mc mirror "$target/erasure-log" "store/$PRIVACY_ERASURE_LOG_BUCKET"
    fi
}

case "${1:-}" in
    sync) media_sync ;;
    restore) media_restore ;;
    *) echo "usage: media.sh sync | media.sh restore" >&2; exit 2 ;;
esac
