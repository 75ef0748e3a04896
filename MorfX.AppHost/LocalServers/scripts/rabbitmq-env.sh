#!/usr/bin/env bash
# Sourced by rabbitmq.sh and rabbitmqctl.sh: one node's name, ports and folders (its Erlang cookie lives in its own HOME),
# so the server and the tools that talk to it agree. Needs AMQP_PORT, RABBIT_NODE, RABBIT_DIST_PORT, ERL_EPMD_PORT, RABBIT_STATE.
export HOME="$RABBIT_STATE/home" ERL_EPMD_PORT RABBITMQ_NODENAME="$RABBIT_NODE" RABBITMQ_NODE_PORT="$AMQP_PORT" \
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_DIST_PORT="$RABBIT_DIST_PORT" RABBITMQ_MNESIA_BASE="$RABBIT_STATE/mnesia" \
  RABBITMQ_LOG_BASE="$RABBIT_STATE/log" RABBITMQ_LOGS=- RABBITMQ_PID_FILE="$RABBIT_STATE/rabbit.pid" \
  RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_STATE/enabled_plugins" RABBITMQ_CONFIG_FILE="$RABBIT_STATE/rabbitmq" \
  RABBITMQ_ADVANCED_CONFIG_FILE="$RABBIT_STATE/advanced.config"
