// Feeds out: Atom 1.0 (RFC 4287) and JSON Feed 1.1 documents from plain entries, for
// the Social Wall and its filters (and, later, events). Text is plain; it is escaped
// here, and characters XML 1.0 forbids are dropped. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace verbund::api {

struct FeedEntry {
  std::string id;     // a stable URI (tag: or the entry's page)
  std::string url;    // the entry's page (alternate link)
  std::string title;  // plain; may be empty (the text's start is used)
  std::string text;   // plain, paragraphs separated by blank lines
  std::string author_name, author_url;
  std::string image_url, image_alt;  // absolute
  std::vector<std::string> tags;
  int64_t published = 0, updated = 0;
};

struct FeedInfo {
  std::string id, title, subtitle;
  std::string self_url;  // this document
  std::string html_url;  // the page it mirrors
  std::string language = "de";
  int64_t updated = 0;
};

std::string atom(const FeedInfo& info, const std::vector<FeedEntry>& entries);
std::string json_feed(const FeedInfo& info, const std::vector<FeedEntry>& entries);

// Text safe in XML content and attributes.
std::string xml_escape(std::string_view s);

}  // namespace verbund::api
