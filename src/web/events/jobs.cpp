// The events' periodic work: reminder mails before each session (events.reminder_hours,
// each once across nodes), and names and addresses leave the registrations a
// configured number of days after the session (events.retention_days; the privacy page
// says so); places from the waitlist that were not confirmed by their deadline go on
// to the next person.
#include <ctime>

#include "core/log.hpp"
#include "web/events/handlers.hpp"

namespace verbund::web::events {

void register_jobs(jobs::Runner& runner, db::Database& db, const core::Config& cfg) {
  // Every five minutes: a reminder goes out up to five minutes after its hour.
  runner.every("events.reminders", 300, [&db, cfg](const store::Job&) {
    int64_t n =
        store::Registrations(db, cfg.job_max_attempts)
            .send_reminders(std::time(nullptr), cfg.events_reminder_hours, registration_mail(cfg));
    if (n > 0) log::info("event_reminders_sent", {{"count", std::to_string(n)}});
  });
  runner.every("events.release", 300, [&db, cfg](const store::Job&) {
    int64_t n = store::Registrations(db, cfg.job_max_attempts)
                    .release_unconfirmed(std::time(nullptr), registration_mail(cfg));
    if (n > 0) log::info("event_places_released", {{"count", std::to_string(n)}});
  });
  runner.every("events.retention", 3600,
               [&db, days = cfg.events_retention_days](const store::Job&) {
                 int64_t n = store::Registrations(db).anonymise_ended(std::time(nullptr), days);
                 if (n > 0)
                   log::info("event_registrations_anonymised", {{"count", std::to_string(n)}});
               });
}

}  // namespace verbund::web::events
