// The organisers' pages: a new event (/veranstaltungen/neu), editing one
// (/veranstaltungen/SLUG/bearbeiten) with its sessions (move, capacity, add, cancel),
// cancelling the whole event, and a message to everyone registered
// (/veranstaltungen/SLUG/nachricht). Who organises is organises()'s to say; everyone
// else gets 404 on an event's pages and 403 on the new-event page.
#include "core/i18n.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "http/message.hpp"
#include "model/organisation.hpp"
#include "web/events/form.hpp"
#include "web/events/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::events {

namespace {

constexpr std::size_t kSubjectMax = 150, kMessageMax = 5000;

std::optional<store::Event> organised_event(Context& ctx) {
  auto e = ctx.app.stores().events.find(ctx.param(0));
  if (!e || !organises(ctx, *e)) return std::nullopt;
  return e;
}

std::string edit_url(const store::Event& e) { return "/veranstaltungen/" + e.slug + "/bearbeiten"; }

// Session errors are shown at the session's own form; the summary links there.
// `fields`: the session's fields (the include), `form`: the form around them.
void session_errors(ctemplate::TemplateDictionary& page_dict, ctemplate::TemplateDictionary& fields,
                    ctemplate::TemplateDictionary& form, const std::string& prefix,
                    const std::string& locale, const std::vector<model::FieldError>& errors) {
  std::vector<model::FieldError> linked;
  form.ShowSection("FAILED");
  for (const auto& e : errors) {
    std::string msg = e.text.empty() ? i18n::t(locale, e.message_key) : e.text;
    for (auto* d : {&fields, &form})
      d->AddSectionDictionary("ERR_" + e.field)->SetValue("MSG", msg);
    linked.push_back({prefix + e.field, "", msg});
  }
  add_field_errors(page_dict, locale, linked);
}

// The fields of one session (templates/events/session_fields.html) into `parent`.
ctemplate::TemplateDictionary* session_fields(Context& ctx, ctemplate::TemplateDictionary& parent,
                                              const std::string& prefix,
                                              const std::map<std::string, std::string>& in) {
  auto* f = parent.AddIncludeDictionary("SESSION_FIELDS");
  f->SetFilename(ctx.locale + "/events/session_fields.html");
  f->SetValue("P", prefix);
  fill_session_form(*f, in);
  return f;
}

struct SessionProblem {
  int64_t session_id = 0;  // 0: the form for a new session
  std::map<std::string, std::string> input;
  std::vector<model::FieldError> errors;
};

// The edit page, with the event form's input and errors, or a session's.
http::Response edit_page(Context& ctx, const store::Event& e, const EventInput& in,
                         const std::vector<model::FieldError>& errors,
                         const SessionProblem& problem, int status) {
  Page page(ctx, "events/edit.html",
            i18n::format(ctx.locale, "events.edit.title", {{"event", e.title}}));
  auto& d = page.dict();
  d.ShowSection("EDIT");
  d.SetValue("CSRF", ctx.csrf_token());
  d.SetValue("ACTION", edit_url(e));
  d.SetValue("EVENT_TITLE", e.title);
  d.SetValue("EVENT_URL", "/veranstaltungen/" + e.slug);
  d.SetValue("BASE", "/veranstaltungen/" + e.slug);
  d.ShowSection(e.status == "draft" ? "IS_DRAFT" : "IS_PUBLISHED");
  if (e.has_access_code) d.ShowSection("HAS_CODE");
  if (e.status == "cancelled") d.ShowSection("EVENT_CANCELLED");
  fill_event_form(ctx, d, in);
  add_field_errors(d, ctx.locale, errors);
  int open_sessions = 0;
  for (const auto& s : e.sessions) {
    auto* sd = add_session(ctx, d, e, s);
    sd->SetValue("COUNTS", i18n::format(ctx.locale, "events.edit.counts",
                                        {{"confirmed", std::to_string(s.confirmed)},
                                         {"waiting", std::to_string(s.waiting)}}));
    if (s.status == "cancelled" || e.status == "cancelled") {
      sd->ShowSection("SESSION_CANCELLED");
      continue;
    }
    ++open_sessions;
    std::string prefix = "s" + std::to_string(s.id) + "-";
    auto* form = sd->AddSectionDictionary("SESSION_OPEN");
    bool failed = problem.session_id == s.id;
    auto* f = session_fields(ctx, *form, prefix, failed ? problem.input : session_input_of(s));
    if (failed) session_errors(d, *f, *form, prefix, ctx.locale, problem.errors);
  }
  if (e.status != "cancelled") {
    auto* add = d.AddSectionDictionary("CAN_ADD");
    bool failed = problem.session_id == 0 && !problem.errors.empty();
    auto* f = session_fields(ctx, *add, "neu-",
                             failed ? problem.input : std::map<std::string, std::string>{});
    if (failed) session_errors(d, *f, *add, "neu-", ctx.locale, problem.errors);
    d.ShowSection("CAN_CANCEL_EVENT");
  }
  if (open_sessions == 1) d.ShowSection("ONE_OPEN");
  return page.render(status);
}

http::Response new_page(Context& ctx, const EventInput& in,
                        const std::map<std::string, std::string>& session,
                        const std::vector<model::FieldError>& errors, int status) {
  auto choices = organiser_choices(ctx);
  Page page(ctx, "events/edit.html", i18n::t(ctx.locale, "events.new.title"));
  auto& d = page.dict();
  d.ShowSection("CREATE");
  d.SetValue("CSRF", ctx.csrf_token());
  d.SetValue("ACTION", "/veranstaltungen/neu");
  std::string chosen = in.text.count("veranstalter") ? in.text.at("veranstalter") : "";
  for (const auto& c : choices) {
    auto* o = d.AddSectionDictionary(choices.size() > 1 ? "ORGANISER_OPTION" : "ONE_ORGANISER");
    o->SetValue("VALUE", c.value);
    o->SetValue("LABEL", c.label);
    if (c.value == chosen) o->ShowSection("SELECTED");
  }
  if (choices.size() > 1) d.ShowSection("CHOOSE_ORGANISER");
  fill_event_form(ctx, d, in);
  auto* f = session_fields(ctx, d, "", session);
  add_field_errors(d, ctx.locale, errors);
  for (const auto& e : errors) {
    std::string msg = e.text.empty() ? i18n::t(ctx.locale, e.message_key) : e.text;
    f->AddSectionDictionary("ERR_" + e.field)->SetValue("MSG", msg);
    f->SetValue("INVALID_" + e.field, "true");
  }
  return page.render(status);
}

std::string session_problem_key(const std::string& code) {
  if (code == "cancelled") return "events.edit.err.cancelled";
  return "events.edit.err.not_found";
}

}  // namespace

