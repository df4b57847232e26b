// Who the client is when proxies stand in front: the TCP peer, or the address a
// trusted proxy put into X-Forwarded-For or Forwarded (RFC 7239). And the key that
// rate limits count an address under. Pure functions; no Beast, no sockets.
//
// Anyone can send these headers, so they are read only when the TCP peer is a trusted
// proxy, and only as far as the chain of trusted proxies reaches: the list is walked
// from the right (each proxy appends the address it saw) and the first address that
// is not itself a trusted proxy is the client. What a client wrote into the header
// before its first trusted hop stays to the left of that and is never reached.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/ip_address.hpp"

namespace verbund::http {

// `peer` is the TCP peer's address text (a zone id "%eth0" is ignored). The header
// values are the fields as received, in order, several fields of one name as separate
// items (a Forwarded element never spans two fields, so a broken field a client sent
// cannot swallow the one a proxy added). X-Forwarded-For is read when present (nginx,
// HAProxy, Caddy, Traefik and Apache write it), Forwarded otherwise. A chain that
// cannot be read where it matters (garbage, an "unknown" or obfuscated node before the
// first untrusted address) yields the peer; garbage further left is never reached.
// The result is a normalised address (IPv4-mapped IPv6 as IPv4); a peer that does not
// parse is returned as given.
std::string client_address(std::string_view peer,
                           const std::vector<std::string_view>& x_forwarded_for,
                           const std::vector<std::string_view>& forwarded,
                           const std::vector<core::IpRange>& trusted);
// The same with at most one field of each header ("" when absent).
std::string client_address(std::string_view peer, std::string_view x_forwarded_for,
                           std::string_view forwarded, const std::vector<core::IpRange>& trusted);

// The rate-limit key of an address: IPv4 as is, IPv6 by its /64 (one subscriber
// usually gets a whole /64 and can pick any address in it), e.g. "2001:db8:1:2::/64";
// IPv4-mapped IPv6 counts as the IPv4 address. Text that is no address is returned
// unchanged.
std::string rate_limit_key(std::string_view address);

}  // namespace verbund::http
