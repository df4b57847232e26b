-- Withdrawn and expired invitations stay as rows (revoked_at) for 30 days, so that the
-- limits on invitations per organisation and per recipient count them: withdrawing and
-- inviting again is one more mail, and counts as one.
ALTER TABLE org_invitations ADD COLUMN revoked_at BIGINT;
DROP INDEX org_invitations_open;
CREATE UNIQUE INDEX org_invitations_open
  ON org_invitations(organisation_id, lower(email)) WHERE accepted_at IS NULL AND revoked_at IS NULL;
CREATE INDEX org_invitations_sent ON org_invitations(organisation_id, created_at);