http::Response new_event_page(Context& ctx) {
  if (organiser_choices(ctx).empty()) return ctx.app.error_page(ctx, 403, "events.new.refused");
  EventInput in;
  in.text["zielgruppe"] = "public";
  in.text["format"] = "online";
  return new_page(ctx, in, {}, {}, 200);
}

http::Response create_event(Context& ctx) {
  auto choices = organiser_choices(ctx);
  if (choices.empty()) return ctx.app.error_page(ctx, 403, "events.new.refused");
  auto in = read_event_input(ctx);
  auto session_in = read_session_input(ctx);
  std::vector<model::FieldError> errors;
  std::string organiser = choices.size() == 1 ? choices.front().value : in.text["veranstalter"];
  in.text["veranstalter"] = organiser;
  bool allowed = false;
  for (const auto& c : choices) allowed = allowed || c.value == organiser;
  if (!allowed) errors.push_back({"veranstalter", "events.form.err.organiser"});
  store::EventFields fields;
  for (auto& e : check_event(ctx, in, false, fields)) errors.push_back(std::move(e));
  store::NewEventSession session;
  auto session_errors = check_session(ctx, session_in, std::nullopt, session);
  errors.insert(errors.end(), session_errors.begin(), session_errors.end());
  if (!errors.empty()) return new_page(ctx, in, session_in, errors, 422);
  store::NewEvent e;
  e.title = fields.title;
  e.summary = fields.summary;
  e.description = fields.description;
  if (organiser.starts_with("region:")) {
    e.organiser_kind = "region";
    e.region_id = std::stoll(organiser.substr(7));
  } else if (organiser.starts_with("org:")) {
    e.organiser_kind = "organisation";
    e.organisation_id = std::stoll(organiser.substr(4));
  }
  e.format = fields.format;
  e.place = fields.place;
  e.online_url = fields.online_url;
  e.audience = fields.audience;
  e.access_code = fields.access_code.value_or("");
  e.topics = fields.topics;
  e.language = fields.language;
  e.accessibility = fields.accessibility;
  e.contact = fields.contact;
  e.registration_opens_at = fields.registration_opens_at;
  e.registration_closes_at = fields.registration_closes_at;
  e.status = ctx.field("status") == "draft" ? "draft" : "published";
  e.created_by = ctx.user->id;
  e.sessions = {session};
  auto& events = ctx.app.stores().events;
  auto id = events.create(e, ctx.now);
  // Two events of one title on one day: the second gets a number.
  for (int n = 2; !id && id.error().code == "duplicate" && n < 50; ++n) {
    e.slug = model::slugify(e.title) + "-" + timefmt::berlin(session.starts_at, "%Y-%m-%d") + "-" +
             std::to_string(n);
    id = events.create(e, ctx.now);
  }
  if (!id) return new_page(ctx, in, session_in, {{"titel", "events.form.err.title"}}, 422);
  auto created = events.find_by_id(*id);
  log::info("event_created", {{"event", created->slug}, {"status", created->status}});
  return http::Response::redirect(
      edit_url(*created) + "?hinweis=" +
      (created->status == "draft" ? "veranstaltung_entwurf" : "veranstaltung_veroeffentlicht"));
}

