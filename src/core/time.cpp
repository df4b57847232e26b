#include "core/time.hpp"

#include <ctime>
#include <vector>

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

namespace {

// The digits of `s` as a number, or -1 when `s` is empty, too long or not all digits.
int64_t digits(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return -1;
  int64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace

std::optional<Date> parse_date(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  char sep = s.find('-') != std::string_view::npos ? '-' : '.';
  std::vector<std::string_view> parts;
  for (std::size_t at; parts.size() < 4; s.remove_prefix(at + 1)) {
    at = s.find(sep);
    parts.push_back(s.substr(0, at));
    if (at == std::string_view::npos) break;
  }
  if (parts.size() != 3) return std::nullopt;
  if (sep == '-') std::swap(parts[0], parts[2]);  // ISO: year first
  int64_t day = digits(parts[0], 2), month = digits(parts[1], 2), year = digits(parts[2], 4);
  if (day < 1 || month < 1 || month > 12 || year < 0) return std::nullopt;
  if (parts[2].size() == 2)
    year += 2000;
  else if (parts[2].size() != 4)
    return std::nullopt;
  return Date{year, static_cast<unsigned>(month), static_cast<unsigned>(day)};
}

std::optional<unsigned> parse_clock(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.ends_with(" Uhr")) s.remove_suffix(4);
  auto at = s.find_first_of(":.");
  int64_t hour = digits(s.substr(0, at), 2);
  int64_t minute = at == std::string_view::npos ? 0 : digits(s.substr(at + 1), 2);
  if (at != std::string_view::npos && s.size() - at - 1 != 2) return std::nullopt;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return std::nullopt;
  return static_cast<unsigned>(hour * 60 + minute);
}

}  // namespace verbund::timefmt
