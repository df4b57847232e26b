// Demo content for the Social Wall: a source per demo organisation (WordPress,
// Mastodon, Bluesky, YouTube, ...) and a few hundred posts from demo/wall_posts.tsv,
// stored as if fetched and spread over the last four weeks. The sources are paused:
// their addresses are made up (example.org) and are never fetched.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"

namespace verbund::store {

struct DemoWallText {
  std::string title, text, image_caption;  // caption "" when the post has no picture
};

// The post texts of demo/wall_posts.tsv (embedded), in file order.
Result<std::vector<DemoWallText>> demo_wall_texts();

// Stores sources and posts for the first `max_orgs` published organisations;
// `image_keys[i]` is the stored picture of text i ("" when it has none). Returns the
// number of posts.
int load_demo_wall(db::Database& db, const std::vector<DemoWallText>& texts,
                   const std::vector<std::string>& image_keys, int64_t now, int max_orgs = 60);

}  // namespace verbund::store
