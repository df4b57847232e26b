// The event page: what, when, where, for whom; each session with its free places and
// the reader's own registration; the forms to register (signed in: oneself; guests of
// public events: name and address, confirmed by link); the calendar file; JSON-LD.
#include "api/ical.hpp"
#include "core/i18n.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "core/markdown.hpp"
#include "core/time.hpp"
#include "http/message.hpp"
#include "web/events/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::events {

namespace {

bool is_online(const store::Event& e) { return e.format != "in_person"; }

// The event of the path, or why the reader may not see it (404, or 403 with a message).
struct Lookup {
  std::optional<store::Event> event;
  int status = 200;
  std::string message_key;
};

Lookup lookup(Context& ctx, const std::string& slug) {
  Lookup l;
  l.event = ctx.app.stores().events.find(slug);
  // A draft is for its organisers only (their preview); others learn nothing of it.
  if (!l.event || (l.event->status == "draft" && !organises(ctx, *l.event))) {
    l.event.reset();
    l.status = 404;
    return l;
  }
  if (!store::audience_admits(l.event->audience, viewer_of(ctx))) {
    l.status = 403;
    l.message_key = "events.audience." + l.event->audience + (ctx.user ? ".refused" : ".sign_in");
    l.event.reset();
  }
  return l;
}

std::string json_ld(Context& ctx, const store::Event& e) {
  json::Writer w;
  w.begin_object();
  w.key("@context").value("https://schema.org");
  w.key("@type").value("Event");
  w.key("name").value(e.title);
  if (!e.summary.empty()) w.key("description").value(e.summary);
  w.key("startDate")
      .value(timefmt::berlin(e.starts_at, "%Y-%m-%dT%H:%M:00") +
             (timefmt::berlin_offset(e.starts_at) == 7200 ? "+02:00" : "+01:00"));
  w.key("endDate").value(timefmt::berlin(e.ends_at, "%Y-%m-%dT%H:%M:00") +
                         (timefmt::berlin_offset(e.ends_at) == 7200 ? "+02:00" : "+01:00"));
  w.key("eventStatus")
      .value(e.status == "cancelled" ? "https://schema.org/EventCancelled"
                                     : "https://schema.org/EventScheduled");
  w.key("eventAttendanceMode")
      .value(e.format == "online"      ? "https://schema.org/OnlineEventAttendanceMode"
             : e.format == "in_person" ? "https://schema.org/OfflineEventAttendanceMode"
                                       : "https://schema.org/MixedEventAttendanceMode");
  w.key("url").value(ctx.app.absolute_url("/veranstaltungen/" + e.slug));
  w.key("inLanguage").value(e.language);
  // The place; an online event names no link here (participants get it by mail).
  w.key("location");
  if (e.format == "online") {
    w.begin_object();
    w.key("@type").value("VirtualLocation");
    w.key("url").value(ctx.app.absolute_url("/veranstaltungen/" + e.slug));
    w.end_object();
  } else {
    w.begin_object();
    w.key("@type").value("Place");
    w.key("name").value(e.place);
    w.end_object();
  }
  w.key("organizer").begin_object();
  w.key("@type").value("Organization");
  w.key("name").value(e.organiser_name.empty() ? ctx.app.config().site_name : e.organiser_name);
  w.end_object();
  w.end_object();
  // "</" must not end the script element early.
  std::string out = w.str();
  for (auto at = out.find("</"); at != std::string::npos; at = out.find("</", at + 2))
    out.replace(at, 2, "<\\/");
  return out;
}

void fill_event(Context& ctx, ctemplate::TemplateDictionary& d, const store::Event& e) {
  d.SetValue("TITLE", e.title);
  d.SetValue("SLUG", e.slug);
  d.SetValue("SUMMARY", e.summary);
  if (!e.description.empty())
    d.SetValueAndShowSection("DESCRIPTION_HTML", markdown::to_safe_html(e.description),
                             "HAS_DESCRIPTION");
  d.SetValue("ORGANISER", e.organiser_name.empty() ? ctx.app.config().site_name : e.organiser_name);
  if (!e.organisation_slug.empty())
    d.SetValueAndShowSection("ORGANISER_URL", "/organisationen/" + e.organisation_slug,
                             "ORGANISER_LINK");
  else
    d.ShowSection("ORGANISER_PLAIN");
  d.SetValue("FORMAT", i18n::t(ctx.locale, "events.format." + e.format));
  d.SetValue("WHEN", when_text(ctx.locale, e.starts_at, e.ends_at));
  d.SetValue("WHEN_ISO", timefmt::utc(e.starts_at, "%Y-%m-%dT%H:%M:%SZ"));
  if (!e.place.empty() && e.format != "online")
    d.SetValueAndShowSection("PLACE", e.place, "HAS_PLACE");
  if (e.audience != "public")
    d.SetValueAndShowSection("AUDIENCE", i18n::t(ctx.locale, "events.audience." + e.audience),
                             "HAS_AUDIENCE");
  if (!e.accessibility.empty()) {
    auto* list = d.AddSectionDictionary("HAS_ACCESSIBILITY");
    std::string rest = e.accessibility;
    for (std::size_t at; !rest.empty(); rest = at == std::string::npos ? "" : rest.substr(at + 1)) {
      at = rest.find(',');
      std::string key = rest.substr(0, at);
      if (i18n::has(ctx.locale, "events.a11y." + key))
        list->AddSectionDictionary("A11Y")->SetValue("LABEL",
                                                     i18n::t(ctx.locale, "events.a11y." + key));
    }
  }
  if (!e.contact.empty()) d.SetValueAndShowSection("CONTACT", e.contact, "HAS_CONTACT");
  if (!e.series_slug.empty()) {
    d.SetValueAndShowSection("SERIES_URL", "/veranstaltungen/reihe/" + e.series_slug, "HAS_SERIES");
    d.SetValue("SERIES_TITLE", e.series_title);
  }
  if (e.festival_id) {
    d.SetValueAndShowSection("FESTIVAL_URL", "/festival/" + e.festival_slug, "HAS_FESTIVAL");
    d.SetValue("FESTIVAL_TITLE", e.festival_title);
  }
  if (e.status == "cancelled") d.ShowSection("EVENT_CANCELLED");
  d.SetValue("ICS_URL", "/veranstaltungen/" + e.slug + "/kalender.ics");
}

// Registration for a session is possible now, or the catalog key of why not.
std::string closed_key(const store::Event& e, const store::EventSession& s, int64_t now) {
  if (e.status == "cancelled" || s.status == "cancelled") return "events.closed.cancelled";
  if (now >= s.starts_at) return "events.closed.ended";
  if (e.registration_opens_at && now < *e.registration_opens_at) return "events.closed.not_open";
  if (e.registration_closes_at && now >= *e.registration_closes_at) return "events.closed.closed";
  return "";
}

// `problem_key`: a message above the sessions; `errors`: the guest form's fields.
http::Response show(Context& ctx, const store::Event& e, const std::string& problem_key,
                    const std::vector<model::FieldError>& errors,
                    std::map<std::string, std::string> guest_values, int status) {
  Page page(ctx, "events/event.html", e.title);
  page.head("events/event_head.html").SetValue("JSON_LD", json_ld(ctx, e));
  auto& d = page.dict();
  fill_event(ctx, d, e);
  d.SetValue("CSRF", ctx.csrf_token());
  if (organises(ctx, e)) {
    auto* tools = d.AddSectionDictionary("ORGANISER_TOOLS");
    tools->SetValue("PARTICIPANTS_URL", "/veranstaltungen/" + e.slug + "/teilnehmende");
    tools->SetValue("EDIT_URL", "/veranstaltungen/" + e.slug + "/bearbeiten");
    if (e.status == "draft") tools->ShowSection("DRAFT");
  }
  std::vector<store::Registration> mine;
  if (ctx.user) mine = ctx.app.stores().registrations.of_user(ctx.user->id, e.id);
  bool any_open = false;
  for (const auto& s : e.sessions) {
    auto* sd = add_session(ctx, d, e, s);
    if (s.capacity) {
      sd->SetIntValue("FREE", static_cast<long>(*s.free()));
      sd->SetIntValue("CAPACITY", static_cast<long>(*s.capacity));
      sd->ShowSection("HAS_LIMIT");
    }
    if (s.capacity && *s.free() == 0) {
      sd->ShowSection("FULL");
      if (s.waiting > 0)
        sd->SetValueAndShowSection(
            "WAITING_TEXT",
            i18n::format(ctx.locale, s.waiting == 1 ? "events.waiting_one" : "events.waiting_many",
                         {{"n", std::to_string(s.waiting)}}),
            "HAS_WAITING");
    }
    if (s.status == "cancelled") sd->ShowSection("SESSION_CANCELLED");
    const store::Registration* own = nullptr;
    for (const auto& r : mine)
      if (r.session_id == s.id) own = &r;
    std::string closed = closed_key(e, s, ctx.now);
    if (own) {
      auto* od = sd->AddSectionDictionary("OWN");
      od->SetIntValue("REG_ID", static_cast<long>(own->id));
      if (own->status == "confirmed") {
        od->ShowSection("OWN_CONFIRMED");
        if (is_online(e) && !e.online_url.empty())
          od->SetValueAndShowSection("ONLINE_URL", e.online_url, "HAS_ONLINE");
      } else {
        od->SetValueAndShowSection("POSITION_TEXT",
                                   i18n::format(ctx.locale, "events.own.position",
                                                {{"n", std::to_string(own->position.value_or(0))}}),
                                   "OWN_WAITLISTED");
      }
    } else if (!closed.empty()) {
      sd->SetValueAndShowSection("CLOSED_TEXT", i18n::t(ctx.locale, closed), "CLOSED");
    } else {
      any_open = true;
      auto* rd = sd->AddSectionDictionary(ctx.user ? "CAN_REGISTER" : "SIGN_IN_TO_REGISTER");
      rd->SetValue("ACTION", "/veranstaltungen/" + e.slug + "/anmelden");
      rd->SetValue("LOGIN_URL",
                   "/anmelden?zurueck=" + http::url_encode("/veranstaltungen/" + e.slug));
      if (e.audience == "invitation") rd->ShowSection("NEEDS_CODE");
      rd->SetValue("BUTTON",
                   i18n::t(ctx.locale, s.capacity && *s.free() == 0 ? "events.register.waitlist"
                                                                    : "events.register.submit"));
    }
  }
  // Guests may register for public events (double opt-in).
  if (!ctx.user && any_open && e.audience == "public") {
    auto* g = d.AddSectionDictionary("GUEST_FORM");
    g->SetValue("ACTION", "/veranstaltungen/" + e.slug + "/gast");
    g->SetValue("V_name", guest_values["name"]);
    g->SetValue("V_email", guest_values["email"]);
    g->SetValue("PRIVACY",
                i18n::format(ctx.locale, "events.guest.privacy",
                             {{"days", std::to_string(ctx.app.config().events_retention_days)}}));
    if (e.sessions.size() > 1) {
      auto* choose = g->AddSectionDictionary("CHOOSE_SESSION");
      for (const auto& s : e.sessions) {
        if (!closed_key(e, s, ctx.now).empty()) continue;
        auto* o = choose->AddSectionDictionary("OPTION");
        o->SetIntValue("VALUE", static_cast<long>(s.id));
        o->SetValue("LABEL", (s.title.empty() ? e.title : s.title) + " – " +
                                 timefmt::berlin(s.starts_at, "%H:%M"));
        if (guest_values["sitzung"] == std::to_string(s.id)) o->ShowSection("SELECTED");
      }
    } else {
      g->SetIntValue("ONLY_SESSION", static_cast<long>(e.sessions.front().id));
      g->ShowSection("ONE_SESSION");
    }
  }
  if (!problem_key.empty())
    d.SetValueAndShowSection("PROBLEM", i18n::t(ctx.locale, problem_key), "HAS_PROBLEM");
  if (!errors.empty()) add_field_errors(d, ctx.locale, errors);
  return page.render(status);
}

int64_t session_of(const store::Event& e, const std::string& value) {
  if (value.empty() || value.size() > 18 ||
      value.find_first_not_of("0123456789") != std::string::npos)
    return 0;
  int64_t id = std::stoll(value);
  for (const auto& s : e.sessions)
    if (s.id == id) return id;
  return 0;
}

// The catalog key for a booking error of the store.
std::string booking_problem(const std::string& code) {
  if (code == "duplicate") return "events.problem.duplicate";
  if (code == "not_open") return "events.closed.not_open";
  if (code == "closed") return "events.closed.closed";
  if (code == "ended") return "events.closed.ended";
  if (code == "cancelled") return "events.closed.cancelled";
  return "events.problem.not_found";
}

}  // namespace

