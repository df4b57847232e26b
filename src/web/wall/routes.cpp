// Every route of the Social Wall with its access rule.
#include "web/wall/handlers.hpp"

namespace verbund::web::wall {

namespace {

// /wall and /wall/kiosk as scripts and printed programmes name them; the site's own
// paths are German.
http::Response to_german(Context& ctx, const std::string& path) {
  auto q = ctx.req.target.find('?');
  return http::Response::redirect(path + (q == std::string::npos ? "" : ctx.req.target.substr(q)),
                                  301);
}

}  // namespace

void register_routes(App& app) {
  using http::Method;
  // Visitors without a session get a copy at most 10 seconds old: new posts arrive
  // through the live update anyway.
  app.add(Method::get, "/social-wall", {wall_page, Access::anyone, 0, false, 10});
  app.add(Method::get, "/social-wall/neu", {wall_newer, Access::anyone, 0, false, 5});
  app.add(Method::get, "/social-wall/feed.atom", {wall_atom, Access::anyone, 0, false, 60});
  app.add(Method::get, "/social-wall/feed.json", {wall_json, Access::anyone, 0, false, 60});
  app.add(Method::get, "/wall", {[](Context& ctx) { return to_german(ctx, "/social-wall"); }});
  app.add(Method::get, "/wall/kiosk",
          {[](Context& ctx) { return to_german(ctx, "/social-wall/kiosk"); }});
  app.add(Method::get, "/social-wall/kiosk", {kiosk_page, Access::anyone, 0, false, 5});
  app.add(Method::get, "/social-wall/kiosk/zustand", {kiosk_state});
  app.add(Method::get, "/social-wall/kiosk/steuerung", {kiosk_controls, Access::signed_in});
  app.add(Method::post, "/social-wall/kiosk/steuerung", {kiosk_control, Access::signed_in});
  const std::string channels = "/meine-organisationen/{id:int}/kanaele";
  app.add(Method::get, channels, {sources_show, Access::signed_in});
  app.add(Method::post, channels, {sources_add, Access::signed_in});
  app.add(Method::post, channels + "/{source:int}/entfernen", {sources_remove, Access::signed_in});
  app.add(Method::post, channels + "/{source:int}/pruefung",
          {sources_moderation, Access::signed_in});
  RouteSpec post{direct_post, Access::signed_in};
  post.body_limit = static_cast<std::size_t>(app.config().upload_limit_bytes);
  post.uploads = true;
  app.add(Method::post, channels + "/beitrag", post);
  app.add(Method::post, channels + "/beitraege/{post:int}/sichtbarkeit",
          {own_post_visibility, Access::signed_in});
  app.add(Method::get, "/social-wall/beitrag/{id:int}/melden", {report_form, Access::signed_in});
  app.add(Method::post, "/social-wall/beitrag/{id:int}/melden", {report_submit, Access::signed_in});
  const std::string queue = "/redaktion/social-wall";
  app.add(Method::get, queue, {moderation_queue, Access::signed_in});
  app.add(Method::post, queue + "/beitrag/{id:int}/ausblenden",
          {moderation_hide, Access::signed_in});
  app.add(Method::post, queue + "/beitrag/{id:int}/anzeigen", {moderation_show, Access::signed_in});
  app.add(Method::post, queue + "/beitrag/{id:int}/meldungen-verwerfen",
          {moderation_dismiss, Access::signed_in});
  app.add(Method::post, queue + "/quelle/{id:int}/sperren", {moderation_block, Access::signed_in});
  app.add(Method::post, queue + "/quelle/{id:int}/entsperren",
          {moderation_unblock, Access::signed_in});
  app.add(Method::post, queue + "/wortliste", {moderation_words, Access::signed_in});
}

}  // namespace verbund::web::wall
