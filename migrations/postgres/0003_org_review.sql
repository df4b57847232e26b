-- Organisation applications: a new organisation is 'pending' until a regional editor
-- of its association (or a platform admin) verifies membership. A rejection carries a
-- reason the applicant sees and can answer; answering makes it pending again.

ALTER TABLE organisations ADD COLUMN review_note TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN applicant_reply TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN reviewed_at BIGINT;
ALTER TABLE organisations ADD COLUMN reviewed_by BIGINT REFERENCES users(id) ON DELETE SET NULL;

-- Former slugs keep working: they redirect (301) to the current one.
CREATE TABLE organisation_slugs (
  slug TEXT PRIMARY KEY,
  organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE
);

CREATE INDEX user_roles_org ON user_roles(organisation_id, role);
CREATE INDEX user_roles_region ON user_roles(region_id, role);
