-- Exactly once whatever Twilio does (issue 15).
-- send_fence: each attempt that takes a request's lease gets the next token, and only the holder of the current token may
-- write the sid (checked in the same UPDATE). ambiguous_since: when a create's outcome became unknown (timeout, reset,
-- 5xx after the request left); the request is then resolved at Twilio, never posted again blindly.
ALTER TABLE sms_messages ADD COLUMN send_fence bigint NOT NULL DEFAULT 0;
ALTER TABLE sms_messages ADD COLUMN ambiguous_since timestamptz NULL;

-- Numbers that asked not to be texted, per workspace (a 21610 from Twilio, an inbound STOP/SALIR…); lifted by
-- START/ALTA or by an owner/admin. One row per number: the latest change wins (changed_at).
CREATE TABLE sms_opt_outs (
    id            uuid        PRIMARY KEY,
    workspace_id  uuid        NOT NULL,
    phone_number  text        NOT NULL,
    opted_out     boolean     NOT NULL,
    source        text        NOT NULL,
    changed_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX ix_sms_opt_outs_workspace_id_phone_number ON sms_opt_outs (workspace_id, phone_number);
