// Accounts' housekeeping: expired sessions, old attempt counters, spent tokens and
// invitations that only the limits still counted.
#include <ctime>

#include "store/org_member_store.hpp"
#include "store/session_store.hpp"
#include "store/throttle_store.hpp"
#include "web/accounts/handlers.hpp"

namespace verbund::web::accounts {

void register_jobs(jobs::Runner& runner, db::Database& db, const core::Config& cfg) {
  const int64_t idle = int64_t{cfg.session_idle_days} * 86400;
  runner.every("accounts.purge", 600,
               [&db, idle, attempts = cfg.job_max_attempts](const store::Job&) {
                 int64_t now = std::time(nullptr);
                 store::Sessions(db).purge_expired(now, idle);
                 store::Throttle(db).purge(now);
                 store::Members(db, attempts).purge(now);
               });
}

}  // namespace verbund::web::accounts
