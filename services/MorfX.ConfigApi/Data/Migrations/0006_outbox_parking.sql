-- A row the dispatcher cannot publish no longer holds back the rows behind it (OutboxDispatcher): each failure is counted
-- and retried later, and a row that cannot be read, or keeps failing while others go out, is parked with its reason.
ALTER TABLE outbox_messages
    ADD COLUMN attempts      integer     NOT NULL DEFAULT 0,
    ADD COLUMN retry_at      timestamptz NULL,
    ADD COLUMN parked_reason text        NULL;
