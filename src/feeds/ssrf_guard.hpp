// Which addresses and ports the feed fetcher may connect to. The check runs on the
// address the socket is about to connect to (after DNS, for every redirect), so no
// spelling of a host (decimal 2130706433, 0x7f000001, 127.1, [::ffff:127.0.0.1], a DNS
// name that resolves to 10.0.0.1) gets around it. Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/ip_address.hpp"

namespace verbund::feeds {

using core::AllowList;

// Why `a` is not a public unicast address ("loopback", "private", "link-local",
// "CGNAT", "multicast", "unspecified", "reserved", "documentation", "NAT64 of private",
// ...), or "" when it is one. IPv4-mapped, IPv4-compatible, 6to4 and NAT64 (64:ff9b::/96)
// addresses are judged by the IPv4 address they carry.
std::string non_public_reason(const core::IpAddress& a);

// "" when the fetcher may connect to `a`:`port` for a URL whose host is `host`;
// otherwise the reason, in English, for logs and the source's health page.
std::string refusal(const core::IpAddress& a, int port, std::string_view host,
                    const AllowList& allow);

}  // namespace verbund::feeds
