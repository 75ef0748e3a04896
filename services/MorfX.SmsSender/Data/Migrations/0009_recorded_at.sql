-- When a request was recorded, on the database's clock (issue 32): no create for it can have reached Twilio earlier, so it
-- anchors the look-up of an ambiguous create instead of created_at, which is the recording instance's own clock. Rows
-- recorded from now on get now() by default; requests still being sent keep their created_at (the best there was), and
-- finished rows, which are never looked up, stay NULL.
ALTER TABLE sms_messages ADD COLUMN recorded_at timestamptz NULL;
ALTER TABLE sms_messages ALTER COLUMN recorded_at SET DEFAULT now();
UPDATE sms_messages SET recorded_at = created_at WHERE status = 'sending' AND message_sid IS NULL;
