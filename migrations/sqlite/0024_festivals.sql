-- The Digital-Festival and its call for proposals (the pretalx way, for a federation):
-- member organisations submit sessions while submission is open; reviewers, each for
-- a regional association and/or a topic (or for everything), score them in the
-- festival's named categories while review is open, optionally without seeing who
-- submitted; the federation decides (accept, ask for changes, decline with a reason)
-- and the decision mail goes out; accepted proposals are scheduled as events of the
-- festival (events.festival_id), which form its programme.
--
-- Phases are dates: submission [submission_opens_at, submission_closes_at), review
-- [submission_closes_at, review_closes_at), decisions by decisions_by, the festival
-- [starts_at, ends_at). Every state change is one conditional UPDATE (status and
-- phase in its WHERE), so a withdrawal and a decision at the same moment cannot both
-- win, and a proposal is scheduled at most once.
CREATE TABLE festivals (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',  -- safe Markdown
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  submission_opens_at INTEGER NOT NULL,
  submission_closes_at INTEGER NOT NULL,
  review_closes_at INTEGER NOT NULL,
  decisions_by INTEGER NOT NULL,
  anonymous_review INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  CHECK (submission_opens_at < submission_closes_at),
  CHECK (submission_closes_at <= review_closes_at),
  CHECK (review_closes_at <= decisions_by),
  CHECK (decisions_by <= starts_at),
  CHECK (starts_at < ends_at)
);

CREATE TABLE festival_categories (
  id INTEGER PRIMARY KEY,
  festival_id INTEGER NOT NULL REFERENCES festivals(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  UNIQUE (festival_id, name)
);

-- A reviewer sees the proposals of their region (NULL: every region) and topic
-- ('': every topic), never those of an organisation they belong to.
CREATE TABLE festival_reviewers (
  id INTEGER PRIMARY KEY,
  festival_id INTEGER NOT NULL REFERENCES festivals(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  region_id INTEGER REFERENCES regions(id),
  topic TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX festival_reviewers_once
  ON festival_reviewers (festival_id, user_id, COALESCE(region_id, 0), topic);
CREATE INDEX festival_reviewers_user ON festival_reviewers (user_id, festival_id);

-- status: submitted (new or resubmitted after changes), accepted, changes_requested,
-- declined, withdrawn. decision_reason and decision_comments are what the decision
-- mail said: the submitters see nothing of the reviews but these.
CREATE TABLE proposals (
  id INTEGER PRIMARY KEY,
  festival_id INTEGER NOT NULL REFERENCES festivals(id) ON DELETE CASCADE,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  region_id INTEGER REFERENCES regions(id),  -- the organisation's at submission
  submitted_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  title TEXT NOT NULL,
  abstract TEXT NOT NULL,  -- safe Markdown
  kind TEXT NOT NULL CHECK (kind IN ('workshop', 'webinar', 'tool_intro', 'talk')),
  format TEXT NOT NULL CHECK (format IN ('online', 'in_person', 'hybrid')),
  topic TEXT NOT NULL,
  duration_minutes INTEGER NOT NULL CHECK (duration_minutes IN (30, 45, 60, 90, 120)),
  speakers TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',  -- for the reviewers
  status TEXT NOT NULL DEFAULT 'submitted'
    CHECK (status IN ('submitted', 'accepted', 'changes_requested', 'declined', 'withdrawn')),
  decision_reason TEXT NOT NULL DEFAULT '',
  decision_comments TEXT NOT NULL DEFAULT '',
  decided_at INTEGER,
  decided_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  event_id INTEGER REFERENCES events(id) ON DELETE SET NULL,  -- in the programme
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (event_id IS NULL OR status = 'accepted')
);
CREATE INDEX proposals_festival ON proposals (festival_id, status, id);
CREATE INDEX proposals_organisation ON proposals (organisation_id, festival_id);
CREATE UNIQUE INDEX proposals_event ON proposals (event_id) WHERE event_id IS NOT NULL;

-- One review per reviewer and proposal (saved again: updated); a score 1-5 per category.
CREATE TABLE proposal_reviews (
  id INTEGER PRIMARY KEY,
  proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
  reviewer_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  comment TEXT NOT NULL DEFAULT '',  -- for the committee; never shown to submitters
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (proposal_id, reviewer_id)
);
CREATE INDEX proposal_reviews_reviewer ON proposal_reviews (reviewer_id);

CREATE TABLE review_scores (
  review_id INTEGER NOT NULL REFERENCES proposal_reviews(id) ON DELETE CASCADE,
  category_id INTEGER NOT NULL REFERENCES festival_categories(id) ON DELETE CASCADE,
  score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
  PRIMARY KEY (review_id, category_id)
);

ALTER TABLE events ADD COLUMN festival_id INTEGER REFERENCES festivals(id) ON DELETE SET NULL;
CREATE INDEX events_festival ON events (festival_id, starts_at);
