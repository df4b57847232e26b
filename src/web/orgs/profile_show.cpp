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

void register_routes(App& app) {
  using http::Method;
  app.add(Method::get, "/organisationen", {directory});
  app.add(Method::get, "/organisationen/{slug:slug}", {profile});
  app.add(Method::get, "/meine-organisationen", {my_organisations, Access::signed_in});
  app.add(Method::get, "/meine-organisationen/neu", {new_show, Access::signed_in});
  app.add(Method::post, "/meine-organisationen/neu", {new_submit, Access::signed_in});
  app.add(Method::get, "/meine-organisationen/{id:int}", {edit_show, Access::signed_in});
  app.add(Method::post, "/meine-organisationen/{id:int}", {edit_submit, Access::signed_in});
  app.add(Method::get, "/redaktion", {review_queue, Access::signed_in});
  app.add(Method::post, "/redaktion/{id:int}/entscheidung", {review_decide, Access::signed_in});
}

}  // namespace verbund::web::orgs
