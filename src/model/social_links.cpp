#include "model/social_links.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "model/user.hpp"

namespace verbund::model {

namespace {

constexpr auto npos = std::string_view::npos;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
bool non_ascii(char c) { return static_cast<unsigned char>(c) >= 0x80; }

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Characters a link may carry unescaped. Spaces, quotes, angle brackets, backslashes
// and control characters are refused rather than guessed at: they are how a link
// breaks out of an attribute or hides where it leads.
bool url_char_ok(char ch) {
  auto c = static_cast<unsigned char>(ch);
  if (c >= 0x80) return true;  // UTF-8, checked as a whole by valid_utf8
  if (c <= 0x20 || c == 0x7f) return false;
  return std::string_view("\"<>\\^`{|}").find(ch) == npos;
}

// A DNS name of at least two labels whose last label is letters (or an IDN "xn--"
// label), so that IP literals, "localhost" and intranet names do not pass.
bool valid_host(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t labels = 0;
  std::string_view last;
  for (std::size_t p = 0;;) {
    auto dot = host.find('.', p);
    auto label = host.substr(p, dot == npos ? npos : dot - p);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label)
      if (!is_alnum(c) && c != '-' && !non_ascii(c)) return false;
    ++labels;
    last = label;
    if (dot == npos) break;
    p = dot + 1;
  }
  if (labels < 2) return false;
  if (last.starts_with("xn--")) return true;
  return last.size() >= 2 &&
         std::all_of(last.begin(), last.end(), [](char c) { return is_alpha(c) || non_ascii(c); });
}

struct Url {
  std::string scheme, host, port, path, query, fragment;
  bool has_query = false, has_fragment = false;

  std::string str() const {
    std::string out = scheme + "://" + host;
    if (!port.empty()) out += ":" + port;
    out += path;
    if (has_query) out += "?" + query;
    if (has_fragment) out += "#" + fragment;
    return out;
  }
};

std::optional<Url> parse_url(std::string_view in) {
  if (in.size() > kLinkMax || !valid_utf8(in) || !std::all_of(in.begin(), in.end(), url_char_ok))
    return std::nullopt;
  auto sep = in.find("://");
  if (sep == npos) return std::nullopt;
  Url u;
  u.scheme = to_lower(in.substr(0, sep));
  if (u.scheme != "https" && u.scheme != "http") return std::nullopt;
  auto rest = in.substr(sep + 3);
  auto end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, end);
  // user:password@host shows one host and opens another, and leaks a secret.
  if (authority.find('@') != npos) return std::nullopt;
  if (auto colon = authority.rfind(':'); colon != npos) {
    u.port = authority.substr(colon + 1);
    authority = authority.substr(0, colon);
    if (u.port.empty() || u.port.size() > 5 || !std::all_of(u.port.begin(), u.port.end(), is_digit))
      return std::nullopt;
  }
  u.host = to_lower(authority);
  if (!valid_host(u.host)) return std::nullopt;
  std::string_view tail = end == npos ? std::string_view() : rest.substr(end);
  if (auto hash = tail.find('#'); hash != npos) {
    u.fragment = tail.substr(hash + 1);
    u.has_fragment = true;
    tail = tail.substr(0, hash);
  }
  if (auto q = tail.find('?'); q != npos) {
    u.query = tail.substr(q + 1);
    u.has_query = true;
    tail = tail.substr(0, q);
  }
  u.path = tail;
  return u;
}

// A profile link as people copy or type it: "www.facebook.com/…" without a scheme or
// an old http link both mean the https page. Ports are not part of any profile link.
std::optional<Url> parse_profile_url(std::string_view in) {
  std::string s(in);
  if (s.find("://") == std::string::npos) s = "https://" + s;
  auto u = parse_url(s);
  if (!u || !u->port.empty()) return std::nullopt;
  u->scheme = "https";
  return u;
}

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  for (std::size_t p = 0; p < path.size();) {
    auto slash = path.find('/', p);
    auto seg = path.substr(p, slash == npos ? npos : slash - p);
    if (!seg.empty()) out.push_back(seg);
    if (slash == npos) break;
    p = slash + 1;
  }
  return out;
}

template <std::size_t N>
bool one_of(std::string_view s, const std::array<std::string_view, N>& set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

// Mastodon's USERNAME_RE for remote accounts: [a-z0-9_]+([a-z0-9_.-]+[a-z0-9_]+)?
bool valid_fediverse_user(std::string_view u) {
  if (u.empty() || u.size() > 64) return false;
  auto edge = [](char c) { return is_alnum(c) || c == '_'; };
  if (!edge(u.front()) || !edge(u.back())) return false;
  return std::all_of(u.begin(), u.end(), [&](char c) { return edge(c) || c == '.' || c == '-'; });
}

bool valid_instagram_name(std::string_view n) {
  return !n.empty() && n.size() <= 30 && std::all_of(n.begin(), n.end(), [](char c) {
    return is_alnum(c) || c == '.' || c == '_';
  });
}

bool valid_youtube_handle(std::string_view h) {
  return h.size() >= 3 && h.size() <= 30 && std::all_of(h.begin(), h.end(), [](char c) {
           return is_alnum(c) || c == '.' || c == '_' || c == '-';
         });
}

bool valid_youtube_channel(std::string_view id) {
  return id.size() == 24 && id.starts_with("UC") && std::all_of(id.begin(), id.end(), [](char c) {
           return is_alnum(c) || c == '_' || c == '-';
         });
}

}  // namespace

