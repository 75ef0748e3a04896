#!/usr/bin/env bash
# 100,000 waiting runs: the engine's and PostgreSQL's CPU over 60 s idle, before and after, and the resumer's poll plan.
set -euo pipefail
PSQL=(psql -h 127.0.0.1 -p 55430 -U postgres -d morfx_enginedb -qtA)
engine=$(pgrep -f "Release/net10.0/MorfX.AutomationEngine$" | head -1)
ticks() { local t=0 p; for p in "$@"; do [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14+$15}' /proc/$p/stat))); done; echo $t; }
measure() { # label
  local pg; pg=$(pgrep -x postgres | tr '\n' ' ')
  local e0 p0 e1 p1; e0=$(ticks $engine); p0=$(ticks $pg); sleep 60; e1=$(ticks $engine); p1=$(ticks $pg)
  echo "$1: automation-engine $(( (e1-e0) )) ticks (1/100 s) of CPU in 60 s = $(awk "BEGIN{printf \"%.2f\", ($e1-$e0)/60}") % of one core; postgres $(awk "BEGIN{printf \"%.2f\", ($p1-$p0)/60}") %"
}
echo "waiting runs before: $("${PSQL[@]}" -c 'SELECT count(*) FROM run_waits')"
measure "idle, no waiting runs"
"${PSQL[@]}" <<'SQL'
WITH runs AS (
  INSERT INTO automation_runs (id, workspace_id, automation_id, trigger_event_id, trigger, status, started_at)
  SELECT gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad((g % 100)::text, 12, '0'))::uuid, gen_random_uuid(), gen_random_uuid(),
         'shopify.order_created', 'waiting', now()
  FROM generate_series(1, 100000) g RETURNING id, workspace_id, automation_id)
INSERT INTO run_waits (run_id, workspace_id, automation_id, next_step, kind, resume_at, depth, data, created_at)
SELECT id, workspace_id, automation_id, 1, 'wait', now() + interval '1 day' + random() * interval '29 days', 0,
       '{"orden":{"numero":"#1001","total":"120000.00"},"cliente":{"nombre":"Ana","telefono":"+573001234567"}}', now()
FROM runs;
ANALYZE run_waits;
SQL
echo "waiting runs now: $("${PSQL[@]}" -c 'SELECT count(*) FROM run_waits')"
measure "idle, 100,000 waiting runs"
"${PSQL[@]}" -c "EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM run_waits WHERE resume_at <= now() ORDER BY resume_at LIMIT 100 FOR UPDATE SKIP LOCKED" | sed 's/^/  /'
"${PSQL[@]}" -c "SELECT pg_size_pretty(pg_total_relation_size('run_waits'))" | sed 's/^/run_waits size: /'
"${PSQL[@]}" -c "DELETE FROM automation_runs WHERE status = 'waiting' AND workspace_id::text LIKE '00000000-0000-4000-8000-%'" >/dev/null
echo "cleaned up"