http::Response edit_event_page(Context& ctx) {
  auto e = organised_event(ctx);
  if (!e) return ctx.app.error_page(ctx, 404);
  return edit_page(ctx, *e, input_of(*e), {}, {}, 200);
}

http::Response save_event(Context& ctx) {
  auto e = organised_event(ctx);
  if (!e) return ctx.app.error_page(ctx, 404);
  auto in = read_event_input(ctx);
  in.text["veranstalter"] = input_of(*e).text["veranstalter"];  // stays who it is
  store::EventFields fields;
  auto errors = check_event(ctx, in, e->has_access_code, fields);
  if (!errors.empty()) return edit_page(ctx, *e, in, errors, {}, 422);
  // A draft is published by its button; a published event stays published.
  fields.status =
      e->status == "draft" && ctx.field("status") != "published" ? "draft" : "published";
  auto told = ctx.app.stores().event_changes.update(e->id, fields, ctx.now,
                                                    registration_mail(ctx.app.config()));
  if (!told) {
    if (told.error().code == "cancelled")
      return edit_page(ctx, *e, in, {{"titel", "events.edit.err.cancelled"}}, {}, 409);
    return edit_page(ctx, *e, in, {{"titel", "events.form.err.title"}}, {}, 422);
  }
  std::string notice = e->status == "draft" && fields.status == "published"
                           ? "veranstaltung_veroeffentlicht"
                       : *told > 0 ? "veranstaltung_geaendert_mail"
                                   : "gespeichert";
  return http::Response::redirect(edit_url(*e) + "?hinweis=" + notice);
}

http::Response add_event_session(Context& ctx) {
  auto e = organised_event(ctx);
  if (!e) return ctx.app.error_page(ctx, 404);
  SessionProblem p;
  p.input = read_session_input(ctx);
  store::NewEventSession s;
  p.errors = check_session(ctx, p.input, std::nullopt, s);
  if (!p.errors.empty()) return edit_page(ctx, *e, input_of(*e), {}, p, 422);
  auto id = ctx.app.stores().event_changes.add_session(e->id, s, ctx.now);
  if (!id) {
    p.errors = {{"datum", session_problem_key(id.error().code)}};
    return edit_page(ctx, *e, input_of(*e), {}, p, 409);
  }
  return http::Response::redirect(edit_url(*e) + "?hinweis=termin_hinzugefuegt#sitzung-" +
                                  std::to_string(*id));
}

