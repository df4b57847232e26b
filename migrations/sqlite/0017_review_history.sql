-- What happened to an organisation in review, oldest first: the editors see it beside
-- the pending profile. kind: submitted, resubmitted (with the applicant's reply as
-- note), published, returned (Rückfrage, with the editor's note), move_requested,
-- move_approved, move_declined, moved (by a platform admin). Moves note "from → to".
CREATE TABLE organisation_reviews (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('submitted', 'resubmitted', 'published', 'returned',
                                     'move_requested', 'move_approved', 'move_declined',
                                     'moved')),
  note TEXT NOT NULL DEFAULT '',
  actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX organisation_reviews_org ON organisation_reviews (organisation_id, created_at);
-- The history so far, as far as the organisations' own columns tell it.
INSERT INTO organisation_reviews (organisation_id, kind, created_at)
  SELECT id, 'submitted', submitted_at FROM organisations WHERE submitted_at IS NOT NULL;
INSERT INTO organisation_reviews (organisation_id, kind, note, actor_id, created_at)
  SELECT id, CASE WHEN status = 'rejected' THEN 'returned' ELSE 'published' END, review_note,
         reviewed_by, reviewed_at
    FROM organisations WHERE reviewed_at IS NOT NULL AND status IN ('published', 'rejected');
