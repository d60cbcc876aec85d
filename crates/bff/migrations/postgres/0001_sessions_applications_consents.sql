-- PostgreSQL's twin of sqlite/0001: the same tables, with 64-bit integers for times.
-- A session is one customer's visit from one partner placement. The token itself is never
-- stored: only its SHA-256, so a copy of the database cannot be used to resume sessions.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY NOT NULL,
    partner_id   TEXT NOT NULL,
    market       TEXT NOT NULL,
    return_url   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    busy_until   BIGINT NOT NULL DEFAULT 0
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
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

-- What the customer accepted, which version, and when: kept as evidence.
CREATE TABLE consents (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reference     TEXT NOT NULL REFERENCES applications (reference),
    partner_id    TEXT NOT NULL,
    consent_type  TEXT NOT NULL,
    terms_version TEXT NOT NULL,
    accepted_at   BIGINT NOT NULL
);

-- Responses of completed state-changing requests, replayed when the same key comes again.
CREATE TABLE idempotent_responses (
    token_hash      TEXT NOT NULL REFERENCES sessions (token_hash),
    idempotency_key TEXT NOT NULL,
    response        TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (token_hash, idempotency_key)
);
