#include "feeds/ssrf_guard.hpp"

#include <algorithm>
#include <cstring>

namespace verbund::feeds {

namespace {

std::string v4_reason(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  if (a == 0) return "unspecified";  // 0.0.0.0/8 "this network"
  if (a == 127) return "loopback";
  if (a == 10 || (a == 172 && (b & 0xF0) == 16) || (a == 192 && b == 168)) return "private";
  if (a == 100 && (b & 0xC0) == 64) return "CGNAT";     // 100.64.0.0/10
  if (a == 169 && b == 254) return "link-local";        // also cloud metadata 169.254.169.254
  if (a == 192 && b == 0 && c == 0) return "reserved";  // IETF protocol assignments
  if ((a == 192 && b == 0 && c == 2) || (a == 198 && b == 51 && c == 100) ||
      (a == 203 && b == 0 && c == 113)) {
    return "documentation";
  }
  if (a == 192 && b == 88 && c == 99) return "reserved";  // 6to4 relay anycast
  if (a == 198 && (b & 0xFE) == 18) return "reserved";    // benchmarking 198.18.0.0/15
  if (a >= 224 && a <= 239) return "multicast";
  if (a >= 240) return a == 255 && b == 255 && c == 255 && d == 255 ? "broadcast" : "reserved";
  return "";
}

bool starts(const std::array<uint8_t, 16>& b, std::initializer_list<uint8_t> prefix) {
  std::size_t i = 0;
  for (uint8_t p : prefix) {
    if (b[i++] != p) return false;
  }
  return true;
}

bool zero(const std::array<uint8_t, 16>& b, std::size_t from, std::size_t to) {
  return std::all_of(b.begin() + from, b.begin() + to, [](uint8_t x) { return x == 0; });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string non_public_reason(const core::IpAddress& addr) {
  const auto& b = addr.bytes;
  if (addr.v4) return v4_reason(b[12], b[13], b[14], b[15]);
  if (zero(b, 0, 16)) return "unspecified";
  if (zero(b, 0, 15) && b[15] == 1) return "loopback";
  // ::a.b.c.d (IPv4-compatible, deprecated) carries an IPv4 address; judge that one and
  // refuse it anyway, since no public host is reached this way.
  if (zero(b, 0, 12)) return "IPv4-compatible";
  // NAT64 (RFC 6052): the well-known prefix reaches the IPv4 address it embeds.
  if (starts(b, {0x00, 0x64, 0xff, 0x9b}) && zero(b, 4, 12)) {
    std::string inner = v4_reason(b[12], b[13], b[14], b[15]);
    return inner.empty() ? "" : "NAT64 of " + inner;
  }
  if (starts(b, {0x00, 0x64, 0xff, 0x9b, 0x00, 0x01})) return "NAT64 local-use";
  // 6to4 (2002::/16) embeds an IPv4 address in bits 16-47.
  if (starts(b, {0x20, 0x02})) {
    std::string inner = v4_reason(b[2], b[3], b[4], b[5]);
    return inner.empty() ? "" : "6to4 of " + inner;
  }
  if (b[0] == 0xff) return "multicast";
  if ((b[0] & 0xfe) == 0xfc) return "private";                     // fc00::/7 unique local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return "link-local";  // fe80::/10
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return "site-local";  // fec0::/10
  if (starts(b, {0x20, 0x01, 0x0d, 0xb8})) return "documentation";
  if (starts(b, {0x3f, 0xff}) && (b[2] & 0xf0) == 0) return "documentation";  // 3fff::/20
  if (starts(b, {0x20, 0x01}) && (b[2] & 0xfe) == 0) return "reserved";  // 2001::/23 (Teredo, ...)
  if ((b[0] & 0xe0) != 0x20) return "reserved";  // not global unicast (2000::/3)
  return "";
}

std::string refusal(const core::IpAddress& a, int port, std::string_view host,
                    const AllowList& allow) {
  if (core::in_any(allow.ranges, a)) return "";
  if (!host.empty() &&
      std::find(allow.hosts.begin(), allow.hosts.end(), lower(host)) != allow.hosts.end()) {
    return "";
  }
  if (std::string why = non_public_reason(a); !why.empty()) {
    return "address " + a.to_string() + " is " + why;
  }
  if (port != 80 && port != 443) return "port " + std::to_string(port) + " is not 80 or 443";
  return "";
}

}  // namespace verbund::feeds
