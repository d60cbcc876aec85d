-- PostgreSQL's twin of sqlite/0002.
ALTER TABLE applications ADD COLUMN offers TEXT;
ALTER TABLE sessions ADD COLUMN customer_id TEXT;
ALTER TABLE applications ADD COLUMN provider_application_id TEXT;
