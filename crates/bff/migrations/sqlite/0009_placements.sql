-- Placements a partner's server creates (POST /partner/v1/placements) for the page it is
-- about to serve: the placement's market and return URL, a connectFi customer's id, a
-- prefill of stage 1 and the partner's opaque state, behind a short-lived, single-use token
-- that the widget's link carries. Only the token's SHA-256 is stored, as of session tokens.
-- Starting a session consumes it (consumed_at, and the session it started); the customer's
-- details then live with the session, and leave this row.
CREATE TABLE placements (
    token_hash         TEXT PRIMARY KEY NOT NULL,
    partner_id         TEXT NOT NULL,
    market             TEXT NOT NULL,
    return_url         TEXT NOT NULL,
    customer_id        TEXT,
    -- Stage 1's placed fields (JSON), once checked by stage 1's rules.
    prefill            TEXT,
    partner_state      TEXT,
    language           TEXT,
    created_at         INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL,
    consumed_at        INTEGER,
    session_token_hash TEXT
);

-- The retention job finds the placements past their time by it.
CREATE INDEX placements_expires_at ON placements (expires_at);

-- What a session started from a placement keeps of it: the prefill the widget shows, and
-- the state signed into the return URL and sent with webhook events.
ALTER TABLE sessions ADD COLUMN prefill TEXT;
ALTER TABLE sessions ADD COLUMN partner_state TEXT;
