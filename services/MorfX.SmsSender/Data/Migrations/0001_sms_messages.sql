-- One row per SmsRequested (and per "Probar conexion" test SMS), written before Twilio is called.
CREATE TABLE sms_messages (
    request_id          uuid          PRIMARY KEY,
    workspace_id        uuid          NOT NULL,
    account_sid         text          NULL,
    message_sid         text          NULL,
    to_number           text          NOT NULL,
    from_number         text          NULL,
    body                text          NOT NULL,
    media_urls          text[]        NOT NULL,
    segments            integer       NOT NULL,
    encoding            text          NOT NULL,
    status              text          NOT NULL,
    error_code          integer       NULL,
    error_message       text          NULL,
    price               numeric(12,5) NULL,
    price_unit          text          NULL,
    origin_kind         text          NOT NULL,
    automation_id       uuid          NULL,
    run_id              uuid          NULL,
    trigger_event_id    uuid          NULL,
    created_at          timestamptz   NOT NULL,
    updated_at          timestamptz   NOT NULL,
    send_lease_until    timestamptz   NULL,
    sent_at             timestamptz   NULL,
    final_at            timestamptz   NULL,
    priced_at           timestamptz   NULL,
    next_price_check_at timestamptz   NULL,
    price_checks        integer       NOT NULL
);
CREATE UNIQUE INDEX ix_sms_messages_message_sid ON sms_messages (message_sid);
CREATE INDEX ix_sms_messages_workspace_id_created_at ON sms_messages (workspace_id, created_at);
-- The price reconciler's queue: only rows still waiting for a price.
CREATE INDEX ix_sms_messages_next_price_check_at ON sms_messages (next_price_check_at) WHERE next_price_check_at IS NOT NULL;
