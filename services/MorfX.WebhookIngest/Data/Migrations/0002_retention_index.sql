-- Retention deletes the oldest accepted webhooks first (Retention:Keep:received_webhooks).
CREATE INDEX ix_received_webhooks_received_at ON received_webhooks (received_at);
