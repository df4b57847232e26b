#include "web/accounts/forms.hpp"

#include <algorithm>

#include "core/i18n.hpp"
#include "core/password.hpp"
#include "http/client_addr.hpp"

namespace verbund::web::accounts {

void check_new_password(const Context& ctx, const std::string& password, const std::string& repeat,
                        const std::string& email, const std::string& name, const std::string& field,
                        std::vector<model::FieldError>& errors) {
  if (password.empty()) {
    errors.push_back({field, "password.missing"});
    return;
  }
  std::vector<std::string> context{ctx.app.config().site_name};
  if (!name.empty()) context.push_back(name);
  if (auto problem =
          model::password_problem(password, email, password::common_passwords(), context)) {
    errors.push_back({field, *problem});
    return;
  }
  if (password != repeat) errors.push_back({field + "_repeat", "password.mismatch"});
}

SignupForm parse_signup(const Context& ctx) {
  SignupForm f;
  f.display_name = ctx.field("display_name");
  f.email = ctx.field("email");
  f.password = ctx.field("password");
  f.password_repeat = ctx.field("password_repeat");
  while (!f.display_name.empty() && f.display_name.back() == ' ') f.display_name.pop_back();
  while (!f.display_name.empty() && f.display_name.front() == ' ') f.display_name.erase(0, 1);
  if (auto problem = model::display_name_problem(f.display_name))
    f.errors.push_back({"display_name", *problem});
  if (f.email.empty()) {
    f.errors.push_back({"email", "email.missing"});
  } else if (auto e = model::normalize_email(f.email)) {
    f.email = *e;
  } else {
    f.errors.push_back({"email", "email.invalid"});
  }
  check_new_password(ctx, f.password, f.password_repeat, f.email, f.display_name, "password",
                     f.errors);
  return f;
}

std::string safe_next(const std::string& next, const std::string& fallback) {
  // A same-origin path as browsers parse it (WHATWG URL): they drop tabs and newlines
  // anywhere and read a backslash as a slash, so "/\t/evil.example" and "/\\evil.example"
  // would both become "//evil.example", another host. Only printable ASCII without
  // spaces and backslashes is let through (anything else arrives percent-encoded), with
  // one leading slash.
  if (next.empty() || next.size() > 2000 || next[0] != '/') return fallback;
  for (unsigned char ch : next)
    if (ch <= 0x20 || ch >= 0x7f || ch == '\\') return fallback;
  if (next.size() > 1 && next[1] == '/') return fallback;
  return next;
}

int64_t throttle(Context& ctx, const std::string& scope, int max, int64_t window_seconds) {
  return ctx.app.stores().throttle.attempt(scope, max, window_seconds, ctx.now);
}

std::string lower_ascii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string client_key(const Context& ctx) { return http::rate_limit_key(ctx.req.remote_addr); }

http::Response link_action_page(Context& ctx, const std::string& keys, const std::string& action,
                                const std::string& token, const std::string& email) {
  Page page(ctx, "accounts/link_action.html", i18n::t(ctx.locale, keys + ".title"));
  auto& d = page.dict();
  d.SetValue("HEADING", i18n::t(ctx.locale, keys + ".title"));
  d.SetValue("TEXT", i18n::t(ctx.locale, keys + ".text"));
  d.SetValue("SUBMIT", i18n::t(ctx.locale, keys + ".submit"));
  d.SetValue("ACTION", action);
  d.SetValue("TOKEN", token);
  if (!email.empty()) d.SetValueAndShowSection("EMAIL", email, "HAS_EMAIL");
  return page.render();
}

}  // namespace verbund::web::accounts
