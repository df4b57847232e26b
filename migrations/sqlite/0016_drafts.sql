-- An application can be saved as a draft before it goes to the editors: a pending
-- organisation without submitted_at is a draft (not in the review queue, no mail).
ALTER TABLE organisations ADD COLUMN submitted_at INTEGER;
UPDATE organisations SET submitted_at = created_at;
