// Sign-up, e-mail confirmation and re-sending the confirmation mail.
#include <ctime>

#include "core/i18n.hpp"
#include "core/log.hpp"
#include "core/password.hpp"
#include "core/random.hpp"
#include "web/accounts/forms.hpp"
#include "web/accounts/handlers.hpp"

namespace verbund::web::accounts {

namespace {
constexpr int64_t kConfirmSeconds = 48 * 3600;

http::Response signup_form(Context& ctx, const SignupForm* f, int status) {
  Page page(ctx, "accounts/signup.html", i18n::t(ctx.locale, "signup.title"));
  auto& d = page.dict();
  if (f) {
    d.SetValue("V_display_name", f->display_name);
    d.SetValue("V_email", ctx.field("email"));
    add_field_errors(d, ctx.locale, f->errors);
  }
  return page.render(status);
}

store::Mail confirmation(Context& ctx, const std::string& email, const std::string& name,
                         const std::string& token) {
  return ctx.app.mail(
      email, ctx.locale, "confirm",
      {{"NAME", name}, {"LINK", ctx.app.absolute_url("/registrieren/bestaetigen?token=" + token)}});
}
}  // namespace

http::Response signup_show(Context& ctx) {
  if (ctx.user) return http::Response::redirect("/konto");
  return signup_form(ctx, nullptr, 200);
}

http::Response signup_submit(Context& ctx) {
  auto f = parse_signup(ctx);
  if (!f.errors.empty()) return signup_form(ctx, &f, 422);
  if (int64_t wait = throttle(ctx, "signup-ip:" + client_key(ctx),
                              ctx.app.config().signups_per_ip_hour, 3600)) {
    log::warn("signup_rate_limited", {{"remote", ctx.req.remote_addr}});
    f.errors.push_back({"email", "signup.too_many"});
    auto r = signup_form(ctx, &f, 429);
    r.set_header("Retry-After", std::to_string(wait));
    return r;
  }
  // Hash outside the write lock: argon2id takes tens of milliseconds on purpose.
  auto hash = password::hash(f.password, ctx.app.config().password_hash_strength);
  // When the address is taken its owner gets a mail instead, and the visitor the same
  // page as for a new account, so the form does not reveal who is registered.
  store::Link link{random::token(32), kConfirmSeconds};
  ctx.app.stores().users.sign_up(
      {f.email, f.display_name, hash, ctx.locale}, link,
      confirmation(ctx, f.email, f.display_name, link.token),
      ctx.app.mail(f.email, ctx.locale, "already_registered",
                   {{"LINK", ctx.app.absolute_url("/passwort-vergessen")}}),
      ctx.now);
  Page page(ctx, "accounts/check_mail.html", i18n::t(ctx.locale, "signup.done_title"));
  page.dict().SetValue("EMAIL", f.email);
  page.dict().SetValue("TEXT", i18n::t(ctx.locale, "signup.done_text"));
  return page.render(200);
}

http::Response confirm_email(Context& ctx) {
  auto token = ctx.query_value("token");
  if (!ctx.app.stores().users.confirm_email(token, ctx.now))
    return ctx.app.error_page(ctx, 410, "confirm.invalid");
  return http::Response::redirect("/anmelden?hinweis=bestaetigt");
}

http::Response resend_confirmation(Context& ctx) {
  auto email = model::normalize_email(ctx.field("email"));
  if (email) {
    store::Link link{random::token(32), kConfirmSeconds};
    ctx.app.stores().users.resend_confirmation(
        *email, link,
        [&](const store::Addressee& to) {
          return confirmation(ctx, to.email, to.name, link.token);
        },
        ctx.now);
  }
  Page page(ctx, "accounts/check_mail.html", i18n::t(ctx.locale, "signup.done_title"));
  page.dict().SetValue("EMAIL", email.value_or(""));
  page.dict().SetValue("TEXT", i18n::t(ctx.locale, "signup.resent_text"));
  return page.render(200);
}

}  // namespace verbund::web::accounts
