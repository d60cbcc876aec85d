-- PostgreSQL's twin of sqlite/0006: a session's single-use resume handle and the token its
-- last exchange gave, both as SHA-256s.
ALTER TABLE sessions ADD COLUMN resume_handle_hash TEXT;
ALTER TABLE sessions ADD COLUMN resumed_token_hash TEXT;

CREATE UNIQUE INDEX sessions_resume_handle ON sessions (resume_handle_hash);
CREATE UNIQUE INDEX sessions_resumed_token ON sessions (resumed_token_hash);
