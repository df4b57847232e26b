// The review queue of regional editors: pending organisations of their association,
// verified (published) or rejected with a reason the applicant sees.

#include "core/i18n.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "web/orgs/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::orgs {

namespace {

bool is_reviewer(const Context& ctx) {
  return ctx.user->is_platform_admin() || ctx.user->has_role(model::Role::regional_editor);
}

http::Response queue_page(Context& ctx, int64_t error_for, const std::string& note, int status) {
  store::Actor a{ctx.user->id, ctx.user->is_platform_admin()};
  auto items = ctx.app.stores().organisations.pending_reviews(a);
  Page page(ctx, "orgs/review.html", i18n::t(ctx.locale, "review.title"));
  auto& d = page.dict();
  if (items.empty()) d.ShowSection("EMPTY");
  for (const auto& i : items) {
    auto* row = d.AddSectionDictionary("ITEM");
    row->SetIntValue("ID", static_cast<long>(i.id));
    row->SetValue("NAME", i.name);
    row->SetValue("CITY", i.city);
    row->SetValue("REGION", i.region_name);
    row->SetValue("SUMMARY", i.short_description);
    row->SetValue("APPLICANT", i.applicant_email);
    row->SetValue("DATE", timefmt::utc(i.created_at, "%d.%m.%Y"));
    if (!i.applicant_reply.empty())
      row->SetValueAndShowSection("REPLY", i.applicant_reply, "HAS_REPLY");
    if (i.id == error_for) {
      // The summary at the top links to the reason's field of this card.
      add_field_errors(d, ctx.locale, {{"note-" + std::to_string(i.id), "review.note_missing"}});
      row->SetValue("V_note", note);
      auto* err = row->AddSectionDictionary("NOTE_ERROR");
      err->SetValue("MSG", i18n::t(ctx.locale, "review.note_missing"));
      row->SetValue("INVALID", "true");
    }
  }
  auto claims = ctx.app.stores().claims.open(a);
  if (claims.empty()) d.ShowSection("NO_CLAIMS");
  for (const auto& cl : claims) {
    auto* row = d.AddSectionDictionary("CLAIM");
    row->SetIntValue("CLAIM_ID", static_cast<long>(cl.id));
    row->SetValue("CLAIM_ORG", cl.organisation_name);
    row->SetValue("CLAIM_ORG_URL", "/organisationen/" + cl.organisation_slug);
    row->SetValue("CLAIM_PLACE", cl.city + " · " + cl.region_name);
    row->SetValue("CLAIMANT", cl.claimant_name + " <" + cl.claimant_email + ">");
    row->SetValue("CLAIM_MESSAGE", cl.message);
    row->SetValue("CLAIM_DATE", timefmt::utc(cl.created_at, "%d.%m.%Y"));
  }
  auto moves = ctx.app.stores().organisations.pending_moves(a);
  if (moves.empty()) d.ShowSection("NO_MOVES");
  for (const auto& m : moves) {
    auto* row = d.AddSectionDictionary("MOVE");
    row->SetIntValue("MOVE_ID", static_cast<long>(m.id));
    row->SetValue("MOVE_ORG", m.name);
    row->SetValue("MOVE_ORG_URL", "/organisationen/" + m.slug);
    row->SetValue("MOVE_CITY", m.city);
    row->SetValue("MOVE_FROM", m.from_region);
    row->SetValue("MOVE_TO", m.to_region);
  }
  return page.render(status);
}

}  // namespace

http::Response review_queue(Context& ctx) {
  if (!is_reviewer(ctx)) return ctx.app.error_page(ctx, 403);
  return queue_page(ctx, 0, "", 200);
}

http::Response review_decide(Context& ctx) {
  if (!is_reviewer(ctx)) return ctx.app.error_page(ctx, 403);
  int64_t id = std::stoll(ctx.param(0));
  std::string action = ctx.field("action");
  std::string note = ctx.field("note");
  if (action != "freigeben" && action != "ablehnen") return ctx.app.error_page(ctx, 400);
  bool approve = action == "freigeben";
  while (!note.empty() && (note.back() == ' ' || note.back() == '\n' || note.back() == '\r'))
    note.pop_back();
  if (!approve && (note.empty() || !model::valid_utf8(note) || model::utf8_length(note) > 2000))
    return queue_page(ctx, id, note, 422);
  store::Actor a{ctx.user->id, ctx.user->is_platform_admin()};
  auto st = ctx.app.stores().organisations.review(
      a, id, approve, note, ctx.now, [&](const store::Addressee& to, const store::ManagedOrg& org) {
        return ctx.app.mail(to.email, to.locale, approve ? "org_published" : "org_rejected",
                            {{"ORG", org.name},
                             {"NOTE", note},
                             {"LINK", ctx.app.absolute_url(approve ? "/organisationen/" + org.slug
                                                                   : "/meine-organisationen/" +
                                                                         std::to_string(id))}});
      });
  if (!st) return ctx.app.error_page(ctx, 404);
  log::info("organisation_reviewed", {{"id", std::to_string(id)}, {"decision", action}});
  return http::Response::redirect(std::string("/redaktion?hinweis=") +
                                  (approve ? "freigegeben" : "abgelehnt"));
}

// A published organisation asked to move into the editor's association.
http::Response move_decide(Context& ctx) {
  if (!is_reviewer(ctx)) return ctx.app.error_page(ctx, 403);
  int64_t id = std::stoll(ctx.param(0));
  std::string action = ctx.field("action");
  if (action != "zustimmen" && action != "ablehnen") return ctx.app.error_page(ctx, 400);
  bool approve = action == "zustimmen";
  store::Actor a{ctx.user->id, ctx.user->is_platform_admin()};
  auto st = ctx.app.stores().organisations.decide_move(
      a, id, approve, ctx.now, [&](const store::Addressee& to, const store::ManagedOrg& org) {
        return ctx.app.mail(
            to.email, to.locale, approve ? "org_move_approved" : "org_move_rejected",
            {{"ORG", org.name},
             {"LINK", ctx.app.absolute_url("/meine-organisationen/" + std::to_string(id))}});
      });
  if (!st) return ctx.app.error_page(ctx, 404);
  log::info("organisation_move_decided", {{"id", std::to_string(id)}, {"decision", action}});
  return http::Response::redirect(std::string("/redaktion?hinweis=") +
                                  (approve ? "wechsel_bestaetigt" : "wechsel_abgelehnt"));
}

}  // namespace verbund::web::orgs
