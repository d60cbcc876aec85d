-- Standard Webhooks deliveries: each event carries its application's sequence number
-- (1, 2, … in the order its events were written), so a partner can order them. The counter
-- is on the application's row, which the transaction writing an event updates (and so
-- locks) first; the outbox keeps each event's number beside its body.
ALTER TABLE applications ADD COLUMN webhook_sequence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE webhook_outbox ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;

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
