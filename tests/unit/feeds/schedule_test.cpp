#include "feeds/schedule.hpp"

#include <gtest/gtest.h>

#include <set>

namespace verbund::feeds {
namespace {

constexpr int64_t kNow = 1'800'000'000;

TEST(FeedSchedule, BusySourcesEveryFewMinutesQuietOnesEveryFewHours) {
  ScheduleInput busy;
  for (int i = 0; i < 10; ++i) busy.published.push_back(kNow - i * 1800);  // every 30 min
  EXPECT_EQ(next_interval(busy, kNow), kMinInterval);
  ScheduleInput daily;
  for (int i = 0; i < 10; ++i) daily.published.push_back(kNow - 3600 - i * 86400);
  EXPECT_EQ(next_interval(daily, kNow), kMaxInterval);
  ScheduleInput twice_a_day;
  for (int i = 0; i < 10; ++i) twice_a_day.published.push_back(kNow - i * 43200);
  EXPECT_EQ(next_interval(twice_a_day, kNow), 3 * 3600);
  ScheduleInput asleep;
  asleep.published = {kNow - 40 * kDay, kNow - 50 * kDay};
  EXPECT_EQ(next_interval(asleep, kNow), kQuietInterval);
}

TEST(FeedSchedule, FeedHintsAreHonoured) {
  ScheduleInput in;
  for (int i = 0; i < 10; ++i) in.published.push_back(kNow - i * 600);
  in.ttl_minutes = 180;
  EXPECT_EQ(next_interval(in, kNow), 3 * 3600);
  in.ttl_minutes.reset();
  in.max_age_seconds = 7200;
  EXPECT_EQ(next_interval(in, kNow), 7200);
  in.max_age_seconds = 30 * kDay;  // capped: a day at most
  EXPECT_EQ(next_interval(in, kNow), kDay);
}

TEST(FeedSchedule, ErrorsBackOffExponentiallyCappedAtADay) {
  ScheduleInput in;
  in.success = false;
  int64_t expected[] = {300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 76800, kDay, kDay};
  for (int i = 0; i < 11; ++i) {
    in.failures = i + 1;
    EXPECT_EQ(next_interval(in, kNow), expected[i]) << i;
  }
  in.failures = 1;
  in.retry_after_seconds = 7200;
  EXPECT_EQ(next_interval(in, kNow), 7200);
}

TEST(FeedSchedule, JitterStaysWithinTenPercentAndSpreads) {
  std::set<int64_t> seen;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    int64_t j = with_jitter(3600, seed);
    EXPECT_GE(j, 3600 - 360);
    EXPECT_LE(j, 3600 + 360);
    seen.insert(j);
  }
  EXPECT_GT(seen.size(), 100u);
}

}  // namespace
}  // namespace verbund::feeds
