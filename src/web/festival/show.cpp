// The festival's public pages: the festival with its phases and what the reader can
// do now, the programme by day and slot, and its calendar feed; and the helpers the
// other festival pages share.
#include <cmath>
#include <cstdio>

#include "api/ical.hpp"
#include "core/i18n.hpp"
#include "core/markdown.hpp"
#include "core/time.hpp"
#include "http/message.hpp"
#include "web/events/form.hpp"
#include "web/events/handlers.hpp"
#include "web/festival/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::festival {

const std::vector<std::string> kKinds = {"workshop", "webinar", "tool_intro", "talk"};
const std::vector<int64_t> kDurations = {30, 45, 60, 90, 120};

std::optional<store::Festival> festival_of(Context& ctx) {
  return ctx.app.stores().festivals.find(ctx.param(0));
}

bool manages(const Context& ctx) { return ctx.user && ctx.user->is_platform_admin(); }

std::vector<OwnOrganisation> own_organisations(const Context& ctx) {
  std::vector<OwnOrganisation> out;
  if (!ctx.user) return out;
  for (const auto& g : ctx.user->roles) {
    if ((g.role != model::Role::org_admin && g.role != model::Role::org_member) ||
        !g.organisation_id)
      continue;
    bool seen = false;
    for (const auto& o : out) seen = seen || o.id == *g.organisation_id;
    if (!seen) out.push_back({*g.organisation_id, g.scope_name});
  }
  return out;
}

bool belongs_to(const Context& ctx, int64_t organisation_id) {
  for (const auto& o : own_organisations(ctx))
    if (o.id == organisation_id) return true;
  return false;
}

std::string score_text(const std::string& locale, std::optional<double> v) {
  if (!v) return "–";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", std::round(*v * 10) / 10);
  std::string s = buf;
  if (locale == "de")
    for (auto& ch : s)
      if (ch == '.') ch = ',';
  return s;
}

void fill_festival(Context& ctx, ctemplate::TemplateDictionary& d, const store::Festival& f) {
  d.SetValue("FESTIVAL_TITLE", f.title);
  d.SetValue("FESTIVAL_URL", "/festival/" + f.slug);
  d.SetValue("BASE", "/festival/" + f.slug);
  d.SetValue("PHASE", i18n::t(ctx.locale, "festival.phase." + festival_phase(f, ctx.now)));
  d.SetValue("SUBMISSION_CLOSES", events::moment_text(ctx.locale, f.submission_closes_at));
  d.SetValue("REVIEW_CLOSES", events::moment_text(ctx.locale, f.review_closes_at));
  d.SetValue("DECISIONS_BY", events::moment_text(ctx.locale, f.decisions_by));
  d.SetValue("FESTIVAL_WHEN", events::day_text(ctx.locale, f.starts_at) + " – " +
                                  events::day_text(ctx.locale, f.ends_at - 1));
}

void fill_proposal(Context& ctx, ctemplate::TemplateDictionary& d, const store::Proposal& p,
                   bool reveal) {
  d.SetValue("ID", std::to_string(p.id));
  d.SetValue("TITLE", p.title);
  d.SetValue("KIND", i18n::t(ctx.locale, "festival.kind." + p.kind));
  d.SetValue("FORMAT", i18n::t(ctx.locale, "events.format." + p.format));
  d.SetValue("TOPIC", i18n::t(ctx.locale, "events.topic." + p.topic));
  d.SetValue("DURATION", i18n::format(ctx.locale, "festival.minutes",
                                      {{"n", std::to_string(p.duration_minutes)}}));
  d.SetValue("ABSTRACT_HTML", markdown::to_safe_html(p.abstract));
  if (!p.notes.empty()) d.SetValueAndShowSection("NOTES", p.notes, "HAS_NOTES");
  d.SetValue("STATUS", i18n::t(ctx.locale, "festival.status." + p.status));
  d.SetValue("STATUS_KEY", p.status);
  d.SetValue("SUBMITTED", events::moment_text(ctx.locale, p.created_at));
  if (reveal) {
    auto* who = d.AddSectionDictionary("REVEAL");
    who->SetValue("ORGANISATION", p.organisation_name);
    who->SetValue("ORGANISATION_URL", "/organisationen/" + p.organisation_slug);
    who->SetValue("REGION", p.region_name);
    if (!p.speakers.empty()) who->SetValueAndShowSection("SPEAKERS", p.speakers, "HAS_SPEAKERS");
    if (!p.submitter_name.empty())
      who->SetValueAndShowSection("SUBMITTER", p.submitter_name, "HAS_SUBMITTER");
  } else {
    d.ShowSection("ANONYMOUS");
  }
  if (p.event_id)
    d.SetValueAndShowSection("EVENT_URL", "/veranstaltungen/" + p.event_slug, "IN_PROGRAMME");
}

