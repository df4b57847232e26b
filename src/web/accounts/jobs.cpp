// Accounts' housekeeping: expired sessions, old log-in failures and spent tokens.
#include <ctime>

#include "store/session_store.hpp"
#include "web/accounts/handlers.hpp"

namespace verbund::web::accounts {

void register_jobs(jobs::Runner& runner, db::Database& db, const core::Config& cfg) {
  const int64_t idle = int64_t{cfg.session_idle_days} * 86400;
  runner.every("accounts.purge", 600, [&db, idle](const store::Job&) {
    int64_t now = std::time(nullptr);
    db.write([&](db::Connection& c) { store::purge_expired(c, now, idle); });
  });
}

}  // namespace verbund::web::accounts
