-- A key is bound to the request it first came with: the SHA-256 of the request (its
-- scoped key, then its body as the BFF parsed it) is kept with the answer, and the same key
-- with another body is refused instead of replayed. Answers stored before have none, and
-- match any body, as they did.
ALTER TABLE idempotent_responses ADD COLUMN request_hash TEXT;
