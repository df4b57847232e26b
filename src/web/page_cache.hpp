// A small cache of rendered pages for visitors without a session: key (locale + URL)
// to response, each kept for its route's cache_seconds. Thread-safe; bounded size
// (the oldest entries go first when full).
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>

#include "http/message.hpp"

namespace verbund::web {

class PageCache {
 public:
  explicit PageCache(std::size_t max_entries = 2000) : max_(max_entries) {}

  // The response stored under `key` and the route it came from, unless expired.
  bool find(const std::string& key, http::Response& out, std::string& route) const;
  void put(const std::string& key, const http::Response& response, const std::string& route,
           int seconds);
  void clear();

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    http::Response response;
    std::string route;
    Clock::time_point expires;
  };
  std::size_t max_;
  mutable std::shared_mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace verbund::web
