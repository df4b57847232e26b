-- Invitations into an organisation: sent by its admins by e-mail, accepted once by a
-- signed-in person with the link (the token is stored as its SHA-256 only).
CREATE TABLE org_invitations (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('org_admin', 'org_member')),
  token_hash TEXT NOT NULL UNIQUE,
  invited_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  accepted_at INTEGER,
  accepted_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX org_invitations_org ON org_invitations(organisation_id);
