-- Events: a day or a course with one or more sessions (Digi-Dienstag: several sessions
-- with their own times and capacities); series group recurring events ("all
-- Digi-Dienstage"); registrations hold a place or a waitlist position per session.
--
-- Capacity is never exceeded: a session's `confirmed` counter moves only by single
-- UPDATE statements that take the session's row lock (PostgreSQL) or the writer lock
-- (SQLite), and the CHECK below refuses any state above capacity all the same. The
-- waitlist's order is the order in which bookings took that lock (`waitlist_next`).
CREATE TABLE event_series (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  recurrence TEXT NOT NULL DEFAULT '',  -- for people, e.g. "jeden ersten Dienstag im Monat"
  created_at INTEGER NOT NULL
);

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  series_id INTEGER REFERENCES event_series(id) ON DELETE SET NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',  -- safe Markdown
  organiser_kind TEXT NOT NULL CHECK (organiser_kind IN ('federation', 'region', 'organisation')),
  organisation_id INTEGER REFERENCES organisations(id) ON DELETE CASCADE,
  region_id INTEGER REFERENCES regions(id),
  format TEXT NOT NULL CHECK (format IN ('online', 'in_person', 'hybrid')),
  place TEXT NOT NULL DEFAULT '',
  online_url TEXT NOT NULL DEFAULT '',  -- for confirmed participants only
  audience TEXT NOT NULL DEFAULT 'public'
    CHECK (audience IN ('public', 'members', 'scouts', 'staff', 'invitation')),
  access_code_hash TEXT NOT NULL DEFAULT '',  -- audience 'invitation': sha256 of the code
  topics TEXT NOT NULL DEFAULT '',            -- comma-separated keys
  language TEXT NOT NULL DEFAULT 'de',
  accessibility TEXT NOT NULL DEFAULT '',     -- step_free, sign_language, captions, easy_language
  contact TEXT NOT NULL DEFAULT '',
  starts_at INTEGER NOT NULL,  -- the first session's start, the last one's end (UTC)
  ends_at INTEGER NOT NULL,
  registration_opens_at INTEGER,
  registration_closes_at INTEGER,
  status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published', 'cancelled')),
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((organiser_kind = 'organisation') = (organisation_id IS NOT NULL)),
  CHECK (organiser_kind <> 'region' OR region_id IS NOT NULL),
  CHECK (ends_at >= starts_at)
);
CREATE INDEX events_upcoming ON events (status, ends_at, starts_at);
CREATE INDEX events_series ON events (series_id, starts_at);
CREATE INDEX events_organisation ON events (organisation_id, starts_at);

CREATE TABLE event_sessions (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  uid TEXT NOT NULL UNIQUE,  -- the calendar UID (RFC 5545 §3.8.4.7), never reused
  title TEXT NOT NULL DEFAULT '',
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  capacity INTEGER CHECK (capacity IS NULL OR capacity >= 0),  -- NULL: no limit
  confirmed INTEGER NOT NULL DEFAULT 0,
  waitlist_next INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
  sequence INTEGER NOT NULL DEFAULT 0,  -- raised on every change (RFC 5545 §3.8.7.4)
  updated_at INTEGER NOT NULL,
  CHECK (ends_at > starts_at),
  CHECK (confirmed >= 0 AND (capacity IS NULL OR confirmed <= capacity))
);
CREATE INDEX event_sessions_event ON event_sessions (event_id, starts_at);

-- status: unconfirmed (a guest who has not opened the link yet: holds no place),
-- confirmed, waitlisted (position = waitlist_position), cancelled.
CREATE TABLE registrations (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES event_sessions(id) ON DELETE CASCADE,
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  email TEXT NOT NULL,  -- lower case
  name TEXT NOT NULL,
  organisation_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
  registered_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  status TEXT NOT NULL CHECK (status IN ('unconfirmed', 'confirmed', 'waitlisted', 'cancelled')),
  waitlist_position INTEGER,
  created_at INTEGER NOT NULL,
  confirmed_at INTEGER,
  promoted_at INTEGER,
  cancelled_at INTEGER,
  attended INTEGER NOT NULL DEFAULT 0,
  CHECK ((status = 'waitlisted') = (waitlist_position IS NOT NULL))
);
-- One live registration per address and session, however many requests race.
CREATE UNIQUE INDEX registrations_once ON registrations (session_id, email)
  WHERE status <> 'cancelled';
CREATE INDEX registrations_waitlist ON registrations (session_id, status, waitlist_position);
CREATE INDEX registrations_user ON registrations (user_id, session_id);
