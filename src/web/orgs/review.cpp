// The review queue of regional editors: pending organisations of their association,
// verified (published) or rejected with a reason the applicant sees.

#include "core/i18n.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "web/orgs/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::orgs {

namespace {

constexpr std::size_t kNoteMax = 2000;  // review_decision.html's data-limit

bool is_reviewer(const Context& ctx) {
  return ctx.user->is_platform_admin() || ctx.user->has_role(model::Role::regional_editor);
}

// The decision form (templates/orgs/review_decision.html) of organisation `id`, with
// the error `error` ('' for none) at the reason's field.
void fill_decision(Context& ctx, ctemplate::TemplateDictionary& parent, int64_t id,
                   const std::string& name, const std::string& error, const std::string& note,
                   bool from_dossier) {
  auto* form = parent.AddIncludeDictionary("DECISION");
  form->SetFilename(ctx.locale + "/orgs/review_decision.html");
  form->SetIntValue("ID", static_cast<long>(id));
  form->SetValue("NAME", name);
  if (from_dossier) form->ShowSection("FROM_DOSSIER");
  if (error.empty()) return;
  form->SetValue("V_note", note);
  form->AddSectionDictionary("NOTE_ERROR")->SetValue("MSG", i18n::t(ctx.locale, error));
}

void add_note_error(Context& ctx, ctemplate::TemplateDictionary& d, int64_t id,
                    const std::string& error) {
  // The summary at the top links to the reason's field.
  add_field_errors(d, ctx.locale, {{"note-" + std::to_string(id), error}});
}

http::Response queue_page(Context& ctx, int64_t error_for, const std::string& error,
                          const std::string& note, int status) {
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
    row->SetValue("DATE", timefmt::berlin(i.created_at, "%d.%m.%Y"));
    if (!i.applicant_reply.empty())
      row->SetValueAndShowSection("REPLY", i.applicant_reply, "HAS_REPLY");
    bool failed = i.id == error_for;
    if (failed) add_note_error(ctx, d, i.id, error);
    fill_decision(ctx, *row, i.id, i.name, failed ? error : "", failed ? note : "", false);
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
    row->SetValue("CLAIM_DATE", timefmt::berlin(cl.created_at, "%d.%m.%Y"));
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

// What the history says of one event, e.g. "Rückfrage gesendet".
std::string event_text(Context& ctx, const store::ReviewEvent& e) {
  return i18n::t(ctx.locale, "review.event." + e.kind);
}

http::Response dossier_page(Context& ctx, int64_t id, const std::string& error,
                            const std::string& note, int status) {
  auto found = ctx.app.stores().organisations.dossier(actor(ctx), id);
  if (!found) return ctx.app.error_page(ctx, 404);
  const auto& o = found->org;
  Page page(ctx, "orgs/review_dossier.html",
            i18n::t(ctx.locale, "review.dossier_title") + " " + o.name);
  auto& d = page.dict();
  d.SetValue("NAME", o.name);
  d.SetValue("REGION", o.region_name);
  d.SetValue("APPLICANT", found->applicant_email);
  d.SetValue("STATE", i18n::t(ctx.locale, "org.status." + o.status));
  if (found->awaiting_decision) {
    d.ShowSection("AWAITING");
    if (!error.empty()) add_note_error(ctx, d, id, error);
    fill_decision(ctx, d, id, o.name, error, note, true);
  }
  for (const auto& e : found->history) {
    auto* row = d.AddSectionDictionary("EVENT");
    row->SetValue("WHEN", timefmt::berlin(e.created_at, "%d.%m.%Y, %H:%M"));
    row->SetValue("WHEN_ISO", timefmt::utc(e.created_at, "%Y-%m-%dT%H:%M:%SZ"));
    row->SetValue("WHAT", event_text(ctx, e));
    if (!e.actor_name.empty()) row->SetValueAndShowSection("ACTOR", e.actor_name, "HAS_ACTOR");
    if (!e.note.empty()) row->SetValueAndShowSection("NOTE", e.note, "HAS_NOTE");
  }
  auto* profile = d.AddIncludeDictionary("PROFILE");
  profile->SetFilename(ctx.locale + "/orgs/profile.html");
  fill_profile(ctx, *profile, o, false);
  fill_gallery(*profile, found->gallery);
  return page.render(status);
}

}  // namespace

// Everything an editor needs to decide: the whole profile as it would be published and
// what happened in review so far.
http::Response review_dossier(Context& ctx) {
  if (!is_reviewer(ctx)) return ctx.app.error_page(ctx, 403);
  return dossier_page(ctx, std::stoll(ctx.param(0)), "", "", 200);
}

http::Response review_queue(Context& ctx) {
  if (!is_reviewer(ctx)) return ctx.app.error_page(ctx, 403);
  return queue_page(ctx, 0, "", "", 200);
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
  if (!model::valid_utf8(note)) return ctx.app.error_page(ctx, 400);
  std::string error;
  if (!approve && note.empty()) error = "review.note_missing";
  if (model::utf8_length(note) > kNoteMax) error = "review.note_too_long";
  if (!error.empty()) {
    if (ctx.field("seite") == "organisation") return dossier_page(ctx, id, error, note, 422);
    return queue_page(ctx, id, error, note, 422);
  }
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
