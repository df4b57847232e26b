// A registration's own page, reached by its personal link from the mails
// (/anmeldung/TOKEN): it shows the state and offers the one step that fits. Opening
// the link changes nothing; confirming and leaving are POSTs, so the link checkers of
// mail providers cannot confirm or cancel anyone.
#include "api/ical.hpp"
#include "core/i18n.hpp"
#include "core/log.hpp"
#include "http/message.hpp"
#include "web/events/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::events {

namespace {

http::Response show_registration(Context& ctx, const std::string& token, int status) {
  auto& regs = ctx.app.stores().registrations;
  auto r = regs.by_token(token);
  if (!r) return ctx.app.error_page(ctx, 404, "events.registration.unknown");
  auto e = ctx.app.stores().events.find_by_id(r->event_id);
  if (!e) return ctx.app.error_page(ctx, 404, "events.registration.unknown");
  const store::EventSession* s = nullptr;
  for (const auto& x : e->sessions)
    if (x.id == r->session_id) s = &x;
  if (!s) return ctx.app.error_page(ctx, 404, "events.registration.unknown");
  Page page(ctx, "events/registration.html", i18n::t(ctx.locale, "events.registration.title"));
  auto& d = page.dict();
  d.SetValue("CSRF", ctx.csrf_token());
  d.SetValue("NAME", r->name);
  d.SetValue("EVENT_TITLE", e->title);
  d.SetValue("EVENT_URL", "/veranstaltungen/" + e->slug);
  d.SetValue("SESSION_TITLE", s->title.empty() ? e->title : s->title);
  d.SetValue("SESSION_WHEN", when_text(ctx.locale, s->starts_at, s->ends_at));
  d.SetValue("ICS_URL", "/veranstaltungen/" + e->slug + "/kalender.ics");
  std::string base = "/anmeldung/" + token;
  d.SetValue("CONFIRM_ACTION", base + "/bestaetigen");
  d.SetValue("CANCEL_ACTION", base + "/abmelden");
  bool over = ctx.now >= s->starts_at;
  if (s->status == "cancelled" || e->status == "cancelled") {
    d.ShowSection("SESSION_CANCELLED");
  } else if (r->status == "unconfirmed") {
    d.ShowSection(over ? "OVER" : "UNCONFIRMED");
  } else if (r->status == "confirmed") {
    auto* c = d.AddSectionDictionary("CONFIRMED");
    if (e->format != "in_person" && !e->online_url.empty())
      c->SetValueAndShowSection("ONLINE_URL", e->online_url, "HAS_ONLINE");
    if (e->format != "online" && !e->place.empty())
      c->SetValueAndShowSection("PLACE", e->place, "HAS_PLACE");
    if (!over) c->ShowSection("CAN_CANCEL");
    if (r->confirm_by && !over && ctx.now <= *r->confirm_by)
      c->SetValueAndShowSection("CONFIRM_TEXT",
                                i18n::format(ctx.locale, "events.registration.confirm_by",
                                             {{"when", moment_text(ctx.locale, *r->confirm_by)}}),
                                "MUST_CONFIRM");
  } else if (r->status == "waitlisted") {
    auto* w = d.AddSectionDictionary("WAITLISTED");
    w->SetValue("POSITION_TEXT", i18n::format(ctx.locale, "events.own.position",
                                              {{"n", std::to_string(r->position.value_or(0))}}));
    if (!over) w->ShowSection("CAN_CANCEL");
  } else {
    d.ShowSection("CANCELLED");
  }
  return page.render(status);
}

}  // namespace

http::Response registration_page(Context& ctx) { return show_registration(ctx, ctx.param(0), 200); }

http::Response registration_confirm(Context& ctx) {
  std::string token = ctx.param(0);
  auto b =
      ctx.app.stores().registrations.confirm(token, ctx.now, registration_mail(ctx.app.config()));
  if (!b) {
    if (b.error().code == "not_found")
      return ctx.app.error_page(ctx, 404, "events.registration.unknown");
    return ctx.app.error_page(ctx, 409, "events.closed." + b.error().code);
  }
  log::info("event_guest_confirmed", {{"status", b->status}});
  return http::Response::redirect("/anmeldung/" + token + "?hinweis=" +
                                  (b->status == "confirmed" ? "platz_sicher" : "auf_warteliste"));
}

http::Response registration_cancel(Context& ctx) {
  std::string token = ctx.param(0);
  auto st = ctx.app.stores().registrations.cancel_by_token(token, ctx.now,
                                                           registration_mail(ctx.app.config()));
  if (!st) return show_registration(ctx, token, 404);
  return http::Response::redirect("/anmeldung/" + token + "?hinweis=anmeldung_beendet");
}

store::RegistrationComposer registration_mail(const core::Config& config) {
  return [config](const store::RegistrationNews& n) {
    std::string locale = n.to.locale == "en" ? "en" : "de";
    const auto& s = n.event.sessions.front();
    std::string what = n.event.title;
    if (!s.title.empty() && s.title != n.event.title) what += ": " + s.title;
    std::string where;
    if (n.event.format != "online") where = n.event.place;
    // The online link goes to people with a place only (never to the waitlist or to
    // a guest who has not confirmed).
    bool placed = n.registration.status == "confirmed" && n.kind != "released" &&
                  n.kind != "session_cancelled";
    std::string online = placed && n.event.format != "in_person" ? n.event.online_url : "";
    std::string confirm_by;
    if (n.kind == "promoted" && n.registration.confirm_by)
      confirm_by = moment_text(locale, *n.registration.confirm_by);
    std::map<std::string, std::string> values{
        {"NAME", n.to.name},
        {"WHAT", what},
        {"WHEN", when_text(locale, s.starts_at, s.ends_at)},
        {"WHERE", where},
        {"ONLINE", online},
        {"POSITION", std::to_string(n.registration.position.value_or(0))},
        {"LINK", config.public_url() + "/anmeldung/" + n.token},
        {"EVENT_URL", config.public_url() + "/veranstaltungen/" + n.event.slug},
        {"EVENTS_URL", config.public_url() + "/veranstaltungen"},
        {"ICS", config.public_url() + "/veranstaltungen/" + n.event.slug + "/kalender.ics"},
        {"CONFIRM_BY", confirm_by},
        {"SOON",
         n.kind != "reminder" ? ""
         : n.hours >= 20 && n.hours <= 30
             ? i18n::t(locale, "mail.event_reminder.tomorrow")
             : i18n::format(locale,
                            n.hours == 1 ? "mail.event_reminder.hour" : "mail.event_reminder.hours",
                            {{"n", std::to_string(n.hours)}})}};
    auto mail = render_mail(config, n.to.email, locale, "event_" + n.kind, values);
    // The entry for the person's calendar: theirs with the link when they have a place,
    // the cancellation (same UID, raised SEQUENCE) when the session is off.
    bool entry =
        placed && (n.kind == "confirmed" || n.kind == "promoted" || n.kind == "session_changed");
    if (entry || n.kind == "session_cancelled") {
      api::CalendarInfo info{n.event.title, config.public_url()};
      info.online_link = placed;
      if (n.kind == "session_cancelled") {
        info.method = "CANCEL";
        info.organizer = config.smtp.from;
      }
      mail.calendar = api::ical(info, {n.event});
    }
    return mail;
  };
}

}  // namespace verbund::web::events
