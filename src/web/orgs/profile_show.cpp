// The public page of an organisation: what it does, for whom, where and how to reach it.
#include "core/i18n.hpp"
#include "core/markdown.hpp"
#include "search/analyzer.hpp"
#include "store/org_manage_store.hpp"
#include "store/org_store.hpp"
#include "web/orgs/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::orgs {

http::Response profile(Context& ctx) {
  auto org =
      ctx.app.db().read([&](db::Connection& c) { return store::find_published(c, ctx.param(0)); });
  if (!org) {
    auto moved =
        ctx.app.db().read([&](db::Connection& c) { return store::current_slug(c, ctx.param(0)); });
    if (moved) return http::Response::redirect("/organisationen/" + *moved, 301);
    return ctx.app.error_page(ctx, 404, "orgs.not_found");
  }
  Page page(ctx, "orgs/profile.html", org->name);
  auto& d = page.dict();
  d.SetValue("NAME", org->name);
  if (!org->logo_key.empty()) {
    d.SetValueAndShowSection("LOGO_KEY", org->logo_key, "HAS_LOGO");
    d.SetValue("LOGO_ALT", i18n::format(ctx.locale, "orgs.profile.logo_of", {{"name", org->name}}));
  }
  if (!org->cover_key.empty()) d.SetValueAndShowSection("COVER_KEY", org->cover_key, "HAS_COVER");
  d.SetValue("LEGAL_FORM", org->legal_form);
  d.SetValue("REGION", org->region_name);
  d.SetValue("SUMMARY", org->short_description);
  d.SetValue("ABOUT_HTML", markdown::to_safe_html(org->about));
  if (!org->why.empty()) d.SetValueAndShowSection("WHY", org->why, "HAS_WHY");
  for (const auto& f : org->fields) {
    auto* item = d.AddSectionDictionary("FIELD");
    item->SetValue("LABEL", i18n::t(ctx.locale, "field." + f));
    item->SetValue("URL", "/organisationen?feld=" + f);
  }
  for (const auto& g : org->target_groups)
    d.AddSectionDictionary("TARGET")->SetValue("LABEL", i18n::t(ctx.locale, "target." + g));
  d.SetValue("STREET", org->street);
  d.SetValue("POSTCODE", org->postcode);
  d.SetValue("CITY", org->city);
  d.SetValue("STATE", org->state);
  if (!org->email.empty()) d.SetValueAndShowSection("EMAIL", org->email, "HAS_EMAIL");
  if (!org->phone.empty()) d.SetValueAndShowSection("PHONE", org->phone, "HAS_PHONE");
  if (org->website.starts_with("https://") || org->website.starts_with("http://"))
    d.SetValueAndShowSection("WEBSITE", org->website, "HAS_WEBSITE");
  if (!org->opening_hours.empty())
    d.SetValueAndShowSection("HOURS", org->opening_hours, "HAS_HOURS");
  if (!org->accessibility.empty())
    d.SetValueAndShowSection("ACCESSIBILITY", org->accessibility, "HAS_ACCESSIBILITY");
  if (org->founded)
    d.SetValueAndShowSection("FOUNDED", std::to_string(*org->founded), "HAS_FOUNDED");
  std::string languages;
  for (const auto& code : search::words(org->languages)) {
    if (!languages.empty()) languages += ", ";
    languages +=
        i18n::has(ctx.locale, "language." + code) ? i18n::t(ctx.locale, "language." + code) : code;
  }
  if (!languages.empty()) d.SetValueAndShowSection("LANGUAGES", languages, "HAS_LANGUAGES");
  return page.render();
}

}  // namespace verbund::web::orgs
