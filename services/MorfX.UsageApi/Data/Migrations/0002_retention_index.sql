-- Retention deletes the oldest usage rows first (Retention:Keep:sms_usage).
CREATE INDEX ix_sms_usage_sent_at ON sms_usage (sent_at);
