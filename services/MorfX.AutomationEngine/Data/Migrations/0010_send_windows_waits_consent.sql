-- Issue 31. An automation's purpose (marketing needs consent and keeps to a send window) and its own window.
ALTER TABLE automations
    ADD COLUMN purpose     text  NOT NULL DEFAULT 'transactional',
    ADD COLUMN send_window jsonb NULL;

-- A step held by a wait or a closed send window says until when.
ALTER TABLE automation_run_steps ADD COLUMN resume_at timestamptz NULL;

-- A run that waits: where it goes on (next_step), when, and the data it renders with. RunResumer takes the due ones; the
-- stop button deletes an automation's.
CREATE TABLE run_waits (
    run_id        uuid        PRIMARY KEY REFERENCES automation_runs (id) ON DELETE CASCADE,
    workspace_id  uuid        NOT NULL,
    automation_id uuid        NOT NULL,
    next_step     integer     NOT NULL,
    kind          text        NOT NULL,
    resume_at     timestamptz NOT NULL,
    depth         integer     NOT NULL,
    data          jsonb       NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX ix_run_waits_resume_at ON run_waits (resume_at);
CREATE INDEX ix_run_waits_automation_id ON run_waits (automation_id);
CREATE INDEX ix_run_waits_workspace_id ON run_waits (workspace_id);

-- A recipient's SMS marketing consent: the latest of Shopify's sms_marketing_consent and an inbound START/ALTA or STOP/SALIR.
CREATE TABLE sms_consents (
    workspace_id uuid        NOT NULL,
    phone        text        NOT NULL,
    subscribed   boolean     NOT NULL,
    source       text        NOT NULL,
    changed_at   timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, phone)
);

-- Marketing SMS asked for, per recipient: what the workspace's frequency cap counts.
CREATE TABLE marketing_sends (
    request_id   uuid        PRIMARY KEY,
    workspace_id uuid        NOT NULL,
    phone        text        NOT NULL,
    sent_at      timestamptz NOT NULL
);
CREATE INDEX ix_marketing_sends_workspace_id_phone_sent_at ON marketing_sends (workspace_id, phone, sent_at);