std::optional<std::string> normalize_web_url(std::string_view input) {
  if (input.empty()) return std::string();
  auto u = parse_url(input);
  if (!u) return std::nullopt;
  return u->str();
}

std::optional<std::string> normalize_mastodon(std::string_view input) {
  if (input.empty()) return std::string();
  if (input.size() > kLinkMax || !valid_utf8(input)) return std::nullopt;
  std::string_view user, host_in;
  std::optional<Url> u;
  if (input.front() == '@' || (input.find('/') == npos && input.find("://") == npos)) {
    // The handle as Mastodon shows it: @name@server.de (the first @ may be left out).
    auto handle = input.front() == '@' ? input.substr(1) : input;
    auto at = handle.find('@');
    if (at == npos) return std::nullopt;  // "@name" alone does not say which server
    user = handle.substr(0, at);
    host_in = handle.substr(at + 1);
  } else {
    u = parse_profile_url(input);
    if (!u) return std::nullopt;
    auto segs = segments(u->path);
    if (segs.size() != 1 || !segs[0].starts_with('@')) return std::nullopt;
    user = segs[0].substr(1);
    host_in = u->host;
  }
  std::string host = to_lower(host_in);
  if (!valid_fediverse_user(user) || !valid_host(host)) return std::nullopt;
  return "https://" + host + "/@" + std::string(user);
}

std::optional<std::string> normalize_instagram(std::string_view input) {
  if (input.empty()) return std::string();
  static constexpr std::array<std::string_view, 8> kNotProfiles = {
      "p", "reel", "reels", "explore", "stories", "accounts", "tv", "direct"};
  std::string_view name;
  std::optional<Url> u;
  if (input.front() == '@') {
    name = input.substr(1);
  } else {
    u = parse_profile_url(input);
    if (!u || (u->host != "instagram.com" && u->host != "www.instagram.com")) return std::nullopt;
    auto segs = segments(u->path);
    if (segs.size() != 1) return std::nullopt;
    name = segs[0];
  }
  if (!valid_instagram_name(name) || one_of(to_lower(name), kNotProfiles)) return std::nullopt;
  return "https://www.instagram.com/" + std::string(name);
}

std::optional<std::string> normalize_facebook(std::string_view input) {
  if (input.empty()) return std::string();
  static constexpr std::array<std::string_view, 4> kHosts = {"facebook.com", "www.facebook.com",
                                                             "m.facebook.com", "web.facebook.com"};
  // Not pages of an organisation; l.php would even forward to any other site.
  static constexpr std::array<std::string_view, 9> kNotPages = {"l.php",  "sharer.php", "sharer",
                                                                "share",  "login",      "login.php",
                                                                "dialog", "plugins",    "home.php"};
  auto u = parse_profile_url(input);
  if (!u || !one_of(u->host, kHosts)) return std::nullopt;
  auto segs = segments(u->path);
  if (segs.empty() || one_of(to_lower(segs[0]), kNotPages)) return std::nullopt;
  if (segs.size() == 1 && segs[0] == "profile.php") {
    // Pages without a user name are only known by their number: keep that, nothing else.
    std::string_view q = u->query;
    if (!q.starts_with("id=")) return std::nullopt;
    auto id = q.substr(3, q.find('&') == npos ? npos : q.find('&') - 3);
    if (id.empty() || id.size() > 20 || !std::all_of(id.begin(), id.end(), is_digit))
      return std::nullopt;
    return "https://www.facebook.com/profile.php?id=" + std::string(id);
  }
  std::string out = "https://www.facebook.com";
  for (auto s : segs) out += "/" + std::string(s);
  return out;  // query and fragment are tracking parameters here
}

std::optional<std::string> normalize_linkedin(std::string_view input) {
  if (input.empty()) return std::string();
  auto u = parse_profile_url(input);
  if (!u) return std::nullopt;
  // www.linkedin.com, linkedin.com or a country edition such as de.linkedin.com.
  bool host_ok = u->host == "linkedin.com" || u->host == "www.linkedin.com" ||
                 (u->host.size() == 15 && u->host.ends_with(".linkedin.com") &&
                  is_alpha(u->host[0]) && is_alpha(u->host[1]));
  if (!host_ok) return std::nullopt;
  auto segs = segments(u->path);
  if (segs.size() < 2 || (segs[0] != "company" && segs[0] != "in") || segs[1].size() > 100)
    return std::nullopt;
  return "https://www.linkedin.com/" + std::string(segs[0]) + "/" + std::string(segs[1]);
}

std::optional<std::string> normalize_youtube(std::string_view input) {
  if (input.empty()) return std::string();
  std::string_view handle, channel;
  std::optional<Url> u;
  if (input.front() == '@') {
    handle = input.substr(1);
  } else {
    u = parse_profile_url(input);
    if (!u ||
        (u->host != "youtube.com" && u->host != "www.youtube.com" && u->host != "m.youtube.com"))
      return std::nullopt;
    auto segs = segments(u->path);
    if (!segs.empty() && segs[0].starts_with('@'))
      handle = segs[0].substr(1);
    else if (segs.size() >= 2 && segs[0] == "channel")
      channel = segs[1];
    else
      return std::nullopt;
  }
  if (!channel.empty())
    return valid_youtube_channel(channel)
               ? std::optional<std::string>("https://www.youtube.com/channel/" +
                                            std::string(channel))
               : std::nullopt;
  if (!valid_youtube_handle(handle)) return std::nullopt;
  return "https://www.youtube.com/@" + std::string(handle);
}

}  // namespace verbund::model
