// The second section of an organisation's profile ("Weitere Angaben"): why it takes
// part, languages, opening hours, coordinates, social links, donation link and the
// Impressum. Same access rule as the basics (organisation admins and platform admins;
// everyone else gets 404) and the same version check: both sections share the
// organisation's version, so a save of either in between is reported as a conflict.
#include <algorithm>

#include "core/i18n.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "model/org_details.hpp"
#include "search/places.hpp"
#include "web/orgs/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::orgs {

namespace {

std::string edit_url(int64_t id) { return "/meine-organisationen/" + std::to_string(id); }
std::string details_url(int64_t id) { return edit_url(id) + "/details"; }

int64_t current_year(int64_t now) { return std::stoll(timefmt::utc(now, "%Y")); }

// Every text input of templates/orgs/details.html: form field name and value.
std::vector<std::pair<const char*, std::string model::OrgDetailsForm::*>> text_inputs() {
  using F = model::OrgDetailsForm;
  return {{"why", &F::why},
          {"founded", &F::founded},
          {"accessibility", &F::accessibility},
          {"opening_hours", &F::opening_hours},
          {"latitude", &F::latitude},
          {"longitude", &F::longitude},
          {"mastodon", &F::mastodon},
          {"instagram", &F::instagram},
          {"facebook", &F::facebook},
          {"linkedin", &F::linkedin},
          {"youtube", &F::youtube},
          {"feed_url", &F::feed_url},
          {"donation_url", &F::donation_url},
          {"legal_representative", &F::legal_representative},
          {"register_entry", &F::register_entry},
          {"content_responsible", &F::content_responsible}};
}

model::OrgDetailsForm parse_details(const Context& ctx) {
  model::OrgDetailsForm f;
  for (const auto& [name, member] : text_inputs()) f.*member = ctx.field(name);
  auto range = ctx.form.equal_range("languages");
  for (auto it = range.first; it != range.second && f.languages.size() < 60; ++it)
    f.languages.push_back(it->second);
  return f;
}

void fill_details(Context& ctx, ctemplate::TemplateDictionary& d, const model::OrgDetailsForm& f) {
  for (const auto& [name, member] : text_inputs()) d.SetValue(std::string("V_") + name, f.*member);
  d.SetIntValue("WHY_MAX", static_cast<long>(model::kWhyMax));
  d.SetIntValue("TEXT_MAX", static_cast<long>(model::kDetailTextMax));
  for (const auto& code : model::offered_languages()) {
    auto* o = d.AddSectionDictionary("LANGUAGE_OPTION");
    o->SetValue("LANG_CODE", code);
    o->SetValue("LANG_LABEL", i18n::t(ctx.locale, "language." + code));
    if (std::find(f.languages.begin(), f.languages.end(), code) != f.languages.end())
      o->SetValue("LANG_CHECKED", "checked");
  }
}

http::Response details_page(Context& ctx, const model::OrgDetailsForm& f,
                            const std::vector<model::FieldError>& errors, int status,
                            const store::ManagedOrg& org) {
  Page page(ctx, "orgs/details.html", i18n::t(ctx.locale, "details.title"));
  auto& d = page.dict();
  d.SetValue("ORG_NAME", org.name);
  d.SetValue("EDIT_URL", edit_url(org.id));
  d.SetValue("ACTION", details_url(org.id));
  d.SetIntValue("VERSION", static_cast<long>(org.version));
  if (org.status == "published")
    d.SetValueAndShowSection("PUBLIC_URL", "/organisationen/" + org.slug, "HAS_PUBLIC_PAGE");
  fill_details(ctx, d, f);
  // Where a map is configured the admin may drop a pin; the map opens at the postcode.
  if (!ctx.app.config().map_tile_url.empty()) {
    auto* section = d.AddSectionDictionary("PIN_MAP");
    fill_map_assets(ctx, *section);
    auto basics = ctx.app.stores().organisations.basics(actor(ctx), org.id);
    if (auto near = basics ? search::postcode_point(basics->first.postcode) : std::nullopt) {
      section->SetValue("NEAR_LAT", model::format_degrees(near->lat));
      section->SetValue("NEAR_LON", model::format_degrees(near->lon));
    }
  }
  add_field_errors(d, ctx.locale, errors);
  return page.render(status);
}

}  // namespace

http::Response details_show(Context& ctx) {
  int64_t id = std::stoll(ctx.param(0));
  auto found = ctx.app.stores().organisations.details(actor(ctx), id);
  if (!found) return ctx.app.error_page(ctx, 404);
  return details_page(ctx, model::to_form(found->first), {}, 200, found->second);
}

http::Response details_submit(Context& ctx) {
  int64_t id = std::stoll(ctx.param(0));
  auto found = ctx.app.stores().organisations.managed(actor(ctx), id);
  if (!found) return ctx.app.error_page(ctx, 404);
  int64_t version = 0;
  try {
    version = std::stoll(ctx.field("version"));
  } catch (...) {
    return ctx.app.error_page(ctx, 400);
  }
  // The version the form was loaded with travels back, so a re-rendered form still
  // detects a save by someone else in between.
  store::ManagedOrg shown = *found;
  shown.version = version;
  auto form = parse_details(ctx);
  model::OrgDetails details;
  auto errors = model::validate(form, current_year(ctx.now), details);
  if (!errors.empty()) return details_page(ctx, form, errors, 422, shown);
  auto st = ctx.app.stores().organisations.save_details(actor(ctx), id, version, details, ctx.now);
  if (!st) {
    if (st.error().code == "not_found") return ctx.app.error_page(ctx, 404);
    // Someone saved either section first: keep this person's input and say so.
    return details_page(ctx, form, {{"conflict", "org.conflict"}}, 409, shown);
  }
  log::info("organisation_details_saved",
            {{"id", std::to_string(id)}, {"user", std::to_string(ctx.user->id)}});
  return http::Response::redirect(details_url(id) + "?hinweis=gespeichert");
}

}  // namespace verbund::web::orgs
