#include "feeds/fetch.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>

#include "feeds/dates.hpp"
#include "feeds/url.hpp"

namespace verbund::feeds {

namespace {

struct CurlFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

// State of one hop, shared with libcurl's callbacks.
struct Hop {
  const FetchOptions* options = nullptr;
  std::string host;     // the URL's host, for host entries of the allow list
  std::string refused;  // why the guard refused a connection
  std::string body;
  bool too_big = false;
  int status = 0;
  std::string content_type, location, etag, last_modified, retry_after, cache_control;
};

// Runs after DNS for every address libcurl tries: the one place where the real target
// is known. Returning CURL_SOCKET_BAD makes libcurl try the next address or fail.
curl_socket_t open_socket(void* data, curlsocktype purpose, curl_sockaddr* address) {
  auto* hop = static_cast<Hop*>(data);
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  core::IpAddress ip;
  int port = 0;
  if (address->family == AF_INET) {
    const auto* sin = reinterpret_cast<const sockaddr_in*>(&address->addr);
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    std::memcpy(ip.bytes.data(), mapped, 12);
    std::memcpy(ip.bytes.data() + 12, &sin->sin_addr, 4);
    ip.v4 = true;
    port = ntohs(sin->sin_port);
  } else if (address->family == AF_INET6) {
    const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&address->addr);
    std::memcpy(ip.bytes.data(), &sin6->sin6_addr, 16);
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    ip.v4 = std::memcmp(ip.bytes.data(), mapped, 12) == 0;
    port = ntohs(sin6->sin6_port);
  } else {
    hop->refused = "address family " + std::to_string(address->family) + " is not IP";
    return CURL_SOCKET_BAD;
  }
  if (std::string why = refusal(ip, port, hop->host, hop->options->allow_private); !why.empty()) {
    hop->refused = why;
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

int on_progress(void* data, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* hop = static_cast<const Hop*>(data);
  return hop->options->cancel != nullptr && hop->options->cancel->load() ? 1 : 0;
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* hop = static_cast<Hop*>(user);
  std::size_t bytes = size * n;
  // The cap counts decoded bytes: a gzip bomb stops at max_bytes like a plain body.
  if (hop->body.size() + bytes > hop->options->max_bytes) {
    hop->too_big = true;
    return 0;
  }
  hop->body.append(data, bytes);
  return bytes;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

bool header_is(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  }
  return true;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* hop = static_cast<Hop*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {  // a new response (after 100 Continue, say)
    hop->content_type.clear();
    hop->location.clear();
    hop->etag.clear();
    hop->last_modified.clear();
    hop->retry_after.clear();
    hop->cache_control.clear();
    return size * n;
  }
  auto value = [&](std::string_view name) {
    return std::string(trim(line.substr(name.size() + 1)));
  };
  if (header_is(line, "content-type"))
    hop->content_type = value("content-type");
  else if (header_is(line, "location"))
    hop->location = value("location");
  else if (header_is(line, "etag"))
    hop->etag = value("etag");
  else if (header_is(line, "last-modified"))
    hop->last_modified = value("last-modified");
  else if (header_is(line, "retry-after"))
    hop->retry_after = value("retry-after");
  else if (header_is(line, "cache-control"))
    hop->cache_control = value("cache-control");
  return size * n;
}

std::optional<int> retry_after(std::string_view v) {
  constexpr int kWeek = 7 * 86400;
  if (v.empty()) return std::nullopt;
  if (std::all_of(v.begin(), v.end(), ::isdigit)) {
    if (v.size() > 9) return kWeek;
    return std::min(std::stoi(std::string(v)), kWeek);
  }
  auto when = parse_date(v);
  if (!when) return std::nullopt;
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  return static_cast<int>(std::clamp<int64_t>(*when - now, 0, kWeek));
}

std::optional<int> max_age(std::string_view cc) {
  std::string lower(cc);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto at = lower.find("max-age=");
  if (at == std::string::npos) return std::nullopt;
  std::size_t i = at + 8;
  int v = 0;
  std::size_t digits = 0;
  while (i < lower.size() && std::isdigit(static_cast<unsigned char>(lower[i])) && digits < 9) {
    v = v * 10 + (lower[i++] - '0');
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  return v;
}

std::string error_of(CURLcode rc) {
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      return "timeout";
    case CURLE_COULDNT_RESOLVE_HOST:
      return "dns";
    case CURLE_COULDNT_CONNECT:
      return "connect";
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
      return "tls";
    case CURLE_FILESIZE_EXCEEDED:
      return "too_big";
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return "forbidden_scheme";
    default:
      return "network";
  }
}

int64_t ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

}  // namespace

FetchOptions fetch_options(const core::Config& config) {
  FetchOptions o;
  o.allow_private = config.feeds.allow_private;
  o.connect_timeout_seconds = config.feeds.connect_timeout_seconds;
  o.total_timeout_seconds = config.feeds.total_timeout_seconds;
  o.max_bytes = static_cast<std::size_t>(config.feeds.max_bytes);
  o.max_redirects = config.feeds.max_redirects;
  o.user_agent = "Verbund/1.0 (Social Wall; +" + config.public_url() + ")";
  return o;
}

void init_http() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

FetchResult fetch(std::string_view url, const Validators& validators, const FetchOptions& options) {
  init_http();
  FetchResult result;
  std::string current = http_url(url);
  if (current.empty()) {
    result.error = "forbidden_scheme";
    result.detail = "only absolute http and https URLs are fetched";
    return result;
  }
  thread_local std::unique_ptr<CURL, CurlFree> handle(curl_easy_init());
  if (!handle) {
    result.error = "network";
    result.detail = "curl_easy_init failed";
    return result;
  }
  CURL* h = handle.get();
  auto start = std::chrono::steady_clock::now();
  const int64_t budget_ms = static_cast<int64_t>(options.total_timeout_seconds) * 1000;

  for (int hop_no = 0;; ++hop_no) {
    Hop hop;
    hop.options = &options;
    hop.host = url_host(current);
    int64_t left_ms = budget_ms - ms_since(start);
    if (left_ms <= 0) {
      result.error = "timeout";
      result.detail = "no answer within " + std::to_string(options.total_timeout_seconds) + " s";
      return result;
    }

    // Keeps the connection cache (keep-alive to the same host) but no other state.
    curl_easy_reset(h);
    char err[CURL_ERROR_SIZE] = {0};
    std::unique_ptr<curl_slist, SlistFree> headers;
    auto add_header = [&](const std::string& line) {
      headers.reset(curl_slist_append(headers.release(), line.c_str()));
    };
    add_header("Accept: " + options.accept);
    if (!validators.etag.empty()) add_header("If-None-Match: " + validators.etag);
    if (!validators.last_modified.empty()) {
      add_header("If-Modified-Since: " + validators.last_modified);
    }
    curl_easy_setopt(h, CURLOPT_URL, current.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // we follow, checking each hop
    curl_easy_setopt(h, CURLOPT_PROXY, "");           // no proxy from the environment
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &hop);
    curl_easy_setopt(
        h, CURLOPT_CONNECTTIMEOUT_MS,
        static_cast<long>(std::min<int64_t>(options.connect_timeout_seconds * 1000, left_ms)));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(left_ms));
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes));
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl decodes
    curl_easy_setopt(h, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &hop);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &hop);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
    if (options.cancel != nullptr) {
      curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
      curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
      curl_easy_setopt(h, CURLOPT_XFERINFODATA, &hop);
    }
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 0L);
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);

    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    result.final_url = current;
    if (!hop.refused.empty()) {
      result.error = "forbidden_address";
      result.detail = hop.refused;
      return result;
    }
    if (hop.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
      result.error = "too_big";
      result.detail =
          "the body is larger than " + std::to_string(options.max_bytes / 1024 / 1024) + " MiB";
      return result;
    }
    if (rc != CURLE_OK) {
      result.error = error_of(rc);
      result.detail = err[0] != 0 ? err : curl_easy_strerror(rc);
      if (rc == CURLE_OPERATION_TIMEDOUT) {
        result.detail =
            "no complete answer within " + std::to_string(options.total_timeout_seconds) + " s";
      }
      return result;
    }
    bool redirect =
        status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    if (redirect && !hop.location.empty()) {
      if (hop_no >= options.max_redirects) {
        result.error = "too_many_redirects";
        result.detail = "more than " + std::to_string(options.max_redirects) + " redirects";
        result.redirects = hop_no;
        return result;
      }
      std::string next = resolve_url(current, hop.location);
      if (next.empty()) {
        result.error = "forbidden_scheme";
        result.detail =
            "redirect to a URL that is not http or https: " + hop.location.substr(0, 200);
        return result;
      }
      current = next;
      result.redirects = hop_no + 1;
      continue;
    }
    result.status = static_cast<int>(status);
    result.body = std::move(hop.body);
    result.content_type = hop.content_type;
    result.validators.etag = hop.etag;
    result.validators.last_modified = hop.last_modified;
    result.retry_after_seconds = retry_after(hop.retry_after);
    result.max_age_seconds = max_age(hop.cache_control);
    return result;
  }
}

}  // namespace verbund::feeds
