#include "core/time.hpp"

#include <ctime>

namespace verbund::timefmt {

// H. Hinnant's days_from_civil.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

namespace {

// 01:00 UTC on the last Sunday of `month` (March or October) of `year`.
int64_t last_sunday_1am(int64_t year, unsigned month) {
  int64_t last = days_from_civil(year, month, 31);  // both months have 31 days
  int64_t weekday = (last + 4) % 7;                 // 1970-01-01 was a Thursday (4)
  if (weekday < 0) weekday += 7;
  return (last - weekday) * 86400 + 3600;
}

std::string format_tm(const std::tm& tm, const char* format) {
  char buf[128];
  auto n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

}  // namespace

std::string utc(int64_t t, const char* format) {
  std::time_t tt = t;
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return format_tm(tm, format);
}

int berlin_offset(int64_t t) {
  std::time_t tt = t;
  std::tm tm{};
  gmtime_r(&tt, &tm);
  int64_t year = tm.tm_year + 1900;
  return t >= last_sunday_1am(year, 3) && t < last_sunday_1am(year, 10) ? 7200 : 3600;
}

std::string berlin(int64_t t, const char* format) {
  std::time_t tt = t + berlin_offset(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return format_tm(tm, format);
}

std::optional<int64_t> berlin_to_utc(int64_t year, unsigned month, unsigned day, unsigned hour,
                                     unsigned minute) {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) {
    return std::nullopt;
  }
  int64_t local = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60;
  std::time_t back = local;
  std::tm tm{};
  gmtime_r(&back, &tm);
  if (static_cast<unsigned>(tm.tm_mday) != day) return std::nullopt;  // 31 April, 29 Feb 2027
  // Try summer time first: in the doubled hour both readings fit and the first is meant.
  for (int offset : {7200, 3600}) {
    if (berlin_offset(local - offset) == offset) return local - offset;
  }
  return std::nullopt;
}

}  // namespace verbund::timefmt
