// IP addresses and CIDR ranges as values: parsing, normalised text, membership.
// Pure (no sockets, no Beast); used by the configuration (trusted_proxies) and by
// http/client_addr. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d, what a dual-stack
// socket reports for an IPv4 peer) are the same address as a.b.c.d here.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace verbund::core {

struct IpAddress {
  // Always 16 bytes: an IPv4 address is held in its IPv4-mapped form (::ffff:a.b.c.d),
  // so that one bit-prefix comparison serves both families.
  std::array<uint8_t, 16> bytes{};
  bool v4 = false;

  bool operator==(const IpAddress&) const = default;
  bool is_loopback() const;  // 127.0.0.0/8 or ::1
  // Normalised text: a.b.c.d for IPv4 (also when it came mapped), RFC 5952 for IPv6
  // (lower case, longest zero run as ::).
  std::string to_string() const;
};

// A dotted-quad IPv4 address or an IPv6 address; no brackets, ports or zone ids.
std::optional<IpAddress> parse_ip(std::string_view text);

struct IpRange {
  IpAddress base;  // host bits are zero
  int prefix = 0;  // in the address's own family: 0-32 for IPv4, 0-128 for IPv6

  bool contains(const IpAddress& a) const;
  std::string to_string() const;  // "10.0.0.0/8", "2001:db8::/32"
};

// "ADDRESS/PREFIX" or a bare address (a single host: /32 or /128). Host bits below the
// prefix must be zero: "10.0.0.1/8" is refused as a likely typo.
Result<IpRange> parse_ip_range(std::string_view text);
// A comma-separated list of ranges; blanks around entries are ignored, "" is no range.
Result<std::vector<IpRange>> parse_ip_ranges(std::string_view list);

bool in_any(const std::vector<IpRange>& ranges, const IpAddress& a);

// Hosts an operator allows beyond the public internet (feeds.allow_private): ranges
// and single addresses, or host names (lower case, matched exactly).
struct AllowList {
  std::vector<IpRange> ranges;
  std::vector<std::string> hosts;
  bool empty() const { return ranges.empty() && hosts.empty(); }
};

// "127.0.0.1/32, ::1, feeds.intern.example": comma-separated ranges, addresses or names.
Result<AllowList> parse_allow_list(std::string_view list);

}  // namespace verbund::core
