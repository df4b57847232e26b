// The Social Wall's sources (an organisation's channels) and the record of fetching
// them. Changes by people are scoped by the acting user: organisation admins of the
// source's organisation, or platform admins; any other source is "not_found".
//
// Fetching across nodes: claim_due() leases due sources to a node; the caller fetches
// them and reports with record_fetch(), which stores the posts, moves next_fetch_at on
// and ends the lease in one transaction. At most `per_host` sources of one host are
// leased at once, counted under a lock on the host's feed_hosts row, so two nodes
// claiming at the same moment cannot exceed it together.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "feeds/feed.hpp"
#include "store/org_manage_store.hpp"
#include "store/outbox_store.hpp"

namespace verbund::store {

struct Source {
  int64_t id = 0;
  int64_t organisation_id = 0;
  std::string organisation_slug, organisation_name;
  std::string input, feed_url, host, kind, title, moderation;
  std::optional<std::string> blocked_reason;
  std::string etag, last_modified;
  int64_t next_fetch_at = 0, interval_seconds = 0;
  std::optional<int64_t> last_fetch_at, last_status, last_success_at;
  std::string last_result, last_detail;
  int64_t failures = 0, posts_found = 0, created_at = 0;
  bool paused = false;  // not fetched (demo content)
};

struct NewSource {
  int64_t organisation_id = 0;
  std::string input, feed_url, kind, title;
  // "publish", "hold", or "": verified (published) member organisations publish at once,
  // others are held for review.
  std::string moderation;
  std::string etag, last_modified;  // of the check's response
  int64_t next_fetch_at = 0;
};

// What one fetch of a source came to, as record_fetch() stores it.
struct FetchOutcome {
  std::string result;  // "ok", "not_modified" or an error code
  std::string detail;
  std::optional<int64_t> http_status;
  std::string etag, last_modified;   // new validators ("" keeps the old ones on 304)
  std::vector<feeds::Post> posts;    // for "ok"
  std::vector<std::string> deleted;  // guids the feed marks as deleted
  int64_t next_fetch_at = 0;
  int64_t interval_seconds = 0;
};

struct RecordedFetch {
  int64_t inserted = 0, updated = 0, deleted = 0;
  std::vector<std::pair<int64_t, std::string>> posts_needing_images;  // id, remote image
  bool failure_mail_due = false;  // this failure is the one to tell the admins about
};

// Renders the one mail to an organisation admin about a source that keeps failing.
using SourceComposer = std::function<Mail(const Addressee&, const Source&, const FetchOutcome&)>;

// Consecutive failures after which the organisation's admins get one mail.
inline constexpr int64_t kFailuresBeforeMail = 5;

// Thread-safe; every method runs in a transaction of its own.
class Sources {
 public:
  explicit Sources(db::Database& db, int mail_attempts = 8)
      : db_(db), mail_attempts_(mail_attempts) {}

  // Errors: "not_found" (no organisation the actor administers), "duplicate" (the
  // organisation has this feed already; a unique constraint decides between parallel
  // adds), "limit" (kMaxSourcesPerOrg).
  Result<Source> add(const Actor& a, int64_t org_id, const NewSource& s,
                     const std::vector<feeds::Post>& first_posts, int64_t now);
  std::vector<Source> of_organisation(const Actor& a, int64_t org_id);
  std::optional<Source> find(const Actor& a, int64_t org_id, int64_t source_id);
  // Removes a source and its posts. Error "not_found".
  Status remove(const Actor& a, int64_t org_id, int64_t source_id);
  // "publish" or "hold". Error "not_found".
  Status set_moderation(const Actor& a, int64_t org_id, int64_t source_id,
                        const std::string& moderation);

  // Leases up to `limit` due, unblocked sources to `node` until now + lease_seconds.
  std::vector<Source> claim_due(const std::string& node, int64_t now, int limit, int per_host,
                                int64_t lease_seconds);
  // Stores the outcome and ends the lease; nothing when `node` lost the lease. After
  // kFailuresBeforeMail failures in a row, `failure_mail` writes to the organisation's
  // admins, once per run of failures, in the same transaction.
  std::optional<RecordedFetch> record_fetch(int64_t source_id, const std::string& node,
                                            const FetchOutcome& outcome, int64_t now,
                                            const SourceComposer& failure_mail = {});
  // The post's image, re-encoded and stored under `key` ("" when it could not be used).
  void set_post_image(int64_t post_id, const std::string& key);
  // Makes every source due now (tests, "jetzt abrufen").
  void make_all_due(int64_t now);
  int64_t due_count(int64_t now);

 private:
  db::Database& db_;
  int mail_attempts_;
};

inline constexpr int64_t kMaxSourcesPerOrg = 20;

// Building block: stores posts of a source (new ones inserted, edited ones updated,
// duplicates by guid or canonical link skipped) in the caller's transaction.
RecordedFetch store_posts(db::Connection& c, int64_t org_id, int64_t source_id,
                          const std::string& moderation, const std::vector<feeds::Post>& posts,
                          int64_t now);

}  // namespace verbund::store
