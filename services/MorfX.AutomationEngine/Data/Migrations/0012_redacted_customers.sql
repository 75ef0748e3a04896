-- Redacted Shopify customers and shops, by the keyed hashes (Redaction:HashKey) of their Shopify ids, phones and emails: a
-- trigger or CRM event about them from before the redaction, still queued, is dropped instead of re-creating them.
-- Kept 30 days (Retention:Keep:redacted_customers).
CREATE TABLE redacted_customers (
    workspace_id uuid        NOT NULL,
    key_hash     bytea       NOT NULL,
    redacted_at  timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, key_hash)
);
CREATE INDEX ix_redacted_customers_redacted_at ON redacted_customers (redacted_at);
