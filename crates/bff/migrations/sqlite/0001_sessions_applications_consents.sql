-- A session is one customer's visit from one partner placement. The token itself is never
-- stored: only its SHA-256, so a copy of the database cannot be used to resume sessions.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY NOT NULL,
    partner_id   TEXT NOT NULL,
    market       TEXT NOT NULL,
    return_url   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    -- A state-changing request holds the session until this time, so a double click or a
    -- second tab never runs two bank calls for one application at once, on any instance.
    busy_until   INTEGER NOT NULL DEFAULT 0
);

-- The bank's application behind a session. The controlFlowId never leaves the server.
CREATE TABLE applications (
    token_hash      TEXT PRIMARY KEY NOT NULL REFERENCES sessions (token_hash),
    reference       TEXT NOT NULL UNIQUE,
    control_flow_id TEXT NOT NULL,
    -- How far the bank has been told: created, identity_sent, finances_sent,
    -- screening_requested, decided. A retried stage resumes from here.
    bank_step       TEXT NOT NULL,
    -- The decision as the widget shows it (JSON), once there is one.
    decision        TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

-- What the customer accepted, which version, and when: kept for as long as the bank needs it.
CREATE TABLE consents (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    reference     TEXT NOT NULL REFERENCES applications (reference),
    partner_id    TEXT NOT NULL,
    consent_type  TEXT NOT NULL,
    terms_version TEXT NOT NULL,
    accepted_at   INTEGER NOT NULL
);

-- Responses of completed state-changing requests, replayed when the same key comes again.
CREATE TABLE idempotent_responses (
    token_hash      TEXT NOT NULL REFERENCES sessions (token_hash),
    idempotency_key TEXT NOT NULL,
    response        TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (token_hash, idempotency_key)
);
