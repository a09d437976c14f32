#!/bin/sh
# Nightly dump of the Jianxi database, run by jianxi-backup.timer as postgres on the database
# host (docs/operations.md, "Backups and restore"). DB: the database name or a libpq URI;
# BACKUP_DIR: where dumps go. Keeps 14 nightly dumps and the first of each month for a year.
set -eu
DB=${DB:-jianxi}
BACKUP_DIR=${BACKUP_DIR:-/var/backups/jianxi}
BACKUP="$BACKUP_DIR/jianxi-$(date +%F).dump"
# Row counts and settlement totals at dump time, to compare a restored copy with.
psql -XAt --dbname="$DB" --file="$(dirname "$0")/backup-check.sql" >"$BACKUP.counts"
# Written under a temporary name: a file named .dump is always a complete dump.
pg_dump --format=custom --file="$BACKUP.partial" "$DB"
mv "$BACKUP.partial" "$BACKUP"
find "$BACKUP_DIR" -name 'jianxi-*' ! -name 'jianxi-*-01.*' -mtime +13 -delete
find "$BACKUP_DIR" -name 'jianxi-*' -mtime +365 -delete
