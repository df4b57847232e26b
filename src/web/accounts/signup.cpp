// Sign-up, e-mail confirmation and re-sending the confirmation mail.
#include <algorithm>
#include <cctype>
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

store::Mail already_registered(Context& ctx, const std::string& email) {
  return ctx.app.mail(email, ctx.locale, "already_registered",
                      {{"LINK", ctx.app.absolute_url("/passwort-vergessen")}});
}

// The "check your inbox" page lets whoever submitted the sign-up correct a typo in the
// address. It hands out "<issued>.<hmac of issued, address and new account id>", the id
// 0 when no account was made (address taken): the page looks the same either way, and
// the signature fits no one else's unconfirmed account.
std::string fix_signature(Context& ctx, const std::string& issued, const std::string& email,
                          int64_t user_id) {
  return random::hmac(ctx.app.secret(), "signup-fix:" + issued + ":" + lower_ascii(email) + ":" +
                                            std::to_string(user_id));
}

std::string fix_token(Context& ctx, const std::string& email, int64_t user_id) {
  auto issued = std::to_string(ctx.now);
  return issued + "." + fix_signature(ctx, issued, email, user_id);
}

bool fix_token_fits(Context& ctx, const std::string& token, const std::string& email,
                    int64_t user_id) {
  auto dot = token.find('.');
  if (dot == std::string::npos || dot == 0 || dot > 12) return false;
  auto issued = token.substr(0, dot);
  if (!std::all_of(issued.begin(), issued.end(), ::isdigit)) return false;
  int64_t at = std::stoll(issued);
  if (at > ctx.now || ctx.now - at > kConfirmSeconds) return false;
  return random::equal(token.substr(dot + 1), fix_signature(ctx, issued, email, user_id));
}

// After sign-up (and after a correction): where the mail went, with "send again" and
// "the address is wrong".
http::Response signup_done(Context& ctx, const std::string& email, const std::string& fix,
                           const std::vector<model::FieldError>& errors = {}, int status = 200) {
  Page page(ctx, "accounts/check_mail.html", i18n::t(ctx.locale, "signup.done_title"));
  auto& d = page.dict();
  d.SetValue("EMAIL", email);
  d.SetValue("TEXT", i18n::t(ctx.locale, "signup.done_text"));
  d.ShowSection("RESEND");
  d.SetValueAndShowSection("FIX", fix, "CAN_FIX");
  d.SetValue("V_new_email", ctx.field("new_email"));
  add_field_errors(d, ctx.locale, errors);
  return page.render(status);
}

http::Response rate_limited(Page& page, int64_t wait) {
  auto r = page.render(429);
  r.set_header("Retry-After", std::to_string(wait));
  return r;
}
}  // namespace

http::Response signup_show(Context& ctx) {
  if (ctx.user) return http::Response::redirect("/start");
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
  int64_t id =
      ctx.app.stores().users.sign_up({f.email, f.display_name, hash, ctx.locale}, link,
                                     confirmation(ctx, f.email, f.display_name, link.token),
                                     already_registered(ctx, f.email), ctx.now);
  return signup_done(ctx, f.email, fix_token(ctx, f.email, id));
}

http::Response correct_address(Context& ctx) {
  auto old_email = model::normalize_email(ctx.field("email"));
  auto fix = ctx.field("fix");
  if (!old_email) return ctx.app.error_page(ctx, 400, "signup.fix_invalid");
  auto new_email = model::normalize_email(ctx.field("new_email"));
  if (!new_email)
    return signup_done(
        ctx, *old_email, fix,
        {{"new_email", ctx.field("new_email").empty() ? "email.missing" : "email.invalid"}}, 422);
  if (model::same_address(*new_email, *old_email))
    return signup_done(ctx, *old_email, fix, {{"new_email", "signup.fix_same"}}, 422);
  // Each correction sends a mail to an address typed in: it counts as a sign-up.
  if (int64_t wait = throttle(ctx, "signup-ip:" + client_key(ctx),
                              ctx.app.config().signups_per_ip_hour, 3600)) {
    log::warn("signup_rate_limited", {{"remote", ctx.req.remote_addr}});
    auto r = signup_done(ctx, *old_email, fix, {{"new_email", "signup.too_many"}}, 429);
    r.set_header("Retry-After", std::to_string(wait));
    return r;
  }
  int64_t moved_id = 0;
  store::Link link{random::token(32), kConfirmSeconds};
  bool moved = ctx.app.stores().users.correct_signup_address(
      *old_email, *new_email,
      [&](int64_t user_id) {
        bool fits = fix_token_fits(ctx, fix, *old_email, user_id);
        if (fits) moved_id = user_id;
        return fits;
      },
      link,
      [&](const store::Addressee& to) { return confirmation(ctx, to.email, to.name, link.token); },
      already_registered(ctx, *new_email), ctx.now);
  if (!moved) log::info("signup_address_not_corrected", {{"remote", ctx.req.remote_addr}});
  // The same page either way: it does not say whether the new address is registered.
  return signup_done(ctx, *new_email, fix_token(ctx, *new_email, moved ? moved_id : 0));
}

http::Response confirm_show(Context& ctx) {
  auto token = ctx.query_value("token");
  switch (ctx.app.stores().users.confirmation_link(token, ctx.now)) {
    case store::LinkState::open:
      return link_action_page(ctx, "confirm", "/registrieren/bestaetigen", token);
    case store::LinkState::done:
      return http::Response::redirect("/anmelden?hinweis=schon_bestaetigt");
    case store::LinkState::invalid:
      break;
  }
  return ctx.app.error_page(ctx, 410, "confirm.invalid");
}

http::Response confirm_email(Context& ctx) {
  if (ctx.app.stores().users.confirm_email(ctx.field("token"), ctx.now) != store::LinkState::done)
    return ctx.app.error_page(ctx, 410, "confirm.invalid");
  return http::Response::redirect("/anmelden?hinweis=bestaetigt");
}

http::Response resend_confirmation(Context& ctx) {
  auto email = model::normalize_email(ctx.field("email"));
  Page page(ctx, "accounts/check_mail.html", i18n::t(ctx.locale, "signup.done_title"));
  page.dict().SetValue("EMAIL", email.value_or(""));
  if (int64_t wait = throttle(ctx, "resend-ip:" + client_key(ctx),
                              ctx.app.config().resets_per_ip_hour, 3600)) {
    log::warn("resend_rate_limited", {{"remote", ctx.req.remote_addr}});
    page.dict().SetValue("TEXT", i18n::t(ctx.locale, "signup.resend_too_many"));
    return rate_limited(page, wait);
  }
  // Per account the limit is silent, as for reset links: the page does not say whether
  // the address has an account, and nobody can fill an inbox with confirmation mails.
  if (email && throttle(ctx, "resend-account:" + lower_ascii(*email), 3, 3600)) {
    log::warn("resend_account_rate_limited", {{"remote", ctx.req.remote_addr}});
  } else if (email) {
    store::Link link{random::token(32), kConfirmSeconds};
    ctx.app.stores().users.resend_confirmation(
        *email, link,
        [&](const store::Addressee& to) {
          return confirmation(ctx, to.email, to.name, link.token);
        },
        ctx.now);
  }
  page.dict().SetValue("TEXT", i18n::t(ctx.locale, "signup.resent_text"));
  return page.render(200);
}

}  // namespace verbund::web::accounts
