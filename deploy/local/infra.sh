#!/usr/bin/env bash
# PostgreSQL and RabbitMQ for the per-service test fixtures, run by the same scripts the AppHost runs them with
# (MorfX.AppHost/LocalServers/scripts: installed from the OS packages when missing, own ports, data under .morfx/).
# The AppHost runs them as resources in the foreground; here they run in the background until `stop`.
#   infra.sh start | stop | status | start-postgres | stop-postgres | start-rabbitmq | stop-rabbitmq | restart-rabbitmq | ctl ARGS
# Ports: MORFX_PG_PORT (55432), MORFX_AMQP_PORT (56720), MORFX_RABBIT_DIST_PORT (25673), MORFX_EPMD_PORT (43xx, from the
# AMQP port: stopping a node stops its own port mapper, never another node's); node MORFX_RABBIT_NODE (morfx@localhost).
# MORFX_PG_DURABLE (0): these servers hold only test data, so PostgreSQL runs without fsync unless this says 1; the AppHost's
# own PostgreSQL (`morfx up`, `morfx bench`) is durable by default.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SCRIPTS="$ROOT/MorfX.AppHost/LocalServers/scripts"
STATE="${MORFX_STATE:-$ROOT/.morfx}"
export PG_PORT="${MORFX_PG_PORT:-55432}" AMQP_PORT="${MORFX_AMQP_PORT:-56720}" PG_DURABLE="${MORFX_PG_DURABLE:-0}"
export RABBIT_NODE="${MORFX_RABBIT_NODE:-morfx@localhost}" RABBIT_DIST_PORT="${MORFX_RABBIT_DIST_PORT:-25673}"
export ERL_EPMD_PORT="${MORFX_EPMD_PORT:-$((4300 + AMQP_PORT % 100))}"

log() { echo "[infra] $*" >&2; }

# Which server runs on a port (its wrapper's pid, its data folder), so any checkout that stops or restarts it (the fault
# tests do) acts on that server and its data, not on a fresh, empty one of its own.
REGISTRY="${MORFX_REGISTRY:-/tmp/morfx-infra}"
registered() { [ -f "$REGISTRY/$1" ] && cat "$REGISTRY/$1"; }
register() { mkdir -p "$REGISTRY"; echo "$2" > "$REGISTRY/$1"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # port open|closed seconds
  local i; for i in $(seq 1 $(($3 * 2))); do
    if [ "$2" = open ]; then port_open "$1" && return 0; else port_open "$1" || return 0; fi
    sleep 0.5
  done; return 1
}

# The servers outlive this script: they must not inherit its caller's descriptors (a test runner's lock held by `flock`,
# a pipe a CI step waits on), or whoever waits for those would wait for the servers too.
close_inherited_fds() {
  local fd
  for fd in $(ls /proc/$$/fd 2>/dev/null); do
    if [ "$fd" -gt 2 ] && [ "$fd" -lt 200 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}

# Runs a server script detached, in its own session, and records its pid.
run_detached() { # name script log
  mkdir -p "$STATE"
  # MORFX_INFRA=1 tells `morfx down`, which stops what the AppHost ran from these scripts, to leave these alone.
  MORFX_INFRA=1 setsid nohup bash "$SCRIPTS/$2" >"$3" 2>&1 </dev/null &
  register "$1.pid" "$!"
}

stop_registered() { # name port
  local pid; pid=$(registered "$1.pid" || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    log "stopping $1"
    kill -TERM "$pid" 2>/dev/null || true
    local i; for i in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  elif port_open "$2"; then
    log "a server this script did not start listens on $2: stop it, or choose other ports (MORFX_PG_PORT, MORFX_AMQP_PORT)"; return 1
  fi
  rm -f "$REGISTRY/$1.pid"
}

start_postgres() {
  if port_open "$PG_PORT"; then log "postgres already listening on $PG_PORT"; return 0; fi
  export PG_DATA; PG_DATA="$(registered "postgres-$PG_PORT" || echo "$STATE/postgres-$PG_PORT")"
  register "postgres-$PG_PORT" "$PG_DATA"
  log "starting postgres on 127.0.0.1:$PG_PORT"
  run_detached "postgres-$PG_PORT" postgres.sh "$STATE/postgres-$PG_PORT.log"
  wait_port "$PG_PORT" open 120 || { log "postgres did not start: see $STATE/postgres-$PG_PORT.log"; return 1; }
}

stop_postgres() { stop_registered "postgres-$PG_PORT" "$PG_PORT"; }

rabbit_state() { registered "rabbitmq-$AMQP_PORT" || echo "$STATE/rabbitmq-$AMQP_PORT"; }

start_rabbitmq() {
  if port_open "$AMQP_PORT"; then log "rabbitmq already listening on $AMQP_PORT"; return 0; fi
  export RABBIT_STATE; RABBIT_STATE="$(rabbit_state)"
  register "rabbitmq-$AMQP_PORT" "$RABBIT_STATE"
  log "starting rabbitmq on 127.0.0.1:$AMQP_PORT"
  run_detached "rabbitmq-$AMQP_PORT" rabbitmq.sh "$STATE/rabbitmq-$AMQP_PORT.log"
  wait_port "$AMQP_PORT" open 120 || { log "rabbitmq did not start: see $STATE/rabbitmq-$AMQP_PORT.log"; return 1; }
  # The port opens before the node has finished booting.
  RABBIT_STATE="$RABBIT_STATE" "$SCRIPTS/rabbitmqctl.sh" -q await_startup --timeout 60 >/dev/null
}

stop_rabbitmq() { stop_registered "rabbitmq-$AMQP_PORT" "$AMQP_PORT"; wait_port "$AMQP_PORT" closed 30; }

case "${1:-status}" in start*|restart*) close_inherited_fds ;; esac

case "${1:-status}" in
  start) start_postgres; start_rabbitmq ;;
  stop) stop_rabbitmq; stop_postgres ;;
  start-postgres) start_postgres ;;
  stop-postgres) stop_postgres ;;
  start-rabbitmq) start_rabbitmq ;;
  stop-rabbitmq) stop_rabbitmq ;;
  restart-rabbitmq) stop_rabbitmq; start_rabbitmq ;;
  ctl) shift; RABBIT_STATE="$(rabbit_state)" exec "$SCRIPTS/rabbitmqctl.sh" "$@" ;;
  status)
    port_open "$PG_PORT" && echo "postgres  up    127.0.0.1:$PG_PORT" || echo "postgres  down"
    port_open "$AMQP_PORT" && echo "rabbitmq  up    127.0.0.1:$AMQP_PORT" || echo "rabbitmq  down" ;;
  *) echo "usage: infra.sh start|stop|status|start-postgres|stop-postgres|start-rabbitmq|stop-rabbitmq|restart-rabbitmq|ctl ARGS" >&2; exit 2 ;;
esac
