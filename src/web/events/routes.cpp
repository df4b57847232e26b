// Every route of the events with its access rule.
#include "web/events/handlers.hpp"

namespace verbund::web::events {

void register_routes(App& app) {
  using http::Method;
  // Visitors get copies at most 10 seconds old: the free places move.
  app.add(Method::get, "/veranstaltungen", {list_page, Access::anyone, 0, false, 10});
  app.add(Method::get, "/veranstaltungen/kalender.ics", {list_ics, Access::anyone, 0, false, 60});
  app.add(Method::get, "/meine-anmeldungen", {my_registrations, Access::signed_in});
  app.add(Method::get, "/kalender/{token}", {my_calendar});
  // Before "/veranstaltungen/{slug}": the first pattern that matches wins.
  app.add(Method::get, "/veranstaltungen/neu", {new_event_page, Access::signed_in});
  app.add(Method::post, "/veranstaltungen/neu", {create_event, Access::signed_in});
  app.add(Method::get, "/veranstaltungen/reihe/{slug:slug}/kalender.ics",
          {series_ics, Access::anyone, 0, false, 60});
  app.add(Method::get, "/veranstaltungen/reihe/{slug:slug}",
          {series_page, Access::anyone, 0, false, 10});
  app.add(Method::get, "/veranstaltungen/{slug:slug}/kalender.ics",
          {event_ics, Access::anyone, 0, false, 60});
  app.add(Method::get, "/veranstaltungen/{slug:slug}", {event_page, Access::anyone, 0, false, 10});
  app.add(Method::post, "/veranstaltungen/{slug:slug}/anmelden",
          {register_self, Access::signed_in});
  app.add(Method::post, "/veranstaltungen/{slug:slug}/gast", {register_guest});
  app.add(Method::post, "/veranstaltungen/{slug:slug}/abmelden", {cancel_own, Access::signed_in});
  const std::string list = "/veranstaltungen/{slug:slug}/teilnehmende";
  app.add(Method::get, list, {participants_page, Access::signed_in});
  app.add(Method::get, list + ".csv", {participants_csv, Access::signed_in});
  app.add(Method::post, list + "/{reg:int}/anwesend", {participant_attended, Access::signed_in});
  const std::string edit = "/veranstaltungen/{slug:slug}/bearbeiten";
  app.add(Method::get, edit, {edit_event_page, Access::signed_in});
  app.add(Method::post, edit, {save_event, Access::signed_in});
  const std::string sessions = "/veranstaltungen/{slug:slug}/termine";
  app.add(Method::post, sessions, {add_event_session, Access::signed_in});
  app.add(Method::post, sessions + "/{id:int}", {change_event_session, Access::signed_in});
  app.add(Method::post, sessions + "/{id:int}/absagen", {cancel_event_session, Access::signed_in});
  app.add(Method::post, "/veranstaltungen/{slug:slug}/absagen",
          {cancel_whole_event, Access::signed_in});
  app.add(Method::get, "/veranstaltungen/{slug:slug}/nachricht", {message_page, Access::signed_in});
  app.add(Method::post, "/veranstaltungen/{slug:slug}/nachricht",
          {send_message, Access::signed_in});
  app.add(Method::get, "/anmeldung/{token}", {registration_page});
  app.add(Method::post, "/anmeldung/{token}/bestaetigen", {registration_confirm});
  app.add(Method::post, "/anmeldung/{token}/abmelden", {registration_cancel});
}

}  // namespace verbund::web::events
