// The committee's pages (platform admins): every proposal with its reviews' averages
// and bulk decisions (/festival/SLUG/verwaltung), one proposal with all reviews and
// the form that puts an accepted one into the programme, and the reviewer assignments.
// A decision mail carries the reason, and the reviewers' comments only when the
// committee ticks that box: otherwise submitters never see them.
#include <algorithm>

#include "core/i18n.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "http/message.hpp"
#include "model/organisation.hpp"
#include "web/events/form.hpp"
#include "web/events/handlers.hpp"
#include "web/festival/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::festival {

namespace {

constexpr std::size_t kReasonMax = 3000;
const char* const kStatuses[] = {"submitted", "accepted", "changes_requested", "declined",
                                 "withdrawn"};

std::string manage_url(const store::Festival& f) { return "/festival/" + f.slug + "/verwaltung"; }

struct DecisionInput {
  std::vector<int64_t> chosen;
  std::string decision, reason;
  bool comments = false;
};

struct ReviewerInput {
  std::string email, region, topic;
};

http::Response manage_view(Context& ctx, const store::Festival& f, const DecisionInput& in,
                           const ReviewerInput& rin, const std::vector<model::FieldError>& errors,
                           int status) {
  auto& festivals = ctx.app.stores().festivals;
  auto all = festivals.all(f.id);
  std::string only = ctx.query_value("status");
  if (std::find(std::begin(kStatuses), std::end(kStatuses), only) == std::end(kStatuses))
    only.clear();
  // Undecided first, then the best reviewed.
  std::stable_sort(all.begin(), all.end(), [](const store::Proposal& a, const store::Proposal& b) {
    bool ua = a.status == "submitted", ub = b.status == "submitted";
    if (ua != ub) return ua;
    return a.average.value_or(0) > b.average.value_or(0);
  });
  Page page(ctx, "festival/manage.html",
            i18n::format(ctx.locale, "festival.manage.title", {{"festival", f.title}}));
  auto& d = page.dict();
  fill_festival(ctx, d, f);
  d.SetValue("CSRF", ctx.csrf_token());
  std::map<std::string, int> counts;
  for (const auto& p : all) ++counts[p.status];
  {
    auto* o = d.AddSectionDictionary("STATUS_FILTER");
    o->SetValue("URL", manage_url(f));
    o->SetValue("LABEL", i18n::format(ctx.locale, "festival.manage.all",
                                      {{"n", std::to_string(all.size())}}));
    if (only.empty()) o->ShowSection("CURRENT");
  }
  for (const char* s : kStatuses) {
    auto* o = d.AddSectionDictionary("STATUS_FILTER");
    o->SetValue("URL", manage_url(f) + "?status=" + s);
    o->SetValue("LABEL", i18n::t(ctx.locale, std::string("festival.status.") + s) + " (" +
                             std::to_string(counts[s]) + ")");
    if (only == s) o->ShowSection("CURRENT");
  }
  for (const auto& k : f.categories) d.AddSectionDictionary("CATEGORY")->SetValue("NAME", k.name);
  int shown = 0;
  for (const auto& p : all) {
    if (!only.empty() && p.status != only) continue;
    ++shown;
    auto* pd = d.AddSectionDictionary("PROPOSAL");
    fill_proposal(ctx, *pd, p, true);
    pd->SetValue("URL", manage_url(f) + "/" + std::to_string(p.id));
    pd->SetValue("REVIEWS", std::to_string(p.reviews));
    pd->SetValue("AVERAGE", score_text(ctx.locale, p.average));
    for (const auto& k : f.categories) {
      auto it = p.averages.find(k.id);
      pd->AddSectionDictionary("CATEGORY_AVERAGE")
          ->SetValue("VALUE", score_text(ctx.locale, it == p.averages.end()
                                                         ? std::nullopt
                                                         : std::optional<double>(it->second)));
    }
    if (p.status != "withdrawn") {
      auto* c = pd->AddSectionDictionary("SELECTABLE");
      if (std::find(in.chosen.begin(), in.chosen.end(), p.id) != in.chosen.end())
        c->ShowSection("CHECKED");
    }
  }
  if (shown == 0) d.ShowSection(all.empty() ? "NONE" : "NONE_MATCH");
  for (const char* s : {"accepted", "changes_requested", "declined"}) {
    auto* o = d.AddSectionDictionary("DECISION_OPTION");
    o->SetValue("VALUE", s);
    o->SetValue("LABEL", i18n::t(ctx.locale, std::string("festival.decision.") + s));
    if (in.decision == s) o->ShowSection("CHECKED");
  }
  d.SetValue("V_grund", in.reason);
  d.SetIntValue("REASON_MAX", kReasonMax);
  if (in.comments) d.ShowSection("COMMENTS_CHECKED");
  // Reviewers.
  auto reviewers = festivals.reviewers(f.id);
  if (reviewers.empty()) d.ShowSection("NO_REVIEWERS");
  for (const auto& r : reviewers) {
    auto* rd = d.AddSectionDictionary("REVIEWER");
    rd->SetValue("NAME", r.name);
    rd->SetValue("EMAIL", r.email);
    rd->SetValue("SCOPE_REGION", r.region_id
                                     ? r.region_name
                                     : i18n::t(ctx.locale, "festival.reviewers.all_regions"));
    rd->SetValue("SCOPE_TOPIC", r.topic.empty()
                                    ? i18n::t(ctx.locale, "festival.reviewers.all_topics")
                                    : i18n::t(ctx.locale, "events.topic." + r.topic));
    rd->SetValue("ACTION",
                 "/festival/" + f.slug + "/gutachter/" + std::to_string(r.id) + "/entfernen");
  }
  d.SetValue("V_email", rin.email);
  for (const auto& region : ctx.app.stores().organisations.form_choices().regions) {
    auto* o = d.AddSectionDictionary("REGION_OPTION");
    o->SetValue("VALUE", std::to_string(region.id));
    o->SetValue("LABEL", region.name);
    if (rin.region == std::to_string(region.id)) o->ShowSection("SELECTED");
  }
  for (const auto& t : events::kTopics) {
    auto* o = d.AddSectionDictionary("TOPIC_OPTION");
    o->SetValue("VALUE", t);
    o->SetValue("LABEL", i18n::t(ctx.locale, "events.topic." + t));
    if (rin.topic == t) o->ShowSection("SELECTED");
  }
  add_field_errors(d, ctx.locale, errors);
  return page.render(status);
}

std::string decision_subject(const std::string& locale, const std::string& status,
                             const std::string& title) {
  return i18n::format(locale, "mail.festival_decision.subject_" + status, {{"title", title}});
}

}  // namespace

