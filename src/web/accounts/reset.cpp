// Password reset by e-mail: a single-use link valid for one hour.
#include <algorithm>

#include "core/i18n.hpp"
#include "core/log.hpp"
#include "core/password.hpp"
#include "core/random.hpp"
#include "web/accounts/forms.hpp"
#include "web/accounts/handlers.hpp"

namespace verbund::web::accounts {

namespace {
constexpr int64_t kResetSeconds = 3600;

http::Response reset_form(Context& ctx, const std::string& token,
                          const std::vector<model::FieldError>& errors, int status) {
  Page page(ctx, "accounts/reset.html", i18n::t(ctx.locale, "reset.title"));
  page.dict().SetValue("TOKEN", token);
  add_field_errors(page.dict(), ctx.locale, errors);
  return page.render(status);
}
}  // namespace

http::Response reset_request_show(Context& ctx) {
  Page page(ctx, "accounts/reset_request.html", i18n::t(ctx.locale, "reset_request.title"));
  return page.render();
}

http::Response reset_request_submit(Context& ctx) {
  auto email = model::normalize_email(ctx.field("email"));
  if (!email) {
    Page page(ctx, "accounts/reset_request.html", i18n::t(ctx.locale, "reset_request.title"));
    page.dict().SetValue("V_email", ctx.field("email"));
    add_field_errors(page.dict(), ctx.locale,
                     {{"email", ctx.field("email").empty() ? "email.missing" : "email.invalid"}});
    return page.render(422);
  }
  if (int64_t wait =
          throttle(ctx, "reset-ip:" + client_key(ctx), ctx.app.config().resets_per_ip_hour, 3600)) {
    log::warn("reset_rate_limited", {{"remote", ctx.req.remote_addr}});
    Page page(ctx, "accounts/reset_request.html", i18n::t(ctx.locale, "reset_request.title"));
    page.dict().SetValue("V_email", ctx.field("email"));
    add_field_errors(page.dict(), ctx.locale, {{"email", "reset_request.too_many"}});
    auto r = page.render(429);
    r.set_header("Retry-After", std::to_string(wait));
    return r;
  }
  // Per account the limit is silent (the page does not say whether the address is
  // registered) and keeps anyone from flooding someone's inbox with reset mails.
  if (throttle(ctx, "reset-account:" + lower_ascii(*email), 3, 3600)) {
    log::warn("reset_account_rate_limited", {{"remote", ctx.req.remote_addr}});
  } else {
    // Sent only to an enabled account; the page is the same either way (no enumeration).
    store::Link link{random::token(32), kResetSeconds};
    ctx.app.stores().users.request_password_reset(
        *email, link,
        [&](const store::Addressee& to) {
          return ctx.app.mail(
              to.email, to.locale, "reset",
              {{"NAME", to.name},
               {"LINK", ctx.app.absolute_url("/passwort-neu?token=" + link.token)}});
        },
        ctx.now);
  }
  Page page(ctx, "accounts/check_mail.html", i18n::t(ctx.locale, "reset_request.done_title"));
  page.dict().SetValue("EMAIL", *email);
  page.dict().SetValue("TEXT", i18n::t(ctx.locale, "reset_request.done_text"));
  return page.render(200);
}

http::Response reset_show(Context& ctx) {
  auto token = ctx.query_value("token");
  if (!ctx.app.stores().users.reset_token_owner(token, ctx.now))
    return ctx.app.error_page(ctx, 410, "reset.invalid");
  return reset_form(ctx, token, {}, 200);
}

http::Response reset_submit(Context& ctx) {
  auto token = ctx.field("token");
  auto pass = ctx.field("password");
  auto repeat = ctx.field("password_repeat");
  // Validate against the account's address before the token is used up.
  auto owner = ctx.app.stores().users.reset_token_owner(token, ctx.now);
  if (!owner) return ctx.app.error_page(ctx, 410, "reset.invalid");
  std::vector<model::FieldError> errors;
  check_new_password(ctx, pass, repeat, *owner, "", "password", errors);
  if (!errors.empty()) return reset_form(ctx, token, errors, 422);
  auto hash = password::hash(pass, ctx.app.config().password_hash_strength);
  // Uses the token, confirms the address and signs out everywhere, or nothing.
  if (!ctx.app.stores().users.reset_password(token, hash, ctx.now))
    return ctx.app.error_page(ctx, 410, "reset.invalid");
  return http::Response::redirect("/anmelden?hinweis=passwort_geaendert");
}

}  // namespace verbund::web::accounts
