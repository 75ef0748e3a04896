-- A tombstone's phone is an HMAC under Redaction:HashKey, computed by sms-sender (RedactionHasher): a hash of the number
-- alone could be reversed by hashing every phone number. The unkeyed ones cannot be rewritten (the numbers are gone); they
-- guarded only requests still queued or parked (Deferral:MaxWait, a day) when they were written.
DELETE FROM redacted_recipients;
DROP FUNCTION recipient_hash(uuid, text);
