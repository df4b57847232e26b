#include "core/time.hpp"

#include <ctime>

namespace verbund::timefmt {

std::string utc(int64_t t, const char* format) {
  std::time_t tt = t;
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  auto n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

}  // namespace verbund::timefmt
