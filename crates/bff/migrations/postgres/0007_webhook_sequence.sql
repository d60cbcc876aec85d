-- PostgreSQL's twin of sqlite/0007: the per-application sequence of webhook events.
ALTER TABLE applications ADD COLUMN webhook_sequence BIGINT NOT NULL DEFAULT 0;
ALTER TABLE webhook_outbox ADD COLUMN sequence BIGINT NOT NULL DEFAULT 0;

-- Events written before are numbered in the order they were written (their bodies stay as
-- they were, without the field), and each application's counter carries on after them.
UPDATE webhook_outbox SET sequence = (
    SELECT COUNT(*) FROM webhook_outbox AS earlier
    WHERE earlier.reference = webhook_outbox.reference
      AND (earlier.created_at < webhook_outbox.created_at
           OR (earlier.created_at = webhook_outbox.created_at AND earlier.id <= webhook_outbox.id))
);
UPDATE applications SET webhook_sequence = (
    SELECT COUNT(*) FROM webhook_outbox WHERE webhook_outbox.reference = applications.reference
);

CREATE UNIQUE INDEX webhook_outbox_sequence ON webhook_outbox (reference, sequence);
