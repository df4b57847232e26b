-- Claims on organisations that have no admin yet (demo or imported member lists): a
-- signed-in person says the organisation is theirs; a regional editor of its
-- association (or a platform admin) checks and decides.
CREATE TABLE org_claims (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  message TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'rejected')),
  note TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  decided_at INTEGER,
  decided_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX org_claims_open ON org_claims(status, organisation_id);
CREATE UNIQUE INDEX org_claims_one_open
  ON org_claims(organisation_id, user_id) WHERE status = 'open';
