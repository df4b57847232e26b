// The Social Wall's posts as visitors see them: newest first with keyset paging
// (sort_at, id), filtered by organisation, regional association, field of work,
// hashtag and source kind; and posts an organisation submits directly ("Beitrag
// einreichen") for the networks that publish no feeds.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "store/org_manage_store.hpp"

namespace verbund::store {

struct WallPost {
  int64_t id = 0;
  int64_t organisation_id = 0;
  std::string organisation_slug, organisation_name, organisation_logo;
  std::string kind;  // the source's kind, "direct" for submitted posts
  std::string url, title, body, image_key, image_alt, tags, status;
  std::optional<int64_t> published_at;
  int64_t sort_at = 0;
};

struct WallFilter {
  std::string organisation;  // slug
  std::string region;        // code, e.g. "he"
  std::string field;         // field-of-work key
  std::string tag;           // lower case, without '#'
  std::string kind;          // source kind or "direct"
  bool empty() const {
    return organisation.empty() && region.empty() && field.empty() && tag.empty() && kind.empty();
  }
};

// A position in the wall: posts older than (sort_at, id).
struct WallCursor {
  int64_t sort_at = 0;
  int64_t id = 0;
};

struct WallPage {
  std::vector<WallPost> posts;
  std::optional<WallCursor> next;  // set when older posts exist
};

struct NewDirectPost {
  std::string text, link, image_key, image_alt;
  std::vector<std::string> tags;
};

inline constexpr int kWallPageSize = 20;

// Thread-safe; every method runs in a transaction of its own.
class Posts {
 public:
  explicit Posts(db::Database& db) : db_(db) {}

  // Visible posts of published organisations whose source is not blocked.
  WallPage wall(const WallFilter& f, const std::optional<WallCursor>& before,
                int limit = kWallPageSize);
  // Visible posts newer than post `after_id` (the live update), newest first, at most `limit`.
  std::vector<WallPost> newer(const WallFilter& f, int64_t after_id, int limit = 50);
  // The newest posts of one source, visible or held for review (what the check of a
  // channel just added found, shown to its organisation's admins).
  std::vector<WallPost> of_source(int64_t source_id, int limit);
  // A visible post of a published organisation (the report form).
  std::optional<WallPost> find_visible(int64_t id);
  // Tags used by visible posts of the last 90 days, most frequent first (the filter's
  // suggestions), as refresh_tag_counts last counted them.
  std::vector<std::pair<std::string, int64_t>> popular_tags(int limit);
  // Counts them again (the job "wall.tag_counts": every 10 minutes and after moderation
  // steps). Keeps the 50 most frequent; returns how many tags it kept.
  int refresh_tag_counts(int64_t now);
  static constexpr int64_t kTagWindowSeconds = 90 * 86400;
  static constexpr const char* kTagCountsJob = "wall.tag_counts";

  // A post submitted by an organisation admin; visible at once for a published
  // organisation, held for review otherwise. Errors: "not_found". Returns the id.
  Result<int64_t> submit(const Actor& a, int64_t org_id, const NewDirectPost& p, int64_t now);

 private:
  db::Database& db_;
};

}  // namespace verbund::store
