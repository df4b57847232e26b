#include "feeds/dates.hpp"

#include <gtest/gtest.h>

namespace verbund::feeds {
namespace {

std::string iso(std::string_view text) {
  auto t = parse_date(text);
  return t ? iso8601(*t) : "none";
}

TEST(FeedDates, ReadsRfc822WithOffsetsAndNamedZones) {
  EXPECT_EQ(iso("Mon, 30 Nov 2026 09:15:00 +0100"), "2026-11-30T08:15:00Z");
  EXPECT_EQ(iso("Mon, 30 Nov 2026 09:15:00 GMT"), "2026-11-30T09:15:00Z");
  EXPECT_EQ(iso("Mon, 30 Nov 2026 09:15:00 EST"), "2026-11-30T14:15:00Z");
  EXPECT_EQ(iso("Mon, 30 Nov 2026 09:15:00 PST"), "2026-11-30T17:15:00Z");
  EXPECT_EQ(iso("Sat, 20 Jun 2026 09:15:00 CEST"), "2026-06-20T07:15:00Z");
  EXPECT_EQ(iso("Mon, 30 Nov 2026 09:15:00 MEZ"), "2026-11-30T08:15:00Z");
  EXPECT_EQ(iso("Mon, 30 Nov 2026 09:15:00 UT"), "2026-11-30T09:15:00Z");
  EXPECT_EQ(iso("Mon, 30 Nov 2026 09:15:00 Z"), "2026-11-30T09:15:00Z");
  EXPECT_EQ(iso("Mon, 30 Nov 2026 09:15:00 +01:00"), "2026-11-30T08:15:00Z");
  EXPECT_EQ(iso("Mon, 30 Nov 2026 09:15:00 -0330"), "2026-11-30T12:45:00Z");
}

TEST(FeedDates, ReadsTheVariantsRealFeedsWrite) {
  EXPECT_EQ(iso("30 Nov 2026 09:15:00 GMT"), "2026-11-30T09:15:00Z");        // no day name
  EXPECT_EQ(iso("Mon, 30 Nov 26 09:15:00 +0000"), "2026-11-30T09:15:00Z");   // two-digit year
  EXPECT_EQ(iso("Mon, 30 Nov 2026 09:15 +0100"), "2026-11-30T08:15:00Z");    // no seconds
  EXPECT_EQ(iso("Tue, 1 Dec 2026 07:05:09 +0000"), "2026-12-01T07:05:09Z");  // one-digit day
  EXPECT_EQ(iso("Mon, 30 Nov 2026 09:15:00"), "2026-11-30T09:15:00Z");       // no zone: UTC
  EXPECT_EQ(iso("Monday, 30 November 2026 09:15:00 +0100"), "2026-11-30T08:15:00Z");
  EXPECT_EQ(iso("Mon Nov 30 09:15:00 2026"), "2026-11-30T09:15:00Z");  // asctime
  EXPECT_EQ(iso("  Mon, 30 Nov 2026 09:15:00 +0100\n"), "2026-11-30T08:15:00Z");
  EXPECT_EQ(iso("Mon, 30 Nov 2026 09:15:00+0100"), "2026-11-30T08:15:00Z");
}

TEST(FeedDates, ReadsGermanDayAndMonthNames) {
  EXPECT_EQ(iso("Mo, 30 Nov 2026 09:15:00 +0100"), "2026-11-30T08:15:00Z");
  EXPECT_EQ(iso("Di, 01 Dez 2026 10:00:00 +0100"), "2026-12-01T09:00:00Z");
  EXPECT_EQ(iso("Mi, 04 M\xc3\xa4r 2026 10:00:00 +0100"), "2026-03-04T09:00:00Z");
  EXPECT_EQ(iso("Do, 01 Okt 2026 10:00:00 +0200"), "2026-10-01T08:00:00Z");
  EXPECT_EQ(iso("Fr, 01 Mai 2026 10:00:00 MESZ"), "2026-05-01T08:00:00Z");
  EXPECT_EQ(iso("Dienstag, 1. Dezember 2026 10:00:00 +0100"), "2026-12-01T09:00:00Z");
}

TEST(FeedDates, ReadsIso8601AndRfc3339) {
  EXPECT_EQ(iso("2026-11-30T09:15:00Z"), "2026-11-30T09:15:00Z");
  EXPECT_EQ(iso("2026-11-30T09:15:00.123Z"), "2026-11-30T09:15:00Z");
  EXPECT_EQ(iso("2026-11-30T09:15:00+01:00"), "2026-11-30T08:15:00Z");
  EXPECT_EQ(iso("2026-11-30T09:15:00+0100"), "2026-11-30T08:15:00Z");
  EXPECT_EQ(iso("2026-11-30T09:15:00-05:00"), "2026-11-30T14:15:00Z");
  EXPECT_EQ(iso("2026-11-30T09:15+01:00"), "2026-11-30T08:15:00Z");
  EXPECT_EQ(iso("2026-11-30 09:15:00"), "2026-11-30T09:15:00Z");
  EXPECT_EQ(iso("2026-11-30"), "2026-11-30T00:00:00Z");
  EXPECT_EQ(iso("20261130T091500Z"), "2026-11-30T09:15:00Z");
  EXPECT_EQ(iso("2026-12-31T23:30:00-01:00"), "2027-01-01T00:30:00Z");
}

TEST(FeedDates, RefusesWhatIsNoDate) {
  for (const char* bad : {"", "gestern", "Mon, 31 Nov 2026 09:15:00 +0100", "2026-13-01",
                          "2026-02-29", "2026-11-30T25:00:00Z", "Mon, 30 Foo 2026 09:15:00", "1234",
                          "2026-11-30T09:15:00 Quatsch", "30 Nov", "+0100"}) {
    EXPECT_EQ(iso(bad), "none") << bad;
  }
  EXPECT_EQ(iso("2028-02-29"), "2028-02-29T00:00:00Z");  // a leap year
}

}  // namespace
}  // namespace verbund::feeds
