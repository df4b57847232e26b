// Every route of the festival with its access rule (the handlers check the festival's
// own roles: submitters, reviewers, the committee).
#include "web/festival/handlers.hpp"

namespace verbund::web::festival {

void register_routes(App& app) {
  using http::Method;
  const std::string f = "/festival/{slug:slug}";
  app.add(Method::get, f, {festival_page, Access::anyone, 0, false, 10});
  app.add(Method::get, f + "/programm", {programme_page, Access::anyone, 0, false, 10});
  app.add(Method::get, f + "/kalender.ics", {festival_ics, Access::anyone, 0, false, 60});
  app.add(Method::get, f + "/einreichen", {submit_page, Access::signed_in});
  app.add(Method::post, f + "/einreichen", {submit, Access::signed_in});
  app.add(Method::get, f + "/meine-vorschlaege", {own_proposals, Access::signed_in});
  const std::string own = f + "/vorschlag/{id:int}";
  app.add(Method::get, own, {own_proposal_page, Access::signed_in});
  app.add(Method::get, own + "/bearbeiten", {revise_page, Access::signed_in});
  app.add(Method::post, own + "/bearbeiten", {revise, Access::signed_in});
  app.add(Method::post, own + "/zurueckziehen", {withdraw, Access::signed_in});
  app.add(Method::get, f + "/begutachtung", {review_list, Access::signed_in});
  app.add(Method::get, f + "/begutachtung/{id:int}", {review_page, Access::signed_in});
  app.add(Method::post, f + "/begutachtung/{id:int}", {save_review, Access::signed_in});
  app.add(Method::get, f + "/verwaltung", {manage_page, Access::signed_in});
  app.add(Method::post, f + "/entscheidungen", {decide, Access::signed_in});
  app.add(Method::get, f + "/verwaltung/{id:int}", {manage_proposal_page, Access::signed_in});
  app.add(Method::post, f + "/verwaltung/{id:int}/einplanen", {schedule, Access::signed_in});
  app.add(Method::post, f + "/gutachter", {add_reviewer, Access::signed_in});
  app.add(Method::post, f + "/gutachter/{id:int}/entfernen", {remove_reviewer, Access::signed_in});
}

}  // namespace verbund::web::festival
