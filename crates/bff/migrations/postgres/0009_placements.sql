-- PostgreSQL's twin of sqlite/0009: placement tokens (as SHA-256s) with what their
-- partner's server placed, consumed once by the session they start; and what a session
-- keeps of its placement.
CREATE TABLE placements (
    token_hash         TEXT PRIMARY KEY NOT NULL,
    partner_id         TEXT NOT NULL,
    market             TEXT NOT NULL,
    return_url         TEXT NOT NULL,
    customer_id        TEXT,
    prefill            TEXT,
    partner_state      TEXT,
    language           TEXT,
    created_at         BIGINT NOT NULL,
    expires_at         BIGINT NOT NULL,
    consumed_at        BIGINT,
    session_token_hash TEXT
);

CREATE INDEX placements_expires_at ON placements (expires_at);

ALTER TABLE sessions ADD COLUMN prefill TEXT;
ALTER TABLE sessions ADD COLUMN partner_state TEXT;
