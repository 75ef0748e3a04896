-- Phones of customers erased by Shopify's customers/redact or shop/redact (SmsRecipientsRedacted), kept as salted hashes for
-- a bounded time (Retention:Keep:redacted_recipients): an SmsRequested still queued or parked for such a customer is skipped
-- with customer_redacted, never sent, and its row keeps neither the number nor the text.
CREATE FUNCTION recipient_hash(workspace_id uuid, phone text) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT sha256(convert_to(workspace_id::text || ':' || phone, 'UTF8')) $$;

CREATE TABLE redacted_recipients (
    workspace_id uuid        NOT NULL,
    phone_hash   bytea       NOT NULL,
    redacted_at  timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, phone_hash)
);
CREATE INDEX ix_redacted_recipients_redacted_at ON redacted_recipients (redacted_at);
