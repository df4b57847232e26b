// Claiming an organisation that has no admin yet (demo content, an imported member
// list): the person explains who they are; an editor of its association decides on
// the review page; the claimant hears the decision by mail.
#include "core/i18n.hpp"
#include "core/log.hpp"
#include "model/user.hpp"
#include "web/orgs/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::orgs {

namespace {

constexpr std::size_t kMessageMax = 2000;

http::Response claim_form(Context& ctx, const model::Organisation& o, const std::string& message,
                          const std::vector<model::FieldError>& errors, int status) {
  Page page(ctx, "orgs/claim.html", i18n::t(ctx.locale, "claim.title"));
  auto& d = page.dict();
  d.SetValue("NAME", o.name);
  d.SetValue("PROFILE_URL", "/organisationen/" + o.slug);
  d.SetValue("ACTION", "/organisationen/" + o.slug + "/beanspruchen");
  d.SetValue("V_message", message);
  add_field_errors(d, ctx.locale, errors);
  return page.render(status);
}

}  // namespace

http::Response claim_show(Context& ctx) {
  auto org = ctx.app.stores().claims.claimable(ctx.param(0));
  if (!org) return ctx.app.error_page(ctx, 404, "claim.not_claimable");
  return claim_form(ctx, *org, "", {}, 200);
}

http::Response claim_submit(Context& ctx) {
  auto org = ctx.app.stores().organisations.published(ctx.param(0));
  if (!org) return ctx.app.error_page(ctx, 404, "claim.not_claimable");
  std::string message = ctx.field("message");
  while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back())))
    message.pop_back();
  if (message.size() < 10)
    return claim_form(ctx, *org, message, {{"message", "claim.message_missing"}}, 422);
  if (!model::valid_utf8(message) || model::utf8_length(message) > kMessageMax)
    return claim_form(ctx, *org, message, {{"message", "claim.message_too_long"}}, 422);
  auto st = ctx.app.stores().claims.submit(
      ctx.user->id, org->id, message, ctx.now, [&](const store::Addressee& to) {
        return ctx.app.mail(to.email, to.locale, "org_claim_review",
                            {{"ORG", org->name}, {"LINK", ctx.app.absolute_url("/redaktion")}});
      });
  if (!st) {
    if (st.error().code == "not_claimable")
      return ctx.app.error_page(ctx, 404, "claim.not_claimable");
    return claim_form(ctx, *org, message, {{"message", "claim.already"}}, 422);
  }
  log::info("org_claimed",
            {{"org", std::to_string(org->id)}, {"user", std::to_string(ctx.user->id)}});
  return http::Response::redirect("/meine-organisationen?hinweis=anspruch_gesendet");
}

http::Response claim_decide(Context& ctx) {
  if (!ctx.user->is_platform_admin() && !ctx.user->has_role(model::Role::regional_editor))
    return ctx.app.error_page(ctx, 403);
  int64_t id = std::stoll(ctx.param(0));
  std::string action = ctx.field("action");
  if (action != "zustimmen" && action != "ablehnen") return ctx.app.error_page(ctx, 400);
  bool approve = action == "zustimmen";
  std::string note = ctx.field("note");
  // Never cut: a note that is too long comes back as an error, whole in the request.
  if (!model::valid_utf8(note) || model::utf8_length(note) > kMessageMax)
    return ctx.app.error_page(ctx, 422, "claim.note_too_long");
  store::Actor a{ctx.user->id, ctx.user->is_platform_admin()};
  auto decided = ctx.app.stores().claims.decide(
      a, id, approve, note, ctx.now, [&](const store::ClaimDecision& d) {
        return ctx.app.mail(
            d.claimant_email, d.claimant_locale,
            approve ? "org_claim_approved" : "org_claim_rejected",
            {{"ORG", d.organisation_name},
             {"NOTE", note},
             {"LINK", ctx.app.absolute_url(approve ? "/meine-organisationen"
                                                   : "/organisationen/" + d.organisation_slug)}});
      });
  if (!decided && decided.error().code == "not_claimable")
    return ctx.app.error_page(ctx, 409, "claim.admin_meanwhile");
  if (!decided) return ctx.app.error_page(ctx, 404);
  log::info("org_claim_decided", {{"claim", std::to_string(id)}, {"decision", action}});
  return http::Response::redirect(std::string("/redaktion?hinweis=") +
                                  (approve ? "anspruch_bestaetigt" : "anspruch_abgelehnt"));
}

}  // namespace verbund::web::orgs
