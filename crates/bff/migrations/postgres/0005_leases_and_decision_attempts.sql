-- PostgreSQL's twin of sqlite/0005: session leases with an owner, the IPA attempt's uuid,
-- and the retention job's indexes.
ALTER TABLE sessions ADD COLUMN lease_owner TEXT;
ALTER TABLE sessions ADD COLUMN lease_until_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions DROP COLUMN busy_until;

ALTER TABLE applications ADD COLUMN ipa_uuid TEXT;

CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE INDEX applications_age ON applications (updated_at);
CREATE INDEX idempotent_responses_age ON idempotent_responses (created_at);
CREATE INDEX webhook_outbox_delivered ON webhook_outbox (delivered_at) WHERE delivered_at IS NOT NULL;
