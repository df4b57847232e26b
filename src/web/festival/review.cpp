// The reviewers' pages: their queue (/festival/SLUG/begutachtung) and the scoring form
// of one proposal, with "save and next" to the least-reviewed proposal they have not
// scored. With anonymous review the pages leave out who submitted. Only assigned
// reviewers see these pages (403 for others; 404 for a proposal outside their scope).
#include "core/i18n.hpp"
#include "http/message.hpp"
#include "model/organisation.hpp"
#include "web/events/handlers.hpp"
#include "web/festival/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::festival {

namespace {

constexpr std::size_t kCommentMax = 5000;

std::string review_url(const store::Festival& f, int64_t id) {
  return "/festival/" + f.slug + "/begutachtung/" + std::to_string(id);
}

// Why the review form is not offered now, or "" while review is open.
std::string closed_key(const store::Festival& f, int64_t now) {
  if (now < f.submission_closes_at) return "festival.review.not_yet";
  if (now >= f.review_closes_at) return "festival.review.closed";
  return "";
}

http::Response review_form(Context& ctx, const store::Festival& f, const store::Proposal& p,
                           const std::map<int64_t, std::string>& scores, const std::string& comment,
                           const std::vector<model::FieldError>& errors, int status) {
  Page page(ctx, "festival/review.html",
            i18n::format(ctx.locale, "festival.review.title", {{"title", p.title}}));
  auto& d = page.dict();
  fill_festival(ctx, d, f);
  fill_proposal(ctx, d, p, !f.anonymous_review);
  d.SetValue("CSRF", ctx.csrf_token());
  d.SetValue("ACTION", review_url(f, p.id));
  d.SetValue("REVIEWS", std::to_string(p.reviews));
  if (auto why = closed_key(f, ctx.now); !why.empty()) {
    d.SetValueAndShowSection(
        "CLOSED",
        i18n::format(ctx.locale, why,
                     {{"from", events::moment_text(ctx.locale, f.submission_closes_at)}}),
        "IS_CLOSED");
  } else {
    auto* form = d.AddSectionDictionary("OPEN");
    for (const auto& k : f.categories) {
      auto* kd = form->AddSectionDictionary("CATEGORY");
      std::string field = "k" + std::to_string(k.id);
      kd->SetValue("FIELD", field);
      kd->SetValue("NAME", k.name);
      auto chosen = scores.count(k.id) ? scores.at(k.id) : std::string();
      for (int v = 1; v <= 5; ++v) {
        auto* o = kd->AddSectionDictionary("SCORE");
        o->SetIntValue("VALUE", v);
        o->SetValue("LABEL", i18n::t(ctx.locale, "festival.review.score." + std::to_string(v)));
        if (chosen == std::to_string(v)) o->ShowSection("CHECKED");
      }
      for (const auto& e : errors)
        if (e.field == field) {
          kd->SetValueAndShowSection("MSG", i18n::t(ctx.locale, e.message_key), "ERR");
        }
    }
    form->SetValue("V_kommentar", comment);
    form->SetIntValue("COMMENT_MAX", kCommentMax);
    for (const auto& e : errors)
      if (e.field == "kommentar")
        form->AddSectionDictionary("ERR_kommentar")
            ->SetValue("MSG", i18n::t(ctx.locale, e.message_key));
  }
  add_field_errors(d, ctx.locale, errors);
  return page.render(status);
}

bool reviewer(Context& ctx, const store::Festival& f) {
  return ctx.app.stores().festivals.is_reviewer(f.id, ctx.user->id);
}

}  // namespace

