-- The stop button: an automation disabled or deleted in the engine (AutomationStopped). Its SMS requested before stopped_at
-- that Twilio has not taken are skipped (automation_disabled); a later stop moves stopped_at on, re-enabling leaves it.
CREATE TABLE automation_stops (
    automation_id uuid        PRIMARY KEY,
    workspace_id  uuid        NOT NULL,
    stopped_at    timestamptz NOT NULL
);
