-- The Social Wall: an organisation's channels (sources) and the posts gathered from
-- them or submitted directly.
--
-- A source row is also its own schedule: next_fetch_at says when it is due, and a node
-- that fetches it holds a lease (leased_by, lease_until) so that no two nodes fetch one
-- source at once; a node that dies leaves a lease that runs out. feed_hosts has a row
-- per host that a claim locks, so that the leases per host (at most feeds.per_host
-- requests at once to one server) are counted under a lock across nodes.
CREATE TABLE feed_hosts (
  host TEXT PRIMARY KEY
);

CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  input TEXT NOT NULL,                 -- what the admin typed (@name@server, a URL)
  feed_url TEXT NOT NULL,
  host TEXT NOT NULL REFERENCES feed_hosts(host),
  kind TEXT NOT NULL CHECK (kind IN ('feed', 'mastodon', 'mastodon_tag', 'bluesky', 'youtube',
                                     'peertube', 'pixelfed', 'wordpress')),
  title TEXT NOT NULL DEFAULT '',
  moderation TEXT NOT NULL DEFAULT 'publish' CHECK (moderation IN ('publish', 'hold')),
  blocked_reason TEXT,                 -- set: blocked by a moderator, posts not shown
  blocked_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  blocked_at INTEGER,
  paused_at INTEGER,                      -- set: not fetched (demo content, or paused by the admin)
  etag TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT '',
  next_fetch_at INTEGER NOT NULL,
  interval_seconds INTEGER NOT NULL DEFAULT 3600,
  lease_until INTEGER,
  leased_by TEXT,
  last_fetch_at INTEGER,
  last_result TEXT NOT NULL DEFAULT '',  -- 'ok', 'not_modified' or an error code
  last_detail TEXT NOT NULL DEFAULT '',
  last_status INTEGER,
  last_success_at INTEGER,
  failures INTEGER NOT NULL DEFAULT 0,    -- in a row; 0 after a success
  failure_mailed_at INTEGER,              -- the one mail about this run of failures
  posts_found INTEGER NOT NULL DEFAULT 0,
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (organisation_id, feed_url)
);
CREATE INDEX sources_due ON sources (next_fetch_at);
CREATE INDEX sources_host_lease ON sources (host, lease_until);

-- status: visible, held (waits for review: source on hold or a word of the list),
-- hidden (by a moderator or the organisation, with reason), deleted (at the source).
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,  -- NULL: submitted on Verbund
  guid TEXT NOT NULL,
  url TEXT NOT NULL DEFAULT '',
  canonical_url TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',
  image_source TEXT NOT NULL DEFAULT '',  -- the remote image, fetched once
  image_key TEXT NOT NULL DEFAULT '',     -- ours (media/), '' until fetched
  image_state TEXT NOT NULL DEFAULT 'none' CHECK (image_state IN ('none', 'pending', 'done', 'failed')),
  image_alt TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '',          -- space-separated, for display
  author TEXT NOT NULL DEFAULT '',
  published_at INTEGER,
  sort_at INTEGER NOT NULL,                -- published_at, never later than first seen
  content_hash TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('visible', 'held', 'hidden', 'deleted')),
  status_reason TEXT NOT NULL DEFAULT '',
  hidden_by_role TEXT NOT NULL DEFAULT '' CHECK (hidden_by_role IN ('', 'organisation', 'moderation')),
  status_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  status_at INTEGER,
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  fetched_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX posts_source_guid ON posts (source_id, guid);
CREATE UNIQUE INDEX posts_canonical ON posts (organisation_id, canonical_url) WHERE canonical_url <> '';
CREATE INDEX posts_wall ON posts (status, sort_at DESC, id DESC);
CREATE INDEX posts_org ON posts (organisation_id, sort_at DESC, id DESC);
CREATE INDEX posts_images ON posts (image_state) WHERE image_state = 'pending';

CREATE TABLE post_tags (
  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  sort_at INTEGER NOT NULL,
  PRIMARY KEY (post_id, tag)
);
CREATE INDEX post_tags_wall ON post_tags (tag, sort_at DESC, post_id DESC);
