// Times are stored as UTC seconds; these format them for people and protocols.
#pragma once

#include <cstdint>
#include <string>

namespace verbund::timefmt {

// strftime of `t` in UTC, e.g. utc(t, "%Y-%m-%d %H:%M UTC").
std::string utc(int64_t t, const char* format);

}  // namespace verbund::timefmt
