// Fuzz target for the feed parsers, the HTML-to-text reduction, dates, connectors and
// discovery. Besides crashes (ASan, UBSan), it checks the promises the wall relies on:
// text never carries markup ("<script", a tag-like "<x ... on...=", "javascript:")
// and every URL is absolute http(s). Built with libFuzzer by `make fuzz` (clang) and
// replayed with deterministic mutations in `make test` (tests/fuzz/replay_main.cpp).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "feeds/dates.hpp"
#include "feeds/discover.hpp"
#include "feeds/html_text.hpp"
#include "feeds/parse.hpp"

namespace {

using namespace verbund::feeds;

[[noreturn]] void violation(const char* what, std::string_view text) {
  std::fprintf(stderr, "fuzz: %s in output: %.*s\n", what,
               static_cast<int>(std::min<std::size_t>(text.size(), 400)), text.data());
  std::abort();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void check_text(std::string_view text) {
  std::string l = lower(text);
  if (l.find("<script") != std::string::npos) violation("<script", text);
  if (l.find("javascript:") != std::string::npos) violation("javascript:", text);
  for (std::size_t i = 0; i + 1 < l.size(); ++i) {
    char n = l[i + 1];
    if (l[i] == '<' && ((n >= 'a' && n <= 'z') || n == '/' || n == '!' || n == '?')) {
      // Any tag-like text could carry an on...= handler; none may remain.
      violation("tag-like '<'", text.substr(i));
    }
  }
}

void check_url(std::string_view url) {
  if (url.empty()) return;
  if (!(url.starts_with("http://") || url.starts_with("https://"))) violation("non-http URL", url);
  // Percent-encoded where it matters: a URL cannot leave an HTML attribute.
  if (url.find_first_of("<>\"' \n\t") != std::string_view::npos)
    violation("raw character in URL", url);
}

void check_post(const Post& p) {
  check_text(p.title);
  check_text(p.text);
  check_text(p.image_alt);
  check_text(p.author);
  for (const auto& t : p.tags) check_text(t);
  check_url(p.url);
  check_url(p.image);
  for (const auto& l : p.links) check_url(l);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0: {
      auto feed = parse(input, "https://fuzz.example/feed/");
      if (feed.ok()) {
        check_text(feed->title);
        check_url(feed->site_url);
        for (const auto& p : feed->posts) check_post(p);
      }
      break;
    }
    case 1: {
      auto r = reduce_html(input, "https://fuzz.example/a/b");
      check_text(r.text);
      check_text(excerpt(r.text));
      check_text(r.image_alt);
      check_url(r.image);
      for (const auto& l : r.links) check_url(l);
      for (const auto& t : hashtags(r.text)) check_text(t);
      check_text(tidy_text(input));
      break;
    }
    case 2: {
      if (auto t = parse_date(input)) (void)iso8601(*t);
      break;
    }
    case 3: {
      auto t = target_for(input);
      if (t.error.empty() && t.closed_network.empty()) check_url(t.url);
      break;
    }
    default: {
      for (const auto& l : discover_feeds(input, "https://fuzz.example/")) check_url(l.url);
      break;
    }
  }
  return 0;
}
