// Events (/veranstaltungen): the list with its filters, the event page with each
// session's free places and the registration forms, the calendar files, and a
// registration's own page (its personal link from the mails: confirm, leave).
#pragma once

#include "jobs/runner.hpp"
#include "store/event_store.hpp"
#include "web/app.hpp"

namespace verbund::web::events {

http::Response list_page(Context& ctx);
http::Response event_page(Context& ctx);
http::Response event_ics(Context& ctx);
http::Response series_page(Context& ctx);
http::Response series_ics(Context& ctx);
http::Response register_self(Context& ctx);
http::Response register_guest(Context& ctx);
http::Response cancel_own(Context& ctx);
http::Response registration_page(Context& ctx);
http::Response registration_confirm(Context& ctx);
http::Response registration_cancel(Context& ctx);
http::Response participants_page(Context& ctx);
http::Response participants_csv(Context& ctx);
http::Response participant_attended(Context& ctx);
http::Response list_ics(Context& ctx);
http::Response my_registrations(Context& ctx);
http::Response my_calendar(Context& ctx);
http::Response new_event_page(Context& ctx);
http::Response create_event(Context& ctx);
http::Response edit_event_page(Context& ctx);
http::Response save_event(Context& ctx);
http::Response add_event_session(Context& ctx);
http::Response change_event_session(Context& ctx);
http::Response cancel_event_session(Context& ctx);
http::Response cancel_whole_event(Context& ctx);
http::Response message_page(Context& ctx);
http::Response send_message(Context& ctx);

// Whether the signed-in person organises `e` (edits it, sees its participants).
bool organises(const Context& ctx, const store::Event& e);

// Who the signed-in person is for audiences (visitors: all false).
store::EventViewer viewer_of(const Context& ctx);
// "Dienstag, 8. Dezember 2026, 18:00–19:30 Uhr" in the reader's language, German time.
std::string when_text(const std::string& locale, int64_t starts_at, int64_t ends_at);
// "Dienstag, 8. Dezember 2026": the day of `t` in German time.
std::string day_text(const std::string& locale, int64_t t);
// "Dienstag, 8. Dezember 2026, 18:00 Uhr": one moment in German time.
std::string moment_text(const std::string& locale, int64_t t);
// "noch 12 von 30 Plätzen frei", "ausgebucht", "ohne Platzbegrenzung".
std::string places_text(const std::string& locale, const store::EventSession& s);
// A SESSION section of `d` with the session's ID, SESSION_TITLE, SESSION_WHEN, PLACES.
ctemplate::TemplateDictionary* add_session(Context& ctx, ctemplate::TemplateDictionary& d,
                                           const store::Event& e, const store::EventSession& s);
// Event cards (templates' EVENT sections) for the list, the series and the home page.
void fill_cards(Context& ctx, ctemplate::TemplateDictionary& d,
                const std::vector<store::Event>& events);
// The mails about a registration (store::RegistrationNews::kind names which).
store::RegistrationComposer registration_mail(const core::Config& config);

void register_routes(App& app);
void register_jobs(jobs::Runner& runner, db::Database& db, const core::Config& cfg);

}  // namespace verbund::web::events