http::Response change_event_session(Context& ctx) {
  auto e = organised_event(ctx);
  if (!e) return ctx.app.error_page(ctx, 404);
  int64_t sid = std::stoll(ctx.param(1));
  const store::EventSession* cur = nullptr;
  for (const auto& s : e->sessions)
    if (s.id == sid) cur = &s;
  if (!cur) return ctx.app.error_page(ctx, 404);
  SessionProblem p;
  p.session_id = sid;
  p.input = read_session_input(ctx);
  store::NewEventSession s;
  p.errors = check_session(ctx, p.input, cur->starts_at, s);
  if (!p.errors.empty()) return edit_page(ctx, *e, input_of(*e), {}, p, 422);
  auto ch = ctx.app.stores().event_changes.change_session(e->id, sid, s, ctx.now,
                                                          registration_mail(ctx.app.config()));
  if (!ch) {
    if (ch.error().code == "below_confirmed")
      p.errors = {{"plaetze", "",
                   i18n::format(ctx.locale, "events.edit.err.below_confirmed",
                                {{"n", ch.error().message}})}};
    else
      p.errors = {{"datum", session_problem_key(ch.error().code)}};
    return edit_page(ctx, *e, input_of(*e), {}, p, 409);
  }
  log::info("event_session_changed", {{"event", e->slug},
                                      {"moved", ch->moved ? "yes" : "no"},
                                      {"promoted", std::to_string(ch->promoted)}});
  std::string notice = ch->moved && ch->told > 0 ? "termin_verschoben_mail"
                       : ch->promoted > 0        ? "termin_nachgerueckt"
                                                 : "gespeichert";
  return http::Response::redirect(edit_url(*e) + "?hinweis=" + notice + "#sitzung-" +
                                  std::to_string(sid));
}

http::Response cancel_event_session(Context& ctx) {
  auto e = organised_event(ctx);
  if (!e) return ctx.app.error_page(ctx, 404);
  int64_t sid = std::stoll(ctx.param(1));
  if (ctx.field("wirklich") != "ja") {
    SessionProblem p;
    p.session_id = sid;
    for (const auto& s : e->sessions)
      if (s.id == sid) p.input = session_input_of(s);
    p.errors = {{"wirklich", "events.edit.err.confirm_cancel"}};
    return edit_page(ctx, *e, input_of(*e), {}, p, 422);
  }
  auto told = ctx.app.stores().event_changes.cancel_session(e->id, sid, ctx.now,
                                                            registration_mail(ctx.app.config()));
  if (!told) return ctx.app.error_page(ctx, told.error().code == "cancelled" ? 409 : 404);
  log::info("event_session_cancelled", {{"event", e->slug}, {"told", std::to_string(*told)}});
  return http::Response::redirect(edit_url(*e) + "?hinweis=termin_abgesagt");
}

http::Response cancel_whole_event(Context& ctx) {
  auto e = organised_event(ctx);
  if (!e) return ctx.app.error_page(ctx, 404);
  if (ctx.field("wirklich") != "ja")
    return edit_page(ctx, *e, input_of(*e), {{"wirklich_alles", "events.edit.err.confirm_cancel"}},
                     {}, 422);
  auto told = ctx.app.stores().event_changes.cancel_event(e->id, ctx.now,
                                                          registration_mail(ctx.app.config()));
  if (!told) return ctx.app.error_page(ctx, told.error().code == "cancelled" ? 409 : 404);
  log::info("event_cancelled", {{"event", e->slug}, {"told", std::to_string(*told)}});
  return http::Response::redirect(edit_url(*e) + "?hinweis=veranstaltung_abgesagt");
}

