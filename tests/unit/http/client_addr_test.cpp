#include "http/client_addr.hpp"

#include <gtest/gtest.h>

#include "core/ip_address.hpp"

using verbund::core::IpRange;
using verbund::core::parse_ip_ranges;
using verbund::http::client_address;
using verbund::http::rate_limit_key;

namespace {

std::vector<IpRange> ranges(const std::string& list) { return parse_ip_ranges(list).value(); }

// nginx on the same machine, and an internal load balancer network.
const std::vector<IpRange>& trusted() {
  static const auto r = ranges("127.0.0.1/32, ::1/128, 10.0.0.0/8, fd00:1::/64");
  return r;
}

}  // namespace

// ---- the client address ---------------------------------------------------------------

TEST(ClientAddress, UntrustedPeerIsTheClientWhateverItSends) {
  EXPECT_EQ(client_address("198.51.100.4", "203.0.113.9", "", trusted()), "198.51.100.4");
  EXPECT_EQ(client_address("198.51.100.4", "", "for=203.0.113.9", trusted()), "198.51.100.4");
  EXPECT_EQ(client_address("127.0.0.1", "203.0.113.9", "", {}), "127.0.0.1");  // nothing trusted
}

TEST(ClientAddress, TrustedPeerForwardsTheClient) {
  EXPECT_EQ(client_address("127.0.0.1", "203.0.113.9", "", trusted()), "203.0.113.9");
  EXPECT_EQ(client_address("::1", "2001:db8::7", "", trusted()), "2001:db8::7");
  EXPECT_EQ(client_address("::ffff:127.0.0.1", "203.0.113.9", "", trusted()), "203.0.113.9");
  EXPECT_EQ(client_address("127.0.0.1", "  203.0.113.9  ", "", trusted()), "203.0.113.9");
}

TEST(ClientAddress, WithoutHeaderTheTrustedPeerIsTheClient) {
  EXPECT_EQ(client_address("127.0.0.1", "", "", trusted()), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", " ", "", trusted()), "127.0.0.1");
  EXPECT_EQ(client_address("::ffff:127.0.0.1", "", "", trusted()), "127.0.0.1");
}

TEST(ClientAddress, ChainOfTrustedProxiesIsWalkedFromTheRight) {
  // client -> edge (10.0.0.2) -> nginx (127.0.0.1) -> us
  EXPECT_EQ(client_address("127.0.0.1", "203.0.113.9, 10.0.0.2", "", trusted()), "203.0.113.9");
  EXPECT_EQ(client_address("127.0.0.1", "203.0.113.9,10.0.0.2,10.1.1.1", "", trusted()),
            "203.0.113.9");
  // An untrusted hop in the middle stops the walk: what it claims is not believed.
  EXPECT_EQ(client_address("127.0.0.1", "192.0.2.1, 198.51.100.4, 10.0.0.2", "", trusted()),
            "198.51.100.4");
}

TEST(ClientAddress, SpoofedXForwardedForThroughTrustedProxyLosesToTheRealHop) {
  // The client sends "X-Forwarded-For: 10.0.0.5, 127.0.0.1" itself; nginx appends the
  // address it saw. Trusted-looking entries to the left of that are never reached.
  EXPECT_EQ(client_address("127.0.0.1", "10.0.0.5, 127.0.0.1, 203.0.113.9", "", trusted()),
            "203.0.113.9");
  EXPECT_EQ(client_address("127.0.0.1", "1.2.3.4, 203.0.113.9", "", trusted()), "203.0.113.9");
  // Several fields (the client's own and the proxy's) read as one list in order.
  EXPECT_EQ(client_address("127.0.0.1", std::vector<std::string_view>{"127.0.0.1", "203.0.113.9"},
                           {}, trusted()),
            "203.0.113.9");
}

TEST(ClientAddress, GarbageLeftOfTheRealHopIsNeverReached) {
  // A client cannot make the server fall back to the (loopback) peer by sending junk:
  // the proxy's entry on the right is read first.
  EXPECT_EQ(client_address("127.0.0.1", "garbage, 203.0.113.9", "", trusted()), "203.0.113.9");
  EXPECT_EQ(client_address("127.0.0.1", "\"; DROP TABLE, 203.0.113.9", "", trusted()),
            "203.0.113.9");
  EXPECT_EQ(client_address("127.0.0.1", "unknown, 203.0.113.9", "", trusted()), "203.0.113.9");
}

TEST(ClientAddress, UnreadableHopWhereItMattersFallsBackToThePeer) {
  EXPECT_EQ(client_address("127.0.0.1", "garbage", "", trusted()), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "203.0.113.9, garbage", "", trusted()), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "203.0.113.9, unknown", "", trusted()), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "203.0.113.9, 10.0.0.2, nope", "", trusted()), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "999.1.1.1", "", trusted()), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "203.0.113.9/32", "", trusted()), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", std::string(5000, 'a'), "", trusted()), "127.0.0.1");
}

