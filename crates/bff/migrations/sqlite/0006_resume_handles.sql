-- Resuming a session where the browser keeps nothing for the widget's frame (third-party
-- storage blocked): the partner's page keeps a resume handle for it and hands it back to
-- the frame, which exchanges it for a token of the session. Only SHA-256s are stored, as
-- of tokens. The handle is single-use: each exchange replaces it, and replaces the token
-- the last exchange gave, so a page left behind stops working. Both end with the session.
ALTER TABLE sessions ADD COLUMN resume_handle_hash TEXT;
ALTER TABLE sessions ADD COLUMN resumed_token_hash TEXT;

CREATE UNIQUE INDEX sessions_resume_handle ON sessions (resume_handle_hash);
CREATE UNIQUE INDEX sessions_resumed_token ON sessions (resumed_token_hash);
