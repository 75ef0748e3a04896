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
export HOME="$RABBIT_STATE/home" ERL_EPMD_PORT RABBITMQ_NODENAME="$RABBIT_NODE" RABBITMQ_NODE_PORT="$AMQP_PORT" \
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_DIST_PORT="$RABBIT_DIST_PORT" RABBITMQ_MNESIA_BASE="$RABBIT_STATE/mnesia" \
  RABBITMQ_LOG_BASE="$RABBIT_STATE/log" RABBITMQ_LOGS=- RABBITMQ_PID_FILE="$RABBIT_STATE/rabbit.pid" \
  RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_STATE/enabled_plugins" RABBITMQ_CONFIG_FILE="$RABBIT_STATE/rabbitmq" \
  RABBITMQ_ADVANCED_CONFIG_FILE="$RABBIT_STATE/advanced.config"

stop_epmd() { epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1 || true; }
trap stop_epmd EXIT
echo "rabbitmq node $RABBIT_NODE on 127.0.0.1:$AMQP_PORT"
/usr/lib/rabbitmq/bin/rabbitmq-server &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true' TERM INT
while kill -0 "$pid" 2>/dev/null; do wait "$pid" || true; done
