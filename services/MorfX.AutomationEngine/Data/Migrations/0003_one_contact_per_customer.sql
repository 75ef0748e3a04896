-- One contact per customer: orders/create and orders/updated of a new customer can arrive milliseconds apart on two
-- queues, and both upsert. A contact is unique per workspace on its normalised phone and on its email.
-- Contacts that already share one keep it on the oldest; the others lose the duplicate value (nothing is deleted).
UPDATE contacts c SET phone = NULL
WHERE phone IS NOT NULL AND EXISTS (
    SELECT 1 FROM contacts o WHERE o.workspace_id = c.workspace_id AND o.phone = c.phone AND (o.created_at, o.id) < (c.created_at, c.id));
UPDATE contacts c SET email = NULL
WHERE email IS NOT NULL AND EXISTS (
    SELECT 1 FROM contacts o WHERE o.workspace_id = c.workspace_id AND o.email = c.email AND (o.created_at, o.id) < (c.created_at, c.id));
DROP INDEX ix_contacts_workspace_id_phone;
DROP INDEX ix_contacts_workspace_id_email;
CREATE UNIQUE INDEX ix_contacts_workspace_id_phone ON contacts (workspace_id, phone) WHERE phone IS NOT NULL;
CREATE UNIQUE INDEX ix_contacts_workspace_id_email ON contacts (workspace_id, email) WHERE email IS NOT NULL;

-- Which Shopify order and customer a run was about, so a customers/redact or shop/redact finds its snapshots.
ALTER TABLE automation_runs ADD COLUMN shopify_order_id bigint NULL;
ALTER TABLE automation_runs ADD COLUMN shopify_customer_id bigint NULL;
CREATE INDEX ix_automation_runs_workspace_id_shopify_order_id ON automation_runs (workspace_id, shopify_order_id);
CREATE INDEX ix_automation_runs_workspace_id_shopify_customer_id ON automation_runs (workspace_id, shopify_customer_id);

-- The Shopify customer behind a synced contact and order.
ALTER TABLE contacts ADD COLUMN shopify_customer_id bigint NULL;
ALTER TABLE orders ADD COLUMN shopify_customer_id bigint NULL;
ALTER TABLE last_shopify_orders ADD COLUMN shopify_customer_id bigint NULL;
