// When to fetch a source next. Busy sources every few minutes, quiet ones every few
// hours (from the dates of their latest posts), never sooner than the feed asks (RSS
// <ttl>, Cache-Control max-age, Retry-After), exponential backoff after errors, and a
// jitter of ±10 % so that 10,000 sources added by one import do not fall due in the
// same second forever. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace verbund::feeds {

inline constexpr int64_t kMinInterval = 10 * 60;
inline constexpr int64_t kMaxInterval = 6 * 3600;
inline constexpr int64_t kQuietInterval = 12 * 3600;  // nothing new for two weeks
inline constexpr int64_t kDay = 24 * 3600;
inline constexpr int64_t kFirstBackoff = 5 * 60;

struct ScheduleInput {
  bool success = true;
  int64_t failures = 0;            // in a row, counting this one when !success
  std::vector<int64_t> published;  // dates of the feed's posts (any order)
  std::optional<int> ttl_minutes;
  std::optional<int> max_age_seconds;
  std::optional<int> retry_after_seconds;
  int64_t previous_interval = 3600;  // kept on "not modified" answers
  bool not_modified = false;
};

// Seconds until the next fetch, before jitter.
int64_t next_interval(const ScheduleInput& in, int64_t now);

// `interval` moved by up to ±10 %, the same for the same seed.
int64_t with_jitter(int64_t interval, uint64_t seed);

}  // namespace verbund::feeds
