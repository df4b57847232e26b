// /veranstaltungen: upcoming events (or past ones) with filters that are shareable
// URLs, twenty a page; the series page ("alle Digi-Dienstage"); the shared texts.
#include "api/ical.hpp"
#include "core/i18n.hpp"
#include "core/time.hpp"
#include "http/message.hpp"
#include "web/events/form.hpp"
#include "web/events/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::events {

namespace {

constexpr int kPerPage = 20;
constexpr const char* kFormats[] = {"online", "in_person", "hybrid"};
constexpr const char* kAudiences[] = {"public", "members", "scouts", "staff", "invitation"};

std::string weekday(const std::string& locale, int64_t t) {
  return i18n::t(locale, "time.weekday." + timefmt::berlin(t, "%w"));
}

std::string date_text(const std::string& locale, int64_t t) {
  int month = std::stoi(timefmt::berlin(t, "%m"));
  int day = std::stoi(timefmt::berlin(t, "%d"));
  return i18n::format(locale, "time.date",
                      {{"day", std::to_string(day)},
                       {"month", i18n::t(locale, "time.month." + std::to_string(month))},
                       {"year", timefmt::berlin(t, "%Y")}});
}

// `v` when it is one of `allowed`, else "" (a filter value that names nothing).
template <std::size_t N>
std::string valid_or_empty(const std::string& v, const char* const (&allowed)[N]) {
  for (const char* a : allowed)
    if (v == a) return v;
  return "";
}

}  // namespace

store::EventViewer viewer_of(const Context& ctx) {
  store::EventViewer v;
  if (!ctx.user) return v;
  v.user_id = ctx.user->id;
  v.platform_admin = ctx.user->is_platform_admin();
  v.staff = v.platform_admin || ctx.user->has_role(model::Role::regional_editor);
  v.scout = ctx.user->has_role(model::Role::online_scout);
  v.member =
      ctx.user->has_role(model::Role::org_admin) || ctx.user->has_role(model::Role::org_member);
  return v;
}

std::string when_text(const std::string& locale, int64_t starts_at, int64_t ends_at) {
  std::string from = timefmt::berlin(starts_at, "%H:%M");
  std::string to = timefmt::berlin(ends_at, "%H:%M");
  bool one_day = timefmt::berlin(starts_at, "%Y%m%d") == timefmt::berlin(ends_at, "%Y%m%d");
  if (one_day)
    return i18n::format(locale, "events.when.day",
                        {{"weekday", weekday(locale, starts_at)},
                         {"date", date_text(locale, starts_at)},
                         {"from", from},
                         {"to", to}});
  return i18n::format(locale, "events.when.days",
                      {{"start", weekday(locale, starts_at) + ", " + date_text(locale, starts_at)},
                       {"from", from},
                       {"end", weekday(locale, ends_at) + ", " + date_text(locale, ends_at)},
                       {"to", to}});
}

std::string day_text(const std::string& locale, int64_t t) {
  return weekday(locale, t) + ", " + date_text(locale, t);
}

std::string moment_text(const std::string& locale, int64_t t) {
  return i18n::format(locale, "events.when.at",
                      {{"weekday", weekday(locale, t)},
                       {"date", date_text(locale, t)},
                       {"time", timefmt::berlin(t, "%H:%M")}});
}

std::string places_text(const std::string& locale, const store::EventSession& s) {
  if (!s.capacity) return i18n::t(locale, "events.places.unlimited");
  int64_t free = *s.free();
  if (free == 0) return i18n::t(locale, "events.places.full");
  return i18n::format(locale, free == 1 ? "events.places.one" : "events.places.some",
                      {{"free", std::to_string(free)}, {"capacity", std::to_string(*s.capacity)}});
}

ctemplate::TemplateDictionary* add_session(Context& ctx, ctemplate::TemplateDictionary& d,
                                           const store::Event& e, const store::EventSession& s) {
  auto* sd = d.AddSectionDictionary("SESSION");
  sd->SetIntValue("ID", static_cast<long>(s.id));
  sd->SetValue("SESSION_TITLE", s.title.empty() ? e.title : s.title);
  sd->SetValue("SESSION_WHEN", when_text(ctx.locale, s.starts_at, s.ends_at));
  sd->SetValue("PLACES", places_text(ctx.locale, s));
  return sd;
}