http::Response event_page(Context& ctx) {
  auto l = lookup(ctx, ctx.param(0));
  if (!l.event) return ctx.app.error_page(ctx, l.status, l.message_key);
  return show(ctx, *l.event, "", {}, {}, 200);
}

http::Response event_ics(Context& ctx) {
  auto l = lookup(ctx, ctx.param(0));
  if (!l.event) return ctx.app.error_page(ctx, l.status, l.message_key);
  api::CalendarInfo info{l.event->title, ctx.app.config().public_url()};
  auto res = http::Response::text(200, api::ical(info, {*l.event}));
  res.set_header("Content-Type", "text/calendar; charset=utf-8");
  res.set_header("Content-Disposition", "attachment; filename=\"" + l.event->slug + ".ics\"");
  return res;
}

http::Response register_self(Context& ctx) {
  auto l = lookup(ctx, ctx.param(0));
  if (!l.event) return ctx.app.error_page(ctx, l.status, l.message_key);
  const auto& e = *l.event;
  int64_t session = session_of(e, ctx.field("sitzung"));
  if (session == 0) return show(ctx, e, "events.problem.no_session", {}, {}, 422);
  if (e.audience == "invitation" &&
      !ctx.app.stores().events.access_code_matches(e.id, ctx.field("code")))
    return show(ctx, e, "events.problem.code", {}, {}, 422);
  store::Registrant who{ctx.user->id, ctx.user->display_name, ctx.user->email, std::nullopt};
  auto booked = ctx.app.stores().registrations.book(session, who, ctx.user->id, ctx.now,
                                                    registration_mail(ctx.app.config()));
  if (!booked) return show(ctx, e, booking_problem(booked.error().code), {}, {}, 409);
  log::info("event_registration", {{"event", e.slug}, {"status", booked->status}});
  return http::Response::redirect(
      "/veranstaltungen/" + e.slug +
      "?hinweis=" + (booked->status == "confirmed" ? "platz_sicher" : "auf_warteliste") +
      "#sitzung-" + std::to_string(session));
}

