// Links that organisations enter for their profile: accounts on social networks, checked
// per network, and plain web links (news feed, donation page). Pure functions, no I/O.
//
// Each normalize_* function takes what a person typed (already trimmed) and returns the
// canonical https link to show and store, "" for empty input, or nullopt when the input
// is not a link of the expected kind. Only these results reach an href: they never hold
// credentials, spaces, quotes or angle brackets, and never another scheme than http(s).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace verbund::model {

inline constexpr std::size_t kLinkMax = 300;

// https:// or http:// with a host name (no IP literal, no user:password@), at most
// kLinkMax bytes. The scheme and host are lower-cased; the rest is kept.
std::optional<std::string> normalize_web_url(std::string_view input);

// "@name@server.de", "name@server.de" or "https://server.de/@name" →
// "https://server.de/@name".
std::optional<std::string> normalize_mastodon(std::string_view input);

// "@name" or "https://www.instagram.com/name" (names of [A-Za-z0-9._], 1–30) →
// "https://www.instagram.com/name".
std::optional<std::string> normalize_instagram(std::string_view input);

// A page on facebook.com → "https://www.facebook.com/…" (tracking parameters dropped).
std::optional<std::string> normalize_facebook(std::string_view input);

// "https://www.linkedin.com/company/…" or "…/in/…" → the page without sub-pages.
std::optional<std::string> normalize_linkedin(std::string_view input);

// "@handle", "https://www.youtube.com/@handle" or "…/channel/UC…" → the channel link.
std::optional<std::string> normalize_youtube(std::string_view input);

}  // namespace verbund::model
