-- PostgreSQL's twin of sqlite/0003: partners' webhook events, written with the decision.
CREATE TABLE webhook_outbox (
    id              TEXT PRIMARY KEY NOT NULL,
    partner_id      TEXT NOT NULL,
    reference       TEXT NOT NULL,
    event           TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    -- Milliseconds since the epoch.
    next_attempt_at BIGINT NOT NULL,
    delivered_at    BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL
);

CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at) WHERE delivered_at IS NULL;
