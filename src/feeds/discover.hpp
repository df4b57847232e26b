// From what a person types to the feed to fetch: connectors for the platforms that
// publish feeds without API keys (Mastodon accounts and hashtags, Bluesky, YouTube,
// PeerTube, Pixelfed, WordPress) and feed discovery in web pages (<link rel="alternate">).
// Meta's networks (Instagram, Facebook, Threads) and X publish no feeds; they are named
// so that the form can say so. Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace verbund::feeds {

// Source kinds, as stored and filtered on the wall.
// "feed" (any RSS/Atom/JSON feed), "mastodon", "mastodon_tag", "bluesky", "youtube",
// "peertube", "pixelfed", "wordpress", "direct" (posted on Verbund itself).
struct Target {
  std::string url;             // what to fetch first (a feed, or a page to discover one in)
  std::string kind;            // as above; "" when only the fetched document can tell
  std::string closed_network;  // "instagram", "facebook", "threads", "x": no feed exists
  std::string error;  // "invalid" (no URL or handle at all), "forbidden_scheme" (ftp:, file:)
};

// "@name@server", "name@server.social", "@handle.bsky.social", a profile, channel or
// hashtag URL, or any http(s) URL (a scheme-less "www.example.org" gets https://).
Target target_for(std::string_view input);

struct FeedLink {
  std::string url;
  std::string type;  // application/rss+xml, application/atom+xml, application/feed+json
  std::string title;
};

// The feeds a web page names in <link rel="alternate">, in page order, resolved
// against `base_url` (and the page's <base href>).
std::vector<FeedLink> discover_feeds(std::string_view html, std::string_view base_url);

// Whether a response body is an HTML page rather than a feed.
bool looks_like_html_page(std::string_view body, std::string_view content_type);

// The kind of a feed told by its URL, when the connectors did not name it.
std::string kind_of_feed_url(std::string_view url);

}  // namespace verbund::feeds
