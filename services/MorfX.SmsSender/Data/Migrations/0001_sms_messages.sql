CREATE TABLE sms_messages (
    request_id       uuid          PRIMARY KEY,
    workspace_id     uuid          NOT NULL,
    message_sid      text          NULL,
    to_number        text          NOT NULL,
    from_number      text          NULL,
    body             text          NOT NULL,
    media_urls       text[]        NOT NULL,
    segments         integer       NOT NULL,
    encoding         text          NOT NULL,
    status           text          NOT NULL,
    error_code       integer       NULL,
    error_message    text          NULL,
    price            numeric(12,5) NULL,
    price_unit       text          NULL,
    origin_kind      text          NOT NULL,
    automation_id    uuid          NULL,
    run_id           uuid          NULL,
    trigger_event_id uuid          NULL,
    created_at       timestamptz   NOT NULL,
    updated_at       timestamptz   NOT NULL
);
CREATE UNIQUE INDEX ix_sms_messages_message_sid ON sms_messages (message_sid);
