#include "web/csrf.hpp"

#include <charconv>

#include "core/random.hpp"

namespace verbund::web {

std::string issue_anon_csrf(std::string_view secret, int64_t now) {
  std::string body = std::to_string(now) + "." + random::token(12);
  return body + "." + random::hmac(secret, "csrf:" + body);
}

bool check_anon_csrf(std::string_view secret, std::string_view token, int64_t now) {
  auto last = token.rfind('.');
  auto first = token.find('.');
  if (last == std::string_view::npos || first == last || token.size() > 200) return false;
  auto body = token.substr(0, last);
  if (!random::equal(token.substr(last + 1), random::hmac(secret, "csrf:" + std::string(body))))
    return false;
  int64_t issued = 0;
  auto ts = token.substr(0, first);
  auto [p, ec] = std::from_chars(ts.data(), ts.data() + ts.size(), issued);
  if (ec != std::errc() || p != ts.data() + ts.size()) return false;
  return issued <= now + 60 && now - issued <= kAnonTokenSeconds;
}

static std::string_view host_of(std::string_view url) {
  auto p = url.find("://");
  if (p == std::string_view::npos) return {};
  url = url.substr(p + 3);
  return url.substr(0, url.find('/'));
}

bool same_origin(std::string_view origin, std::string_view referer, std::string_view host) {
  if (!origin.empty() && origin != "null") return host_of(origin) == host;
  if (origin == "null") return false;
  if (!referer.empty()) return host_of(referer) == host;
  return true;
}

}  // namespace verbund::web
