// The submitters' pages: the proposal form (/festival/SLUG/einreichen), their
// organisations' proposals with status and what the decision said, changing a
// proposal while that is allowed, and withdrawing it. A proposal belongs to its
// organisation: every admin and member of it sees and changes it; for anyone else it
// does not exist (404).
#include "core/i18n.hpp"
#include "core/log.hpp"
#include "http/message.hpp"
#include "model/organisation.hpp"
#include "web/events/form.hpp"
#include "web/events/handlers.hpp"
#include "web/festival/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::festival {

namespace {

constexpr std::size_t kTitleMax = 150, kAbstractMax = 3000, kSpeakersMax = 300, kNotesMax = 1000;

using Input = std::map<std::string, std::string>;

bool blank(const std::string& s) { return s.find_first_not_of(" \r\n\t") == std::string::npos; }

bool fits(const std::string& s, std::size_t max) {
  return model::valid_utf8(s) && model::utf8_length(s) <= max;
}

Input read_input(const Context& ctx) {
  Input in;
  for (const char* f : {"organisation", "titel", "art", "format", "thema", "dauer", "mitwirkende"})
    in[f] = model::one_line(ctx.field(f));
  for (const char* f : {"beschreibung", "hinweise"}) in[f] = ctx.field(f);
  return in;
}

Input input_of(const store::Proposal& p) {
  return {{"organisation", std::to_string(p.organisation_id)},
          {"titel", p.title},
          {"art", p.kind},
          {"format", p.format},
          {"thema", p.topic},
          {"dauer", std::to_string(p.duration_minutes)},
          {"mitwirkende", p.speakers},
          {"beschreibung", p.abstract},
          {"hinweise", p.notes}};
}

std::vector<model::FieldError> check(const Context& ctx, Input& in, bool choose_org,
                                     store::ProposalInput& out) {
  std::vector<model::FieldError> errors;
  if (choose_org) {
    out.organisation_id = 0;
    auto orgs = own_organisations(ctx);
    if (orgs.size() == 1) in["organisation"] = std::to_string(orgs.front().id);  // not asked
    for (const auto& o : orgs)
      if (std::to_string(o.id) == in["organisation"]) out.organisation_id = o.id;
    if (!out.organisation_id) errors.push_back({"organisation", "festival.form.err.organisation"});
  }
  out.title = in["titel"];
  if (blank(out.title))
    errors.push_back({"titel", "festival.form.err.title"});
  else if (!fits(out.title, kTitleMax))
    errors.push_back({"titel", "festival.form.err.title_length"});
  out.abstract = in["beschreibung"];
  if (blank(out.abstract))
    errors.push_back({"beschreibung", "festival.form.err.abstract"});
  else if (!fits(out.abstract, kAbstractMax))
    errors.push_back({"beschreibung", "festival.form.err.abstract_length"});
  out.kind = in["art"];
  if (std::find(kKinds.begin(), kKinds.end(), out.kind) == kKinds.end())
    errors.push_back({"art", "festival.form.err.kind"});
  out.format = in["format"];
  if (out.format != "online" && out.format != "in_person" && out.format != "hybrid")
    errors.push_back({"format", "festival.form.err.format"});
  out.topic = in["thema"];
  if (std::find(events::kTopics.begin(), events::kTopics.end(), out.topic) == events::kTopics.end())
    errors.push_back({"thema", "festival.form.err.topic"});
  out.duration_minutes = 0;
  for (int64_t m : kDurations)
    if (in["dauer"] == std::to_string(m)) out.duration_minutes = m;
  if (!out.duration_minutes) errors.push_back({"dauer", "festival.form.err.duration"});
  out.speakers = in["mitwirkende"];
  if (!fits(out.speakers, kSpeakersMax))
    errors.push_back({"mitwirkende", "festival.form.err.speakers_length"});
  out.notes = in["hinweise"];
  if (!fits(out.notes, kNotesMax)) errors.push_back({"hinweise", "festival.form.err.notes_length"});
  return errors;
}

// The form page: a new proposal, or a change of `editing`.
http::Response form_page(Context& ctx, const store::Festival& f, const store::Proposal* editing,
                         const Input& in, const std::vector<model::FieldError>& errors,
                         int status) {
  Page page(ctx, "festival/proposal_form.html",
            i18n::format(ctx.locale, editing ? "festival.form.edit_title" : "festival.form.title",
                         {{"festival", f.title}}));
  auto& d = page.dict();
  fill_festival(ctx, d, f);
  d.SetValue("CSRF", ctx.csrf_token());
  std::string base = "/festival/" + f.slug;
  if (editing) {
    d.ShowSection("EDIT");
    d.SetValue("ACTION", base + "/vorschlag/" + std::to_string(editing->id) + "/bearbeiten");
    d.SetValue("PROPOSAL_URL", base + "/vorschlag/" + std::to_string(editing->id));
    d.SetValue("ORGANISATION", editing->organisation_name);
    if (editing->status == "changes_requested") d.ShowSection("RESUBMIT");
  } else {
    d.ShowSection("CREATE");
    d.SetValue("ACTION", base + "/einreichen");
    auto orgs = own_organisations(ctx);
    if (orgs.size() == 1) {
      d.SetValueAndShowSection("ORGANISATION", orgs.front().name, "ONE_ORG");
    } else {
      d.ShowSection("CHOOSE_ORG");
      for (const auto& o : orgs) {
        auto* od = d.AddSectionDictionary("ORG_OPTION");
        od->SetValue("VALUE", std::to_string(o.id));
        od->SetValue("LABEL", o.name);
        if (in.count("organisation") && in.at("organisation") == std::to_string(o.id))
          od->ShowSection("SELECTED");
      }
    }
  }
  if (f.anonymous_review) d.ShowSection("ANONYMOUS_REVIEW");
  for (const auto& [k, v] : in) d.SetValue("V_" + k, v);
  auto value = [&](const char* k) { return in.count(k) ? in.at(k) : std::string(); };
  for (const auto& k : kKinds) {
    auto* o = d.AddSectionDictionary("KIND_OPTION");
    o->SetValue("VALUE", k);
    o->SetValue("LABEL", i18n::t(ctx.locale, "festival.kind." + k));
    o->SetValue("HELP", i18n::t(ctx.locale, "festival.kind_help." + k));
    if (value("art") == k) o->ShowSection("CHECKED");
  }
  for (const char* fmt : {"online", "in_person", "hybrid"}) {
    auto* o = d.AddSectionDictionary("FORMAT_OPTION");
    o->SetValue("VALUE", fmt);
    o->SetValue("LABEL", i18n::t(ctx.locale, std::string("events.format.") + fmt));
    if (value("format") == fmt) o->ShowSection("CHECKED");
  }
  for (const auto& t : events::kTopics) {
    auto* o = d.AddSectionDictionary("TOPIC_OPTION");
    o->SetValue("VALUE", t);
    o->SetValue("LABEL", i18n::t(ctx.locale, "events.topic." + t));
    if (value("thema") == t) o->ShowSection("SELECTED");
  }
  for (int64_t m : kDurations) {
    auto* o = d.AddSectionDictionary("DURATION_OPTION");
    o->SetValue("VALUE", std::to_string(m));
    o->SetValue("LABEL", i18n::format(ctx.locale, "festival.minutes", {{"n", std::to_string(m)}}));
    if (value("dauer") == std::to_string(m)) o->ShowSection("SELECTED");
  }
  d.SetIntValue("TITLE_MAX", kTitleMax);
  d.SetIntValue("ABSTRACT_MAX", kAbstractMax);
  d.SetIntValue("SPEAKERS_MAX", kSpeakersMax);
  d.SetIntValue("NOTES_MAX", kNotesMax);
  add_field_errors(d, ctx.locale, errors);
  return page.render(status);
}

// The proposal the path names (parameters 0 and 1), when it is of this festival and of
// one of the reader's organisations.
std::optional<store::Proposal> own_proposal(Context& ctx, const store::Festival& f) {
  auto p = ctx.app.stores().festivals.find_proposal(std::stoll(ctx.param(1)));
  if (!p || p->festival_id != f.id || !belongs_to(ctx, p->organisation_id)) return std::nullopt;
  return p;
}

bool editable(const store::Festival& f, const store::Proposal& p, int64_t now) {
  if (p.event_id) return false;
  if (p.status == "submitted") return store::festival_phase(f, now) == "submission";
  return p.status == "changes_requested" && now < f.decisions_by;
}

bool withdrawable(const store::Proposal& p) {
  return !p.event_id &&
         (p.status == "submitted" || p.status == "changes_requested" || p.status == "accepted");
}

http::Response refused(Context& ctx, const store::Festival& f) {
  std::string phase = store::festival_phase(f, ctx.now);
  if (phase != "submission")
    return ctx.app.error_page(
        ctx, 403, phase == "announced" ? "festival.form.not_yet" : "festival.form.closed");
  return ctx.app.error_page(ctx, 403, "festival.form.no_org");
}

}  // namespace

