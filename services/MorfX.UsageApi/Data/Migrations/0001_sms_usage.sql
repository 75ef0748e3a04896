-- The SMS usage read model: one row per SMS (sms-sender's request id), converged from SmsSent, SmsFailed,
-- SmsStatusChanged and SmsPriced by SmsUsageWriter's upsert, whatever order they arrive in.
CREATE TABLE sms_usage (
    request_id    uuid          PRIMARY KEY,
    workspace_id  uuid          NOT NULL,
    automation_id uuid          NULL,
    message_sid   text          NULL,
    to_number     text          NULL,
    body          text          NULL,
    status        text          NULL,
    status_rank   integer       NOT NULL,
    segments      integer       NOT NULL,
    cost          numeric(12,5) NULL,
    price_unit    text          NULL,
    sent_at       timestamptz   NOT NULL,
    updated_at    timestamptz   NOT NULL
);

-- Every usage query reads one workspace over a time range. The included columns let the totals, the daily
-- chart and the per-automation breakdown run as index-only scans, so a year of history costs only the
-- index entries of the requested period; the recent-messages list reads the index backwards and stops at 50.
CREATE INDEX ix_sms_usage_workspace_id_sent_at ON sms_usage (workspace_id, sent_at)
    INCLUDE (status, cost, price_unit, automation_id);
