// The Social Wall on a big screen at an event: /social-wall/kiosk?tag=… shows the
// posts in large type and scrolls them slowly (without motion for viewers who ask for
// reduced motion: the screen turns a page now and then instead). A moderator steers it
// from their phone (/social-wall/kiosk/steuerung): pause, speed, and a switch that
// empties the screen at once. The controls live in the database, so the phone and the
// screen may be served by different nodes; the screen asks for them every 2 seconds.
#include "core/i18n.hpp"
#include "core/json.hpp"
#include "feeds/html_text.hpp"
#include "http/message.hpp"
#include "web/view.hpp"
#include "web/wall/handlers.hpp"

namespace verbund::web::wall {

namespace {

// A kiosk's name as typed into its URL: letters, digits and '-', at most 40.
std::string kiosk_name(const Context& ctx) {
  std::string n = ctx.query_value("name");
  if (n.empty() || n.size() > 40) return "standard";
  for (char c : n) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return "standard";
  }
  return n;
}

store::Actor actor(const Context& ctx) {
  return store::Actor{ctx.user->id, ctx.user->is_platform_admin()};
}

std::string state_json(const store::KioskState& k) {
  json::Writer w;
  w.begin_object();
  w.key("name").value(k.name);
  w.key("speed").value(k.speed);
  w.key("paused").value(static_cast<long long>(k.paused ? 1 : 0));
  w.key("blank").value(static_cast<long long>(k.blank ? 1 : 0));
  w.key("version").value(static_cast<long long>(k.version));
  w.end_object();
  return w.str();
}

}  // namespace

http::Response kiosk_page(Context& ctx) {
  store::WallFilter f;
  f.tag = feeds::normalise_tag(ctx.query_value("tag").substr(0, 100));
  std::string name = kiosk_name(ctx);
  auto posts = ctx.app.stores().posts.wall(f, std::nullopt, 30).posts;
  auto state = ctx.app.stores().wall_moderation.kiosk(name);
  ctemplate::TemplateDictionary d("kiosk");
  d.SetValue("LANG", ctx.locale);
  d.SetValue("SITE_NAME", ctx.app.config().site_name);
  d.SetValue("CSS_URL", static_url("css/site.css"));
  d.SetValue("KIOSK_JS", static_url("js/kiosk.js"));
  d.SetValue("TITLE", f.tag.empty() ? i18n::t(ctx.locale, "nav.wall") : "#" + f.tag);
  std::string query = "?name=" + http::url_encode(name);
  d.SetValue("STATE_URL", "/social-wall/kiosk/zustand" + query);
  std::string newer =
      "/social-wall/neu?nach=" + std::to_string(posts.empty() ? 0 : posts.front().id);
  if (!f.tag.empty()) newer += "&tag=" + http::url_encode(f.tag);
  d.SetValue("NEWER_URL", newer);
  d.SetValue("SPEED", state.speed);
  if (state.paused) d.ShowSection("PAUSED");
  if (state.blank) d.ShowSection("BLANK");
  d.SetIntValue("VERSION", static_cast<long>(state.version));
  if (posts.empty()) d.ShowSection("EMPTY");
  auto* list = d.AddIncludeDictionary("POSTS");
  list->SetFilename(ctx.locale + "/wall/posts.html");
  fill_posts(ctx, *list, posts);
  http::Response res = http::Response::html(200, expand(ctx.locale, "wall/kiosk.html", d));
  return res;
}

http::Response kiosk_state(Context& ctx) {
  http::Response res;
  res.body = state_json(ctx.app.stores().wall_moderation.kiosk(kiosk_name(ctx)));
  res.set_header("Content-Type", "application/json; charset=utf-8");
  res.set_header("Cache-Control", "no-store");
  return res;
}

http::Response kiosk_controls(Context& ctx) {
  if (!ctx.app.stores().wall_moderation.is_moderator(actor(ctx)))
    return ctx.app.error_page(ctx, 403);
  std::string name = kiosk_name(ctx);
  auto state = ctx.app.stores().wall_moderation.kiosk(name);
  Page page(ctx, "wall/kiosk_controls.html", i18n::t(ctx.locale, "wall.kiosk.controls"));
  auto& d = page.dict();
  d.SetValue("NAME", name);
  d.SetValue("ACTION", "/social-wall/kiosk/steuerung?name=" + http::url_encode(name));
  d.SetValue("KIOSK_URL", "/social-wall/kiosk?name=" + http::url_encode(name));
  d.SetValue("SPEED_LABEL", i18n::t(ctx.locale, "wall.kiosk.speed." + state.speed));
  d.ShowSection(state.paused ? "PAUSED" : "RUNNING");
  d.ShowSection(state.blank ? "BLANK" : "SHOWING");
  return page.render();
}

http::Response kiosk_control(Context& ctx) {
  std::string name = kiosk_name(ctx);
  auto changed = ctx.app.stores().wall_moderation.control_kiosk(actor(ctx), name,
                                                                ctx.field("aktion"), ctx.now);
  if (!changed) {
    if (changed.error().code == "not_found") return ctx.app.error_page(ctx, 403);
    return ctx.app.error_page(ctx, 400);
  }
  return http::Response::redirect("/social-wall/kiosk/steuerung?name=" + http::url_encode(name) +
                                  "&hinweis=kiosk_geaendert");
}

}  // namespace verbund::web::wall
