// "Barriere melden": anyone reports a barrier; the platform admins (the operator) get
// it by mail. Limited per IP like sign-ups; the form keeps the input on every error.
#include "core/i18n.hpp"
#include "core/log.hpp"
#include "model/user.hpp"
#include "web/accounts/forms.hpp"
#include "web/app.hpp"
#include "web/view.hpp"

namespace verbund::web::pages {

namespace {
constexpr std::size_t kDescriptionMax = 2000;
constexpr int kReportsPerIpHour = 5;

http::Response report_form(Context& ctx, const std::vector<model::FieldError>& errors, int status) {
  Page page(ctx, "pages/barrier.html", i18n::t(ctx.locale, "barrier.title"));
  auto& d = page.dict();
  d.SetValue("V_where",
             ctx.req.method == http::Method::post ? ctx.field("where") : ctx.query_value("seite"));
  d.SetValue("V_description", ctx.field("description"));
  d.SetValue("V_contact", ctx.field("contact"));
  d.SetIntValue("DESCRIPTION_MAX", static_cast<long>(kDescriptionMax));
  add_field_errors(d, ctx.locale, errors);
  return page.render(status);
}
}  // namespace

http::Response barrier_show(Context& ctx) { return report_form(ctx, {}, 200); }

http::Response barrier_submit(Context& ctx) {
  std::vector<model::FieldError> errors;
  auto where = model::one_line(ctx.field("where"));
  auto description = ctx.field("description");
  auto contact = ctx.field("contact");
  if (!model::valid_utf8(where) || model::utf8_length(where) > 300)
    errors.push_back({"where", "barrier.where_too_long"});
  if (description.find_first_not_of(" \r\n\t") == std::string::npos)
    errors.push_back({"description", "barrier.description_missing"});
  else if (!model::valid_utf8(description) || model::utf8_length(description) > kDescriptionMax)
    errors.push_back({"description", "barrier.description_too_long"});
  if (!contact.empty() && !model::normalize_email(contact))
    errors.push_back({"contact", "email.invalid"});
  if (!errors.empty()) return report_form(ctx, errors, 422);
  if (int64_t wait = accounts::throttle(ctx, "barrier-ip:" + accounts::client_key(ctx),
                                        kReportsPerIpHour, 3600)) {
    auto r = report_form(ctx, {{"description", "barrier.too_many"}}, 429);
    r.set_header("Retry-After", std::to_string(wait));
    return r;
  }
  int sent = ctx.app.stores().users.notify_platform_admins(
      [&](const store::Addressee& to) {
        return ctx.app.mail(to.email, to.locale, "barrier_report",
                            {{"WHERE", where.empty() ? "–" : where},
                             {"DESCRIPTION", description},
                             {"CONTACT", contact.empty() ? "–" : contact}});
      },
      ctx.now);
  log::info("barrier_reported", {{"recipients", std::to_string(sent)}});
  Page page(ctx, "pages/barrier_done.html", i18n::t(ctx.locale, "barrier.done_title"));
  return page.render(200);
}

}  // namespace verbund::web::pages
