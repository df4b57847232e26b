#include "store/org_claim_store.hpp"

namespace verbund::store {

namespace {
// The claims a reviewer may see: $1 user id, $2 platform admin (1/0).
constexpr const char* kReviewerScope = R"sql(
  ($2 = 1 OR o.region_id IN (SELECT region_id FROM user_roles
                              WHERE user_id = $1 AND role = 'regional_editor')))sql";
}  // namespace

bool claimable(db::Connection& c, int64_t org_id) {
  return c
      .query_one(R"sql(
    SELECT 1 FROM organisations o
     WHERE o.id = $1 AND o.status = 'published'
       AND NOT EXISTS (SELECT 1 FROM user_roles ur
                        WHERE ur.organisation_id = o.id AND ur.role = 'org_admin'))sql",
                 {org_id})
      .has_value();
}

Status create_claim(db::Connection& c, int64_t user_id, int64_t org_id, const std::string& message,
                    int64_t now) {
  if (!claimable(c, org_id)) return make_error("not_claimable", "organisation has an admin");
  if (c.query_one("SELECT 1 FROM org_claims WHERE organisation_id = $1 AND user_id = $2 AND status "
                  "= 'open'",
                  {org_id, user_id}))
    return make_error("already_claimed", "an open claim exists");
  c.execute(R"sql(
    INSERT INTO org_claims (organisation_id, user_id, message, created_at)
    VALUES ($1, $2, $3, $4))sql",
            {org_id, user_id, message, now});
  return Ok{};
}

std::vector<ClaimItem> open_claims(db::Connection& c, const Actor& a) {
  std::vector<ClaimItem> out;
  for (const auto& r : c.query(std::string(R"sql(
      SELECT cl.id, o.id AS organisation_id, o.name, o.slug, o.city, rg.name AS region_name,
             u.display_name, u.email, cl.message, cl.created_at
        FROM org_claims cl
        JOIN organisations o ON o.id = cl.organisation_id
        JOIN regions rg ON rg.id = o.region_id
        JOIN users u ON u.id = cl.user_id
       WHERE cl.status = 'open' AND )sql") +
                                   kReviewerScope + " ORDER BY cl.created_at, cl.id",
                               {a.user_id, a.platform_admin ? 1 : 0}))
    out.push_back(ClaimItem{r.int64("id"), r.int64("organisation_id"), r.text("name"),
                            r.text("slug"), r.text("city"), r.text("region_name"),
                            r.text("display_name"), r.text("email"), r.text("message"),
                            r.int64("created_at")});
  return out;
}

Result<ClaimDecision> decide_claim(db::Connection& c, const Actor& a, int64_t claim_id,
                                   bool approve, const std::string& note, int64_t now) {
  auto r = c.query_one(std::string(R"sql(
      SELECT cl.user_id, o.id AS organisation_id, o.name, o.slug, u.email, u.locale
        FROM org_claims cl
        JOIN organisations o ON o.id = cl.organisation_id
        JOIN users u ON u.id = cl.user_id
       WHERE cl.id = $3 AND cl.status = 'open' AND )sql") +
                           kReviewerScope,
                       {a.user_id, a.platform_admin ? 1 : 0, claim_id});
  if (!r) return make_error("not_found", "claim not found");
  int64_t user_id = r->int64("user_id"), org_id = r->int64("organisation_id");
  if (approve) {
    c.execute(R"sql(
      DELETE FROM user_roles
       WHERE organisation_id = $1 AND user_id = $2 AND role IN ('org_admin', 'org_member'))sql",
              {org_id, user_id});
    c.execute(R"sql(
      INSERT INTO user_roles (user_id, role, organisation_id, created_at)
      VALUES ($1, 'org_admin', $2, $3))sql",
              {user_id, org_id, now});
  }
  c.execute(R"sql(
    UPDATE org_claims SET status = $2, note = $3, decided_at = $4, decided_by = $5
     WHERE id = $1)sql",
            {claim_id, std::string(approve ? "approved" : "rejected"), note, now, a.user_id});
  return ClaimDecision{r->text("email"), r->text("locale"), r->text("name"), r->text("slug")};
}

}  // namespace verbund::store
