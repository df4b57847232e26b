// Log-in with rate limits, and log-out.
#include <algorithm>

#include "core/i18n.hpp"
#include "core/log.hpp"
#include "core/password.hpp"
#include "web/accounts/forms.hpp"
#include "web/accounts/handlers.hpp"

namespace verbund::web::accounts {

namespace {

http::Response login_form(Context& ctx, const std::vector<model::FieldError>& errors, int status,
                          bool unconfirmed = false) {
  Page page(ctx, "accounts/login.html", i18n::t(ctx.locale, "login.title"));
  auto& d = page.dict();
  d.SetValue("V_email", ctx.field("email"));
  d.SetValue("NEXT", safe_next(ctx.req.method == http::Method::post ? ctx.field("weiter")
                                                                    : ctx.query_value("weiter"),
                               ""));
  add_field_errors(d, ctx.locale, errors);
  if (unconfirmed) d.ShowSection("UNCONFIRMED");
  return page.render(status);
}

// A valid hash to verify against when the account does not exist, so that the answer
// takes as long as for a wrong password (no account enumeration by timing).
const std::string& dummy_hash(const std::string& strength) {
  static const std::string h = password::hash("no such account, no such password", strength);
  return h;
}

}  // namespace

http::Response login_show(Context& ctx) {
  if (ctx.user) return http::Response::redirect("/start");
  return login_form(ctx, {}, 200);
}

http::Response login_submit(Context& ctx) {
  const auto& cfg = ctx.app.config();
  std::string raw_email = ctx.field("email");
  std::string pass = ctx.field("password");
  std::vector<model::FieldError> errors;
  auto email = model::normalize_email(raw_email);
  if (raw_email.empty())
    errors.push_back({"email", "email.missing"});
  else if (!email)
    errors.push_back({"email", "email.invalid"});
  if (pass.empty()) errors.push_back({"password", "password.missing"});
  if (!errors.empty()) return login_form(ctx, errors, 422);

  const std::string lower = lower_ascii(*email);
  const std::string ip_scope = "ip:" + client_key(ctx);
  const std::string account_scope = "account:" + lower;
  int64_t window = int64_t{cfg.login_window_minutes} * 60;
  // The attempt is counted before the password is checked, in the statement that
  // decides whether it may be checked at all: parallel guesses cannot pass together.
  if (int64_t retry = ctx.app.stores().throttle.begin_login(
          account_scope, ip_scope, cfg.login_max_failures, window, ctx.now)) {
    log::warn("login_rate_limited", {{"remote", ctx.req.remote_addr}});
    auto r = login_form(ctx, {{"email", "login.too_many"}}, 429);
    r.set_header("Retry-After", std::to_string(retry));
    return r;
  }

  auto cred = ctx.app.stores().users.credentials(*email);
  bool ok =
      password::verify(cred ? cred->password_hash : dummy_hash(cfg.password_hash_strength), pass);
  if (!cred || !ok || cred->disabled) {
    log::info("login_failed", {{"remote", ctx.req.remote_addr}});
    return login_form(ctx, {{"email", "login.wrong"}}, 422);
  }
  ctx.app.stores().throttle.login_succeeded(account_scope, ip_scope);
  if (!cred->email_confirmed) return login_form(ctx, {{"email", "login.unconfirmed"}}, 422, true);
  log::info("login", {{"user", std::to_string(cred->user_id)}});
  return ctx.app.sign_in(ctx, cred->user_id, safe_next(ctx.field("weiter"), "/start"));
}

http::Response logout(Context& ctx) { return ctx.app.sign_out(ctx, "/?hinweis=abgemeldet"); }

}  // namespace verbund::web::accounts
