-- PostgreSQL's twin of sqlite/0004.
ALTER TABLE sessions ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE applications ADD COLUMN handover TEXT;
