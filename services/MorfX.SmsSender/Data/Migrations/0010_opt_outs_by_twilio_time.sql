-- STOP and START are ordered by Twilio's time (issue 32), not by when MorfX received them: effective_at is when the change
-- happened by Twilio's clock (an inbound keyword's date_created at Twilio; a 21610 refusal or an admin's lift when it
-- happened), null when Twilio's time could not be read. With a null on either side an opt-out wins over an opt-in
-- (OptOutRegistry). Rows before this were ordered by changed_at, so that is their time.
ALTER TABLE sms_opt_outs ADD COLUMN effective_at timestamptz NULL;
UPDATE sms_opt_outs SET effective_at = changed_at;
