// The corpus of real-world-shaped feeds in tests/data/feeds: each NAME.xml or NAME.json
// parses to the posts its NAME.expect.json names (title, url, published, the start of
// the text, image, tags as a set, guid), in document order.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "feeds/dates.hpp"
#include "feeds/parse.hpp"

namespace verbund::feeds {
namespace {

namespace fs = std::filesystem;
namespace bj = boost::json;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string collapse(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  // The defanging zero-width space is not part of what a reader sees.
  for (auto at = out.find("\xE2\x80\x8B"); at != std::string::npos; at = out.find("\xE2\x80\x8B"))
    out.erase(at, 3);
  return out;
}

std::string str(const bj::object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().get_string()) : "";
}

std::vector<fs::path> corpus() {
  std::vector<fs::path> out;
  fs::path dir = fs::path(VERBUND_SOURCE_DIR) / "tests/data/feeds";
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    auto name = e.path().filename().string();
    if (name.ends_with(".expect.json")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(FeedCorpus, HasAtLeastThirtyFeeds) { EXPECT_GE(corpus().size(), 30u); }

TEST(FeedCorpus, EveryFeedParsesToItsExpectedPosts) {
  for (const auto& expect_path : corpus()) {
    std::string stem = expect_path.filename().string();
    stem.resize(stem.size() - std::string(".expect.json").size());
    fs::path feed_path = expect_path.parent_path() / (stem + ".xml");
    if (!fs::exists(feed_path)) feed_path = expect_path.parent_path() / (stem + ".json");
    SCOPED_TRACE(feed_path.filename().string());
    ASSERT_TRUE(fs::exists(feed_path));
    auto expect = bj::parse(read(expect_path)).as_object();
    auto feed = parse(read(feed_path), str(expect, "base_url"));
    ASSERT_TRUE(feed.ok()) << feed.error().code << ": " << feed.error().message;
    if (!str(expect, "format").empty()) {
      EXPECT_EQ(feed->format, str(expect, "format"));
    }
    if (expect.contains("feed_title")) {
      EXPECT_EQ(collapse(feed->title), collapse(str(expect, "feed_title")));
    }
    if (auto d = expect.find("deleted"); d != expect.end() && d->value().is_array()) {
      std::vector<std::string> want;
      for (const auto& v : d->value().as_array()) want.emplace_back(v.as_string());
      EXPECT_EQ(feed->deleted, want);
    }
    const auto& posts = expect.at("posts").as_array();
    ASSERT_EQ(feed->posts.size(), posts.size());
    for (std::size_t i = 0; i < posts.size(); ++i) {
      SCOPED_TRACE("post " + std::to_string(i));
      const auto& want = posts[i].as_object();
      const Post& got = feed->posts[i];
      if (want.contains("guid")) {
        EXPECT_EQ(got.guid, str(want, "guid"));
      }
      EXPECT_EQ(collapse(got.title), collapse(str(want, "title")));
      EXPECT_EQ(got.url, str(want, "url"));
      EXPECT_EQ(got.published ? iso8601(*got.published) : "", str(want, "published"));
      std::string start = collapse(str(want, "text_starts"));
      EXPECT_EQ(collapse(got.text).substr(0, start.size()), start);
      EXPECT_EQ(got.image, str(want, "image"));
      std::set<std::string> want_tags, got_tags(got.tags.begin(), got.tags.end());
      for (const auto& t : want.at("tags").as_array()) want_tags.emplace(t.as_string());
      EXPECT_EQ(got_tags, want_tags);
    }
  }
}

}  // namespace
}  // namespace verbund::feeds
