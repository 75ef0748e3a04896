-- Retention deletes the oldest customer data requests and reports first (Retention:Keep:*).
CREATE INDEX ix_customer_data_requests_requested_at ON customer_data_requests (requested_at);
CREATE INDEX ix_customer_data_reports_reported_at ON customer_data_reports (reported_at);
