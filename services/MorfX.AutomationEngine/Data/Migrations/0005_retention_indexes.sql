-- Retention deletes the oldest rows first (Retention:Keep:*); outbox_messages uses ix_outbox_messages_sent_at_created_at.
CREATE INDEX ix_processed_events_processed_at ON processed_events (processed_at);
CREATE INDEX ix_automation_runs_started_at ON automation_runs (started_at);
CREATE INDEX ix_last_shopify_orders_seen_at ON last_shopify_orders (seen_at);
