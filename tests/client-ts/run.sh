#!/usr/bin/env bash
# The frontend's contract, checked: generates the TypeScript clients from the services' OpenAPI documents (openapi-typescript),
# compiles the flows program against them (tsc, strict) and, for `flows`, runs it.
#   run.sh check   MORFX_OPENAPI_DIR=<folder of config-api.json, automation-engine.json, usage-api.json>: generate + type-check
#   run.sh flows   MORFX_CONFIG_URL, MORFX_ENGINE_URL, MORFX_USAGE_URL, MORFX_TOKEN, MORFX_RUN_ID, MORFX_TWILIO_ACCOUNT_SID,
#                  MORFX_TWILIO_AUTH_TOKEN, MORFX_SHOP_DOMAIN, MORFX_SHOP_ACCESS_TOKEN: generate from the live
#                  documents, compile, run against the services
# node_modules is installed once per package-lock.json (npm ci, the npm registry only) in the ignored state folder.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE="${MORFX_STATE:-$ROOT/.morfx}"
sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || {
  sudo_ apt-get update -qq >/dev/null && sudo_ apt-get install -y -qq nodejs npm >/dev/null; }

lock_hash=$(sha256sum "$HERE/package-lock.json" | cut -c1-16)
modules="$STATE/client-ts/$lock_hash"
if [ ! -f "$modules/.installed" ]; then
  rm -rf "$modules" && mkdir -p "$modules"
  cp "$HERE/package.json" "$HERE/package-lock.json" "$modules/"
  (cd "$modules" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  touch "$modules/.installed"
fi
if [ "$(readlink "$HERE/node_modules" 2>/dev/null)" != "$modules/node_modules" ]; then
  rm -rf "$HERE/node_modules" && ln -s "$modules/node_modules" "$HERE/node_modules"
fi

cd "$HERE"
node generate.mjs
case "${1:-check}" in
  check) node_modules/.bin/tsc --noEmit -p . && echo "client-ts: the flows type-check against the generated clients" ;;
  flows) rm -rf dist && node_modules/.bin/tsc -p . && node dist/flows.js ;;
  *) echo "usage: run.sh check|flows" >&2; exit 2 ;;
esac
