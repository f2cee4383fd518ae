#!/bin/sh
# pg_dump's custom format (-Fc) of the database into /backups, each named
# after the database and the UTC time it was taken; dumps older than
# BACKUP_KEEP_DAYS days go.
#
#   backup.sh once    one dump, then exit (a one-off, a Kubernetes CronJob)
#   backup.sh every   one dump every BACKUP_INTERVAL seconds (a service)
#
# The server, database and user come from libpq's own PGHOST, PGDATABASE and
# PGUSER; the password from the file DATABASE_PASSWORD_FILE names (a secret).
set -eu
umask 077

: "${PGDATABASE:?the database to dump}"
: "${BACKUP_KEEP_DAYS:?days to keep dumps}"
PGPASSWORD="$(cat "${DATABASE_PASSWORD_FILE:?the password file}")"
export PGPASSWORD

# Each step checked by hand: `set -e` does not apply inside a function
# called from `||`, as `every` calls it.
dump() {
  name="/backups/${PGDATABASE}-$(date -u +%Y%m%dT%H%M%SZ).dump"
  # Under a temporary name until complete: a failed dump leaves no file that
  # looks like a backup.
  if ! pg_dump --format=custom --file="$name.partial"; then
    rm -f "$name.partial"
    return 1
  fi
  mv "$name.partial" "$name" || return 1
  echo "backed up to $name ($(wc -c <"$name") bytes)"
  # Only after a dump succeeded: a server away for days leaves the last ones.
  find /backups -name "${PGDATABASE}-*.dump" -mmin "+$((BACKUP_KEEP_DAYS * 1440))" -print -delete \
    | sed 's/^/removed, older than the retention: /'
}

case "${1:-}" in
  once)
    dump
    ;;
  every)
    : "${BACKUP_INTERVAL:?seconds between dumps}"
    while :; do
      # The server may still be starting (the services start together).
      until pg_isready --quiet; do sleep 5; done
      # A failed dump is said, and tried again next time.
      dump || echo "backup failed, the next one in $BACKUP_INTERVAL s" >&2
      sleep "$BACKUP_INTERVAL"
    done
    ;;
  *)
    echo "usage: backup.sh once|every" >&2
    exit 2
    ;;
esac
