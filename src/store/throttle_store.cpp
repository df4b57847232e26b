#include "store/throttle_store.hpp"

#include <algorithm>

namespace verbund::store {
namespace {

// Counts an attempt in one statement: a new window starts when the old one is over,
// and a full window is left alone (no row comes back). Whoever holds the row's lock
// decides, so of N parallel attempts exactly `max` get a row.
bool take(db::Connection& c, const std::string& scope, int max, int64_t window, int64_t now) {
  return c
      .query_one(R"sql(
    INSERT INTO attempt_counters (scope, window_start, attempts) VALUES ($1, $2, 1)
    ON CONFLICT (scope) DO UPDATE
       SET attempts = CASE WHEN attempt_counters.window_start <= $2 - $3 THEN 1
                           ELSE attempt_counters.attempts + 1 END,
           window_start = CASE WHEN attempt_counters.window_start <= $2 - $3 THEN $2
                               ELSE attempt_counters.window_start END
     WHERE attempt_counters.window_start <= $2 - $3 OR attempt_counters.attempts < $4
    RETURNING attempts)sql",
                 {scope, now, window, max})
      .has_value();
}

void give_back(db::Connection& c, const std::string& scope) {
  c.execute("UPDATE attempt_counters SET attempts = attempts - 1 WHERE scope = $1 AND attempts > 0",
            {scope});
}

int64_t wait_for(db::Connection& c, const std::string& scope, int64_t window, int64_t now) {
  int64_t start =
      c.query_int("SELECT window_start FROM attempt_counters WHERE scope = $1", {scope});
  return std::max<int64_t>(1, start + window - now);
}

}  // namespace

int64_t Throttle::attempt(const std::string& scope, int max, int64_t window_seconds, int64_t now) {
  return db_.write(db::Isolation::read_committed, [&](db::Connection& c) -> int64_t {
    if (take(c, scope, max, window_seconds, now)) return 0;
    return wait_for(c, scope, window_seconds, now);
  });
}

int64_t Throttle::begin_login(const std::string& account_scope, const std::string& ip_scope,
                              int max, int64_t window_seconds, int64_t now) {
  return db_.write(db::Isolation::read_committed, [&](db::Connection& c) -> int64_t {
    if (!take(c, account_scope, max, window_seconds, now))
      return wait_for(c, account_scope, window_seconds, now);
    if (!take(c, ip_scope, max, window_seconds, now)) {
      give_back(c, account_scope);
      return wait_for(c, ip_scope, window_seconds, now);
    }
    return 0;
  });
}

void Throttle::login_succeeded(const std::string& account_scope, const std::string& ip_scope) {
  db_.write(db::Isolation::read_committed, [&](db::Connection& c) {
    c.execute("DELETE FROM attempt_counters WHERE scope = $1", {account_scope});
    give_back(c, ip_scope);
  });
}

void Throttle::purge(int64_t now) {
  db_.write(db::Isolation::read_committed, [&](db::Connection& c) {
    c.execute("DELETE FROM attempt_counters WHERE window_start < $1", {now - 86400});
  });
}

}  // namespace verbund::store
