-- Each workspace's messaging settings (issue 31): its default marketing send window and the per-recipient marketing
-- frequency cap. No row: the defaults (08:00-21:00, Monday to Saturday; no cap).
CREATE TABLE workspace_messaging_settings (
    workspace_id                uuid        PRIMARY KEY,
    marketing_window_start      text        NOT NULL,
    marketing_window_end        text        NOT NULL,
    marketing_window_days       text[]      NOT NULL,
    frequency_cap_max_messages  integer     NULL,
    frequency_cap_period_days   integer     NULL,
    created_at                  timestamptz NOT NULL,
    updated_at                  timestamptz NOT NULL,
    CHECK ((frequency_cap_max_messages IS NULL) = (frequency_cap_period_days IS NULL))
);
