-- The outbox (MorfX.ServiceDefaults/Outbox): what the background workers announce (statuses and prices found by the
-- reconciler, redeliveries handed over) commits with the rows that caused it. Same table in every service.
CREATE TABLE outbox_messages (
    id           uuid        PRIMARY KEY,
    message_type text        NOT NULL,
    body         jsonb       NOT NULL,
    created_at   timestamptz NOT NULL,
    sent_at      timestamptz NULL
);
CREATE INDEX ix_outbox_messages_sent_at_created_at ON outbox_messages (sent_at, created_at);
