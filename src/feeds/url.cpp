#include "feeds/url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

namespace verbund::feeds {

namespace {

// Percent-encodes what RFC 3986 does not allow in a reference but feeds contain anyway
// (spaces, raw UTF-8, '|', '"', '<'); leading and trailing blanks are dropped.
std::string tidy(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u >= 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' ||
        c == '^' || c == '`' || c == '{' || c == '|' || c == '}') {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

bool acceptable(const boost::urls::url_view_base& u) {
  if (!u.has_scheme() || !u.has_authority() || u.encoded_host().empty()) return false;
  auto scheme = u.scheme_id();
  return scheme == boost::urls::scheme::http || scheme == boost::urls::scheme::https;
}

// Boost's resolve() decodes what RFC 3986 allows raw (an apostrophe); a URL we emit must
// never be able to leave an HTML attribute, so it is encoded again.
std::string attribute_safe(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '\'')
      out += "%27";
    else
      out += c;
  }
  return out;
}

std::string finish(boost::urls::url& u) {
  u.normalize_scheme();
  u.normalize_authority();
  if (!u.encoded_path().empty()) return attribute_safe(std::string(u.buffer()));
  // "https://example.org" and "https://example.org/" are one resource (RFC 9110 §4.2.3).
  std::string out = std::string(u.scheme()) + "://" + std::string(u.encoded_authority()) + "/";
  if (u.has_query()) out += "?" + std::string(u.encoded_query());
  if (u.has_fragment()) out += "#" + std::string(u.encoded_fragment());
  return attribute_safe(out);
}

}  // namespace

std::string http_url(std::string_view url) {
  std::string t = tidy(url);
  auto parsed = boost::urls::parse_absolute_uri(t);
  if (!parsed) {
    auto with_fragment = boost::urls::parse_uri(t);
    if (!with_fragment || !acceptable(*with_fragment)) return "";
    boost::urls::url u(*with_fragment);
    return finish(u);
  }
  if (!acceptable(*parsed)) return "";
  boost::urls::url u(*parsed);
  return finish(u);
}

std::string resolve_url(std::string_view base, std::string_view ref) {
  std::string r = tidy(ref);
  if (r.empty()) return "";
  auto reference = boost::urls::parse_uri_reference(r);
  if (!reference) return "";
  if (reference->has_scheme()) {
    if (!acceptable(*reference)) return "";
    boost::urls::url u(*reference);
    return finish(u);
  }
  std::string b = tidy(base);
  auto base_uri = boost::urls::parse_uri(b);
  if (!base_uri || !acceptable(*base_uri)) return "";
  boost::urls::url out;
  if (!boost::urls::resolve(*base_uri, *reference, out)) return "";
  if (!acceptable(out)) return "";
  return finish(out);
}

std::string canonical_url(std::string_view url) {
  std::string u(url.substr(0, url.find('#')));
  auto q = u.find('?');
  if (q == std::string::npos) return u;
  std::string kept;
  std::string_view query = std::string_view(u).substr(q + 1);
  std::size_t i = 0;
  while (i <= query.size()) {
    auto amp = query.find('&', i);
    std::string_view pair =
        query.substr(i, amp == std::string_view::npos ? std::string_view::npos : amp - i);
    std::string_view name = pair.substr(0, pair.find('='));
    bool tracking = name.starts_with("utm_") || name == "fbclid" || name == "gclid" ||
                    name == "mc_cid" || name == "mc_eid";
    if (!pair.empty() && !tracking) {
      kept += kept.empty() ? "" : "&";
      kept += pair;
    }
    if (amp == std::string_view::npos) break;
    i = amp + 1;
  }
  return u.substr(0, q) + (kept.empty() ? "" : "?" + kept);
}

std::string url_host(std::string_view url) {
  std::string t = tidy(url);  // outlives the view parse_uri returns
  auto parsed = boost::urls::parse_uri(t);
  if (!parsed || !parsed->has_authority()) return "";
  std::string host = parsed->host_address();
  for (auto& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return host;
}

}  // namespace verbund::feeds