http::Response festival_page(Context& ctx) {
  auto f = festival_of(ctx);
  if (!f) return ctx.app.error_page(ctx, 404);
  auto& stores = ctx.app.stores();
  std::string phase = store::festival_phase(*f, ctx.now);
  Page page(ctx, "festival/festival.html", f->title);
  auto& d = page.dict();
  fill_festival(ctx, d, *f);
  d.SetValue("SUMMARY", f->summary);
  if (!f->description.empty())
    d.SetValueAndShowSection("DESCRIPTION_HTML", markdown::to_safe_html(f->description),
                             "HAS_DESCRIPTION");
  struct Step {
    const char* key;
    std::string dates;
    bool current;
  };
  const Step steps[] = {
      {"submission",
       i18n::format(ctx.locale, "festival.steps.from_to",
                    {{"from", events::moment_text(ctx.locale, f->submission_opens_at)},
                     {"to", events::moment_text(ctx.locale, f->submission_closes_at)}}),
       phase == "announced" || phase == "submission"},
      {"review",
       i18n::format(ctx.locale, "festival.steps.until",
                    {{"to", events::moment_text(ctx.locale, f->review_closes_at)}}),
       phase == "review"},
      {"decision",
       i18n::format(ctx.locale, "festival.steps.until",
                    {{"to", events::moment_text(ctx.locale, f->decisions_by)}}),
       phase == "decision"},
      {"festival", "", phase == "running" || phase == "over"},
  };
  for (const auto& s : steps) {
    auto* sd = d.AddSectionDictionary("STEP");
    sd->SetValue("NAME", i18n::t(ctx.locale, std::string("festival.steps.") + s.key));
    sd->SetValue("DATES", std::string(s.key) == "festival"
                              ? events::day_text(ctx.locale, f->starts_at) + " – " +
                                    events::day_text(ctx.locale, f->ends_at - 1)
                              : s.dates);
    if (s.current) sd->ShowSection("CURRENT");
  }
  auto orgs = own_organisations(ctx);
  if (phase == "announced") d.ShowSection("NOT_YET_OPEN");
  if (phase == "submission") {
    if (!ctx.user) {
      d.SetValueAndShowSection("LOGIN_URL",
                               "/anmelden?zurueck=" + http::url_encode("/festival/" + f->slug),
                               "SUBMIT_SIGN_IN");
    } else if (orgs.empty()) {
      d.ShowSection("SUBMIT_NO_ORG");
    } else {
      d.ShowSection("CAN_SUBMIT");
    }
  } else if (phase != "announced") {
    d.ShowSection("SUBMISSION_CLOSED");
  }
  if (!orgs.empty()) d.ShowSection("HAS_ORGS");
  if (ctx.user && stores.festivals.is_reviewer(f->id, ctx.user->id)) d.ShowSection("REVIEWS");
  if (manages(ctx)) d.ShowSection("MANAGES");
  store::EventFilter filter;
  filter.festival_id = f->id;
  filter.audience = "public";
  auto programme = stores.events.list(filter, events::viewer_of(ctx), 200, 0);
  if (programme.events.empty())
    d.ShowSection("NO_PROGRAMME");
  else
    d.SetValueAndShowSection("PROGRAMME_COUNT",
                             i18n::format(ctx.locale, "festival.programme.count",
                                          {{"n", std::to_string(programme.events.size())}}),
                             "HAS_PROGRAMME");
  return page.render();
}