http::Response register_guest(Context& ctx) {
  auto l = lookup(ctx, ctx.param(0));
  if (!l.event) return ctx.app.error_page(ctx, l.status, l.message_key);
  const auto& e = *l.event;
  if (e.audience != "public")
    return ctx.app.error_page(ctx, 403, "events.audience.members.sign_in");
  std::map<std::string, std::string> values{{"name", model::one_line(ctx.field("name"))},
                                            {"email", ctx.field("email")},
                                            {"sitzung", ctx.field("sitzung")}};
  std::string name = values["name"];
  while (!name.empty() && name.back() == ' ') name.pop_back();
  while (!name.empty() && name.front() == ' ') name.erase(0, 1);
  std::vector<model::FieldError> errors;
  if (name.empty() || !model::valid_utf8(name) || model::utf8_length(name) > 200)
    errors.push_back({"name", "events.problem.name"});
  auto email = model::normalize_email(values["email"]);
  if (!email || values["email"].size() > 254) errors.push_back({"email", "events.problem.email"});
  int64_t session = session_of(e, values["sitzung"]);
  if (session == 0) errors.push_back({"sitzung", "events.problem.no_session"});
  if (!errors.empty()) return show(ctx, e, "", errors, values, 422);
  store::Registrant who{std::nullopt, name, *email, std::nullopt};
  auto booked = ctx.app.stores().registrations.book(session, who, std::nullopt, ctx.now,
                                                    registration_mail(ctx.app.config()));
  if (!booked) {
    // Someone who is registered already gets no different answer than a new guest:
    // the page must not tell strangers whose address is on the list.
    if (booked.error().code == "duplicate")
      return http::Response::redirect("/veranstaltungen/" + e.slug + "?hinweis=gast_pruefen");
    return show(ctx, e, booking_problem(booked.error().code), {}, values, 409);
  }
  return http::Response::redirect("/veranstaltungen/" + e.slug + "?hinweis=gast_pruefen");
}

http::Response cancel_own(Context& ctx) {
  auto l = lookup(ctx, ctx.param(0));
  if (!l.event) return ctx.app.error_page(ctx, l.status, l.message_key);
  std::string id = ctx.field("anmeldung");
  if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos)
    return ctx.app.error_page(ctx, 404);
  auto st = ctx.app.stores().registrations.cancel(ctx.user->id, std::stoll(id), ctx.now,
                                                  registration_mail(ctx.app.config()));
  if (!st) return ctx.app.error_page(ctx, 404);
  return http::Response::redirect("/veranstaltungen/" + l.event->slug +
                                  "?hinweis=anmeldung_beendet");
}

}  // namespace verbund::web::events
