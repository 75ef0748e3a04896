-- The durable change feed behind every service's cached secret look-up (issue 32, decision 0031): one row per announced
-- integration change, written in the same transaction as the change. Its sequence comes from a one-row counter locked by
-- the insert until the commit, so sequence order is commit order and a rolled-back change leaves no gap: a reader that
-- has seen seq N has seen every change up to N, and a missing N + 1 can only mean retention deleted it.
CREATE TABLE integration_change_counter (
    id    boolean PRIMARY KEY DEFAULT true CHECK (id),
    last  bigint  NOT NULL
);
INSERT INTO integration_change_counter (id, last) VALUES (true, 0);

CREATE TABLE integration_changes (
    seq           bigint      PRIMARY KEY,
    workspace_id  uuid        NOT NULL,
    integration   text        NOT NULL,
    shop_domain   text        NULL,
    changed_at    timestamptz NOT NULL
);
CREATE INDEX ix_integration_changes_changed_at ON integration_changes (changed_at);

CREATE FUNCTION next_integration_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE integration_change_counter SET last = last + 1 RETURNING last INTO NEW.seq;
    RETURN NEW;
END $$;

CREATE TRIGGER integration_changes_seq BEFORE INSERT ON integration_changes
    FOR EACH ROW EXECUTE FUNCTION next_integration_change();
