#!/usr/bin/env bash
# PostgreSQL from the OS packages as an Aspire resource: installs it when missing, initialises its own data folder, and
# runs the server in the foreground as the postgres user (it refuses root) on 127.0.0.1:$PG_PORT.
# DCP stops a resource with SIGTERM, which is PostgreSQL's slow "smart" shutdown: it is turned into SIGINT (fast shutdown).
# Environment: PG_PORT, PG_HBA_RULES (optional), PG_DATA (the data folder wanted; one the postgres user can reach is used instead when it cannot),
# PG_DURABLE (1, the default: fsync, synchronous_commit and full_page_writes on, so a commit survives a crash; 0: all three
# off, for test-only servers that are thrown away, e.g. deploy/local/infra.sh and the end-to-end tests' AppHost).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/install-packages.sh" postgresql bash -c 'ls /usr/lib/postgresql/*/bin/postgres'
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

# A command prefix, not a function: a function run with & is a subshell, and the signal must reach the server itself.
as_postgres=(); [ "$(id -u)" -eq 0 ] && as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups)

data="$PG_DATA"
mkdir -p "$(dirname "$data")"
if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$(dirname "$data")" 2>/dev/null; then
  # A checkout under a closed home folder: keep the data where the postgres user can reach it, one folder per port.
  data="/var/lib/postgresql/morfx-apphost-$PG_PORT"
fi
mkdir -p "$data"
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$data"
chmod 700 "$data"
if [ ! -f "$data/PG_VERSION" ]; then
  echo "initdb $data"
  "${as_postgres[@]}" "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi

# PG_HBA_RULES (the AppHost's): each service's role may log in, with its password, to its own database only
# (MorfX.ServiceDefaults.PostgresAccess, as in Kubernetes); everyone else keeps local trust on 127.0.0.1.
if [ -n "${PG_HBA_RULES:-}" ]; then
  printf '%s\n' "# Written by postgres.sh at each start." "$PG_HBA_RULES" "local all all trust" "host all all 127.0.0.1/32 trust" \
    "host all all ::1/128 trust" > "$data/pg_hba.conf"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$data/pg_hba.conf"
fi

durability=(-c fsync=on -c synchronous_commit=on -c full_page_writes=on); mode=durable
if [ "${PG_DURABLE:-1}" = 0 ]; then durability=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off); mode="NOT durable (PG_DURABLE=0)"; fi

echo "postgres on 127.0.0.1:$PG_PORT, data $data, $mode"
# Under load the default 1 GB of WAL forced a checkpoint every few minutes, and every page's first change after one is
# written whole to the WAL: checkpoints on time instead, those page images and large JSON bodies compressed with lz4,
# and no JIT compilation for the short statements the services run.
"${as_postgres[@]}" "$bin/postgres" -D "$data" -p "$PG_PORT" -c listen_addresses=127.0.0.1 -k "$data" \
  -c max_connections=400 -c shared_buffers=256MB -c shared_preload_libraries=pg_stat_statements "${durability[@]}" \
  -c max_wal_size=4GB -c checkpoint_timeout=15min -c wal_compression=lz4 -c default_toast_compression=lz4 -c jit=off &
pid=$!
trap 'kill -INT "$pid" 2>/dev/null || true' TERM INT
# `wait` returns early when a trapped signal arrives: wait again until the server has really exited.
while kill -0 "$pid" 2>/dev/null; do wait "$pid" || true; done