http::Response manage_page(Context& ctx) {
  auto f = festival_of(ctx);
  if (!f) return ctx.app.error_page(ctx, 404);
  if (!manages(ctx)) return ctx.app.error_page(ctx, 403, "festival.manage.refused");
  return manage_view(ctx, *f, {}, {}, {}, 200);
}

http::Response decide(Context& ctx) {
  auto f = festival_of(ctx);
  if (!f) return ctx.app.error_page(ctx, 404);
  if (!manages(ctx)) return ctx.app.error_page(ctx, 403, "festival.manage.refused");
  DecisionInput in;
  auto [b, e] = ctx.form.equal_range("vorschlag");
  for (auto it = b; it != e; ++it) {
    const auto& v = it->second;
    if (!v.empty() && v.size() < 19 && v.find_first_not_of("0123456789") == std::string::npos)
      in.chosen.push_back(std::stoll(v));
  }
  in.decision = ctx.field("entscheidung");
  in.reason = ctx.field("grund");
  in.comments = ctx.field("kommentare") == "ja";
  std::vector<model::FieldError> errors;
  if (in.chosen.empty()) errors.push_back({"vorschlaege", "festival.manage.err.none_chosen"});
  if (in.decision != "accepted" && in.decision != "changes_requested" && in.decision != "declined")
    errors.push_back({"entscheidung", "festival.manage.err.decision"});
  else if (in.decision != "accepted" && in.reason.find_first_not_of(" \r\n\t") == std::string::npos)
    errors.push_back({"grund", "festival.manage.err.reason"});
  if (!model::valid_utf8(in.reason) || model::utf8_length(in.reason) > kReasonMax)
    errors.push_back({"grund", "festival.manage.err.reason_length"});
  if (!errors.empty()) return manage_view(ctx, *f, in, {}, errors, 422);
  const auto& config = ctx.app.config();
  auto mail = [&](const store::Proposal& p, const store::Decision& dec,
                  const std::vector<std::string>& comments) {
    std::string locale = p.submitter_locale == "en" ? "en" : "de";
    std::string joined;
    for (const auto& c : comments) joined += (joined.empty() ? "" : "\n\n---\n\n") + c;
    auto m = render_mail(config, p.submitter_email, locale, "festival_decision",
                         {{"NAME", p.submitter_name},
                          {"TITLE", p.title},
                          {"FESTIVAL", f->title},
                          {"ACCEPTED", dec.status == "accepted" ? "1" : ""},
                          {"CHANGES", dec.status == "changes_requested" ? "1" : ""},
                          {"DECLINED", dec.status == "declined" ? "1" : ""},
                          {"REASON", dec.reason},
                          {"COMMENTS", joined},
                          {"DECISIONS_BY", events::moment_text(locale, f->decisions_by)},
                          {"LINK", config.public_url() + "/festival/" + f->slug + "/vorschlag/" +
                                       std::to_string(p.id)}});
    m.subject = decision_subject(locale, dec.status, p.title);
    return m;
  };
  store::Decision decision{in.decision, in.reason, in.comments};
  auto n =
      ctx.app.stores().festivals.decide(f->id, in.chosen, decision, ctx.user->id, ctx.now, mail);
  if (!n)
    return manage_view(ctx, *f, in, {}, {{"entscheidung", "festival.manage.err.decision"}}, 422);
  log::info("proposals_decided",
            {{"festival", f->slug}, {"decision", in.decision}, {"count", std::to_string(*n)}});
  return http::Response::redirect(
      manage_url(*f) + "?hinweis=" + (*n > 0 ? "entscheidungen_gesendet" : "nichts_entschieden"));
}