http::Response submit_page(Context& ctx) {
  auto f = festival_of(ctx);
  if (!f) return ctx.app.error_page(ctx, 404);
  if (store::festival_phase(*f, ctx.now) != "submission" || own_organisations(ctx).empty())
    return refused(ctx, *f);
  Input in{{"format", "online"}, {"dauer", "60"}, {"art", "workshop"}};
  return form_page(ctx, *f, nullptr, in, {}, 200);
}

http::Response submit(Context& ctx) {
  auto f = festival_of(ctx);
  if (!f) return ctx.app.error_page(ctx, 404);
  if (own_organisations(ctx).empty()) return refused(ctx, *f);
  auto in = read_input(ctx);
  store::ProposalInput proposal;
  auto errors = check(ctx, in, true, proposal);
  if (!errors.empty()) return form_page(ctx, *f, nullptr, in, errors, 422);
  if (int64_t wait = ctx.app.stores().throttle.attempt("proposal:" + std::to_string(ctx.user->id),
                                                       20, 3600, ctx.now)) {
    return form_page(ctx, *f, nullptr, in,
                     {{"titel", "",
                       i18n::format(ctx.locale, "festival.form.err.throttled",
                                    {{"minutes", std::to_string(wait / 60 + 1)}})}},
                     429);
  }
  const auto& config = ctx.app.config();
  std::string locale = ctx.user->locale == "en" ? "en" : "de";
  auto receipt = [&](int64_t id) {
    auto m = render_mail(config, ctx.user->email, locale, "festival_received",
                         {{"NAME", ctx.user->display_name},
                          {"TITLE", proposal.title},
                          {"FESTIVAL", f->title},
                          {"DECISIONS_BY", events::moment_text(locale, f->decisions_by)},
                          {"LINK", config.public_url() + "/festival/" + f->slug + "/vorschlag/" +
                                       std::to_string(id)}});
    return m;
  };
  auto id = ctx.app.stores().festivals.submit(f->id, ctx.user->id, proposal, ctx.now, receipt);
  if (!id) {
    if (id.error().code == "closed") return refused(ctx, *f);
    return form_page(ctx, *f, nullptr, in, {{"titel", "festival.form.err.failed"}}, 422);
  }
  log::info("proposal_submitted", {{"festival", f->slug}, {"id", std::to_string(*id)}});
  return http::Response::redirect("/festival/" + f->slug + "/vorschlag/" + std::to_string(*id) +
                                  "?hinweis=vorschlag_eingereicht");
}