http::Response programme_page(Context& ctx) {
  auto f = festival_of(ctx);
  if (!f) return ctx.app.error_page(ctx, 404);
  std::string topic = ctx.query_value("thema"), format = ctx.query_value("format");
  bool known_topic = false;
  for (const auto& t : events::kTopics) known_topic = known_topic || t == topic;
  if (!known_topic) topic.clear();
  if (format != "online" && format != "in_person" && format != "hybrid") format.clear();
  store::EventFilter filter;
  filter.festival_id = f->id;
  filter.audience = "public";
  filter.topic = topic;
  filter.format = format;
  auto result = ctx.app.stores().events.list(filter, events::viewer_of(ctx), 200, 0);

  Page page(ctx, "festival/programme.html",
            i18n::format(ctx.locale, "festival.programme.title", {{"festival", f->title}}));
  auto& d = page.dict();
  fill_festival(ctx, d, *f);
  for (const auto& t : events::kTopics) {
    auto* o = d.AddSectionDictionary("TOPIC_OPTION");
    o->SetValue("VALUE", t);
    o->SetValue("LABEL", i18n::t(ctx.locale, "events.topic." + t));
    if (t == topic) o->ShowSection("SELECTED");
  }
  for (const char* fmt : {"online", "in_person", "hybrid"}) {
    auto* o = d.AddSectionDictionary("FORMAT_OPTION");
    o->SetValue("VALUE", fmt);
    o->SetValue("LABEL", i18n::t(ctx.locale, std::string("events.format.") + fmt));
    if (format == fmt) o->ShowSection("SELECTED");
  }
  std::string feed = "/festival/" + f->slug + "/kalender.ics";
  d.SetValue("FEED_URL", feed);
  if (!topic.empty() || !format.empty()) d.ShowSection("FILTERED");
  // Days, then slots (start times) within each day, then the sessions in a slot.
  struct Item {
    const store::Event* event;
    const store::EventSession* session;
  };
  std::vector<Item> items;
  for (const auto& e : result.events)
    for (const auto& s : e.sessions)
      if (s.status != "cancelled" && e.status != "cancelled") items.push_back({&e, &s});
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return a.session->starts_at < b.session->starts_at;
  });
  ctemplate::TemplateDictionary* day = nullptr;
  ctemplate::TemplateDictionary* slot = nullptr;
  std::string day_key, slot_key;
  for (const auto& it : items) {
    std::string this_day = timefmt::berlin(it.session->starts_at, "%Y-%m-%d");
    if (this_day != day_key) {
      day = d.AddSectionDictionary("DAY");
      day->SetValue("DAY", events::day_text(ctx.locale, it.session->starts_at));
      day->SetValue("DAY_ID", "tag-" + this_day);
      day_key = this_day;
      slot_key.clear();
    }
    std::string this_slot = timefmt::berlin(it.session->starts_at, "%H:%M");
    if (this_slot != slot_key) {
      slot = day->AddSectionDictionary("SLOT");
      slot->SetValue("TIME",
                     i18n::format(ctx.locale, "festival.programme.slot", {{"time", this_slot}}));
      slot_key = this_slot;
    }
    auto* s = slot->AddSectionDictionary("SESSION");
    const auto& e = *it.event;
    s->SetValue("TITLE", e.title);
    s->SetValue("URL", "/veranstaltungen/" + e.slug);
    s->SetValue("ORGANISER", e.organiser_name);
    s->SetValue("FORMAT", i18n::t(ctx.locale, "events.format." + e.format));
    s->SetValue("UNTIL", timefmt::berlin(it.session->ends_at, "%H:%M"));
    std::string topics;
    for (const auto& t : events::kTopics)
      if (("," + e.topics + ",").find("," + t + ",") != std::string::npos)
        topics += (topics.empty() ? "" : ", ") + i18n::t(ctx.locale, "events.topic." + t);
    if (!topics.empty()) s->SetValueAndShowSection("TOPICS", topics, "HAS_TOPICS");
    s->SetValue("PLACES", events::places_text(ctx.locale, *it.session));
  }
  if (items.empty()) {
    if (!topic.empty() || !format.empty())
      d.ShowSection("NONE_MATCH");
    else
      d.ShowSection("NONE_YET");
  }
  return page.render();
}

http::Response festival_ics(Context& ctx) {
  auto f = festival_of(ctx);
  if (!f) return ctx.app.error_page(ctx, 404);
  store::EventFilter filter;
  filter.festival_id = f->id;
  filter.audience = "public";
  auto result = ctx.app.stores().events.list(filter, {}, 200, 0);
  auto res = http::Response::text(
      200, api::ical({ctx.app.config().site_name, ctx.app.config().public_url()}, result.events));
  res.set_header("Content-Type", "text/calendar; charset=utf-8");
  return res;
}

}  // namespace verbund::web::festival
