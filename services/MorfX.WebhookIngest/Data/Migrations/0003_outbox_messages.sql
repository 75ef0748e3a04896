-- The outbox (MorfX.ServiceDefaults/Outbox): a Shopify webhook's event is committed with its id before the 200, then
-- published; what the broker did not confirm is published by the dispatcher once it is back. Same table in every service.
CREATE TABLE outbox_messages (
    id           uuid        PRIMARY KEY,
    message_type text        NOT NULL,
    body         jsonb       NOT NULL,
    created_at   timestamptz NOT NULL,
    sent_at      timestamptz NULL
);
CREATE INDEX ix_outbox_messages_sent_at_created_at ON outbox_messages (sent_at, created_at);