http::Response own_proposals(Context& ctx) {
  auto f = festival_of(ctx);
  if (!f) return ctx.app.error_page(ctx, 404);
  std::vector<int64_t> ids;
  for (const auto& o : own_organisations(ctx)) ids.push_back(o.id);
  auto list = ctx.app.stores().festivals.of_organisations(f->id, ids);
  Page page(ctx, "festival/mine.html",
            i18n::format(ctx.locale, "festival.mine.title", {{"festival", f->title}}));
  auto& d = page.dict();
  fill_festival(ctx, d, *f);
  if (store::festival_phase(*f, ctx.now) == "submission" && !ids.empty())
    d.ShowSection("CAN_SUBMIT");
  if (ids.empty())
    d.ShowSection("NO_ORG");
  else if (list.empty())
    d.ShowSection("NONE");
  for (const auto& p : list) {
    auto* pd = d.AddSectionDictionary("PROPOSAL");
    fill_proposal(ctx, *pd, p, true);
    pd->SetValue("URL", "/festival/" + f->slug + "/vorschlag/" + std::to_string(p.id));
  }
  return page.render();
}

http::Response own_proposal_page(Context& ctx) {
  auto f = festival_of(ctx);
  if (!f) return ctx.app.error_page(ctx, 404);
  auto p = own_proposal(ctx, *f);
  if (!p) return ctx.app.error_page(ctx, 404);
  Page page(ctx, "festival/proposal.html", p->title);
  auto& d = page.dict();
  fill_festival(ctx, d, *f);
  fill_proposal(ctx, d, *p, true);
  d.SetValue("CSRF", ctx.csrf_token());
  std::string url = "/festival/" + f->slug + "/vorschlag/" + std::to_string(p->id);
  d.SetValue("URL", url);
  d.SetValue("STATUS_HELP",
             i18n::format(ctx.locale, "festival.status_help." + p->status,
                          {{"decisions_by", events::moment_text(ctx.locale, f->decisions_by)}}));
  // What the decision mail said, and only that: the reviews stay with the committee.
  if (!p->decision_reason.empty())
    d.SetValueAndShowSection("DECISION_REASON", p->decision_reason, "HAS_REASON");
  if (!p->decision_comments.empty())
    d.SetValueAndShowSection("DECISION_COMMENTS", p->decision_comments, "HAS_COMMENTS");
  if (editable(*f, *p, ctx.now))
    d.SetValueAndShowSection("EDIT_URL", url + "/bearbeiten", "CAN_EDIT");
  if (withdrawable(*p)) d.ShowSection("CAN_WITHDRAW");
  return page.render();
}