namespace {

struct ScheduleInput {
  std::string date, time, places;
};

http::Response proposal_view(Context& ctx, const store::Festival& f, const store::Proposal& p,
                             const ScheduleInput& in, const std::vector<model::FieldError>& errors,
                             int status) {
  auto& festivals = ctx.app.stores().festivals;
  Page page(ctx, "festival/manage_proposal.html", p.title);
  auto& d = page.dict();
  fill_festival(ctx, d, f);
  fill_proposal(ctx, d, p, true);
  d.SetValue("CSRF", ctx.csrf_token());
  d.SetValue("AVERAGE", score_text(ctx.locale, p.average));
  for (const auto& k : f.categories) {
    auto* kd = d.AddSectionDictionary("CATEGORY");
    kd->SetValue("NAME", k.name);
    auto it = p.averages.find(k.id);
    kd->SetValue("AVERAGE", score_text(ctx.locale, it == p.averages.end()
                                                       ? std::nullopt
                                                       : std::optional<double>(it->second)));
  }
  auto reviews = festivals.reviews(p.id);
  if (reviews.empty()) d.ShowSection("NO_REVIEWS");
  for (const auto& r : reviews) {
    auto* rd = d.AddSectionDictionary("REVIEW");
    rd->SetValue("REVIEWER", r.reviewer_name);
    rd->SetValue("WHEN", events::moment_text(ctx.locale, r.updated_at));
    for (const auto& k : f.categories) {
      auto* sd = rd->AddSectionDictionary("SCORE");
      sd->SetValue("NAME", k.name);
      auto it = r.scores.find(k.id);
      sd->SetValue("VALUE", it == r.scores.end() ? "–" : std::to_string(it->second));
    }
    if (!r.comment.empty()) rd->SetValueAndShowSection("COMMENT", r.comment, "HAS_COMMENT");
  }
  if (!p.decision_reason.empty())
    d.SetValueAndShowSection("DECISION_REASON", p.decision_reason, "HAS_REASON");
  if (!p.decision_comments.empty()) d.ShowSection("COMMENTS_SENT");
  if (p.status == "accepted" && !p.event_id) {
    auto* s = d.AddSectionDictionary("CAN_SCHEDULE");
    s->SetValue("ACTION", manage_url(f) + "/" + std::to_string(p.id) + "/einplanen");
    s->SetValue("V_datum", in.date);
    s->SetValue("V_von", in.time);
    s->SetValue("V_plaetze", in.places);
    s->SetValue("FIRST_DAY", timefmt::berlin(f.starts_at, "%Y-%m-%d"));
    s->SetValue("LAST_DAY", timefmt::berlin(f.ends_at - 1, "%Y-%m-%d"));
    // Sections do not reach into a section's dictionary: the form's own errors go there.
    for (const auto& e : errors)
      s->AddSectionDictionary("ERR_" + e.field)
          ->SetValue("MSG", e.text.empty() ? i18n::t(ctx.locale, e.message_key) : e.text);
  }
  add_field_errors(d, ctx.locale, errors);
  return page.render(status);
}

}  // namespace

