-- A deleted Shopify integration's webhook secrets (issue 32, decision 0030): Shopify sends shop/redact 48 h after the
-- store uninstalls the app, which may be long after the merchant removed the shop in MorfX. The secrets stay here, still
-- Data Protection ciphertext, so that compliance webhooks (and only those) can still be verified; retention deletes
-- them 60 days after the removal. One row per shop domain: the latest removal.
CREATE TABLE shopify_secret_tombstones (
    shop_domain                       text        PRIMARY KEY,
    workspace_id                      uuid        NOT NULL,
    client_secret_protected           text        NOT NULL,
    previous_client_secret_protected  text        NULL,
    default_country                   text        NOT NULL,
    deleted_at                        timestamptz NOT NULL
);
CREATE INDEX ix_shopify_secret_tombstones_deleted_at ON shopify_secret_tombstones (deleted_at);
