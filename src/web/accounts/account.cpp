// The signed-in user's account: change of e-mail (needs the password, confirmed by a
// link to the new address), change of password, and the language switch.
#include "core/i18n.hpp"
#include "core/log.hpp"
#include "core/password.hpp"
#include "core/random.hpp"
#include "web/accounts/forms.hpp"
#include "web/accounts/handlers.hpp"

namespace verbund::web::accounts {

namespace {
constexpr int64_t kEmailChangeSeconds = 24 * 3600;

http::Response account_page(Context& ctx, const std::vector<model::FieldError>& errors, int status,
                            const std::string& sole_admin_of = "") {
  Page page(ctx, "accounts/account.html", i18n::t(ctx.locale, "account.title"));
  auto& d = page.dict();
  d.SetValue("EMAIL", ctx.user->email);
  d.SetValue("NAME", ctx.user->display_name);
  d.SetValue("V_new_email", ctx.field("new_email"));
  for (const auto& g : ctx.user->roles) {
    auto* r = d.AddSectionDictionary("ROLE");
    r->SetValue("ROLE", i18n::t(ctx.locale, "role." + std::string(model::role_key(g.role))));
    if (!g.scope_name.empty()) r->SetValueAndShowSection("SCOPE", g.scope_name, "HAS_SCOPE");
  }
  if (ctx.user->roles.empty()) d.ShowSection("NO_ROLES");
  // The organisations that keep the person from deleting the account, one per line.
  if (!sole_admin_of.empty()) {
    auto* list = d.AddSectionDictionary("SOLE_ADMIN");
    std::size_t b = 0;
    for (std::size_t e; (e = sole_admin_of.find('\n', b)) != std::string::npos; b = e + 1)
      list->AddSectionDictionary("ORG")->SetValue("NAME", sole_admin_of.substr(b, e - b));
  }
  add_field_errors(d, ctx.locale, errors);
  return page.render(status);
}

bool password_matches(Context& ctx, const std::string& pass) {
  auto cred = ctx.app.stores().users.credentials(ctx.user->id);
  return cred && password::verify(cred->password_hash, pass);
}
}  // namespace

http::Response account_show(Context& ctx) { return account_page(ctx, {}, 200); }

http::Response account_change_email(Context& ctx) {
  std::vector<model::FieldError> errors;
  auto email = model::normalize_email(ctx.field("new_email"));
  if (ctx.field("new_email").empty())
    errors.push_back({"new_email", "email.missing"});
  else if (!email)
    errors.push_back({"new_email", "email.invalid"});
  if (!password_matches(ctx, ctx.field("current_password")))
    errors.push_back({"current_password", "account.password_wrong"});
  if (!errors.empty()) return account_page(ctx, errors, 422);
  // Nothing is sent when the address is taken: the page says nothing about other accounts.
  store::Link link{random::token(32), kEmailChangeSeconds};
  ctx.app.stores().users.request_email_change(
      ctx.user->id, *email, link,
      ctx.app.mail(
          *email, ctx.locale, "change_email",
          {{"NAME", ctx.user->display_name},
           {"LINK", ctx.app.absolute_url("/konto/email-bestaetigen?token=" + link.token)}}),
      ctx.now);
  return http::Response::redirect("/konto?hinweis=email_gesendet");
}

http::Response account_email_change_show(Context& ctx) {
  auto token = ctx.query_value("token");
  auto link = ctx.app.stores().users.email_change_link(token, ctx.now);
  switch (link.state) {
    case store::LinkState::open:
      return link_action_page(ctx, "email_change", "/konto/email-bestaetigen", token,
                              link.new_email);
    case store::LinkState::done:
      return http::Response::redirect(ctx.user ? "/konto?hinweis=email_geaendert"
                                               : "/anmelden?hinweis=email_schon_geaendert");
    case store::LinkState::invalid:
      break;
  }
  return ctx.app.error_page(ctx, 410, "confirm.invalid");
}

http::Response account_confirm_email_change(Context& ctx) {
  auto token = ctx.field("token");
  auto changed = ctx.app.stores().users.change_email(token, ctx.now);
  if (!changed && changed.error().code == "invalid")
    return ctx.app.error_page(ctx, 410, "confirm.invalid");
  if (!changed) return ctx.app.error_page(ctx, 409, "account.email_taken");
  return http::Response::redirect("/konto?hinweis=email_geaendert");
}

http::Response account_change_password(Context& ctx) {
  std::vector<model::FieldError> errors;
  if (!password_matches(ctx, ctx.field("current_password_pw")))
    errors.push_back({"current_password_pw", "account.password_wrong"});
  check_new_password(ctx, ctx.field("new_password"), ctx.field("new_password_repeat"),
                     ctx.user->email, ctx.user->display_name, "new_password", errors);
  if (!errors.empty()) return account_page(ctx, errors, 422);
  auto hash = password::hash(ctx.field("new_password"), ctx.app.config().password_hash_strength);
  ctx.app.stores().users.change_password(ctx.user->id, hash, ctx.now);
  // Other devices are signed out; this one gets a fresh session.
  return ctx.app.sign_in(ctx, ctx.user->id, "/konto?hinweis=passwort_geaendert");
}

// Deleting the own account: the password again, then everything goes at once. A
// confirmation mail tells the address that it happened (and that nothing is left).
http::Response account_delete(Context& ctx) {
  if (!password_matches(ctx, ctx.field("current_password_del")))
    return account_page(ctx, {{"current_password_del", "account.password_wrong"}}, 422);
  auto deleted = ctx.app.stores().users.delete_account(
      ctx.user->id,
      ctx.app.mail(ctx.user->email, ctx.user->locale, "account_deleted",
                   {{"NAME", model::one_line(ctx.user->display_name)}}),
      ctx.now);
  if (!deleted && deleted.error().code == "sole_admin")
    return account_page(ctx, {{"current_password_del", "account.delete_sole_admin"}}, 409,
                        deleted.error().message);
  if (!deleted)
    return account_page(ctx, {{"current_password_del", "account.delete_last_platform_admin"}}, 409);
  log::info("account_deleted", {{"user", std::to_string(ctx.user->id)}});
  return ctx.app.sign_out(ctx, "/?hinweis=konto_geloescht");
}

namespace {

http::Response language_chosen(Context& ctx, const std::string& lang, const std::string& back) {
  auto r = http::Response::redirect(safe_next(back));
  // Set only on the visitor's explicit choice.
  r.set_header("Set-Cookie", "sprache=" + lang + "; Path=/; Max-Age=31536000; SameSite=Lax" +
                                 std::string(ctx.app.is_secure(ctx.req) ? "; Secure" : ""));
  return r;
}

}  // namespace

// Visitors switch with a link: a preference cookie needs no CSRF token, and pages
// without forms stay free of per-visitor tokens. A GET changes nothing stored, also
// for a signed-in person (a link on another site must not change their account).
http::Response switch_language(Context& ctx) {
  auto lang = ctx.query_value("zu");
  if (lang != "de" && lang != "en") return ctx.app.error_page(ctx, 400, "error.language");
  return language_chosen(ctx, lang, ctx.query_value("zurueck"));
}

// Signed-in people switch with a form (CSRF-checked): the language is also stored, for
// their mails and their other devices.
http::Response switch_language_stored(Context& ctx) {
  auto lang = ctx.field("zu");
  if (lang != "de" && lang != "en") return ctx.app.error_page(ctx, 400, "error.language");
  ctx.app.stores().users.set_locale(ctx.user->id, lang);
  return language_chosen(ctx, lang, ctx.field("zurueck"));
}

void register_routes(App& app) {
  using http::Method;
  app.add(Method::get, "/registrieren", {signup_show});
  app.add(Method::post, "/registrieren", {signup_submit});
  app.add(Method::get, "/registrieren/bestaetigen", {confirm_show});
  app.add(Method::post, "/registrieren/bestaetigen", {confirm_email});
  app.add(Method::post, "/registrieren/erneut-senden", {resend_confirmation});
  app.add(Method::post, "/registrieren/adresse", {correct_address});
  app.add(Method::get, "/anmelden", {login_show});
  app.add(Method::post, "/anmelden", {login_submit});
  app.add(Method::post, "/abmelden", {logout, Access::signed_in});
  app.add(Method::get, "/passwort-vergessen", {reset_request_show});
  app.add(Method::post, "/passwort-vergessen", {reset_request_submit});
  app.add(Method::get, "/passwort-neu", {reset_show});
  app.add(Method::post, "/passwort-neu", {reset_submit});
  app.add(Method::get, "/start", {start_page, Access::signed_in});
  app.add(Method::get, "/konto", {account_show, Access::signed_in});
  app.add(Method::post, "/konto/email", {account_change_email, Access::signed_in});
  app.add(Method::post, "/konto/passwort", {account_change_password, Access::signed_in});
  app.add(Method::post, "/konto/loeschen", {account_delete, Access::signed_in});
  app.add(Method::get, "/konto/email-bestaetigen", {account_email_change_show});
  app.add(Method::post, "/konto/email-bestaetigen", {account_confirm_email_change});
  app.add(Method::get, "/sprache", {switch_language});
  app.add(Method::post, "/sprache", {switch_language_stored, Access::signed_in});
}

}  // namespace verbund::web::accounts
