-- Shopify does not deliver in order: an orders/updated is applied only when its state is newer than the copy's
-- (updated_at, then X-Shopify-Triggered-At), and a state read by reconciliation is not repeated by a webhook of that moment.
ALTER TABLE last_shopify_orders
    ADD COLUMN update_triggered_at timestamptz NULL,
    ADD COLUMN state_reconciled    boolean     NOT NULL DEFAULT false;
