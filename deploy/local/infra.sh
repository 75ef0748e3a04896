#!/usr/bin/env bash
# PostgreSQL and RabbitMQ from the operating system's packages, for machines without Docker.
# Installs them when missing, runs them on their own ports with data under .morfx/ (git-ignored).
#   infra.sh start | stop | status | restart-rabbitmq | stop-postgres | start-postgres
# Sourced by deploy/local/morfx; the tests call `infra.sh start` when the servers are not reachable.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${MORFX_STATE:-$ROOT/.morfx}"
PG_PORT="${MORFX_PG_PORT:-55432}"
AMQP_PORT="${MORFX_AMQP_PORT:-56720}"
RABBIT_NODE="${MORFX_RABBIT_NODE:-morfx@localhost}"

log() { echo "[infra] $*" >&2; }

# The servers outlive this script: they must not inherit its caller's descriptors (a test runner's lock held by
# `flock`, a pipe a CI step waits on), or whoever waits for those would wait for the servers too.
close_inherited_fds() {
  local fd
  for fd in $(ls /proc/$$/fd 2>/dev/null); do
    if [ "$fd" -gt 2 ] && [ "$fd" -lt 200 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}

# Which data folder the server on a port uses, so any checkout that stops or restarts it (the fault tests do) acts on
# the same server and data, not on a fresh, empty one of its own.
REGISTRY="${MORFX_REGISTRY:-/tmp/morfx-infra}"
registered() { [ -f "$REGISTRY/$1" ] && cat "$REGISTRY/$1"; }
register() { mkdir -p "$REGISTRY"; echo "$2" > "$REGISTRY/$1"; }

install_packages() {
  local missing=()
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
  command -v rabbitmq-server >/dev/null 2>&1 || missing+=(rabbitmq-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} from the OS packages"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  # The packages' own services are not used (policy-rc.d may refuse them anyway): we start our own.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }

# The postgres user must be able to reach the data folder; fall back outside the repo when a parent is closed.
pg_data() {
  local known; known=$(registered "postgres-$PG_PORT" || true)
  if [ -n "$known" ] && [ -f "$known/PG_VERSION" ]; then echo "$known"; return; fi
  local dir="$STATE/postgres"
  if ! su postgres -s /bin/sh -c "test -x '$STATE' 2>/dev/null || test -x '$(dirname "$STATE")'"; then
    dir="/var/lib/postgresql/morfx-$(echo "$ROOT" | md5sum | cut -c1-8)"
  fi
  echo "$dir"
}

as_postgres() { su postgres -s /bin/sh -c "$*"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_postgres() {
  local data bin; data="$(pg_data)"; bin="$(pg_bin)"
  if port_open "$PG_PORT"; then log "postgres already listening on $PG_PORT"; return 0; fi
  mkdir -p "$STATE"; mkdir -p "$data"; chown postgres:postgres "$data"; chmod 700 "$data"
  if [ ! -f "$data/PG_VERSION" ]; then
    log "initdb $data"
    as_postgres "'$bin/initdb' -D '$data' -U postgres -A trust -E UTF8 --locale=C.UTF-8" >/dev/null
  fi
  log "starting postgres on 127.0.0.1:$PG_PORT"
  as_postgres "'$bin/pg_ctl' -D '$data' -l '$data/server.log' -w -t 60 -o \"-p $PG_PORT -c listen_addresses=127.0.0.1 -k '$data' -c max_connections=400 -c shared_buffers=256MB -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start" >/dev/null
  register "postgres-$PG_PORT" "$data"
}

stop_postgres() {
  local data bin; data="$(pg_data)"; bin="$(pg_bin 2>/dev/null || true)"
  [ -f "$data/postmaster.pid" ] || return 0
  log "stopping postgres"
  as_postgres "'$bin/pg_ctl' -D '$data' -m fast -w stop" >/dev/null || true
}

rabbit_state() {
  local known; known=$(registered "rabbitmq-$AMQP_PORT" || true)
  if [ -n "$known" ] && [ -d "$known/mnesia" ]; then echo "$known"; else echo "$STATE/rabbitmq"; fi
}

rabbit_env() {
  local RSTATE; RSTATE="$(rabbit_state)"
  export RABBITMQ_NODENAME="$RABBIT_NODE" RABBITMQ_NODE_PORT="$AMQP_PORT" RABBITMQ_DIST_PORT="${MORFX_RABBIT_DIST_PORT:-25673}" \
    RABBITMQ_MNESIA_BASE="$RSTATE/mnesia" RABBITMQ_LOG_BASE="$RSTATE/log" \
    RABBITMQ_PID_FILE="$RSTATE/rabbit.pid" RABBITMQ_ENABLED_PLUGINS_FILE="$RSTATE/enabled_plugins" \
    RABBITMQ_CONFIG_FILE="$RSTATE/rabbitmq" RABBITMQ_ADVANCED_CONFIG_FILE="$RSTATE/advanced.config"
}

rabbitmqctl_() { rabbit_env; rabbitmqctl -n "$RABBIT_NODE" "$@"; }

start_rabbitmq() {
  if port_open "$AMQP_PORT"; then log "rabbitmq already listening on $AMQP_PORT"; return 0; fi
  local RSTATE; RSTATE="$(rabbit_state)"
  rabbit_env
  mkdir -p "$RSTATE/mnesia" "$RSTATE/log"
  [ -f "$RSTATE/enabled_plugins" ] || echo "[]." > "$RSTATE/enabled_plugins"
  [ -f "$RSTATE/rabbitmq.conf" ] || printf 'loopback_users = none\nvm_memory_high_watermark.relative = 0.4\n' > "$RSTATE/rabbitmq.conf"
  chown -R rabbitmq:rabbitmq "$RSTATE"
  register "rabbitmq-$AMQP_PORT" "$RSTATE"
  log "starting rabbitmq on 127.0.0.1:$AMQP_PORT"
  rabbitmq-server -detached >/dev/null 2>&1 || true
  # -detached returns before the node registers with epmd; await_startup fails fast until it has.
  local i
  for i in $(seq 1 60); do
    rabbitmqctl -n "$RABBIT_NODE" -q await_startup --timeout 60 >/dev/null 2>&1 && port_open "$AMQP_PORT" && return 0
    sleep 1
  done
  log "rabbitmq did not start: see $RSTATE/log"; return 1
}

stop_rabbitmq() {
  rabbit_env
  if [ -f "$RABBITMQ_PID_FILE" ] || port_open "$AMQP_PORT"; then
    log "stopping rabbitmq"
    timeout 60 rabbitmqctl -n "$RABBIT_NODE" -q stop >/dev/null 2>&1 || true
    local i; for i in $(seq 1 30); do port_open "$AMQP_PORT" || break; sleep 1; done
  fi
}

case "${1:-status}" in start*|restart*) close_inherited_fds ;; esac

case "${1:-status}" in
  start) install_packages; start_postgres; start_rabbitmq ;;
  stop) stop_rabbitmq; stop_postgres ;;
  start-postgres) start_postgres ;;
  stop-postgres) stop_postgres ;;
  start-rabbitmq) start_rabbitmq ;;
  stop-rabbitmq) stop_rabbitmq ;;
  restart-rabbitmq) stop_rabbitmq; start_rabbitmq ;;
  ctl) shift; rabbitmqctl_ "$@" ;;
  status)
    port_open "$PG_PORT" && echo "postgres  up    127.0.0.1:$PG_PORT" || echo "postgres  down"
    port_open "$AMQP_PORT" && echo "rabbitmq  up    127.0.0.1:$AMQP_PORT" || echo "rabbitmq  down" ;;
  *) echo "usage: infra.sh start|stop|status|start-postgres|stop-postgres|start-rabbitmq|stop-rabbitmq|restart-rabbitmq|ctl ARGS" >&2; exit 2 ;;
esac