namespace {

http::Response message_form(Context& ctx, const store::Event& e,
                            const std::map<std::string, std::string>& values,
                            const std::vector<model::FieldError>& errors, int status) {
  Page page(ctx, "events/message.html",
            i18n::format(ctx.locale, "events.message.title", {{"event", e.title}}));
  auto& d = page.dict();
  d.SetValue("CSRF", ctx.csrf_token());
  d.SetValue("ACTION", "/veranstaltungen/" + e.slug + "/nachricht");
  d.SetValue("EDIT_URL", edit_url(e));
  d.SetValue("EVENT_TITLE", e.title);
  int64_t confirmed = 0, waiting = 0;
  for (const auto& s : e.sessions)
    if (s.status == "scheduled") {
      confirmed += s.confirmed;
      waiting += s.waiting;
    }
  d.SetValue("COUNTS", i18n::format(ctx.locale, "events.edit.counts",
                                    {{"confirmed", std::to_string(confirmed)},
                                     {"waiting", std::to_string(waiting)}}));
  for (const auto& [k, v] : values) d.SetValue("V_" + k, v);
  if (values.count("warteliste") && values.at("warteliste") == "ja")
    d.ShowSection("WAITLIST_CHECKED");
  d.SetIntValue("SUBJECT_MAX", static_cast<long>(kSubjectMax));
  d.SetIntValue("TEXT_MAX", static_cast<long>(kMessageMax));
  add_field_errors(d, ctx.locale, errors);
  return page.render(status);
}

}  // namespace

http::Response message_page(Context& ctx) {
  auto e = organised_event(ctx);
  if (!e) return ctx.app.error_page(ctx, 404);
  return message_form(ctx, *e, {}, {}, 200);
}

http::Response send_message(Context& ctx) {
  auto e = organised_event(ctx);
  if (!e) return ctx.app.error_page(ctx, 404);
  std::map<std::string, std::string> v{{"betreff", model::one_line(ctx.field("betreff"))},
                                       {"nachricht", ctx.field("nachricht")},
                                       {"warteliste", ctx.field("warteliste")}};
  std::vector<model::FieldError> errors;
  const auto& subject = v["betreff"];
  if (subject.find_first_not_of(' ') == std::string::npos)
    errors.push_back({"betreff", "events.message.err.subject"});
  else if (!model::valid_utf8(subject) || model::utf8_length(subject) > kSubjectMax)
    errors.push_back({"betreff", "events.message.err.subject_length"});
  const auto& text = v["nachricht"];
  if (text.find_first_not_of(" \r\n\t") == std::string::npos)
    errors.push_back({"nachricht", "events.message.err.text"});
  else if (!model::valid_utf8(text) || model::utf8_length(text) > kMessageMax)
    errors.push_back({"nachricht", "events.message.err.text_length"});
  if (!errors.empty()) return message_form(ctx, *e, v, errors, 422);
  // Ten messages an hour per event at most: a slip of the finger must not flood people.
  if (int64_t wait = ctx.app.stores().throttle.attempt("event-message:" + std::to_string(e->id), 10,
                                                       3600, ctx.now)) {
    return message_form(ctx, *e, v,
                        {{"nachricht", "",
                          i18n::format(ctx.locale, "events.message.err.throttled",
                                       {{"minutes", std::to_string(wait / 60 + 1)}})}},
                        429);
  }
  const auto& config = ctx.app.config();
  std::string event_url = config.public_url() + "/veranstaltungen/" + e->slug;
  auto compose = [&](const store::Addressee& a) {
    std::string locale = a.locale == "en" ? "en" : "de";
    auto m = render_mail(config, a.email, locale, "event_message",
                         {{"NAME", a.name}, {"TEXT", text}, {"EVENT_URL", event_url}});
    m.subject = i18n::format(locale, "mail.event_message.subject",
                             {{"event", e->title}, {"subject", subject}});
    return m;
  };
  int64_t sent =
      ctx.app.stores().event_changes.write_to_all(e->id, v["warteliste"] == "ja", compose, ctx.now);
  log::info("event_message_sent", {{"event", e->slug}, {"count", std::to_string(sent)}});
  return http::Response::redirect(
      edit_url(*e) + "?hinweis=" + (sent > 0 ? "nachricht_gesendet" : "nachricht_niemand"));
}

}  // namespace verbund::web::events
