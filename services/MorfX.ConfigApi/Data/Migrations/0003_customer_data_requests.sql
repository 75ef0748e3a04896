-- Shopify's customers/data_request: the request as Shopify sent it, and what each service reported holding.
CREATE TABLE customer_data_requests (
    request_id         uuid        PRIMARY KEY,
    workspace_id       uuid        NOT NULL,
    shop_domain        text        NOT NULL,
    shopify_request_id bigint      NULL,
    customer_id        bigint      NULL,
    customer_email     text        NULL,
    customer_phone     text        NULL,
    orders_requested   bigint[]    NOT NULL,
    requested_at       timestamptz NOT NULL
);
CREATE INDEX ix_customer_data_requests_workspace_id_requested_at ON customer_data_requests (workspace_id, requested_at);

CREATE TABLE customer_data_reports (
    request_id   uuid        NOT NULL,
    service      text        NOT NULL,
    workspace_id uuid        NOT NULL,
    data         text        NOT NULL,
    reported_at  timestamptz NOT NULL,
    PRIMARY KEY (request_id, service)
);
