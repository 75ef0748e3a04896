-- sms-sender's outcomes (SmsFailed, SmsSkipped, SmsStatusChanged) find their send_sms step by SmsRequested.RequestId.
CREATE INDEX ix_automation_run_steps_result_id ON automation_run_steps (result_id);
