-- The language the customer reads the journey in (a BCP 47 tag); the bank writes to them
-- in it too. Sessions from before languages were English.
ALTER TABLE sessions ADD COLUMN language TEXT NOT NULL DEFAULT 'en';

-- How an application left the widget without a decision: 'lead' (Lead Capture handed the
-- details to the bank) or 'saved' ("Save and exit"); NULL otherwise.
ALTER TABLE applications ADD COLUMN handover TEXT;
