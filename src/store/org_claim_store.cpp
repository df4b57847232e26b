#include "store/org_claim_store.hpp"

#include "store/org_member_store.hpp"
#include "store/org_store.hpp"

namespace verbund::store {

namespace {
// The claims a reviewer may see: $1 user id, $2 platform admin (1/0).
constexpr const char* kReviewerScope = R"sql(
  ($2 = 1 OR o.region_id IN (SELECT region_id FROM user_roles
                              WHERE user_id = $1 AND role = 'regional_editor')))sql";

}  // namespace

bool is_claimable(db::Connection& c, int64_t org_id) {
  return c
      .query_one(R"sql(
    SELECT 1 FROM organisations o
     WHERE o.id = $1 AND o.status = 'published'
       AND NOT EXISTS (SELECT 1 FROM user_roles ur
                        WHERE ur.organisation_id = o.id AND ur.role = 'org_admin'))sql",
                 {org_id})
      .has_value();
}

std::optional<model::Organisation> Claims::claimable(const std::string& slug) {
  return db_.read([&](db::Connection& c) -> std::optional<model::Organisation> {
    auto o = find_published(c, slug);
    if (!o || !is_claimable(c, o->id)) return std::nullopt;
    return o;
  });
}

Status Claims::submit(int64_t user_id, int64_t org_id, const std::string& message, int64_t now,
                      const Composer& to_reviewer) {
  return db_.write([&](db::Connection& c) -> Status {
    // A claim filed just as another is approved is harmless: decide() checks again.
    if (!is_claimable(c, org_id)) return make_error("not_claimable", "organisation has an admin");
    try {
      db::with_savepoint(c, [&] {
        c.execute(R"sql(
          INSERT INTO org_claims (organisation_id, user_id, message, created_at)
          VALUES ($1, $2, $3, $4))sql",
                  {org_id, user_id, message, now});
      });
    } catch (const db::DbError& e) {
      if (e.kind() == db::DbError::Kind::unique)
        return make_error("already_claimed", "an open claim exists");
      throw;
    }
    auto region = c.query_int("SELECT region_id FROM organisations WHERE id = $1", {org_id});
    for (const auto& r : reviewers_of(c, region))
      queue_mail(c, to_reviewer(r), now, mail_attempts_);
    return Ok{};
  });
}

std::vector<ClaimItem> Claims::open(const Actor& a) {
  return db_.read([&](db::Connection& c) {
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
  });
}

Result<ClaimDecision> Claims::decide(const Actor& a, int64_t claim_id, bool approve,
                                     const std::string& note, int64_t now,
                                     const DecisionComposer& to_claimant) {
  return db_.write(db::Isolation::read_committed, [&](db::Connection& c) -> Result<ClaimDecision> {
    auto found = c.query_one(std::string(R"sql(
      SELECT cl.organisation_id FROM org_claims cl JOIN organisations o ON o.id = cl.organisation_id
       WHERE cl.id = $3 AND cl.status = 'open' AND )sql") +
                                 kReviewerScope,
                             {a.user_id, a.platform_admin ? 1 : 0, claim_id});
    if (!found) return make_error("not_found", "claim not found");
    int64_t org_id = found->int64("organisation_id");
    if (approve) {
      // Claims of several people on one organisation: the organisation's row lock orders
      // the approvals, and the next one sees the admin the first one made.
      lock_organisation(c, org_id);
      if (c.query_one("SELECT 1 FROM user_roles WHERE organisation_id = $1 AND role = 'org_admin'",
                      {org_id}))
        return make_error("not_claimable", "the organisation has an admin meanwhile");
    }
    // Decided by the statement that finds it open: of two reviewers at once, one does.
    auto claim = c.query_one(
        R"sql(
      UPDATE org_claims SET status = $2, note = $3, decided_at = $4, decided_by = $5
       WHERE id = $1 AND status = 'open'
      RETURNING user_id)sql",
        {claim_id, std::string(approve ? "approved" : "rejected"), note, now, a.user_id});
    if (!claim) return make_error("not_found", "claim decided meanwhile");
    int64_t user_id = claim->int64("user_id");
    if (approve) {
      put_role(c, org_id, user_id, true, now);
    }
    auto r = c.query_one(R"sql(
      SELECT u.email, u.locale, o.name, o.slug FROM users u, organisations o
       WHERE u.id = $1 AND o.id = $2)sql",
                         {user_id, org_id});
    ClaimDecision d{r->text("email"), r->text("locale"), r->text("name"), r->text("slug")};
    queue_mail(c, to_claimant(d), now, mail_attempts_);
    return d;
  });
}

}  // namespace verbund::store
