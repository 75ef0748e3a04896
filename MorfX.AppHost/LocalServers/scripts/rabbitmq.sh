#!/usr/bin/env bash
# RabbitMQ from the OS packages as an Aspire resource: installs it when missing, runs its own node (name, ports, data,
# logs to the console, HOME for the Erlang cookie) in the foreground, and stops the node's epmd when the node stops.
# Environment: AMQP_PORT, RABBIT_NODE, RABBIT_DIST_PORT, ERL_EPMD_PORT, RABBIT_STATE (its folder).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/install-packages.sh" rabbitmq-server test -x /usr/lib/rabbitmq/bin/rabbitmq-server

mkdir -p "$RABBIT_STATE/mnesia" "$RABBIT_STATE/home"
[ -f "$RABBIT_STATE/enabled_plugins" ] || echo "[]." > "$RABBIT_STATE/enabled_plugins"
printf 'loopback_users = none\nvm_memory_high_watermark.relative = 0.4\nlisteners.tcp.1 = 127.0.0.1:%s\n' "$AMQP_PORT" > "$RABBIT_STATE/rabbitmq.conf"
. "$here/rabbitmq-env.sh"
# Erlang's schedulers spin while idle, betting work arrives within microseconds (RabbitMQ's runtime guide, "Scheduler Busy
# Waiting"): on 2 cores shared with PostgreSQL and the services that CPU is taken from them. The guide's setting for shared hosts.
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="+sbwt none +sbwtdcpu none +sbwtdio none"

stop_epmd() { epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1 || true; }
trap stop_epmd EXIT
echo "rabbitmq node $RABBIT_NODE on 127.0.0.1:$AMQP_PORT"
/usr/lib/rabbitmq/bin/rabbitmq-server &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true' TERM INT
while kill -0 "$pid" 2>/dev/null; do wait "$pid" || true; done
