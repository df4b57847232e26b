// One HTTP GET of a feed (or a page, or an image) with everything that makes that safe
// against the open internet: the SSRF guard on every connection (libcurl's open-socket
// callback, after DNS, also for each redirect, which we follow ourselves), http and
// https only, connect and total timeouts, a body cap that also holds after gzip, at most
// N redirects, conditional GET, and the cache hints a polite client honours
// (Retry-After, Cache-Control max-age). Thread-safety: fetch() may run on many threads.
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "feeds/ssrf_guard.hpp"

namespace verbund::feeds {

struct FetchOptions {
  AllowList allow_private;
  int connect_timeout_seconds = 10;
  int total_timeout_seconds = 30;  // for the whole chain of redirects
  std::size_t max_bytes = 5 * 1024 * 1024;
  int max_redirects = 5;
  std::string user_agent = "Verbund";
  // When set and true, a transfer in progress stops (shutdown).
  const std::atomic<bool>* cancel = nullptr;
  std::string accept =
      "application/atom+xml, application/rss+xml, application/feed+json, "
      "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";
};

// Validators from the last successful fetch, sent back as If-None-Match and
// If-Modified-Since.
struct Validators {
  std::string etag;
  std::string last_modified;
};

struct FetchResult {
  // "" when a response arrived (look at status); otherwise one of "forbidden_scheme",
  // "forbidden_address", "too_many_redirects", "too_big", "timeout", "dns", "connect",
  // "tls", "network".
  std::string error;
  std::string detail;  // English, for logs and the health page
  int status = 0;      // final HTTP status: 200, 304, 404, 429, ...
  std::string body;
  std::string content_type;
  std::string final_url;  // after redirects
  int redirects = 0;
  Validators validators;                   // of this response
  std::optional<int> retry_after_seconds;  // Retry-After (seconds or HTTP-date), capped at 7 days
  std::optional<int> max_age_seconds;      // Cache-Control: max-age
  bool ok() const { return error.empty() && status >= 200 && status < 300; }
};

// The options of the configuration; the User-Agent names the platform and its URL, so
// that a feed's operator knows who asks.
FetchOptions fetch_options(const core::Config& config);

// Initialises libcurl once per process (idempotent, thread-safe).
void init_http();

FetchResult fetch(std::string_view url, const Validators& validators, const FetchOptions& options);

}  // namespace verbund::feeds