TEST(ClientAddress, XForwardedForWithPortsAndBrackets) {
  EXPECT_EQ(client_address("127.0.0.1", "203.0.113.9:51234", "", trusted()), "203.0.113.9");
  EXPECT_EQ(client_address("127.0.0.1", "[2001:db8::7]:443", "", trusted()), "2001:db8::7");
  EXPECT_EQ(client_address("127.0.0.1", "[2001:db8::7]", "", trusted()), "2001:db8::7");
  EXPECT_EQ(client_address("127.0.0.1", "2001:DB8:0::7", "", trusted()), "2001:db8::7");
  EXPECT_EQ(client_address("127.0.0.1", "::ffff:203.0.113.9", "", trusted()), "203.0.113.9");
  EXPECT_EQ(client_address("127.0.0.1", "203.0.113.9:", "", trusted()), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "[203.0.113.9]", "", trusted()), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "[2001:db8::7", "", trusted()), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "[2001:db8::7]x", "", trusted()), "127.0.0.1");
}

TEST(ClientAddress, EmptyListItemsAreSkipped) {
  EXPECT_EQ(client_address("127.0.0.1", "203.0.113.9, ,", "", trusted()), "203.0.113.9");
  EXPECT_EQ(client_address("127.0.0.1", ",", "", trusted()), "127.0.0.1");
}

TEST(ClientAddress, EveryHopTrustedMeansTheLeftmostProxyAsked) {
  EXPECT_EQ(client_address("127.0.0.1", "10.0.0.9, 10.0.0.2", "", trusted()), "10.0.0.9");
}

TEST(ClientAddress, PeerWithZoneOrUnparsable) {
  EXPECT_EQ(client_address("fe80::1%eth0", "203.0.113.9", "", trusted()), "fe80::1");
  EXPECT_EQ(client_address("", "203.0.113.9", "", trusted()), "");
  EXPECT_EQ(client_address("not-an-ip", "203.0.113.9", "", trusted()), "not-an-ip");
  EXPECT_EQ(client_address("fd00:1::5", "203.0.113.9", "", trusted()), "203.0.113.9");
}

TEST(ClientAddress, ForwardedWithQuotedIpv6AndPorts) {
  // RFC 7239 §4 and §6 examples.
  EXPECT_EQ(client_address("127.0.0.1", "", "for=\"_gazonk\"", trusted()), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "", "For=\"[2001:db8:cafe::17]:4711\"", trusted()),
            "2001:db8:cafe::17");
  EXPECT_EQ(client_address("127.0.0.1", "", "for=192.0.2.60;proto=http;by=203.0.113.43", trusted()),
            "192.0.2.60");
  EXPECT_EQ(client_address("127.0.0.1", "", "for=192.0.2.43, for=198.51.100.17", trusted()),
            "198.51.100.17");
  EXPECT_EQ(client_address("127.0.0.1", "", "for=\"192.0.2.60:8080\"", trusted()), "192.0.2.60");
  EXPECT_EQ(client_address("127.0.0.1", "", "for=\"[2001:db8::1]\"", trusted()), "2001:db8::1");
  EXPECT_EQ(client_address("127.0.0.1", "", "for=\"[2001:db8::1]:_port\"", trusted()),
            "2001:db8::1");
  EXPECT_EQ(client_address("127.0.0.1", "", "proto=https; for=203.0.113.9 ;host=x", trusted()),
            "203.0.113.9");
  EXPECT_EQ(client_address("127.0.0.1", "", "for=\"203.0.113.9\", for=10.0.0.2", trusted()),
            "203.0.113.9");
  // A quoted comma or semicolon is part of a value, not a separator.
  EXPECT_EQ(client_address("127.0.0.1", "", "for=203.0.113.9;ext=\"a,b;c\"", trusted()),
            "203.0.113.9");
  EXPECT_EQ(client_address("127.0.0.1", "", "for=203.0.113.9;ext=\"a\\\"b\"", trusted()),
            "203.0.113.9");
}

