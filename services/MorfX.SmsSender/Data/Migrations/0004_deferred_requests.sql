-- SmsRequested that could not be handled because config-api's look-up or Twilio stayed unreachable past the consumer's
-- in-process retries: parked here instead of in the _error queue, and handed back to the queue once due_at has passed
-- (with backoff), until Deferral:MaxWait after it was requested. The row goes when it is handed back; request_id stays the exactly-once key.
CREATE TABLE deferred_sms_requests (
    request_id        uuid        PRIMARY KEY,
    message           jsonb       NOT NULL,
    deferrals         integer     NOT NULL,
    reason            text        NOT NULL,
    deferred_at       timestamptz NOT NULL,
    due_at            timestamptz NOT NULL
);
CREATE INDEX ix_deferred_sms_requests_due_at ON deferred_sms_requests (due_at);
