#!/usr/bin/env bash
# rabbitmqctl against the node rabbitmq.sh runs (same environment: AMQP_PORT, RABBIT_NODE, RABBIT_DIST_PORT, ERL_EPMD_PORT,
# RABBIT_STATE). Usage: rabbitmqctl.sh list_queues name messages
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/rabbitmq-env.sh"
# The package's /usr/sbin/rabbitmqctl switches to the rabbitmq user and its HOME (another cookie): call the tool itself.
exec /usr/lib/rabbitmq/bin/rabbitmqctl -n "$RABBIT_NODE" "$@"