void fill_cards(Context& ctx, ctemplate::TemplateDictionary& d,
                const std::vector<store::Event>& events) {
  for (const auto& e : events) {
    auto* c = d.AddSectionDictionary("EVENT");
    c->SetValue("SLUG", e.slug);
    c->SetValue("TITLE", e.title);
    c->SetValue("SUMMARY", e.summary);
    c->SetValue("WHEN", when_text(ctx.locale, e.starts_at, e.ends_at));
    c->SetValue("WHEN_ISO", timefmt::utc(e.starts_at, "%Y-%m-%dT%H:%M:%SZ"));
    c->SetValue("FORMAT", i18n::t(ctx.locale, "events.format." + e.format));
    c->SetValue("ORGANISER",
                e.organiser_name.empty() ? ctx.app.config().site_name : e.organiser_name);
    if (e.audience != "public")
      c->SetValueAndShowSection("AUDIENCE", i18n::t(ctx.locale, "events.audience." + e.audience),
                                "HAS_AUDIENCE");
    if (e.status == "cancelled") c->ShowSection("CANCELLED");
    if (e.sessions.size() > 1)
      c->SetValueAndShowSection("SESSIONS_TEXT",
                                i18n::format(ctx.locale, "events.sessions_count",
                                             {{"n", std::to_string(e.sessions.size())}}),
                                "HAS_SESSIONS");
    // A single session's places fit on the card; several are listed on the event page.
    if (e.sessions.size() == 1 && e.sessions.front().capacity)
      c->SetValueAndShowSection("PLACES", places_text(ctx.locale, e.sessions.front()),
                                "HAS_PLACES");
  }
}

namespace {

// The list's filter as the query names it; the date fields as typed, to show again.
struct ListQuery {
  store::EventFilter filter;
  std::string from_text, until_text;
  bool from_ok = true, until_ok = true;
};

ListQuery list_query(const Context& ctx) {
  ListQuery q;
  auto& f = q.filter;
  f.format = valid_or_empty(ctx.query_value("format"), kFormats);
  f.audience = valid_or_empty(ctx.query_value("zielgruppe"), kAudiences);
  f.topic = ctx.query_value("thema");
  if (std::find(kTopics.begin(), kTopics.end(), f.topic) == kTopics.end()) f.topic.clear();
  // A date range in German days: from the start of "ab" to the end of "bis".
  auto day_start = [](const std::string& v) -> std::optional<int64_t> {
    auto d = timefmt::parse_date(v);
    if (!d) return std::nullopt;
    return timefmt::berlin_to_utc(d->year, d->month, d->day, 0, 0);
  };
  q.from_text = ctx.query_value("ab").substr(0, 20);
  q.until_text = ctx.query_value("bis").substr(0, 20);
  auto from_day = q.from_text.empty() ? std::nullopt : day_start(q.from_text);
  auto until_day = q.until_text.empty() ? std::nullopt : day_start(q.until_text);
  q.from_ok = q.from_text.empty() || from_day;
  q.until_ok = q.until_text.empty() || until_day;
  f.region = ctx.query_value("landesverband").substr(0, 20);
  f.organiser = ctx.query_value("veranstalter").substr(0, 200);
  f.past = ctx.query_value("zeit") == "vergangen";
  f.from = ctx.now;
  if (from_day && !f.past) f.from = std::max(ctx.now, *from_day);
  if (until_day) f.until = *until_day + 86400;  // the whole last day (a DST day is off by an hour)
  if (f.past && from_day) f.after = *from_day;
  return q;
}

}  // namespace

http::Response list_ics(Context& ctx) {
  auto q = list_query(ctx);
  q.filter.past = false;
  // A feed is public: its events are the public ones, whoever subscribes.
  q.filter.audience = "public";
  auto result = ctx.app.stores().events.list(q.filter, {}, 200, 0);
  auto res = http::Response::text(
      200, api::ical({ctx.app.config().site_name, ctx.app.config().public_url()}, result.events));
  res.set_header("Content-Type", "text/calendar; charset=utf-8");
  return res;
}

