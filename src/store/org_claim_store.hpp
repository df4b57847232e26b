// Claims on organisations without an admin (from the demo content or an imported member
// list): a person asks to administer one; an editor of its association decides. Queries
// are scoped by the acting reviewer's associations, like the review queue.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "store/org_manage_store.hpp"

namespace verbund::store {

// Published and without any admin: anyone signed in may claim it.
bool claimable(db::Connection& c, int64_t org_id);

// Errors: "not_claimable", "already_claimed" (this person's claim is open already).
Status create_claim(db::Connection& c, int64_t user_id, int64_t org_id, const std::string& message,
                    int64_t now);

struct ClaimItem {
  int64_t id = 0;
  int64_t organisation_id = 0;
  std::string organisation_name, organisation_slug, city, region_name;
  std::string claimant_name, claimant_email, message;
  int64_t created_at = 0;
};
// Open claims in the associations the actor edits (all for platform admins).
std::vector<ClaimItem> open_claims(db::Connection& c, const Actor& a);

struct ClaimDecision {
  std::string claimant_email, claimant_locale, organisation_name, organisation_slug;
};
// Approves (the claimant becomes the organisation's admin) or rejects with a note.
// Error "not_found" outside the actor's associations or when already decided.
Result<ClaimDecision> decide_claim(db::Connection& c, const Actor& a, int64_t claim_id,
                                   bool approve, const std::string& note, int64_t now);

}  // namespace verbund::store