http::Response revise_page(Context& ctx) {
  auto f = festival_of(ctx);
  if (!f) return ctx.app.error_page(ctx, 404);
  auto p = own_proposal(ctx, *f);
  if (!p) return ctx.app.error_page(ctx, 404);
  if (!editable(*f, *p, ctx.now)) return ctx.app.error_page(ctx, 403, "festival.form.locked");
  return form_page(ctx, *f, &*p, input_of(*p), {}, 200);
}

http::Response revise(Context& ctx) {
  auto f = festival_of(ctx);
  if (!f) return ctx.app.error_page(ctx, 404);
  auto p = own_proposal(ctx, *f);
  if (!p) return ctx.app.error_page(ctx, 404);
  auto in = read_input(ctx);
  store::ProposalInput proposal;
  auto errors = check(ctx, in, false, proposal);
  proposal.organisation_id = p->organisation_id;
  if (!errors.empty()) return form_page(ctx, *f, &*p, in, errors, 422);
  auto done = ctx.app.stores().festivals.revise(p->id, proposal, ctx.now);
  if (!done) {
    if (done.error().code == "locked") return ctx.app.error_page(ctx, 409, "festival.form.locked");
    return ctx.app.error_page(ctx, 404);
  }
  return http::Response::redirect("/festival/" + f->slug + "/vorschlag/" + std::to_string(p->id) +
                                  "?hinweis=vorschlag_gespeichert");
}

http::Response withdraw(Context& ctx) {
  auto f = festival_of(ctx);
  if (!f) return ctx.app.error_page(ctx, 404);
  auto p = own_proposal(ctx, *f);
  if (!p) return ctx.app.error_page(ctx, 404);
  if (ctx.field("bestaetigt") != "ja") {
    return http::Response::redirect("/festival/" + f->slug + "/vorschlag/" + std::to_string(p->id) +
                                    "?hinweis=bitte_bestaetigen");
  }
  auto done = ctx.app.stores().festivals.withdraw(p->id, ctx.now);
  if (!done) return ctx.app.error_page(ctx, 409, "festival.withdraw.locked");
  return http::Response::redirect("/festival/" + f->slug + "/meine-vorschlaege" +
                                  "?hinweis=vorschlag_zurueckgezogen");
}

}  // namespace verbund::web::festival
