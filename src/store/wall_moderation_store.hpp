// Moderation of the Social Wall. Moderators are platform admins (everything) and
// regional editors (the organisations of their association); organisation admins hide
// and show their own organisation's posts; anyone signed in reports a post, once.
// Every step is reversible and logged with its reason. Rows outside the actor's reach
// are "not_found". The word list holds posts that contain one of its words for review
// (store_posts reads it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "store/org_manage_store.hpp"
#include "store/post_store.hpp"

namespace verbund::store {

struct ModerationItem {
  WallPost post;
  int64_t source_id = 0;  // 0 for direct posts
  std::string source_title;
  bool source_blocked = false;
  std::string status_reason;
  int64_t open_reports = 0;
  std::vector<std::string> report_reasons;  // hate, spam, privacy, wrong, other
};

// A source a moderator blocked: its posts are off the wall until the block is lifted.
struct BlockedSource {
  int64_t id = 0;
  std::string title, feed_url, organisation_name, reason;
  int64_t blocked_at = 0;
};

struct ModerationLogEntry {
  std::string action, reason, actor_name, organisation_name;
  int64_t post_id = 0, source_id = 0, created_at = 0;
};

// A kiosk screen's controls, set from a moderator's phone and polled by the screen.
struct KioskState {
  std::string name = "standard";
  std::string speed = "normal";  // slow, normal, fast
  bool paused = false;
  bool blank = false;
  int64_t version = 0;  // raised on every change
};

inline constexpr const char* kReportReasons[] = {"hate", "spam", "privacy", "wrong", "other"};

// Thread-safe; every method runs in a transaction of its own.
class WallModeration {
 public:
  explicit WallModeration(db::Database& db) : db_(db) {}

  // Held posts and posts with open reports the actor moderates, oldest first.
  std::vector<ModerationItem> queue(const Actor& a, int limit = 100);
  // Posts moderators hid, of the organisations the actor moderates, latest first (so
  // that each hiding can be undone).
  std::vector<ModerationItem> hidden(const Actor& a, int limit = 50);
  // Blocked sources of the organisations the actor moderates, latest first.
  std::vector<BlockedSource> blocked_sources(const Actor& a, int limit = 50);
  // Whether the actor moderates anything (platform admin or regional editor).
  bool is_moderator(const Actor& a);

  // Hides a post: moderators (reason required) or the organisation's admins.
  // Errors: "not_found", "reason_missing".
  Status hide(const Actor& a, int64_t post_id, const std::string& reason, int64_t now);
  // Shows a hidden or held post again; what a moderator hid only a moderator shows.
  Status show(const Actor& a, int64_t post_id, int64_t now);
  // Blocks a source (its posts leave the wall, it is no longer fetched), or lifts it.
  Status block_source(const Actor& a, int64_t source_id, const std::string& reason, int64_t now);
  Status unblock_source(const Actor& a, int64_t source_id, int64_t now);
  // Closes the open reports of a post without changing it.
  Status dismiss_reports(const Actor& a, int64_t post_id, int64_t now);
  // One report per person and post (a unique constraint decides). Errors: "not_found"
  // (no visible post), "already_reported", "invalid" (unknown reason).
  Status report(int64_t user_id, int64_t post_id, const std::string& reason,
                const std::string& note, int64_t now);

  // The organisation's posts for its admins (all but deleted), newest first.
  std::vector<ModerationItem> organisation_posts(const Actor& a, int64_t org_id, int limit = 50);

  std::vector<std::string> words();
  // Replaces the word list (platform admins only). Error "not_found" for others.
  Status set_words(const Actor& a, const std::vector<std::string>& words, int64_t now);
  std::vector<ModerationLogEntry> log(const Actor& a, int limit = 100);

  // The controls of kiosk `name` (defaults when never set).
  KioskState kiosk(const std::string& name);
  // Moderators change them: "pause", "play", "slower", "faster", "blank", "show".
  // Errors: "not_found" (not a moderator), "invalid".
  Result<KioskState> control_kiosk(const Actor& a, const std::string& name,
                                   const std::string& action, int64_t now);

 private:
  db::Database& db_;
};

// The first word of `words` found in `text` (lower case, whole words), or "".
std::string matching_word(const std::vector<std::string>& words, std::string_view text);

}  // namespace verbund::store
