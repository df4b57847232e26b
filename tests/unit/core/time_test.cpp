#include "core/time.hpp"

#include <gtest/gtest.h>

namespace verbund::timefmt {
namespace {

TEST(Time, UtcFormats) { EXPECT_EQ(utc(0, "%Y-%m-%d %H:%M"), "1970-01-01 00:00"); }

TEST(Time, BerlinIsCetInWinterAndCestInSummer) {
  EXPECT_EQ(berlin(1767225600, "%d.%m.%Y %H:%M"), "01.01.2026 01:00");  // 2026-01-01 00:00 UTC
  EXPECT_EQ(berlin(1782864000, "%d.%m.%Y %H:%M"), "01.07.2026 02:00");  // 2026-07-01 00:00 UTC
}

TEST(Time, BerlinSwitchesAtOneUtcOnTheLastSundays) {
  // 2026: summer time from Sunday 29 March 01:00 UTC to Sunday 25 October 01:00 UTC.
  const int64_t spring = 1774746000;  // 2026-03-29 01:00:00 UTC
  const int64_t autumn = 1792890000;  // 2026-10-25 01:00:00 UTC
  EXPECT_EQ(berlin_offset(spring - 1), 3600);
  EXPECT_EQ(berlin_offset(spring), 7200);
  EXPECT_EQ(berlin(spring - 1, "%H:%M:%S"), "01:59:59");
  EXPECT_EQ(berlin(spring, "%H:%M:%S"), "03:00:00");  // 02:00 to 03:00 does not exist
  EXPECT_EQ(berlin_offset(autumn - 1), 7200);
  EXPECT_EQ(berlin_offset(autumn), 3600);
  EXPECT_EQ(berlin(autumn - 1, "%H:%M:%S"), "02:59:59");
  EXPECT_EQ(berlin(autumn, "%H:%M:%S"), "02:00:00");  // 02:00 to 03:00 happens twice
}

TEST(Time, BerlinRuleHoldsInOtherYears) {
  // 2024: 31 March and 27 October; 2027: 28 March and 31 October.
  EXPECT_EQ(berlin_offset(1711846800 - 1), 3600);  // 2024-03-31 01:00 UTC
  EXPECT_EQ(berlin_offset(1711846800), 7200);
  EXPECT_EQ(berlin_offset(1729990800), 3600);  // 2024-10-27 01:00 UTC
  EXPECT_EQ(berlin_offset(1824944400), 3600);  // 2027-10-31 01:00 UTC
  EXPECT_EQ(berlin_offset(1824944400 - 1), 7200);
}

TEST(Time, GermanWallClockTimesBecomeUtcAcrossTheChanges) {
  const int64_t spring = 1774746000;  // 2026-03-29 01:00:00 UTC, 02:00 CET becomes 03:00 CEST
  const int64_t autumn = 1792890000;  // 2026-10-25 01:00:00 UTC, 03:00 CEST becomes 02:00 CET
  EXPECT_EQ(berlin_to_utc(2026, 3, 29, 1, 59), spring - 60);
  EXPECT_EQ(berlin_to_utc(2026, 3, 29, 2, 0), std::nullopt);  // skipped hour
  EXPECT_EQ(berlin_to_utc(2026, 3, 29, 2, 59), std::nullopt);
  EXPECT_EQ(berlin_to_utc(2026, 3, 29, 3, 0), spring);
  EXPECT_EQ(berlin_to_utc(2026, 10, 25, 1, 59), autumn - 3600 - 60);  // CEST
  EXPECT_EQ(berlin_to_utc(2026, 10, 25, 2, 30), autumn - 1800);       // the first 02:30
  EXPECT_EQ(berlin_to_utc(2026, 10, 25, 3, 0), autumn + 3600);        // CET
  EXPECT_EQ(berlin_to_utc(2026, 1, 1, 1, 0), 1767225600);
  EXPECT_EQ(berlin_to_utc(2026, 7, 1, 2, 0), 1782864000);
  for (int64_t t : {spring - 3600, spring, autumn - 7200, autumn + 3600, int64_t{1767225600}}) {
    EXPECT_EQ(berlin(*berlin_to_utc(2026, std::stoi(berlin(t, "%m")), std::stoi(berlin(t, "%d")),
                                    std::stoi(berlin(t, "%H")), std::stoi(berlin(t, "%M"))),
                     "%Y-%m-%d %H:%M"),
              berlin(t, "%Y-%m-%d %H:%M"));
  }
  EXPECT_EQ(berlin_to_utc(2026, 2, 29, 10, 0), std::nullopt);
  EXPECT_EQ(berlin_to_utc(2026, 4, 31, 10, 0), std::nullopt);
  EXPECT_EQ(berlin_to_utc(2026, 13, 1, 10, 0), std::nullopt);
  EXPECT_EQ(berlin_to_utc(2026, 1, 1, 24, 0), std::nullopt);
  EXPECT_TRUE(berlin_to_utc(2028, 2, 29, 10, 0).has_value());
}

}  // namespace
}  // namespace verbund::timefmt

namespace verbund::timefmt {
namespace {

TEST(ParseDate, TheFormsPeopleAndBrowsersSend) {
  for (const char* s : {"2026-12-08", "8.12.2026", "08.12.2026", " 8.12.26 "}) {
    auto d = parse_date(s);
    ASSERT_TRUE(d) << s;
    EXPECT_EQ(d->year, 2026) << s;
    EXPECT_EQ(d->month, 12u) << s;
    EXPECT_EQ(d->day, 8u) << s;
  }
  for (const char* s : {"", "8.12.", "12/08/2026", "2026-13-01", "0.1.2026", "8.12.2026.1",
                        "x.12.2026", "8.12.202", "123.1.2026"})
    EXPECT_FALSE(parse_date(s)) << s;
}

TEST(ParseClock, HoursAndMinutes) {
  EXPECT_EQ(parse_clock("18:00"), 18u * 60);
  EXPECT_EQ(parse_clock("9.30"), 9u * 60 + 30);
  EXPECT_EQ(parse_clock("18"), 18u * 60);
  EXPECT_EQ(parse_clock("18:00 Uhr"), 18u * 60);
  EXPECT_EQ(parse_clock("0:05"), 5u);
  for (const char* s : {"", "24:00", "18:60", "18:5", "18:", "abc", "18-00", "1800"})
    EXPECT_FALSE(parse_clock(s)) << s;
}

}  // namespace
}  // namespace verbund::timefmt
