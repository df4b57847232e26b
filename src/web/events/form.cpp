#include "web/events/form.hpp"

#include <algorithm>

#include "core/i18n.hpp"
#include "core/time.hpp"
#include "http/message.hpp"

namespace verbund::web::events {

const std::vector<std::string> kTopics = {
    "digitalisierung", "austausch", "social_media",     "datenschutz", "ki",
    "moderation",      "tools",     "barrierefreiheit", "hate_speech", "fundraising"};

namespace {

constexpr const char* kTextFields[] = {"veranstalter",
                                       "titel",
                                       "kurz",
                                       "beschreibung",
                                       "format",
                                       "ort",
                                       "link",
                                       "zielgruppe",
                                       "code",
                                       "sprache",
                                       "kontakt",
                                       "anmeldung_ab",
                                       "anmeldung_ab_zeit",
                                       "anmeldung_bis",
                                       "anmeldung_bis_zeit"};
constexpr const char* kFormats[] = {"online", "in_person", "hybrid"};
constexpr const char* kAudiences[] = {"public", "members", "scouts", "staff", "invitation"};
constexpr const char* kAccessibility[] = {"step_free", "sign_language", "captions",
                                          "easy_language"};

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

template <typename List>
bool listed(const std::string& v, const List& list) {
  return std::find(std::begin(list), std::end(list), v) != std::end(list);
}

std::vector<std::string> joined_to_list(const std::string& csv) {
  std::vector<std::string> out;
  std::string rest = csv;
  while (!rest.empty()) {
    auto at = rest.find(',');
    if (!rest.substr(0, at).empty()) out.push_back(rest.substr(0, at));
    rest = at == std::string::npos ? "" : rest.substr(at + 1);
  }
  return out;
}

std::string joined(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& v : list) out += (out.empty() ? "" : ",") + v;
  return out;
}

// A text field: one line (or not), at most `max` characters, valid UTF-8.
bool fits(const std::string& v, std::size_t max, bool one_line = true) {
  if (!model::valid_utf8(v) || model::utf8_length(v) > max) return false;
  return !one_line || v.find_first_of("\r\n") == std::string::npos;
}

std::string date_of(int64_t t) { return timefmt::berlin(t, "%Y-%m-%d"); }
std::string clock_of(int64_t t) { return timefmt::berlin(t, "%H:%M"); }

}  // namespace

std::optional<int64_t> read_moment(const std::string& date_field, const std::string& date,
                                   const std::string& time_field, const std::string& time,
                                   const std::string& locale,
                                   std::vector<model::FieldError>& errors) {
  auto d = timefmt::parse_date(date);
  if (!d) {
    errors.push_back({date_field, "events.form.err.date"});
    return std::nullopt;
  }
  auto minutes = timefmt::parse_clock(time);
  if (!minutes) {
    errors.push_back({time_field, "events.form.err.time"});
    return std::nullopt;
  }
  auto t = timefmt::berlin_to_utc(d->year, d->month, d->day, *minutes / 60, *minutes % 60);
  if (!t) {
    // Either no such day (31 April) or the hour the clocks skip in March.
    if (!timefmt::berlin_to_utc(d->year, d->month, d->day, 12, 0)) {
      errors.push_back({date_field, "events.form.err.no_such_day"});
    } else {
      char day[16];
      std::snprintf(day, sizeof day, "%02u.%02u.%04lld", d->day, d->month,
                    static_cast<long long>(d->year));
      errors.push_back(
          {time_field, "", i18n::format(locale, "events.form.err.skipped_hour", {{"day", day}})});
    }
  }
  return t;
}

std::vector<OrganiserChoice> organiser_choices(const Context& ctx) {
  std::vector<OrganiserChoice> out;
  if (!ctx.user) return out;
  if (ctx.user->is_platform_admin())
    out.push_back({"verband", i18n::format(ctx.locale, "events.form.organiser_federation",
                                           {{"name", ctx.app.config().site_name}})});
  for (const auto& g : ctx.user->roles) {
    if (g.role == model::Role::regional_editor && g.region_id)
      out.push_back({"region:" + std::to_string(*g.region_id), g.scope_name});
    if (g.role == model::Role::org_admin && g.organisation_id)
      out.push_back({"org:" + std::to_string(*g.organisation_id), g.scope_name});
  }
  return out;
}

EventInput read_event_input(const Context& ctx) {
  EventInput in;
  for (const char* f : kTextFields) in.text[f] = ctx.field(f);
  for (const char* f : {"titel", "ort", "link", "code", "kontakt"})
    in.text[f] = trimmed(model::one_line(in.text[f]));
  auto [b, e] = ctx.form.equal_range("themen");
  for (auto it = b; it != e; ++it)
    if (listed(it->second, kTopics)) in.topics.push_back(it->second);
  auto [b2, e2] = ctx.form.equal_range("barrierefreiheit");
  for (auto it = b2; it != e2; ++it)
    if (listed(it->second, kAccessibility)) in.accessibility.push_back(it->second);
  return in;
}

