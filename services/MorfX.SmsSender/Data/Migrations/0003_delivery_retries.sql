-- 30003 (unreachable handset) and 30008 (unknown error) are often transient: the request is sent again later, as a new
-- request whose id is derived from this one, with backoff, up to Sending:MaxDeliveryAttempts messages in all.
ALTER TABLE sms_messages ADD COLUMN delivery_attempt integer NOT NULL DEFAULT 1;
ALTER TABLE sms_messages ADD COLUMN redeliver_at timestamptz NULL;
CREATE INDEX ix_sms_messages_redeliver_at ON sms_messages (redeliver_at) WHERE redeliver_at IS NOT NULL;
