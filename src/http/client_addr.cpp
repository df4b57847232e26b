#include "http/client_addr.hpp"

#include <cctype>
#include <optional>

namespace verbund::http {
namespace {

using core::IpAddress;

// One hop of a forwarded chain: an address, or nullopt for a node that names none
// ("unknown", an obfuscated "_name", garbage).
using Hop = std::optional<IpAddress>;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_port(std::string_view p) {
  if (p.empty() || p.size() > 5) return false;
  unsigned n = 0;
  for (char ch : p) {
    if (ch < '0' || ch > '9') return false;
    n = n * 10 + static_cast<unsigned>(ch - '0');
  }
  return n <= 65535;
}

// A node as X-Forwarded-For and Forwarded's "for" write it (RFC 7239 §6): an IPv4
// address, "[IPv6]", either with ":port", or a bare IPv6 address (X-Forwarded-For).
// Ports may be obfuscated ("_abc") in Forwarded; they are dropped anyway.
Hop parse_node(std::string_view n) {
  n = trim(n);
  auto port_ok = [](std::string_view p) { return is_port(p) || (p.size() > 1 && p[0] == '_'); };
  if (n.starts_with('[')) {
    auto close = n.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    auto rest = n.substr(close + 1);
    if (!rest.empty() && !(rest[0] == ':' && port_ok(rest.substr(1)))) return std::nullopt;
    auto a = core::parse_ip(n.substr(1, close - 1));
    if (!a || n.substr(1, close - 1).find(':') == std::string_view::npos) return std::nullopt;
    return a;
  }
  auto colon = n.find(':');
  if (colon != std::string_view::npos && n.find(':', colon + 1) == std::string_view::npos) {
    // "a.b.c.d:port"; one colon cannot be IPv6.
    if (!port_ok(n.substr(colon + 1))) return std::nullopt;
    auto a = core::parse_ip(n.substr(0, colon));
    if (!a || n.substr(0, colon).find('.') == std::string_view::npos) return std::nullopt;
    return a;
  }
  return core::parse_ip(n);
}

// X-Forwarded-For: "client, proxy1, proxy2", fields in order.
void read_x_forwarded_for(const std::vector<std::string_view>& fields, std::vector<Hop>& hops) {
  for (auto field : fields) {
    std::size_t start = 0;
    for (;;) {
      auto comma = field.find(',', start);
      auto item = trim(field.substr(start, comma == field.npos ? field.npos : comma - start));
      // Empty items are allowed in a list (RFC 9110 §5.6.1) and say nothing.
      if (!item.empty()) hops.push_back(parse_node(item));
      if (comma == field.npos) break;
      start = comma + 1;
    }
  }
}

// RFC 9110 §5.6.2.
bool is_tchar(char ch) {
  if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(ch) != std::string_view::npos;
}

// One Forwarded field (RFC 7239 §4): elements separated by ",", each a ";"-list of
// name=value pairs, values a token or a quoted string. Appends one hop per element
// (nullopt when the element has no "for" or names no address). Returns false on a
// syntax error: then nothing of the field is used.
bool read_forwarded_field(std::string_view f, std::vector<Hop>& hops) {
  std::vector<Hop> out;
  std::size_t i = 0;
  auto skip_ows = [&] {
    while (i < f.size() && (f[i] == ' ' || f[i] == '\t')) ++i;
  };
  Hop hop;
  bool has_for = false, element_empty = true;
  auto end_element = [&] {
    if (!element_empty) out.push_back(has_for ? hop : Hop{});
    hop.reset();
    has_for = false;
    element_empty = true;
  };
  for (;;) {
    skip_ows();
    if (i == f.size()) break;
    if (f[i] == ',') {
      end_element();
      ++i;
      continue;
    }
    if (f[i] == ';') {
      ++i;
      continue;
    }
    std::size_t name_start = i;
    while (i < f.size() && is_tchar(f[i])) ++i;
    std::string name(f.substr(name_start, i - name_start));
    if (name.empty() || i == f.size() || f[i] != '=') return false;
    ++i;
    std::string value;
    if (i < f.size() && f[i] == '"') {
      ++i;
      bool closed = false;
      while (i < f.size()) {
        char ch = f[i++];
        if (ch == '"') {
          closed = true;
          break;
        }
        if (ch == '\\') {
          if (i == f.size()) return false;
          ch = f[i++];
        }
        value += ch;
      }
      if (!closed) return false;
    } else {
      std::size_t vs = i;
      while (i < f.size() && is_tchar(f[i])) ++i;
      value = std::string(f.substr(vs, i - vs));
      if (value.empty()) return false;
    }
    skip_ows();
    if (i < f.size() && f[i] != ';' && f[i] != ',') return false;
    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    element_empty = false;
    if (name == "for") {
      if (has_for) return false;  // §4: a parameter appears at most once per element
      has_for = true;
      hop = parse_node(value);
    }
  }
  end_element();
  hops.insert(hops.end(), out.begin(), out.end());
  return true;
}

std::optional<IpAddress> parse_peer(std::string_view peer) {
  if (auto pct = peer.find('%'); pct != std::string_view::npos) peer = peer.substr(0, pct);
  if (peer.starts_with('[') && peer.ends_with(']')) peer = peer.substr(1, peer.size() - 2);
  return core::parse_ip(peer);
}

bool any_text(const std::vector<std::string_view>& fields) {
  for (auto f : fields)
    if (!trim(f).empty()) return true;
  return false;
}

}  // namespace

std::string client_address(std::string_view peer,
                           const std::vector<std::string_view>& x_forwarded_for,
                           const std::vector<std::string_view>& forwarded,
                           const std::vector<core::IpRange>& trusted) {
  auto peer_ip = parse_peer(peer);
  if (!peer_ip) return std::string(peer);
  std::string fallback = peer_ip->to_string();
  if (!core::in_any(trusted, *peer_ip)) return fallback;

  std::vector<Hop> hops;
  if (any_text(x_forwarded_for)) {
    read_x_forwarded_for(x_forwarded_for, hops);
  } else if (any_text(forwarded)) {
    for (auto f : forwarded) {
      // A field that does not parse is one hop nobody can read: walking reaches it
      // only if every field to its right came from trusted proxies.
      if (!read_forwarded_field(f, hops)) hops.push_back(std::nullopt);
    }
  }
  if (hops.empty()) return fallback;  // the proxy's own request, or it sent nothing

  // Right to left: each trusted proxy vouches for the hop before it. (The header size
  // limit bounds the walk.)
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (!*it) return fallback;
    if (!core::in_any(trusted, **it)) return (*it)->to_string();
  }
  // Every hop was a trusted proxy: the leftmost one made the request.
  return hops.front()->to_string();
}

std::string client_address(std::string_view peer, std::string_view x_forwarded_for,
                           std::string_view forwarded, const std::vector<core::IpRange>& trusted) {
  std::vector<std::string_view> xff, fwd;
  if (!x_forwarded_for.empty()) xff.push_back(x_forwarded_for);
  if (!forwarded.empty()) fwd.push_back(forwarded);
  return client_address(peer, xff, fwd, trusted);
}

std::string rate_limit_key(std::string_view address) {
  auto a = core::parse_ip(address);
  if (!a) return std::string(address);
  if (a->v4) return a->to_string();
  for (int i = 8; i < 16; ++i) a->bytes[i] = 0;
  return a->to_string() + "/64";
}

}  // namespace verbund::http