http::Response review_list(Context& ctx) {
  auto f = festival_of(ctx);
  if (!f) return ctx.app.error_page(ctx, 404);
  if (!reviewer(ctx, *f)) return ctx.app.error_page(ctx, 403, "festival.review.not_reviewer");
  auto& festivals = ctx.app.stores().festivals;
  auto list = festivals.to_review(f->id, ctx.user->id);
  Page page(ctx, "festival/review_list.html",
            i18n::format(ctx.locale, "festival.review.list_title", {{"festival", f->title}}));
  auto& d = page.dict();
  fill_festival(ctx, d, *f);
  if (auto why = closed_key(*f, ctx.now); !why.empty())
    d.SetValueAndShowSection(
        "CLOSED",
        i18n::format(ctx.locale, why,
                     {{"from", events::moment_text(ctx.locale, f->submission_closes_at)}}),
        "IS_CLOSED");
  else
    d.ShowSection("IS_OPEN");
  if (f->anonymous_review) d.ShowSection("ANONYMOUS_REVIEW");
  int64_t done = 0;
  for (const auto& p : list) {
    auto* pd = d.AddSectionDictionary("PROPOSAL");
    fill_proposal(ctx, *pd, p, !f->anonymous_review);
    pd->SetValue("URL", review_url(*f, p.id));
    pd->SetValue("REVIEW_COUNT", i18n::format(ctx.locale, "festival.review.count",
                                              {{"n", std::to_string(p.reviews)}}));
    if (p.reviewed_by_me) {
      pd->ShowSection("MINE");
      ++done;
    }
    if (p.status != "submitted") pd->ShowSection("DECIDED");
  }
  d.SetValue("PROGRESS", i18n::format(ctx.locale, "festival.review.progress",
                                      {{"done", std::to_string(done)},
                                       {"total", std::to_string(list.size())}}));
  if (list.empty()) d.ShowSection("NONE");
  if (closed_key(*f, ctx.now).empty()) {
    if (auto next = festivals.next_to_review(f->id, ctx.user->id))
      d.SetValueAndShowSection("NEXT_URL", review_url(*f, *next), "HAS_NEXT");
    else if (!list.empty())
      d.ShowSection("ALL_DONE");
  }
  return page.render();
}

http::Response review_page(Context& ctx) {
  auto f = festival_of(ctx);
  if (!f) return ctx.app.error_page(ctx, 404);
  if (!reviewer(ctx, *f)) return ctx.app.error_page(ctx, 403, "festival.review.not_reviewer");
  auto& festivals = ctx.app.stores().festivals;
  int64_t id = std::stoll(ctx.param(1));
  auto p = festivals.find_proposal(id);
  if (!p || p->festival_id != f->id || !festivals.may_review(id, ctx.user->id))
    return ctx.app.error_page(ctx, 404);
  std::map<int64_t, std::string> scores;
  std::string comment;
  if (auto mine = festivals.review_of(id, ctx.user->id)) {
    for (const auto& [k, v] : mine->scores) scores[k] = std::to_string(v);
    comment = mine->comment;
  }
  return review_form(ctx, *f, *p, scores, comment, {}, 200);
}

http::Response save_review(Context& ctx) {
  auto f = festival_of(ctx);
  if (!f) return ctx.app.error_page(ctx, 404);
  if (!reviewer(ctx, *f)) return ctx.app.error_page(ctx, 403, "festival.review.not_reviewer");
  auto& festivals = ctx.app.stores().festivals;
  int64_t id = std::stoll(ctx.param(1));
  auto p = festivals.find_proposal(id);
  if (!p || p->festival_id != f->id || !festivals.may_review(id, ctx.user->id))
    return ctx.app.error_page(ctx, 404);
  std::map<int64_t, std::string> typed;
  std::map<int64_t, int> scores;
  std::vector<model::FieldError> errors;
  for (const auto& k : f->categories) {
    std::string field = "k" + std::to_string(k.id);
    std::string v = ctx.field(field);
    typed[k.id] = v;
    if (v.size() == 1 && v[0] >= '1' && v[0] <= '5')
      scores[k.id] = v[0] - '0';
    else
      errors.push_back({field, "festival.review.err.score",
                        k.name + ": " + i18n::t(ctx.locale, "festival.review.err.score")});
  }
  std::string comment = ctx.field("kommentar");
  if (!model::valid_utf8(comment) || model::utf8_length(comment) > kCommentMax)
    errors.push_back({"kommentar", "festival.review.err.comment_length"});
  if (!errors.empty()) return review_form(ctx, *f, *p, typed, comment, errors, 422);
  auto saved = festivals.save_review(id, ctx.user->id, scores, comment, ctx.now);
  if (!saved) {
    if (saved.error().code == "closed") return review_form(ctx, *f, *p, typed, comment, {}, 409);
    return ctx.app.error_page(ctx, 404);
  }
  if (ctx.field("weiter") == "ja") {
    if (auto next = festivals.next_to_review(f->id, ctx.user->id, id))
      return http::Response::redirect(review_url(*f, *next) + "?hinweis=bewertung_gespeichert");
    return http::Response::redirect("/festival/" + f->slug +
                                    "/begutachtung?hinweis=alles_begutachtet");
  }
  return http::Response::redirect(review_url(*f, id) + "?hinweis=bewertung_gespeichert");
}

}  // namespace verbund::web::festival
