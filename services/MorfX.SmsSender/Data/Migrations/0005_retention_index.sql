-- Retention deletes the oldest finished messages first (Retention:Keep:sms_messages).
CREATE INDEX ix_sms_messages_created_at ON sms_messages (created_at);
