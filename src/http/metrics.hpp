// Request metrics in the Prometheus text format: requests by route and status, and a
// latency histogram by route. Thread-safe.
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace verbund::http {

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5,   10.0};
  void observe(const std::string& route, int status, double seconds);
  // The exposition text; `gauges` are extra name/value lines (pool, queue depth).
  std::string render(const std::vector<std::pair<std::string, double>>& gauges) const;

 private:
  // Per route: requests by status and the latency histogram. Looked up by string_view,
  // so recording a request allocates nothing after a route's first request.
  struct RouteStats {
    std::map<int, uint64_t> by_status;
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::string, RouteStats, std::less<>> routes_;
};

}  // namespace verbund::http
