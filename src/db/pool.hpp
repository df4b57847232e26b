// The connection pool both drivers share: free connections are reused (most recently
// returned first), new ones are opened while under the limit, and a caller at the
// limit waits a bounded time for one to come back. Also counts the writes and retries
// that PoolStats reports. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "db/database.hpp"

namespace verbund::db {

template <typename Conn>
class Pool {
 public:
  // `limit` 0: no limit (SQLite opens one connection per concurrently running thread).
  explicit Pool(int limit) : limit_(limit) {}

  // Adds a connection opened before the pool was used (to fail early on bad settings).
  void add(std::unique_ptr<Conn> c) {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(c));
    ++open_;
  }

  // A free connection, or a new one from `open()`; at the limit, waits up to `wait`.
  template <typename Open>
  Conn* take(Open&& open, std::chrono::seconds wait, const char* driver) {
    {
      std::unique_lock lock(mu_);
      if (!cv_.wait_for(lock, wait,
                        [&] { return !free_.empty() || limit_ == 0 || open_ < limit_; }))
        throw DbError(DbError::Kind::other, std::string(driver) + ": no free connection within " +
                                                std::to_string(wait.count()) + " s");
      if (!free_.empty()) {
        auto c = std::move(free_.back());
        free_.pop_back();
        return c.release();
      }
      ++open_;
    }
    try {
      return open().release();
    } catch (...) {
      std::lock_guard lock(mu_);
      --open_;
      cv_.notify_one();
      throw;
    }
  }

  // Takes a connection back; one that is no longer usable (`keep` false) is closed and
  // the next take() opens a fresh one.
  void give(Conn* raw, bool keep) {
    std::unique_ptr<Conn> c(raw);
    std::lock_guard lock(mu_);
    if (keep)
      free_.push_back(std::move(c));
    else
      --open_;
    cv_.notify_one();
  }

  void count_write() { writes_.fetch_add(1, std::memory_order_relaxed); }
  void count_retry() { retries_.fetch_add(1, std::memory_order_relaxed); }

  PoolStats stats() const {
    std::lock_guard lock(mu_);
    return PoolStats{open_, open_ - static_cast<int>(free_.size()), writes_.load(),
                     retries_.load()};
  }

 private:
  const int limit_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> free_;
  int open_ = 0;
  std::atomic<uint64_t> writes_{0}, retries_{0};
};

}  // namespace verbund::db