http::Response manage_proposal_page(Context& ctx) {
  auto f = festival_of(ctx);
  if (!f) return ctx.app.error_page(ctx, 404);
  if (!manages(ctx)) return ctx.app.error_page(ctx, 403, "festival.manage.refused");
  auto p = ctx.app.stores().festivals.find_proposal(std::stoll(ctx.param(1)));
  if (!p || p->festival_id != f->id) return ctx.app.error_page(ctx, 404);
  return proposal_view(ctx, *f, *p, {timefmt::berlin(f->starts_at, "%Y-%m-%d"), "10:00", ""}, {},
                       200);
}

http::Response schedule(Context& ctx) {
  auto f = festival_of(ctx);
  if (!f) return ctx.app.error_page(ctx, 404);
  if (!manages(ctx)) return ctx.app.error_page(ctx, 403, "festival.manage.refused");
  auto& festivals = ctx.app.stores().festivals;
  auto p = festivals.find_proposal(std::stoll(ctx.param(1)));
  if (!p || p->festival_id != f->id) return ctx.app.error_page(ctx, 404);
  ScheduleInput in{model::one_line(ctx.field("datum")), model::one_line(ctx.field("von")),
                   model::one_line(ctx.field("plaetze"))};
  std::vector<model::FieldError> errors;
  auto start = events::read_moment("datum", in.date, "von", in.time, ctx.locale, errors);
  std::optional<int64_t> capacity;
  if (!in.places.empty()) {
    if (in.places.size() > 6 || in.places.find_first_not_of("0123456789") != std::string::npos)
      errors.push_back({"plaetze", "festival.schedule.err.places"});
    else
      capacity = std::stoll(in.places);
  }
  if (!errors.empty() || !start) return proposal_view(ctx, *f, *p, in, errors, 422);
  auto slug = festivals.schedule(p->id, *start, capacity, ctx.user->id, ctx.now);
  if (!slug) {
    const auto& code = slug.error().code;
    if (code == "invalid")
      return proposal_view(ctx, *f, *p, in, {{"datum", "festival.schedule.err.outside"}}, 422);
    if (code == "not_found") return ctx.app.error_page(ctx, 404);
    return http::Response::redirect(manage_url(*f) + "/" + std::to_string(p->id) +
                                    "?hinweis=schon_eingeplant");
  }
  log::info("proposal_scheduled", {{"festival", f->slug}, {"event", *slug}});
  return http::Response::redirect(manage_url(*f) + "/" + std::to_string(p->id) +
                                  "?hinweis=eingeplant");
}

http::Response add_reviewer(Context& ctx) {
  auto f = festival_of(ctx);
  if (!f) return ctx.app.error_page(ctx, 404);
  if (!manages(ctx)) return ctx.app.error_page(ctx, 403, "festival.manage.refused");
  ReviewerInput in{model::one_line(ctx.field("email")), ctx.field("region"), ctx.field("thema")};
  std::vector<model::FieldError> errors;
  std::optional<int64_t> region;
  if (!in.region.empty()) {
    for (const auto& r : ctx.app.stores().organisations.form_choices().regions)
      if (std::to_string(r.id) == in.region) region = r.id;
    if (!region) errors.push_back({"region", "festival.reviewers.err.region"});
  }
  if (!in.topic.empty() &&
      std::find(events::kTopics.begin(), events::kTopics.end(), in.topic) == events::kTopics.end())
    errors.push_back({"thema", "festival.reviewers.err.topic"});
  if (in.email.empty() || in.email.find('@') == std::string::npos || in.email.size() > 254)
    errors.push_back({"email", "festival.reviewers.err.email"});
  if (errors.empty()) {
    auto added =
        ctx.app.stores().festivals.add_reviewer(f->id, in.email, region, in.topic, ctx.now);
    if (added)
      return http::Response::redirect(manage_url(*f) + "?hinweis=gutachter_hinzugefuegt#gutachter");
    errors.push_back({"email", added.error().code == "duplicate"
                                   ? "festival.reviewers.err.duplicate"
                                   : "festival.reviewers.err.no_user"});
  }
  return manage_view(ctx, *f, {}, in, errors, 422);
}

http::Response remove_reviewer(Context& ctx) {
  auto f = festival_of(ctx);
  if (!f) return ctx.app.error_page(ctx, 404);
  if (!manages(ctx)) return ctx.app.error_page(ctx, 403, "festival.manage.refused");
  if (!ctx.app.stores().festivals.remove_reviewer(f->id, std::stoll(ctx.param(1))))
    return ctx.app.error_page(ctx, 404);
  return http::Response::redirect(manage_url(*f) + "?hinweis=gutachter_entfernt#gutachter");
}

}  // namespace verbund::web::festival
