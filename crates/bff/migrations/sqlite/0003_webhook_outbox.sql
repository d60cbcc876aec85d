-- Events for partners' webhooks. A row is written in the same transaction as the decision it
-- tells of, so a stored decision always has its event, and a background task delivers it
-- until the partner accepts it (at least once: a partner keys on the id to drop repeats).
CREATE TABLE webhook_outbox (
    -- Sent as Webhook-Id, the same on every attempt.
    id              TEXT PRIMARY KEY NOT NULL,
    partner_id      TEXT NOT NULL,
    reference       TEXT NOT NULL,
    -- The JSON body, exactly as sent on every attempt.
    event           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    -- Milliseconds since the epoch. While an attempt runs it is pushed past that attempt's
    -- timeout, so a second instance leaves the row alone and a crashed attempt is retried.
    next_attempt_at INTEGER NOT NULL,
    -- Milliseconds since the epoch; NULL until the partner answered 2xx.
    delivered_at    INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL
);

CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at) WHERE delivered_at IS NULL;