EventInput input_of(const store::Event& e) {
  EventInput in;
  in.text["veranstalter"] = e.organiser_kind == "federation" ? "verband"
                            : e.organiser_kind == "region"
                                ? "region:" + std::to_string(e.region_id.value_or(0))
                                : "org:" + std::to_string(e.organisation_id.value_or(0));
  in.text["titel"] = e.title;
  in.text["kurz"] = e.summary;
  in.text["beschreibung"] = e.description;
  in.text["format"] = e.format;
  in.text["ort"] = e.place;
  in.text["link"] = e.online_url;
  in.text["zielgruppe"] = e.audience;
  in.text["sprache"] = e.language;
  in.text["kontakt"] = e.contact;
  if (e.registration_opens_at) {
    in.text["anmeldung_ab"] = date_of(*e.registration_opens_at);
    in.text["anmeldung_ab_zeit"] = clock_of(*e.registration_opens_at);
  }
  if (e.registration_closes_at) {
    in.text["anmeldung_bis"] = date_of(*e.registration_closes_at);
    in.text["anmeldung_bis_zeit"] = clock_of(*e.registration_closes_at);
  }
  in.topics = joined_to_list(e.topics);
  in.accessibility = joined_to_list(e.accessibility);
  return in;
}

std::vector<model::FieldError> check_event(const Context& ctx, const EventInput& in_, bool had_code,
                                           store::EventFields& out) {
  std::vector<model::FieldError> errors;
  auto in = in_.text;
  out.title = in["titel"];
  if (out.title.empty())
    errors.push_back({"titel", "events.form.err.title"});
  else if (!fits(out.title, 150))
    errors.push_back({"titel", "events.form.err.title_length"});
  out.summary = trimmed(in["kurz"]);
  if (!fits(out.summary, 300, false)) errors.push_back({"kurz", "events.form.err.summary"});
  out.description = in["beschreibung"];
  if (!fits(out.description, 20000, false))
    errors.push_back({"beschreibung", "events.form.err.description"});
  out.format = listed(in["format"], kFormats) ? in["format"] : "";
  if (out.format.empty()) errors.push_back({"format", "events.form.err.format"});
  out.place = in["ort"];
  if (!fits(out.place, 300))
    errors.push_back({"ort", "events.form.err.place_length"});
  else if (out.place.empty() && (out.format == "in_person" || out.format == "hybrid"))
    errors.push_back({"ort", "events.form.err.place"});
  out.online_url = in["link"];
  if (!out.online_url.empty() && out.online_url.find("://") == std::string::npos)
    out.online_url = "https://" + out.online_url;
  if (!out.online_url.empty() &&
      ((!out.online_url.starts_with("https://") && !out.online_url.starts_with("http://")) ||
       out.online_url.size() > 500 ||
       out.online_url.find_first_of(" \"<>\r\n") != std::string::npos ||
       out.online_url.find('.') == std::string::npos))
    errors.push_back({"link", "events.form.err.link"});
  out.audience = listed(in["zielgruppe"], kAudiences) ? in["zielgruppe"] : "";
  if (out.audience.empty()) errors.push_back({"zielgruppe", "events.form.err.audience"});
  const std::string& code = in["code"];
  if (!code.empty()) {
    if (!fits(code, 64) || model::utf8_length(code) < 6)
      errors.push_back({"code", "events.form.err.code_length"});
    else
      out.access_code = code;
  }
  if (out.audience == "invitation" && code.empty() && !had_code)
    errors.push_back({"code", "events.form.err.code"});
  if (out.audience != "invitation") out.access_code = "";  // an old code goes with it
  out.language = in["sprache"] == "en" ? "en" : "de";
  out.contact = in["kontakt"];
  if (!fits(out.contact, 300)) errors.push_back({"kontakt", "events.form.err.contact"});
  out.topics = joined(in_.topics);
  out.accessibility = joined(in_.accessibility);
  // The registration window: each end optional, a date without a time means midnight.
  auto window = [&](const char* date_field, const char* time_field) -> std::optional<int64_t> {
    if (in[date_field].empty() && in[time_field].empty()) return std::nullopt;
    return read_moment(date_field, in[date_field], time_field,
                       in[time_field].empty() ? "00:00" : in[time_field], ctx.locale, errors);
  };
  out.registration_opens_at = window("anmeldung_ab", "anmeldung_ab_zeit");
  out.registration_closes_at = window("anmeldung_bis", "anmeldung_bis_zeit");
  if (out.registration_opens_at && out.registration_closes_at &&
      *out.registration_closes_at <= *out.registration_opens_at)
    errors.push_back({"anmeldung_bis", "events.form.err.window"});
  return errors;
}