TEST(ClientAddress, ForwardedSpoofingAndGarbage) {
  // The client's own element first, the proxy's appended: the proxy's wins.
  EXPECT_EQ(client_address("127.0.0.1", "", "for=127.0.0.1, for=203.0.113.9", trusted()),
            "203.0.113.9");
  // The client's broken field cannot swallow the proxy's separate field.
  EXPECT_EQ(client_address("127.0.0.1", {},
                           std::vector<std::string_view>{"for=\"", "for=203.0.113.9"}, trusted()),
            "203.0.113.9");
  // ... but a broken field that the walk has to read gives the peer.
  EXPECT_EQ(client_address("127.0.0.1", {},
                           std::vector<std::string_view>{"for=203.0.113.9", "for=\""}, trusted()),
            "127.0.0.1");
  for (const char* bad :
       {"for=", "for=\"[2001:db8::1]", "for=[2001:db8::1]", "for=2001:db8::1", "=1.2.3.4",
        "for 1.2.3.4", "for=1.2.3.4 x", "for=unknown", "proto=https", "for=1.2.3.4;for=5.6.7.8",
        "for=\"1.2.3.4\\", "for=\"[1.2.3.4]\"", "for=1.2.3.4:99999", "for=\"[::1]:\""})
    EXPECT_EQ(client_address("127.0.0.1", "", bad, trusted()), "127.0.0.1") << bad;
  // An element without "for" where the walk needs one.
  EXPECT_EQ(client_address("127.0.0.1", "", "for=203.0.113.9, proto=https", trusted()),
            "127.0.0.1");
}

TEST(ClientAddress, XForwardedForWinsOverForwarded) {
  // nginx writes X-Forwarded-For and passes a client's Forwarded through untouched.
  EXPECT_EQ(client_address("127.0.0.1", "203.0.113.9", "for=198.51.100.1", trusted()),
            "203.0.113.9");
  EXPECT_EQ(client_address("127.0.0.1", "", "for=198.51.100.1", trusted()), "198.51.100.1");
}

// ---- rate-limit keys -----------------------------------------------------------------

TEST(RateLimitKey, Ipv4AsIsIpv6BySlash64) {
  EXPECT_EQ(rate_limit_key("203.0.113.9"), "203.0.113.9");
  EXPECT_EQ(rate_limit_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(rate_limit_key("2001:DB8:1:2::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(rate_limit_key("2001:db8:0:0:ffff::1"), "2001:db8::/64");
  EXPECT_EQ(rate_limit_key("::1"), "::/64");
  EXPECT_EQ(rate_limit_key("::ffff:203.0.113.9"), "203.0.113.9");
  EXPECT_EQ(rate_limit_key("not-an-ip"), "not-an-ip");
  EXPECT_EQ(rate_limit_key(""), "");
}

TEST(RateLimitKey, OneSubscriberPrefixIsOneKey) {
  // Rotating through a /64 (privacy addresses, or on purpose) does not reset a limit.
  EXPECT_EQ(rate_limit_key("2001:db8:1:2::1"), rate_limit_key("2001:db8:1:2:ffff:ffff:ffff:ffff"));
  EXPECT_NE(rate_limit_key("2001:db8:1:2::1"), rate_limit_key("2001:db8:1:3::1"));
}
