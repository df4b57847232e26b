#include "http/metrics.hpp"

#include <cstdio>

namespace verbund::http {

void Metrics::observe(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  auto it = routes_.find(std::string_view(route));
  if (it == routes_.end()) it = routes_.emplace(route, RouteStats{}).first;
  auto& h = it->second;
  ++h.by_status[status];
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.counts[i];
  ++h.count;
  h.sum += seconds;
}

static std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string Metrics::render(const std::vector<std::pair<std::string, double>>& gauges) const {
  std::string out;
  std::lock_guard lock(mu_);
  out += "# HELP verbund_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE verbund_http_requests_total counter\n";
  for (const auto& [route, stats] : routes_)
    for (const auto& [status, n] : stats.by_status)
      out += "verbund_http_requests_total{route=\"" + route + "\",status=\"" +
             std::to_string(status) + "\"} " + std::to_string(n) + "\n";
  out += "# HELP verbund_http_request_duration_seconds Time from request header to response.\n";
  out += "# TYPE verbund_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : routes_) {
    std::string label = "route=\"" + route + "\"";
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
      out += "verbund_http_request_duration_seconds_bucket{" + label + ",le=\"" + num(kBuckets[i]) +
             "\"} " + std::to_string(h.counts[i]) + "\n";
    out += "verbund_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
           std::to_string(h.count) + "\n";
    out += "verbund_http_request_duration_seconds_sum{" + label + "} " + num(h.sum) + "\n";
    out += "verbund_http_request_duration_seconds_count{" + label + "} " + std::to_string(h.count) +
           "\n";
  }
  for (const auto& [name, value] : gauges) {
    out += "# TYPE " + name + " gauge\n";
    out += name + " " + num(value) + "\n";
  }
  return out;
}

}  // namespace verbund::http
