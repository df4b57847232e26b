#include "feeds/ssrf_guard.hpp"

#include <gtest/gtest.h>

namespace verbund::feeds {
namespace {

std::string why(const char* ip) { return non_public_reason(*core::parse_ip(ip)); }

TEST(SsrfGuard, RefusesEveryNonPublicIpv4Range) {
  EXPECT_EQ(why("127.0.0.1"), "loopback");
  EXPECT_EQ(why("127.255.0.9"), "loopback");
  EXPECT_EQ(why("10.0.0.1"), "private");
  EXPECT_EQ(why("172.16.0.1"), "private");
  EXPECT_EQ(why("172.31.255.255"), "private");
  EXPECT_EQ(why("192.168.1.1"), "private");
  EXPECT_EQ(why("100.64.0.1"), "CGNAT");
  EXPECT_EQ(why("100.127.255.254"), "CGNAT");
  EXPECT_EQ(why("169.254.169.254"), "link-local");
  EXPECT_EQ(why("0.0.0.0"), "unspecified");
  EXPECT_EQ(why("224.0.0.1"), "multicast");
  EXPECT_EQ(why("255.255.255.255"), "broadcast");
  EXPECT_EQ(why("240.0.0.1"), "reserved");
  EXPECT_EQ(why("192.0.2.10"), "documentation");
  EXPECT_EQ(why("198.18.0.1"), "reserved");
}

TEST(SsrfGuard, AllowsPublicAddresses) {
  for (const char* ip : {"8.8.8.8", "172.32.0.1", "100.128.0.1", "93.184.216.34", "192.169.0.1",
                         "2a00:1450:4001:80b::200e", "2001:4860:4860::8888"}) {
    EXPECT_EQ(why(ip), "") << ip;
  }
}

TEST(SsrfGuard, JudgesIpv6ByWhatItCarries) {
  EXPECT_EQ(why("::1"), "loopback");
  EXPECT_EQ(why("::"), "unspecified");
  EXPECT_EQ(why("::ffff:127.0.0.1"), "loopback");  // IPv4-mapped
  EXPECT_EQ(why("::ffff:10.1.2.3"), "private");
  EXPECT_EQ(why("::127.0.0.1"), "IPv4-compatible");
  EXPECT_EQ(why("64:ff9b::7f00:1"), "NAT64 of loopback");
  EXPECT_EQ(why("64:ff9b::a9fe:a9fe"), "NAT64 of link-local");
  EXPECT_EQ(why("64:ff9b::808:808"), "");  // NAT64 of a public address is public
  EXPECT_EQ(why("2002:7f00:1::1"), "6to4 of loopback");
  EXPECT_EQ(why("fc00::1"), "private");
  EXPECT_EQ(why("fd12:3456::1"), "private");
  EXPECT_EQ(why("fe80::1"), "link-local");
  EXPECT_EQ(why("ff02::1"), "multicast");
  EXPECT_EQ(why("2001:db8::1"), "documentation");
  EXPECT_EQ(why("2001:0:53aa:64c::1"), "reserved");  // Teredo
  EXPECT_EQ(why("100::1"), "reserved");
}

TEST(SsrfGuard, OnlyPorts80And443UnlessAllowed) {
  AllowList none;
  auto pub = *core::parse_ip("93.184.216.34");
  EXPECT_EQ(refusal(pub, 443, "example.org", none), "");
  EXPECT_EQ(refusal(pub, 80, "example.org", none), "");
  EXPECT_EQ(refusal(pub, 22, "example.org", none), "port 22 is not 80 or 443");
  EXPECT_EQ(refusal(*core::parse_ip("127.0.0.1"), 80, "localhost", none),
            "address 127.0.0.1 is loopback");
}

TEST(SsrfGuard, AllowListOpensRangesAndHosts) {
  auto allow = core::parse_allow_list("127.0.0.1/32, feeds.intern.example");
  ASSERT_TRUE(allow.ok());
  EXPECT_EQ(refusal(*core::parse_ip("127.0.0.1"), 8765, "127.0.0.1", *allow), "");
  EXPECT_EQ(refusal(*core::parse_ip("::ffff:127.0.0.1"), 8765, "x", *allow), "");
  EXPECT_NE(refusal(*core::parse_ip("127.0.0.2"), 80, "127.0.0.2", *allow), "");
  EXPECT_EQ(refusal(*core::parse_ip("10.0.0.5"), 8080, "Feeds.Intern.Example", *allow), "");
  EXPECT_NE(refusal(*core::parse_ip("10.0.0.5"), 80, "other.example", *allow), "");
  EXPECT_FALSE(core::parse_allow_list("10.0.0.1/8").ok());
  EXPECT_FALSE(core::parse_allow_list("not a host!").ok());
}

}  // namespace
}  // namespace verbund::feeds
