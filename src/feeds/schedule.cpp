#include "feeds/schedule.hpp"

#include <algorithm>

namespace verbund::feeds {

int64_t next_interval(const ScheduleInput& in, int64_t now) {
  if (!in.success) {
    int64_t shift = std::clamp<int64_t>(in.failures - 1, 0, 20);
    int64_t backoff = std::min(kFirstBackoff << shift, kDay);
    // A server that names its time is believed up to a week.
    if (in.retry_after_seconds) {
      backoff = std::max<int64_t>(backoff, std::min<int64_t>(*in.retry_after_seconds, 7 * kDay));
    }
    return backoff;
  }
  int64_t interval = in.previous_interval;
  if (!in.not_modified) {
    std::vector<int64_t> dates;
    for (int64_t t : in.published) {
      if (t <= now) dates.push_back(t);
    }
    std::sort(dates.rbegin(), dates.rend());
    if (dates.size() > 10) dates.resize(10);
    if (dates.empty()) {
      interval = 2 * 3600;
    } else if (now - dates.front() > 14 * kDay) {
      interval = kQuietInterval;
    } else if (dates.size() == 1) {
      interval = 3 * 3600;
    } else {
      int64_t gap = (dates.front() - dates.back()) / static_cast<int64_t>(dates.size() - 1);
      interval = std::clamp<int64_t>(gap / 4, kMinInterval, kMaxInterval);
    }
  }
  if (in.ttl_minutes) interval = std::max<int64_t>(interval, int64_t{*in.ttl_minutes} * 60);
  if (in.max_age_seconds) interval = std::max<int64_t>(interval, *in.max_age_seconds);
  if (in.retry_after_seconds) interval = std::max<int64_t>(interval, *in.retry_after_seconds);
  return std::clamp<int64_t>(interval, kMinInterval, kDay);
}

int64_t with_jitter(int64_t interval, uint64_t seed) {
  // splitmix64: a well-spread value from any seed.
  uint64_t z = seed + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  int64_t span = interval / 5;  // ±10 %
  if (span <= 0) return interval;
  return interval - span / 2 + static_cast<int64_t>(z % static_cast<uint64_t>(span + 1));
}

}  // namespace verbund::feeds
