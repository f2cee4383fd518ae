#!/bin/sh
# pg_dump's custom format (-Fc) of the clock database into /backups, each
# under the UTC time it was taken; dumps older than BACKUP_KEEP_DAYS days go.
#
#   backup.sh once    one dump, then exit (a one-off, a Kubernetes CronJob)
#   backup.sh every   one dump every BACKUP_INTERVAL seconds (a service)
#
# The server, database and user come from libpq's own PGHOST, PGDATABASE and
# PGUSER; the password from the file DATABASE_PASSWORD_FILE names (a secret).
set -eu
umask 077

: "${BACKUP_KEEP_DAYS:?days to keep dumps}"
PGPASSWORD="$(cat "${DATABASE_PASSWORD_FILE:?the password file}")"
export PGPASSWORD

dump() {
  name="/backups/clock-$(date -u +%Y%m%dT%H%M%SZ).dump"
  # Under a temporary name until complete: a failed dump leaves no file that
  # looks like a backup.
  pg_dump --format=custom --file="$name.partial"
  mv "$name.partial" "$name"
  find /backups -name 'clock-*.dump' -mmin "+$((BACKUP_KEEP_DAYS * 1440))" -print -delete \
    | sed 's/^/removed, older than the retention: /'
  echo "backed up to $name ($(wc -c <"$name") bytes)"
}

case "${1:-}" in
  once)
    dump
    ;;
  every)
    : "${BACKUP_INTERVAL:?seconds between dumps}"
    while :; do
      # A failed dump (the server away) is said, and tried again next time.
      dump || echo "backup failed: pg_dump exited $?" >&2
      sleep "$BACKUP_INTERVAL"
    done
    ;;
  *)
    echo "usage: backup.sh once|every" >&2
    exit 2
    ;;
esac
