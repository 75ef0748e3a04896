CREATE TABLE received_webhooks (
    webhook_id   text        PRIMARY KEY,
    source       text        NOT NULL,
    topic        text        NOT NULL,
    workspace_id uuid        NOT NULL,
    event_id     uuid        NOT NULL,
    received_at  timestamptz NOT NULL
);