http::Response list_page(Context& ctx) {
  auto q = list_query(ctx);
  auto& f = q.filter;
  const auto& from_text = q.from_text;
  const auto& until_text = q.until_text;
  int page_no = 1;
  std::string p = ctx.query_value("seite");
  if (!p.empty() && p.size() < 5 && p.find_first_not_of("0123456789") == std::string::npos)
    page_no = std::max(1, std::stoi(p));
  auto result = ctx.app.stores().events.list(f, viewer_of(ctx), kPerPage, (page_no - 1) * kPerPage);

  Page page(ctx, "events/list.html", i18n::t(ctx.locale, "nav.events"));
  auto& d = page.dict();
  auto choices = ctx.app.stores().organisations.form_choices();
  if (ctx.user) d.ShowSection("SIGNED_IN");
  if (!organiser_choices(ctx).empty()) d.ShowSection("CAN_CREATE");
  if (!f.past) {
    for (const auto& fest : ctx.app.stores().festivals.current(ctx.now)) {
      if (fest.ends_at <= ctx.now) continue;
      auto* fd = d.AddSectionDictionary("FESTIVAL");
      fd->SetValue("TITLE", fest.title);
      fd->SetValue("URL", "/festival/" + fest.slug);
      fd->SetValue("SLUG", fest.slug);
      fd->SetValue("SUMMARY", fest.summary);
      fd->SetValue("PHASE",
                   i18n::t(ctx.locale, "festival.phase." + store::festival_phase(fest, ctx.now)));
      fd->SetValue("WHEN", day_text(ctx.locale, fest.starts_at) + " – " +
                               day_text(ctx.locale, fest.ends_at - 1));
    }
  }
  for (const char* fmt : kFormats) {
    auto* o = d.AddSectionDictionary("FORMAT_OPTION");
    o->SetValue("VALUE", fmt);
    o->SetValue("LABEL", i18n::t(ctx.locale, std::string("events.format.") + fmt));
    if (f.format == fmt) o->ShowSection("SELECTED");
  }
  for (const char* a : kAudiences) {
    if (!store::audience_admits(a, viewer_of(ctx))) continue;
    auto* o = d.AddSectionDictionary("AUDIENCE_OPTION");
    o->SetValue("VALUE", a);
    o->SetValue("LABEL", i18n::t(ctx.locale, std::string("events.audience.") + a));
    if (f.audience == a) o->ShowSection("SELECTED");
  }
  for (const auto& t : kTopics) {
    auto* o = d.AddSectionDictionary("TOPIC_OPTION");
    o->SetValue("VALUE", t);
    o->SetValue("LABEL", i18n::t(ctx.locale, "events.topic." + t));
    if (f.topic == t) o->ShowSection("SELECTED");
  }
  d.SetValue("V_ab", from_text);
  d.SetValue("V_bis", until_text);
  if (!q.from_ok) d.ShowSection("BAD_ab");
  if (!q.until_ok) d.ShowSection("BAD_bis");
  for (const auto& r : choices.regions) {
    auto* o = d.AddSectionDictionary("REGION");
    o->SetValue("VALUE", r.code);
    o->SetValue("LABEL", r.name);
    if (r.code == f.region) o->ShowSection("SELECTED");
  }
  if (f.past)
    d.ShowSection("PAST");
  else
    d.ShowSection("UPCOMING");
  fill_cards(ctx, d, result.events);
  if (result.events.empty()) d.ShowSection(f.past ? "NONE_PAST" : "NONE_UPCOMING");
  // Pages keep the filter.
  std::string query;
  auto keep = [&](const char* key, const std::string& v) {
    if (!v.empty())
      query += std::string(query.empty() ? "?" : "&") + key + "=" + http::url_encode(v);
  };
  keep("format", f.format);
  keep("zielgruppe", f.audience);
  keep("thema", f.topic);
  keep("landesverband", f.region);
  keep("veranstalter", f.organiser);
  if (q.from_ok) keep("ab", from_text);
  if (q.until_ok) keep("bis", until_text);
  if (f.past) keep("zeit", "vergangen");
  std::string sep = query.empty() ? "?" : "&";
  if (result.more)
    d.SetValueAndShowSection(
        "NEXT_URL", "/veranstaltungen" + query + sep + "seite=" + std::to_string(page_no + 1),
        "HAS_NEXT");
  if (page_no > 1)
    d.SetValueAndShowSection(
        "PREV_URL", "/veranstaltungen" + query + sep + "seite=" + std::to_string(page_no - 1),
        "HAS_PREV");
  if (!f.past)
    d.SetValueAndShowSection("FEED_URL", "/veranstaltungen/kalender.ics" + query, "HAS_FEED");
  d.SetValue("OTHER_TIME_URL", f.past ? "/veranstaltungen" : "/veranstaltungen?zeit=vergangen");
  return page.render();
}

http::Response series_page(Context& ctx) {
  auto events = ctx.app.stores().events.of_series_slug(ctx.param(0));
  if (!events) return ctx.app.error_page(ctx, 404);
  Page page(ctx, "events/series.html", events->title);
  auto& d = page.dict();
  d.SetValue("TITLE", events->title);
  d.SetValue("DESCRIPTION", events->description);
  d.SetValue("RECURRENCE", events->recurrence);
  d.SetValue("ICS_URL", "/veranstaltungen/reihe/" + events->slug + "/kalender.ics");
  std::vector<store::Event> upcoming, past;
  auto viewer = viewer_of(ctx);
  for (auto& e : events->events) {
    if (!store::audience_admits(e.audience, viewer)) continue;
    (e.ends_at > ctx.now ? upcoming : past).push_back(e);
  }
  auto* up = d.AddSectionDictionary("UPCOMING");
  fill_cards(ctx, *up, upcoming);
  if (upcoming.empty()) d.ShowSection("NONE_UPCOMING");
  if (!past.empty()) {
    std::reverse(past.begin(), past.end());
    if (past.size() > 12) past.resize(12);
    fill_cards(ctx, *d.AddSectionDictionary("HAS_PAST"), past);
  }
  return page.render();
}

http::Response series_ics(Context& ctx) {
  std::string slug = ctx.param(0);
  auto series = ctx.app.stores().events.of_series_slug(slug);
  if (!series) return ctx.app.error_page(ctx, 404);
  std::vector<store::Event> shown;
  for (auto& e : series->events)
    if (e.audience == "public") shown.push_back(e);  // a calendar feed is public
  auto res =
      http::Response::text(200, api::ical({series->title, ctx.app.config().public_url()}, shown));
  res.set_header("Content-Type", "text/calendar; charset=utf-8");
  return res;
}

}  // namespace verbund::web::events
