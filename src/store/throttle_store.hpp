// Limits on attempts per scope and time window (log-in failures per account and per
// client address, sign-ups and reset requests per address). One row per scope counts
// the attempts of its current window; the statement that counts an attempt is the one
// that decides whether it is allowed, so parallel attempts cannot slip past a check
// made before any of them was counted.
#pragma once

#include <cstdint>
#include <string>

#include "db/database.hpp"

namespace verbund::store {

// Thread-safe; every method runs in a transaction of its own (read committed: parallel
// attempts on one scope wait for its row instead of failing and retrying).
class Throttle {
 public:
  explicit Throttle(db::Database& db) : db_(db) {}

  // Counts one attempt in `scope` unless `max` were counted in its window of
  // `window_seconds` already; then returns the seconds until the window ends (for
  // Retry-After). 0: allowed and counted.
  int64_t attempt(const std::string& scope, int max, int64_t window_seconds, int64_t now);

  // A log-in attempt, counted for the account and the client address at once (both or
  // neither). Returns 0 when it may check the password, else the seconds to wait.
  int64_t begin_login(const std::string& account_scope, const std::string& ip_scope, int max,
                      int64_t window_seconds, int64_t now);
  // The password was right: the account starts afresh and the attempt is no failure
  // of the address.
  void login_succeeded(const std::string& account_scope, const std::string& ip_scope);

  // Deletes counters of windows that ended long ago (housekeeping).
  void purge(int64_t now);

 private:
  db::Database& db_;
};

}  // namespace verbund::store
