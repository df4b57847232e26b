-- Moderation of the Social Wall: reports by signed-in people (one per person and post),
-- the log of every moderation step (reversible ones too), the word list that holds
-- matching posts for review, and the kiosk screens' controls (shared by every node, so
-- that the moderator's phone reaches the screen whichever node serves either).
CREATE TABLE post_reports (
  id INTEGER PRIMARY KEY,
  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  reporter_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  reason TEXT NOT NULL CHECK (reason IN ('hate', 'spam', 'privacy', 'wrong', 'other')),
  note TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  resolved_at INTEGER,
  resolved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  UNIQUE (post_id, reporter_id)
);
CREATE INDEX post_reports_open ON post_reports (resolved_at, post_id);

CREATE TABLE wall_moderation_log (
  id INTEGER PRIMARY KEY,
  post_id INTEGER REFERENCES posts(id) ON DELETE SET NULL,
  source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
  organisation_id INTEGER REFERENCES organisations(id) ON DELETE CASCADE,
  action TEXT NOT NULL CHECK (action IN ('hide', 'unhide', 'approve', 'block', 'unblock',
                                         'dismiss', 'held_by_words')),
  reason TEXT NOT NULL DEFAULT '',
  actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX wall_moderation_log_time ON wall_moderation_log (created_at);

CREATE TABLE wall_words (
  word TEXT PRIMARY KEY,   -- lower case; a post containing it waits for review
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE wall_kiosks (
  name TEXT PRIMARY KEY,
  speed TEXT NOT NULL DEFAULT 'normal' CHECK (speed IN ('slow', 'normal', 'fast')),
  paused INTEGER NOT NULL DEFAULT 0,
  blank INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 0,
  updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  updated_at INTEGER NOT NULL
);
