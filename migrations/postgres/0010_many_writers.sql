-- Many writers: uniqueness that code used to check before writing lives in indexes.
-- E-mail addresses are compared as lower(email) in both dialects.
CREATE UNIQUE INDEX users_email_lower ON users(lower(email));

-- One open invitation per address and organisation (invite() deletes an expired one
-- first). Older duplicates, possible before this index, give way to the newest.
DELETE FROM org_invitations
 WHERE accepted_at IS NULL
   AND id NOT IN (SELECT max(id) FROM org_invitations WHERE accepted_at IS NULL
                   GROUP BY organisation_id, lower(email));
CREATE UNIQUE INDEX org_invitations_open
  ON org_invitations(organisation_id, lower(email)) WHERE accepted_at IS NULL;
