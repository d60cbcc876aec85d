-- The bank's identifiers of the offers in a decision, and when they lapse (JSON). They stay on
-- the server: the widget names an offer by its id, and accepting it needs the product code.
ALTER TABLE applications ADD COLUMN offers TEXT;

-- The customer's id at a provider that knows the customer already (connectFi); NULL when
-- the partner's provider is the bank.
ALTER TABLE sessions ADD COLUMN customer_id TEXT;

-- The provider's own id of the credit application, for a provider whose application is only
-- created with the decision (connectFi); NULL for the bank, whose id is the reference.
ALTER TABLE applications ADD COLUMN provider_application_id TEXT;
