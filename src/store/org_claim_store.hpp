// Claims on organisations without an admin (from the demo content or an imported member
// list): a person asks to administer one; an editor of its association decides. Queries
// are scoped by the acting reviewer's associations, like the review queue. Mail to the
// editors and to the claimant is queued in the transaction of the change.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "model/organisation.hpp"
#include "store/org_manage_store.hpp"
#include "store/outbox_store.hpp"

namespace verbund::store {

struct ClaimItem {
  int64_t id = 0;
  int64_t organisation_id = 0;
  std::string organisation_name, organisation_slug, city, region_name;
  std::string claimant_name, claimant_email, message;
  int64_t created_at = 0;
};

struct ClaimDecision {
  std::string claimant_email, claimant_locale, organisation_name, organisation_slug;
};
// Renders the mail that tells the claimant the decision.
using DecisionComposer = std::function<Mail(const ClaimDecision&)>;

// Thread-safe; every method runs in a transaction of its own.
class Claims {
 public:
  Claims(db::Database& db, int mail_attempts) : db_(db), mail_attempts_(mail_attempts) {}

  // The published organisation `slug` if it has no admin (anyone signed in may claim it).
  std::optional<model::Organisation> claimable(const std::string& slug);
  // Files a claim and queues `to_reviewer` for each editor of the organisation's region.
  // Errors: "not_claimable", "already_claimed" (this person's claim is open already: a
  // partial unique index).
  Status submit(int64_t user_id, int64_t org_id, const std::string& message, int64_t now,
                const Composer& to_reviewer);
  // Open claims in the associations the actor edits (all for platform admins).
  std::vector<ClaimItem> open(const Actor& a);
  // Approves (the claimant becomes the organisation's admin) or rejects with a note, and
  // queues `to_claimant`. Errors: "not_found" outside the actor's associations or when
  // decided already (the claim's state changes in the statement that checks it);
  // "not_claimable" on approval when the organisation has an admin meanwhile (another
  // claim was approved first).
  Result<ClaimDecision> decide(const Actor& a, int64_t claim_id, bool approve,
                               const std::string& note, int64_t now,
                               const DecisionComposer& to_claimant);

 private:
  db::Database& db_;
  int mail_attempts_;
};

// Whether `org_id` is published and has no admin yet, within the caller's transaction.
bool is_claimable(db::Connection& c, int64_t org_id);

}  // namespace verbund::store
