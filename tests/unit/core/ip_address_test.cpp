#include "core/ip_address.hpp"

#include <gtest/gtest.h>

using verbund::core::parse_ip;
using verbund::core::parse_ip_range;
using verbund::core::parse_ip_ranges;

TEST(IpAddress, ParsesAndNormalisesBothFamilies) {
  EXPECT_EQ(parse_ip("192.0.2.1")->to_string(), "192.0.2.1");
  EXPECT_EQ(parse_ip("2001:DB8:0:0:0:0:0:1")->to_string(), "2001:db8::1");
  EXPECT_EQ(parse_ip("2001:db8:0:0:1:0:0:1")->to_string(), "2001:db8::1:0:0:1");
  EXPECT_EQ(parse_ip("2001:db8:0:1:1:1:1:1")->to_string(),
            "2001:db8:0:1:1:1:1:1");  // no :: for one group
  EXPECT_EQ(parse_ip("::")->to_string(), "::");
  EXPECT_EQ(parse_ip("::1")->to_string(), "::1");
  EXPECT_EQ(parse_ip("fe80::")->to_string(), "fe80::");
}

TEST(IpAddress, MappedIpv6IsTheIpv4Address) {
  auto mapped = parse_ip("::ffff:203.0.113.9");
  ASSERT_TRUE(mapped);
  EXPECT_TRUE(mapped->v4);
  EXPECT_EQ(*mapped, *parse_ip("203.0.113.9"));
  EXPECT_EQ(mapped->to_string(), "203.0.113.9");
  EXPECT_TRUE(parse_ip("::ffff:127.0.0.2")->is_loopback());
  EXPECT_TRUE(parse_ip("::1")->is_loopback());
  EXPECT_FALSE(parse_ip("::2")->is_loopback());
  EXPECT_FALSE(parse_ip("128.0.0.1")->is_loopback());
}

TEST(IpAddress, RefusesWhatIsNoAddress) {
  for (const char* bad :
       {"", " 1.2.3.4", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4:80", "[::1]",
        "::1%eth0", "2001:db8::1::2", "gggg::1", "localhost", "1.2.3.4/32", "::ffff:1.2.3.256"})
    EXPECT_FALSE(parse_ip(bad)) << bad;
}

TEST(IpRange, ContainsByPrefix) {
  auto r = parse_ip_range("10.0.0.0/8").value();
  EXPECT_TRUE(r.contains(*parse_ip("10.255.1.2")));
  EXPECT_FALSE(r.contains(*parse_ip("11.0.0.1")));
  EXPECT_TRUE(r.contains(*parse_ip("::ffff:10.1.2.3")));  // dual-stack socket view
  auto host = parse_ip_range("192.0.2.7").value();
  EXPECT_EQ(host.prefix, 32);
  EXPECT_TRUE(host.contains(*parse_ip("192.0.2.7")));
  EXPECT_FALSE(host.contains(*parse_ip("192.0.2.8")));
  auto v6 = parse_ip_range("2001:db8:abcd::/48").value();
  EXPECT_TRUE(v6.contains(*parse_ip("2001:db8:abcd:12::1")));
  EXPECT_FALSE(v6.contains(*parse_ip("2001:db8:abce::1")));
  EXPECT_FALSE(v6.contains(*parse_ip("10.0.0.1")));
  auto odd = parse_ip_range("192.168.0.0/23").value();
  EXPECT_TRUE(odd.contains(*parse_ip("192.168.1.255")));
  EXPECT_FALSE(odd.contains(*parse_ip("192.168.2.0")));
  auto all = parse_ip_range("0.0.0.0/0").value();
  EXPECT_TRUE(all.contains(*parse_ip("203.0.113.9")));
  EXPECT_FALSE(all.contains(*parse_ip("2001:db8::1")));
}

TEST(IpRange, MappedNotationCountsInIpv6Bits) {
  auto r = parse_ip_range("::ffff:10.0.0.0/104").value();
  EXPECT_TRUE(r.base.v4);
  EXPECT_EQ(r.prefix, 8);
  EXPECT_EQ(r.to_string(), "10.0.0.0/8");
  EXPECT_TRUE(r.contains(*parse_ip("10.9.9.9")));
}

TEST(IpRange, RefusesBadPrefixesAndHostBits) {
  for (const char* bad : {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8",
                          "10.0.0.0/ 8", "10.0.0.0/x", "10.0.0/8", "example.org/32", "/8"})
    EXPECT_FALSE(parse_ip_range(bad).ok()) << bad;
  auto typo = parse_ip_range("10.0.0.1/8");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.error().message.find("10.0.0.0/8"), std::string::npos) << typo.error().message;
  EXPECT_FALSE(parse_ip_range("2001:db8::1/64").ok());
}

TEST(IpRange, ListsAreCommaSeparated) {
  auto l = parse_ip_ranges(" 127.0.0.1/32 ,::1/128,10.0.0.0/8 ").value();
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[1].to_string(), "::1/128");
  EXPECT_TRUE(parse_ip_ranges("").value().empty());
  EXPECT_TRUE(parse_ip_ranges("  ").value().empty());
  EXPECT_FALSE(parse_ip_ranges("127.0.0.1,").ok());
  EXPECT_FALSE(parse_ip_ranges("127.0.0.1,,::1").ok());
  EXPECT_FALSE(parse_ip_ranges("127.0.0.1 ::1").ok());
}