std::map<std::string, std::string> read_session_input(const Context& ctx) {
  std::map<std::string, std::string> in;
  for (const char* f : {"datum", "von", "bis", "bis_datum", "sitzung_titel", "plaetze"})
    in[f] = trimmed(model::one_line(ctx.field(f)));
  return in;
}

std::map<std::string, std::string> session_input_of(const store::EventSession& s) {
  std::map<std::string, std::string> in;
  in["datum"] = date_of(s.starts_at);
  in["von"] = clock_of(s.starts_at);
  in["bis"] = clock_of(s.ends_at);
  if (date_of(s.ends_at) != date_of(s.starts_at)) in["bis_datum"] = date_of(s.ends_at);
  in["sitzung_titel"] = s.title;
  if (s.capacity) in["plaetze"] = std::to_string(*s.capacity);
  return in;
}

std::vector<model::FieldError> check_session(const Context& ctx,
                                             const std::map<std::string, std::string>& in_,
                                             std::optional<int64_t> unchanged_start,
                                             store::NewEventSession& out) {
  std::vector<model::FieldError> errors;
  auto in = in_;
  out.title = in["sitzung_titel"];
  if (!fits(out.title, 150)) errors.push_back({"sitzung_titel", "events.form.err.title_length"});
  auto start = read_moment("datum", in["datum"], "von", in["von"], ctx.locale, errors);
  std::string end_date = in["bis_datum"].empty() ? in["datum"] : in["bis_datum"];
  std::optional<int64_t> end;
  if (start)
    end = read_moment(in["bis_datum"].empty() ? "datum" : "bis_datum", end_date, "bis", in["bis"],
                      ctx.locale, errors);
  if (start && end) {
    if (*end <= *start)
      errors.push_back({"bis", "events.form.err.end_before_start"});
    else if (*end - *start > 14 * 86400)
      errors.push_back({"bis_datum", "events.form.err.too_long"});
    if (*start < ctx.now && (!unchanged_start || *unchanged_start != *start))
      errors.push_back({"datum", "events.form.err.past"});
    out.starts_at = *start;
    out.ends_at = *end;
  }
  const std::string& places = in["plaetze"];
  out.capacity.reset();
  if (!places.empty()) {
    if (places.size() > 6 || places.find_first_not_of("0123456789") != std::string::npos ||
        std::stoll(places) < 1 || std::stoll(places) > 100000)
      errors.push_back({"plaetze", "events.form.err.places"});
    else
      out.capacity = std::stoll(places);
  }
  return errors;
}

void fill_event_form(Context& ctx, ctemplate::TemplateDictionary& d, const EventInput& in) {
  for (const auto& [k, v] : in.text) d.SetValue("V_" + k, v);
  std::string format = in.text.count("format") ? in.text.at("format") : "";
  for (const char* f : kFormats) {
    auto* o = d.AddSectionDictionary("FORMAT_OPTION");
    o->SetValue("VALUE", f);
    o->SetValue("LABEL", i18n::t(ctx.locale, std::string("events.format.") + f));
    if (format == f || (format.empty() && std::string(f) == "online")) o->ShowSection("CHECKED");
  }
  std::string audience = in.text.count("zielgruppe") ? in.text.at("zielgruppe") : "public";
  for (const char* a : kAudiences) {
    auto* o = d.AddSectionDictionary("AUDIENCE_OPTION");
    o->SetValue("VALUE", a);
    o->SetValue("LABEL", i18n::t(ctx.locale, std::string("events.audience.") + a));
    if (audience == a) o->ShowSection("SELECTED");
  }
  for (const auto& t : kTopics) {
    auto* o = d.AddSectionDictionary("TOPIC_OPTION");
    o->SetValue("VALUE", t);
    o->SetValue("LABEL", i18n::t(ctx.locale, "events.topic." + t));
    if (listed(t, in.topics)) o->ShowSection("CHECKED");
  }
  for (const char* a : kAccessibility) {
    auto* o = d.AddSectionDictionary("A11Y_OPTION");
    o->SetValue("VALUE", a);
    o->SetValue("LABEL", i18n::t(ctx.locale, std::string("events.a11y.") + a));
    if (listed(std::string(a), in.accessibility)) o->ShowSection("CHECKED");
  }
  std::string language = in.text.count("sprache") ? in.text.at("sprache") : "de";
  d.ShowSection(language == "en" ? "LANG_EN" : "LANG_DE");
}

void fill_session_form(ctemplate::TemplateDictionary& d,
                       const std::map<std::string, std::string>& in) {
  for (const auto& [k, v] : in) d.SetValue("V_" + k, v);
}

}  // namespace verbund::web::events
