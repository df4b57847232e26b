// The events' periodic work: names and addresses leave the registrations a configured
// number of days after the session (events.retention_days; the privacy page says so).
#include <ctime>

#include "core/log.hpp"
#include "web/events/handlers.hpp"

namespace verbund::web::events {

void register_jobs(jobs::Runner& runner, db::Database& db, const core::Config& cfg) {
  runner.every("events.retention", 3600,
               [&db, days = cfg.events_retention_days](const store::Job&) {
                 int64_t n = store::Registrations(db).anonymise_ended(std::time(nullptr), days);
                 if (n > 0)
                   log::info("event_registrations_anonymised", {{"count", std::to_string(n)}});
               });
}

}  // namespace verbund::web::events
