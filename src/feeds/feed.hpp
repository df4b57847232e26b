// What a feed document yields, whatever its format (RSS 2.0, RSS 1.0, Atom 1.0,
// JSON Feed 1.0/1.1): the feed's own title and links and its posts, already reduced to
// safe plain text, absolute http(s) URLs and lower-case tags. Plain values; no network.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace verbund::feeds {

struct Post {
  std::string guid;   // RSS guid, Atom id, JSON id; the url when the feed gives none
  std::string url;    // absolute http(s) link to the post, or ""
  std::string title;  // plain text, "" when the post has none (Mastodon, Bluesky)
  std::string text;   // plain-text excerpt (about 500 characters), paragraphs as "\n\n"
  std::vector<std::string> links;  // absolute http(s) links found in the post's HTML
  std::string image;               // absolute http(s) URL of the first image, or ""
  std::string image_alt;           // its description, when the feed gives one
  std::vector<std::string> tags;   // categories and #hashtags, lower case, without '#'
  std::string author;
  std::optional<int64_t> published;  // UTC seconds; Atom: published, else updated
  std::optional<int64_t> updated;
};

struct Feed {
  std::string format;  // "rss2", "rss1", "atom", "json"
  std::string title;
  std::string site_url;              // the website the feed belongs to, absolute, or ""
  std::optional<int> ttl_minutes;    // RSS <ttl>, when given
  std::vector<Post> posts;           // in document order
  std::vector<std::string> deleted;  // ids the feed marks as deleted (RFC 6721 tombstones)
};

}  // namespace verbund::feeds
