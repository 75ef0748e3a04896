-- Never miss an order (docs/decisions/0027): reconciliation reads each shop's orders from the Admin API from a watermark,
-- a watchdog restores removed webhook subscriptions, and the shop's delivery health shows both.
ALTER TABLE shopify_integrations
    ADD COLUMN connected_at             timestamptz NULL,
    ADD COLUMN orders_watermark         timestamptz NULL,
    ADD COLUMN draft_orders_watermark   timestamptz NULL,
    ADD COLUMN reconcile_due_at         timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN last_reconciled_at       timestamptz NULL,
    ADD COLUMN reconcile_error_code     text        NULL,
    ADD COLUMN reconcile_error_detail   text        NULL,
    ADD COLUMN api_deprecated_reason    text        NULL,
    ADD COLUMN iana_timezone            text        NULL;
-- A shop connected before reconciliation existed is reconciled from now on, not from its first save.
UPDATE shopify_integrations SET connected_at = now();
ALTER TABLE shopify_integrations ALTER COLUMN connected_at SET NOT NULL;
CREATE INDEX ix_shopify_integrations_reconcile_due_at ON shopify_integrations (reconcile_due_at);

ALTER TABLE shopify_webhook_subscriptions
    ADD COLUMN restored_at                timestamptz NULL,
    ADD COLUMN last_delivery_api_version  text        NULL;

-- Each subscription the watchdog found missing at Shopify and created again.
CREATE TABLE shopify_subscription_repairs (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    uuid        NOT NULL,
    topic           text        NOT NULL,
    subscription_id text        NULL,
    error           text        NULL,
    repaired_at     timestamptz NOT NULL
);
CREATE INDEX ix_shopify_subscription_repairs_workspace_id_repaired_at ON shopify_subscription_repairs (workspace_id, repaired_at);

-- Orders the engine ran from reconciliation because no webhook brought them.
CREATE TABLE shopify_recovered_orders (
    workspace_id uuid        NOT NULL,
    trigger      text        NOT NULL,
    order_id     bigint      NOT NULL,
    recovered_at timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, trigger, order_id)
);
CREATE INDEX ix_shopify_recovered_orders_workspace_id_recovered_at ON shopify_recovered_orders (workspace_id, recovered_at);
