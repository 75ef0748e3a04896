CREATE TABLE twilio_integrations (
    workspace_id         uuid        PRIMARY KEY,
    account_sid          text        NOT NULL,
    auth_token_protected text        NOT NULL,
    phone_number         text        NOT NULL,
    status               text        NOT NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL
);

CREATE TABLE shopify_integrations (
    workspace_id                     uuid        PRIMARY KEY,
    shop_domain                      text        NOT NULL,
    access_token_protected           text        NOT NULL,
    client_secret_protected          text        NOT NULL,
    previous_client_secret_protected text        NULL,
    default_country                  text        NOT NULL,
    auto_sync_orders                 boolean     NOT NULL,
    status                           text        NOT NULL,
    error_code                       text        NULL,
    error_detail                     text        NULL,
    created_at                       timestamptz NOT NULL,
    updated_at                       timestamptz NOT NULL
);
CREATE UNIQUE INDEX ix_shopify_integrations_shop_domain ON shopify_integrations (shop_domain);

CREATE TABLE shopify_webhook_subscriptions (
    workspace_id     uuid        NOT NULL REFERENCES shopify_integrations (workspace_id) ON DELETE CASCADE,
    topic            text        NOT NULL,
    subscription_id  text        NULL,
    error            text        NULL,
    subscribed_at    timestamptz NULL,
    last_delivery_at timestamptz NULL,
    PRIMARY KEY (workspace_id, topic)
);
