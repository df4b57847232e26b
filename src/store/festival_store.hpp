// The Digital-Festival and its call for proposals (see migrations/*/0024_festivals.sql).
//
// Member organisations submit proposals while submission is open; reviewers, each for
// a regional association and/or a topic, score them in the festival's categories while
// review is open ("save and next" goes to the least-reviewed proposal the reviewer has
// not scored yet); the federation decides in bulk, each decision with its mail; an
// accepted proposal is scheduled as an event of the festival, and those events are its
// programme. Submitters see of the review only what a decision mail included.
//
// Every change is one conditional statement or runs under the proposal's row, so a
// withdrawal and a decision at once cannot both win, and a proposal is scheduled once.
// Thread-safe; every method runs in a transaction of its own.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "store/event_store.hpp"
#include "store/outbox_store.hpp"

namespace verbund::store {

struct ReviewCategory {
  int64_t id = 0;
  std::string name;
};

struct Festival {
  int64_t id = 0;
  std::string slug, title, summary, description;
  int64_t starts_at = 0, ends_at = 0;
  int64_t submission_opens_at = 0, submission_closes_at = 0, review_closes_at = 0, decisions_by = 0;
  bool anonymous_review = false;
  std::vector<ReviewCategory> categories;  // in their order
};

// The festival's phase at `now`: "announced" (before submission), "submission",
// "review", "decision" (review closed, before the festival), "running", "over".
std::string festival_phase(const Festival& f, int64_t now);

struct NewFestival {
  std::string slug, title, summary, description;
  int64_t starts_at = 0, ends_at = 0;
  int64_t submission_opens_at = 0, submission_closes_at = 0, review_closes_at = 0, decisions_by = 0;
  bool anonymous_review = false;
  std::vector<std::string> categories;  // 1 to 8 names
};

struct Reviewer {
  int64_t id = 0;  // the assignment
  int64_t user_id = 0;
  std::string name, email;
  std::optional<int64_t> region_id;  // none: every region
  std::string region_name;
  std::string topic;  // "": every topic
};

// What a submitter fills in.
struct ProposalInput {
  int64_t organisation_id = 0;
  std::string title, abstract, kind, format, topic, speakers, notes;
  int64_t duration_minutes = 60;
};

struct Proposal {
  int64_t id = 0, festival_id = 0;
  int64_t organisation_id = 0;
  std::string organisation_name, organisation_slug;
  std::optional<int64_t> region_id;
  std::string region_name;
  std::optional<int64_t> submitted_by;
  std::string submitter_name, submitter_email, submitter_locale;
  std::string title, abstract, kind, format, topic, speakers, notes;
  int64_t duration_minutes = 0;
  std::string status;  // submitted, accepted, changes_requested, declined, withdrawn
  std::string decision_reason, decision_comments;  // as the decision mail said them
  std::optional<int64_t> decided_at;
  std::optional<int64_t> event_id;  // scheduled: the programme's event
  std::string event_slug;
  int64_t created_at = 0, updated_at = 0;
  int64_t reviews = 0;                 // how many reviews it has
  std::optional<double> average;       // of all scores, none without reviews
  std::map<int64_t, double> averages;  // per category id
  bool reviewed_by_me = false;         // for the reviewer who asked
};

struct Review {
  int64_t id = 0, proposal_id = 0, reviewer_id = 0;
  std::string reviewer_name, comment;
  std::map<int64_t, int> scores;  // category id → 1..5
  int64_t updated_at = 0;
};

struct Decision {
  std::string status;             // accepted, changes_requested, declined
  std::string reason;             // required for changes_requested and declined
  bool include_comments = false;  // the reviewers' comments go into the mail
};

// The decision mail for one proposal; `comments` holds the reviewers' comments when
// the decision includes them (else empty).
using ProposalDecisionComposer = std::function<Mail(const Proposal& p, const Decision& d,
                                                    const std::vector<std::string>& comments)>;

class Festivals {
 public:
  Festivals(db::Database& db, int mail_attempts) : db_(db), mail_attempts_(mail_attempts) {}

