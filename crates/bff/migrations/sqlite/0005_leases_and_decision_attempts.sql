-- A state-changing request leases its session: the lease names its owner (one request on
-- one BFF instance), which renews it while it works and alone releases it. A lease whose
-- owner died lapses at lease_until_ms, so a killed instance blocks nobody for longer.
ALTER TABLE sessions ADD COLUMN lease_owner TEXT;
ALTER TABLE sessions ADD COLUMN lease_until_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions DROP COLUMN busy_until;

-- The uuid of the in-principle-approval request last sent for the application, written
-- before it is sent. A retry or a restart that finds one and no stored decision asks the
-- bank what it decided rather than asking it to decide again.
ALTER TABLE applications ADD COLUMN ipa_uuid TEXT;

-- What the retention job looks for.
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE INDEX applications_age ON applications (updated_at);
CREATE INDEX idempotent_responses_age ON idempotent_responses (created_at);
CREATE INDEX webhook_outbox_delivered ON webhook_outbox (delivered_at) WHERE delivered_at IS NOT NULL;
