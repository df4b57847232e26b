-- Foundation: regional associations, users and roles, sessions, one-time tokens,
-- log-in rate limiting, the mail outbox, the job queue and operator settings.
-- Times are UTC seconds since the epoch.

CREATE TABLE regions (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  states TEXT NOT NULL DEFAULT ''  -- federal states covered, comma-separated
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  locale TEXT NOT NULL DEFAULT 'de' CHECK (locale IN ('de', 'en')),
  email_confirmed_at INTEGER,
  created_at INTEGER NOT NULL,
  disabled_at INTEGER
);

-- Fields of work and target groups are taxonomies: keys here, labels in the catalog.
CREATE TABLE fields_of_work (key TEXT PRIMARY KEY, position INTEGER NOT NULL);
CREATE TABLE target_groups (key TEXT PRIMARY KEY, position INTEGER NOT NULL);

CREATE TABLE organisations (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  short_name TEXT NOT NULL DEFAULT '',
  legal_form TEXT NOT NULL DEFAULT '',
  region_id INTEGER NOT NULL REFERENCES regions(id),
  street TEXT NOT NULL DEFAULT '',
  postcode TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT '',
  short_description TEXT NOT NULL DEFAULT '',
  about TEXT NOT NULL DEFAULT '',
  why TEXT NOT NULL DEFAULT '',
  founded INTEGER,
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  website TEXT NOT NULL DEFAULT '',
  languages TEXT NOT NULL DEFAULT 'de',
  accessibility TEXT NOT NULL DEFAULT '',
  opening_hours TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'rejected')),
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX organisations_region ON organisations(region_id);
CREATE INDEX organisations_status_name ON organisations(status, name);

CREATE TABLE organisation_fields (
  organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  field_key TEXT NOT NULL REFERENCES fields_of_work(key),
  PRIMARY KEY (organisation_id, field_key)
);
CREATE INDEX organisation_fields_key ON organisation_fields(field_key);

CREATE TABLE organisation_target_groups (
  organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  group_key TEXT NOT NULL REFERENCES target_groups(key),
  PRIMARY KEY (organisation_id, group_key)
);

CREATE TABLE user_roles (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('platform_admin', 'regional_editor', 'online_scout',
                                     'org_admin', 'org_member')),
  region_id INTEGER REFERENCES regions(id),
  organisation_id INTEGER REFERENCES organisations(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  CHECK ((role = 'regional_editor') = (region_id IS NOT NULL)),
  CHECK ((role IN ('org_admin', 'org_member')) = (organisation_id IS NOT NULL))
);
CREATE UNIQUE INDEX user_roles_unique
  ON user_roles(user_id, role, IFNULL(region_id, 0), IFNULL(organisation_id, 0));

-- Sessions are stored by the SHA-256 of the cookie value.
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- One-time links sent by mail (stored hashed).
CREATE TABLE user_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose TEXT NOT NULL CHECK (purpose IN ('confirm_email', 'reset_password', 'change_email')),
  new_email TEXT,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX user_tokens_user ON user_tokens(user_id, purpose);

CREATE TABLE login_failures (
  id INTEGER PRIMARY KEY,
  scope TEXT NOT NULL,  -- 'ip:ADDRESS' or 'account:EMAIL'
  at INTEGER NOT NULL
);
CREATE INDEX login_failures_scope ON login_failures(scope, at);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  message_id TEXT NOT NULL UNIQUE,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);

-- Jobs: a due job is claimed by setting locked_until; success deletes it; a job that
-- has used all attempts stays with state 'failed' and its last error.
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'failed')),
  run_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  locked_until INTEGER,
  locked_by TEXT,
  last_error TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs(state, run_at);

-- Operator settings edited in the admin area (Impressum, Datenschutz, signing secret).
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

INSERT INTO fields_of_work (key, position) VALUES
  ('kinder_jugend', 1), ('familie', 2), ('behinderung', 3), ('migration', 4), ('pflege', 5),
  ('gesundheit', 6), ('selbsthilfe', 7), ('wohnungslos', 8), ('frauen', 9), ('senioren', 10),
  ('bildung', 11), ('sucht', 12);

INSERT INTO target_groups (key, position) VALUES
  ('kinder', 1), ('jugendliche', 2), ('eltern', 3), ('familien', 4), ('frauen', 5),
  ('maenner', 6), ('senioren', 7), ('menschen_mit_behinderung', 8), ('gefluechtete', 9),
  ('migranten', 10), ('wohnungslose', 11), ('angehoerige', 12), ('fachkraefte', 13),
  ('ehrenamtliche', 14);

-- The federation's 15 regional associations are data, not code.
INSERT INTO regions (code, name, states) VALUES
  ('bw', 'Baden-Württemberg', 'Baden-Württemberg'),
  ('by', 'Bayern', 'Bayern'),
  ('be', 'Berlin', 'Berlin'),
  ('bb', 'Brandenburg', 'Brandenburg'),
  ('hb', 'Bremen', 'Bremen'),
  ('hh', 'Hamburg', 'Hamburg'),
  ('he', 'Hessen', 'Hessen'),
  ('mv', 'Mecklenburg-Vorpommern', 'Mecklenburg-Vorpommern'),
  ('ni', 'Niedersachsen', 'Niedersachsen'),
  ('nw', 'Nordrhein-Westfalen', 'Nordrhein-Westfalen'),
  ('rp-sl', 'Rheinland-Pfalz/Saarland', 'Rheinland-Pfalz,Saarland'),
  ('sn', 'Sachsen', 'Sachsen'),
  ('st', 'Sachsen-Anhalt', 'Sachsen-Anhalt'),
  ('sh', 'Schleswig-Holstein', 'Schleswig-Holstein'),
  ('th', 'Thüringen', 'Thüringen');
