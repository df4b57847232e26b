// Dates as real feeds write them: RFC 822/1123 with and without day names, seconds or
// four-digit years, named zones (GMT, EST, CEST, MEZ, ...), German day and month names
// that localised blog software emits; ISO 8601 / RFC 3339 with fractions, offsets with
// and without colon, or a date alone; asctime. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace verbund::feeds {

// UTC seconds, or nothing when the text holds no complete, valid date.
std::optional<int64_t> parse_date(std::string_view text);

// "2026-11-30T08:15:00Z".
std::string iso8601(int64_t t);

}  // namespace verbund::feeds
