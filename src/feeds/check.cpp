#include "feeds/check.hpp"

#include "feeds/discover.hpp"
#include "feeds/parse.hpp"
#include "feeds/url.hpp"

namespace verbund::feeds {

namespace {

bool fetch_failed(const FetchResult& f, CheckResult& out) {
  if (!f.error.empty()) {
    out.error = f.error;
    out.detail = f.detail;
    return true;
  }
  if (f.status < 200 || f.status >= 300) {
    out.error = "http_status";
    out.detail = "HTTP " + std::to_string(f.status);
    return true;
  }
  return false;
}

}  // namespace

CheckResult check_source(std::string_view input, const FetchOptions& options) {
  CheckResult out;
  Target target = target_for(input);
  if (!target.error.empty()) {
    out.error = target.error;
    out.detail = target.error == "invalid" ? "neither a URL nor a handle"
                                           : "only http and https URLs are fetched";
    return out;
  }
  if (!target.closed_network.empty()) {
    out.error = "closed_network";
    out.closed_network = target.closed_network;
    out.detail = target.closed_network + " publishes no feeds";
    return out;
  }
  FetchResult f = fetch(target.url, {}, options);
  if (fetch_failed(f, out)) return out;

  if (looks_like_html_page(f.body, f.content_type)) {
    // A website: its <link rel="alternate">, else WordPress's conventional /feed/.
    auto links = discover_feeds(f.body, f.final_url);
    std::vector<std::string> tries;
    for (const auto& l : links) tries.push_back(l.url);
    if (tries.empty()) tries.push_back(resolve_url(f.final_url, "/feed/"));
    FetchResult page = std::move(f);
    bool found = false;
    for (std::size_t i = 0; i < tries.size() && i < 3 && !found; ++i) {
      f = fetch(tries[i], {}, options);
      if (!f.error.empty() || f.status < 200 || f.status >= 300) continue;
      if (looks_like_html_page(f.body, f.content_type)) continue;
      found = true;
    }
    if (!found) {
      if (links.empty()) {
        out.error = "no_feed";
        out.detail = "the page names no feed (<link rel=\"alternate\">)";
      } else if (fetch_failed(f, out)) {
        out.detail = "the page's feed " + tries[0] + ": " + out.detail;
      } else {
        out.error = "no_feed";
        out.detail = "the page's feed link leads to another page";
      }
      return out;
    }
    if (target.kind.empty() && links.empty()) target.kind = "wordpress";
  }
  auto parsed = parse(f.body, f.final_url, f.content_type);
  if (!parsed) {
    out.error = parsed.error().code;
    out.detail = parsed.error().message;
    return out;
  }
  out.feed = std::move(*parsed);
  out.feed_url = f.final_url;
  out.kind = !target.kind.empty() ? target.kind : kind_of_feed_url(out.feed_url);
  if (out.kind.empty()) out.kind = "feed";
  out.fetch = std::move(f);
  return out;
}

}  // namespace verbund::feeds
