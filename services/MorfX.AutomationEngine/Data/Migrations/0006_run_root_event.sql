-- The fan-out budget: runs caused by one root event (a Shopify order, a WhatsApp message…) across the CRM and task events
-- it fans out to are counted by the root's id. Null on runs recorded before it existed.
ALTER TABLE automation_runs ADD COLUMN root_event_id uuid NULL;
CREATE INDEX ix_automation_runs_root_event_id ON automation_runs (root_event_id);
