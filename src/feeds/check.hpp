// Checking a source as an organisation admin adds it: from what they typed to the feed,
// fetched (through the guard) and parsed, or the precise reason why not. Used by the
// profile's source form and by `verbund sources add`.
#pragma once

#include <string>
#include <string_view>

#include "feeds/feed.hpp"
#include "feeds/fetch.hpp"

namespace verbund::feeds {

struct CheckResult {
  // "" when a feed was found. Otherwise: "invalid" (no URL or handle), "closed_network"
  // (Instagram & Co.; see closed_network), "no_feed" (a page without a feed),
  // "http_status" (see fetch.status), a fetch error ("timeout", "forbidden_address",
  // "too_big", ...) or a parse error ("not_feed", "malformed", "entities", "json").
  std::string error;
  std::string detail;          // English, for logs
  std::string closed_network;  // "instagram", "facebook", "threads", "x"
  std::string feed_url;        // the feed's own URL (after discovery and redirects)
  std::string kind;            // see discover.hpp; "feed" when no connector applies
  Feed feed;
  FetchResult fetch;  // the feed's response (validators for the next conditional GET)
  bool ok() const { return error.empty(); }
};

CheckResult check_source(std::string_view input, const FetchOptions& options);

}  // namespace verbund::feeds