  // Errors: "invalid" (dates out of order, no or too many categories), "duplicate".
  Result<int64_t> create(const NewFestival& f, int64_t now);
  std::optional<Festival> find(std::string_view slug);
  // Festivals that have not ended by `now`, the next first; then the latest past one.
  std::vector<Festival> current(int64_t now);

  // Errors: "no_user" (no account with this address), "duplicate" (the same scope
  // already), "invalid" (unknown region).
  Status add_reviewer(int64_t festival_id, const std::string& email,
                      std::optional<int64_t> region_id, const std::string& topic, int64_t now);
  Status remove_reviewer(int64_t festival_id, int64_t reviewer_id);
  std::vector<Reviewer> reviewers(int64_t festival_id);
  // Whether the user reviews anything of the festival.
  bool is_reviewer(int64_t festival_id, int64_t user_id);

  // Errors: "closed" (submission is not open), "invalid" (a field the form checks).
  // `receipt`: the mail that confirms it to the submitter, queued with it.
  Result<int64_t> submit(int64_t festival_id, std::optional<int64_t> user_id,
                         const ProposalInput& in, int64_t now,
                         const std::function<Mail(int64_t proposal_id)>& receipt = {});
  // The submitters' change: while submission is open and it is undecided, or after
  // "changes requested" until decisions_by (then it is submitted again).
  // Errors: "not_found", "locked".
  Status revise(int64_t proposal_id, const ProposalInput& in, int64_t now);
  // Errors: "not_found", "locked" (already in the programme, declined or withdrawn).
  Status withdraw(int64_t proposal_id, int64_t now);
  std::optional<Proposal> find_proposal(int64_t proposal_id);
  // The proposals of these organisations for the festival, newest first.
  std::vector<Proposal> of_organisations(int64_t festival_id, const std::vector<int64_t>& orgs);

  // The proposals the reviewer may review (undecided and decided, not withdrawn), each
  // with its review count and whether this reviewer has reviewed it, fewest reviews first.
  std::vector<Proposal> to_review(int64_t festival_id, int64_t reviewer_user_id);
  bool may_review(int64_t proposal_id, int64_t reviewer_user_id);
  // The next undecided proposal in the reviewer's scope they have not reviewed, fewest
  // reviews first (ties: spread over reviewers), other than `except`.
  std::optional<int64_t> next_to_review(int64_t festival_id, int64_t reviewer_user_id,
                                        int64_t except = 0);
  // Saves (or replaces) the reviewer's scores, one per category, and comment.
  // Errors: "forbidden" (not in scope), "closed" (review is not open), "invalid".
  Status save_review(int64_t proposal_id, int64_t reviewer_user_id,
                     const std::map<int64_t, int>& scores, const std::string& comment, int64_t now);
  std::optional<Review> review_of(int64_t proposal_id, int64_t reviewer_user_id);
  std::vector<Review> reviews(int64_t proposal_id);

  // Every proposal of the festival with its review statistics, for the committee.
  std::vector<Proposal> all(int64_t festival_id);
  // Decides every listed proposal that is not withdrawn (nor in the programme, for
  // another outcome than acceptance) and queues each decision mail in the same
  // transaction. Returns how many it decided. Errors: "invalid" (status, reason).
  Result<int64_t> decide(int64_t festival_id, const std::vector<int64_t>& proposal_ids,
                         const Decision& d, int64_t decided_by, int64_t now,
                         const ProposalDecisionComposer& mail);
  // An accepted proposal becomes an event of the festival (its organisation as
  // organiser, public, published) with one session at `starts_at` for its duration.
  // Errors: "not_found", "not_accepted", "scheduled" (already), "invalid" (outside
  // the festival's days). Returns the event's slug.
  Result<std::string> schedule(int64_t proposal_id, int64_t starts_at,
                               std::optional<int64_t> capacity, int64_t created_by, int64_t now);

 private:
  db::Database& db_;
  int mail_attempts_;
};

}  // namespace verbund::store
