CREATE TABLE integration_states (
    workspace_id     uuid        NOT NULL,
    integration      text        NOT NULL,
    status           text        NOT NULL,
    shop_domain      text        NULL,
    auto_sync_orders boolean     NOT NULL,
    changed_at       timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, integration)
);
