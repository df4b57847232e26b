// CSRF protection. Signed-in users carry a per-session token (synchronizer pattern).
// Visitors without a session get no cookie at all (privacy: no cookie before sign-in),
// so their forms (sign-up, log-in, reset) carry a signed, time-limited token instead,
// and the request's Origin or Referer must name this site; cross-site posts fail even
// with a token an attacker fetched for himself.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace verbund::web {

// A token for visitors: "<issued>.<nonce>.<hmac>", valid for `kAnonTokenSeconds`.
inline constexpr int64_t kAnonTokenSeconds = 4 * 3600;
std::string issue_anon_csrf(std::string_view secret, int64_t now);
bool check_anon_csrf(std::string_view secret, std::string_view token, int64_t now);

// Whether Origin (or, without it, Referer) names `host`; absent both, true (non-browser
// clients; they cannot ride on a visitor's cookies, and the token is still required).
bool same_origin(std::string_view origin, std::string_view referer, std::string_view host);

}  // namespace verbund::web
