#include "web/page_cache.hpp"

#include <mutex>

namespace verbund::web {

bool PageCache::find(const std::string& key, http::Response& out, std::string& route) const {
  std::shared_lock lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.expires <= Clock::now()) return false;
  out = it->second.response;
  route = it->second.route;
  return true;
}

void PageCache::put(const std::string& key, const http::Response& response,
                    const std::string& route, int seconds) {
  std::unique_lock lock(mu_);
  auto now = Clock::now();
  if (entries_.size() >= max_) {
    // Drop expired entries; if none, drop everything (rare: many distinct URLs).
    for (auto it = entries_.begin(); it != entries_.end();)
      it = it->second.expires <= now ? entries_.erase(it) : std::next(it);
    if (entries_.size() >= max_) entries_.clear();
  }
  entries_[key] = Entry{response, route, now + std::chrono::seconds(seconds)};
}

void PageCache::clear() {
  std::unique_lock lock(mu_);
  entries_.clear();
}

}  // namespace verbund::web
