// Feed documents in, posts out: RSS 2.0 (and 0.9x), RSS 1.0, Atom 1.0 (and 0.3) through
// libxml2, JSON Feed 1.0/1.1 through Boost.JSON. No network: libxml2 runs with
// XML_PARSE_NONET, never loads a DTD and never substitutes entities; a document that
// declares entities (billion laughs, XXE) is refused before parsing, in time linear in
// its size. Broken documents are read in recover mode as far as they go; encodings
// declared wrong are corrected (valid UTF-8 is UTF-8 whatever the declaration says).
// Thread-safety: parse() may run on many threads at once after init().
#pragma once

#include <string_view>

#include "core/result.hpp"
#include "feeds/feed.hpp"

namespace verbund::feeds {

// Initialises libxml2 once per process (idempotent, thread-safe).
void init();

// The most posts read from one document; a feed holds its latest 10-50.
constexpr std::size_t kMaxPosts = 200;

// Parses `body` fetched from `base_url` (relative links resolve against it). The
// content type's charset, when given, is a hint like the XML declaration.
// Errors (Error::code): "empty", "not_feed" (HTML or another XML document), "entities",
// "malformed" (nothing recoverable), "json" (invalid JSON Feed).
Result<Feed> parse(std::string_view body, std::string_view base_url,
                   std::string_view content_type = {});

// The XML and JSON halves, for tests and the fuzzer.
Result<Feed> parse_xml(std::string_view body, std::string_view base_url,
                       std::string_view charset = {});
Result<Feed> parse_json(std::string_view body, std::string_view base_url);

}  // namespace verbund::feeds
