CREATE TABLE sms_usage (
    request_id    uuid          PRIMARY KEY,
    workspace_id  uuid          NOT NULL,
    automation_id uuid          NULL,
    message_sid   text          NULL,
    to_number     text          NULL,
    body          text          NULL,
    status        text          NULL,
    segments      integer       NOT NULL,
    cost          numeric(12,5) NULL,
    price_unit    text          NULL,
    sent_at       timestamptz   NOT NULL,
    updated_at    timestamptz   NOT NULL
);
CREATE INDEX ix_sms_usage_workspace_id_sent_at ON sms_usage (workspace_id, sent_at);
