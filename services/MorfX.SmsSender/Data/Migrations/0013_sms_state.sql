-- The lifecycle as one column (decision 0037): what was read from message_sid, status and which of send_lease_until,
-- ambiguous_since, next_price_check_at and redeliver_at were set is now a state the transitions keep (SmsLifecycle).
ALTER TABLE sms_messages ADD COLUMN state text NULL;
UPDATE sms_messages SET state = CASE
    WHEN message_sid IS NOT NULL THEN
        CASE WHEN redeliver_at IS NOT NULL AND next_price_check_at IS NOT NULL THEN 'redelivery_due'
             WHEN redeliver_at IS NOT NULL THEN 'redelivery_due_checked'
             WHEN next_price_check_at IS NOT NULL THEN 'sent'
             ELSE 'settled' END
    WHEN status = 'skipped' THEN 'skipped'
    WHEN status <> 'sending' THEN 'failed'
    WHEN send_lease_until IS NULL THEN CASE WHEN ambiguous_since IS NULL THEN 'parked' ELSE 'parked_ambiguous' END
    WHEN ambiguous_since IS NULL THEN 'sending'
    ELSE 'ambiguous' END;
ALTER TABLE sms_messages ALTER COLUMN state SET NOT NULL;
ALTER TABLE sms_messages ADD CONSTRAINT ck_sms_messages_state CHECK (state IN ('sending', 'ambiguous', 'parked',
    'parked_ambiguous', 'sent', 'redelivery_due', 'redelivery_due_checked', 'settled', 'failed', 'skipped'));
