-- config-api's WorkspaceMessagingChanged as the engine keeps it (the latest by changed_at): each workspace's default
-- marketing send window and per-recipient marketing frequency cap. No row: the defaults (WorkspaceMessaging.Default).
CREATE TABLE workspace_messaging (
    workspace_id                uuid        PRIMARY KEY,
    marketing_window_start      text        NOT NULL,
    marketing_window_end        text        NOT NULL,
    marketing_window_days       text[]      NOT NULL,
    frequency_cap_max_messages  integer     NULL,
    frequency_cap_period_days   integer     NULL,
    changed_at                  timestamptz NOT NULL
);

-- The shop's time zone (Shopify's ianaTimezone) from IntegrationChanged: send windows follow it when the recipient's
-- country has several.
ALTER TABLE integration_states ADD COLUMN iana_timezone text NULL;
