CREATE TABLE automations (
    id           uuid        PRIMARY KEY,
    workspace_id uuid        NOT NULL,
    name         text        NOT NULL,
    trigger      text        NOT NULL,
    conditions   jsonb       NOT NULL,
    actions      jsonb       NOT NULL,
    enabled      boolean     NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX ix_automations_workspace_id_trigger ON automations (workspace_id, trigger);

-- Trigger events already handled: the consumers' idempotency key.
CREATE TABLE processed_events (
    event_id     uuid        PRIMARY KEY,
    workspace_id uuid        NOT NULL,
    trigger      text        NOT NULL,
    processed_at timestamptz NOT NULL
);

CREATE TABLE automation_runs (
    id               uuid        PRIMARY KEY,
    workspace_id     uuid        NOT NULL,
    automation_id    uuid        NOT NULL,
    trigger_event_id uuid        NOT NULL,
    trigger          text        NOT NULL,
    status           text        NOT NULL,
    started_at       timestamptz NOT NULL
);
-- One run per (trigger event, automation), whatever the broker redelivers.
CREATE UNIQUE INDEX ix_automation_runs_trigger_event_id_automation_id ON automation_runs (trigger_event_id, automation_id);
CREATE INDEX ix_automation_runs_automation_id_started_at ON automation_runs (automation_id, started_at);

CREATE TABLE automation_run_steps (
    id         uuid    PRIMARY KEY,
    run_id     uuid    NOT NULL REFERENCES automation_runs (id) ON DELETE CASCADE,
    step_index integer NOT NULL,
    action     text    NOT NULL,
    status     text    NOT NULL,
    output     text    NULL,
    error_code text    NULL,
    error      text    NULL,
    result_id  uuid    NULL
);
CREATE UNIQUE INDEX ix_automation_run_steps_run_id_step_index ON automation_run_steps (run_id, step_index);

CREATE TABLE contacts (
    id           uuid        PRIMARY KEY,
    workspace_id uuid        NOT NULL,
    name         text        NULL,
    email        text        NULL,
    phone        text        NULL,
    tags         text[]      NOT NULL,
    source       text        NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX ix_contacts_workspace_id_phone ON contacts (workspace_id, phone);
CREATE INDEX ix_contacts_workspace_id_email ON contacts (workspace_id, email);

CREATE TABLE orders (
    id             uuid          PRIMARY KEY,
    workspace_id   uuid          NOT NULL,
    contact_id     uuid          NULL,
    source         text          NOT NULL,
    external_id    text          NULL,
    number         text          NULL,
    total          numeric(14,2) NULL,
    currency       text          NULL,
    payment_status text          NULL,
    created_at     timestamptz   NOT NULL,
    updated_at     timestamptz   NOT NULL
);
-- Once per Shopify order, also under redelivery.
CREATE UNIQUE INDEX ix_orders_workspace_id_source_external_id ON orders (workspace_id, source, external_id);

CREATE TABLE tasks (
    id           uuid        PRIMARY KEY,
    workspace_id uuid        NOT NULL,
    title        text        NOT NULL,
    description  text        NULL,
    contact_id   uuid        NULL,
    due_at       timestamptz NULL,
    completed    boolean     NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX ix_tasks_workspace_id ON tasks (workspace_id);

CREATE TABLE last_shopify_orders (
    workspace_id     uuid        NOT NULL,
    shopify_order_id bigint      NOT NULL,
    fields           jsonb       NOT NULL,
    order_updated_at timestamptz NULL,
    seen_at          timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, shopify_order_id)
);

-- The engine's transactional outbox: messages written with the runs that caused them, published after the commit.
CREATE TABLE outbox_messages (
    id           uuid        PRIMARY KEY,
    message_type text        NOT NULL,
    body         jsonb       NOT NULL,
    created_at   timestamptz NOT NULL,
    sent_at      timestamptz NULL
);
CREATE INDEX ix_outbox_messages_sent_at_created_at ON outbox_messages (sent_at, created_at);
