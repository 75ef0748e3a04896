-- Inbound SMS (a customer's SALIR…) that arrived while config-api could not give the workspace's auth token: kept as Twilio
-- signed them and verified once the token can be read (UnverifiedInboundVerifier), instead of a 503 that Twilio retries
-- only once. Bounded per AccountSid and in total (UnverifiedInboundOptions); dropped when not verifiable within MaxAge.
CREATE TABLE unverified_inbound_sms (
    id           uuid        PRIMARY KEY,
    workspace_id uuid        NOT NULL,
    account_sid  text        NOT NULL,
    message_sid  text        NOT NULL,
    url          text        NOT NULL,
    fields       jsonb       NOT NULL,
    signature    text        NOT NULL,
    received_at  timestamptz NOT NULL
);
CREATE INDEX ix_unverified_inbound_sms_account_sid ON unverified_inbound_sms (account_sid);
CREATE INDEX ix_unverified_inbound_sms_received_at ON unverified_inbound_sms (received_at);
