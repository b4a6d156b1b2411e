#!/usr/bin/env bash
# A PostgreSQL primary and a streaming standby on loopback, for trying reporting reads on a second
# machine (docs/operations.md) and for peerpath/core/tests/test_reporting_replica.py.
#
#   scripts/replica.sh start    primary on 127.0.0.1:$PRIMARY_PORT, standby on 127.0.0.1:$REPLICA_PORT
#   scripts/replica.sh stop     stop both and remove their data directories
#
# The standby is made the way a real one is: pg_basebackup -R (standby.signal + primary_conninfo)
# from the primary, then started read-only, replaying the primary's WAL as it streams. Both use
# their own throwaway clusters under $REPLICA_ROOT (the shared server on 5432 is not touched: a
# base backup of it would copy every engineer's databases). Runs as root by switching to postgres.
set -euo pipefail
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
REPLICA_ROOT=${REPLICA_ROOT:-/tmp/peerpath-replica}
PRIMARY_PORT=${PRIMARY_PORT:-5442}
REPLICA_PORT=${REPLICA_PORT:-5443}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  [ -x "$PGBIN/pg_basebackup" ] || { echo "replica.sh: PostgreSQL binaries not found (PGBIN=$PGBIN)" >&2; exit 2; }
  stop_quietly
  mkdir -p "$REPLICA_ROOT"
  [ "$(id -u)" = 0 ] && chown postgres: "$REPLICA_ROOT"
  as_postgres "$PGBIN/initdb" -D "$REPLICA_ROOT/primary" -U postgres --auth=trust -E UTF8 >/dev/null
  cat >> "$REPLICA_ROOT/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = '$REPLICA_ROOT'
wal_level = replica
max_wal_senders = 4
fsync = off
EOF
  echo "host replication all 127.0.0.1/32 trust" >> "$REPLICA_ROOT/primary/pg_hba.conf"
  as_postgres "$PGBIN/pg_ctl" -D "$REPLICA_ROOT/primary" -l "$REPLICA_ROOT/primary.log" -w start >/dev/null
  as_postgres "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$REPLICA_ROOT/standby" -R -X stream -c fast
  cat >> "$REPLICA_ROOT/standby/postgresql.conf" <<EOF
port = $REPLICA_PORT
hot_standby = on
EOF
  test -f "$REPLICA_ROOT/standby/standby.signal"
  as_postgres "$PGBIN/pg_ctl" -D "$REPLICA_ROOT/standby" -l "$REPLICA_ROOT/standby.log" -w start >/dev/null
  echo "primary postgres://postgres@127.0.0.1:$PRIMARY_PORT/postgres"
  echo "standby postgres://postgres@127.0.0.1:$REPLICA_PORT/postgres"
}

stop_quietly() {
  for node in standby primary; do
    if [ -f "$REPLICA_ROOT/$node/postmaster.pid" ]; then
      as_postgres "$PGBIN/pg_ctl" -D "$REPLICA_ROOT/$node" -m immediate stop >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$REPLICA_ROOT"
}

case "${1:-}" in
  start) start ;;
  stop) stop_quietly ;;
  *) echo "usage: $0 start|stop" >&2; exit 64 ;;
esac
