// Times are stored as UTC seconds; these format them for people and protocols.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace verbund::timefmt {

// Days since 1970-01-01 of a date in the proleptic Gregorian calendar (m 1-12, d 1-31).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);

// strftime of `t` in UTC, e.g. utc(t, "%Y-%m-%d %H:%M UTC").
std::string utc(int64_t t, const char* format);

// The offset of German time (Europe/Berlin) from UTC at `t`, in seconds: 3600 (CET) or
// 7200 (CEST, from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday
// of October, the EU rule since 1996).
int berlin_offset(int64_t t);

// strftime of `t` in German time, e.g. berlin(t, "%d.%m.%Y, %H:%M").
std::string berlin(int64_t t, const char* format);

// The UTC time of a German wall-clock time (what a person enters). Empty for the hour
// that does not exist when the clocks go forward (02:00-02:59 on the last Sunday of
// March); in the hour that occurs twice in October the first one (CEST) is meant.
std::optional<int64_t> berlin_to_utc(int64_t year, unsigned month, unsigned day, unsigned hour,
                                     unsigned minute);

struct Date {
  int64_t year = 0;
  unsigned month = 0, day = 0;
};
// A date as people type it: "2026-12-08" (what <input type=date> sends) or "8.12.2026"
// ("08.12.26" too). Empty when it is neither; the day is not checked against the month
// (berlin_to_utc does that).
std::optional<Date> parse_date(std::string_view s);
// A time of day: "18:00", "18.00", "9:30" or "18". Returns minutes after midnight.
std::optional<unsigned> parse_clock(std::string_view s);

}  // namespace verbund::timefmt
