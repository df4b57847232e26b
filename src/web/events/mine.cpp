// A person's own registrations (/meine-anmeldungen): what they hold, places and
// waitlist, each with its personal page; and their calendar feed, a secret URL
// (/kalender/TOKEN.ics) that calendar apps subscribe to without signing in. The feed
// holds the sessions they have a place in, with the online link, so its URL is signed
// and shown only to them.
#include "api/ical.hpp"
#include "core/i18n.hpp"
#include "http/message.hpp"
#include "web/events/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::events {

namespace {

// The user's events, each with only the sessions of `regs` (in their order).
std::vector<store::Event> events_of(Context& ctx, const std::vector<store::Registration>& regs) {
  std::vector<store::Event> out;
  std::map<int64_t, store::Event> loaded;
  for (const auto& r : regs) {
    auto it = loaded.find(r.event_id);
    if (it == loaded.end()) {
      auto e = ctx.app.stores().events.find_by_id(r.event_id);
      if (!e) continue;
      it = loaded.emplace(r.event_id, *e).first;
    }
    store::Event one = it->second;
    one.sessions.clear();
    for (const auto& s : it->second.sessions)
      if (s.id == r.session_id) one.sessions.push_back(s);
    out.push_back(std::move(one));
  }
  return out;
}

}  // namespace

http::Response my_registrations(Context& ctx) {
  auto& regs = ctx.app.stores().registrations;
  auto mine = regs.upcoming_of_user(ctx.user->id, ctx.now);
  auto events = events_of(ctx, mine);
  Page page(ctx, "events/mine.html", i18n::t(ctx.locale, "events.mine.title"));
  auto& d = page.dict();
  for (std::size_t i = 0; i < mine.size() && i < events.size(); ++i) {
    const auto& e = events[i];
    if (e.sessions.empty()) continue;
    auto* sd = add_session(ctx, d, e, e.sessions.front());
    sd->SetValue("EVENT_TITLE", e.title);
    sd->SetValue("EVENT_URL", "/veranstaltungen/" + e.slug);
    sd->SetValue("LINK", "/anmeldung/" + regs.token_for(mine[i].id));
    if (e.status == "cancelled" || e.sessions.front().status == "cancelled")
      sd->ShowSection("SESSION_CANCELLED");
    else if (mine[i].status == "confirmed")
      sd->ShowSection("PLACED");
    else
      sd->SetValueAndShowSection(
          "POSITION_TEXT",
          i18n::format(ctx.locale, "events.own.position",
                       {{"n", std::to_string(mine[i].position.value_or(0))}}),
          "WAITING");
  }
  if (mine.empty()) d.ShowSection("NONE");
  d.SetValue("FEED_URL",
             ctx.app.absolute_url("/kalender/" + regs.calendar_token(ctx.user->id) + ".ics"));
  return page.render();
}

http::Response my_calendar(Context& ctx) {
  std::string token = ctx.param(0);
  if (!token.ends_with(".ics")) return ctx.app.error_page(ctx, 404);
  auto& regs = ctx.app.stores().registrations;
  auto user = regs.calendar_user(token.substr(0, token.size() - 4));
  if (!user) return ctx.app.error_page(ctx, 404);
  // Places only (the waitlist is no appointment), from a week back so that a calendar
  // keeps what just happened.
  std::vector<store::Registration> placed;
  for (const auto& r : regs.upcoming_of_user(*user, ctx.now - 7 * 86400))
    if (r.status == "confirmed") placed.push_back(r);
  api::CalendarInfo info{i18n::t("de", "events.mine.feed_name"), ctx.app.config().public_url()};
  info.online_link = true;
  auto res = http::Response::text(200, api::ical(info, events_of(ctx, placed)));
  res.set_header("Content-Type", "text/calendar; charset=utf-8");
  res.set_header("Cache-Control", "private, no-store");
  res.set_header("X-Robots-Tag", "noindex");
  return res;
}

}  // namespace verbund::web::events
