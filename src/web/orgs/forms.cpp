#include "web/orgs/forms.hpp"

#include <algorithm>
#include <set>

#include "core/i18n.hpp"

namespace verbund::web::orgs {

model::OrgBasics parse_basics(const Context& ctx) {
  model::OrgBasics b;
  b.name = ctx.field("name");
  b.short_name = ctx.field("short_name");
  b.legal_form = ctx.field("legal_form");
  b.region_code = ctx.field("region");
  b.street = ctx.field("street");
  b.postcode = ctx.field("postcode");
  b.city = ctx.field("city");
  b.short_description = ctx.field("short_description");
  b.about = ctx.field("about");
  b.email = ctx.field("email");
  b.phone = ctx.field("phone");
  b.website = ctx.field("website");
  b.reply = ctx.field("reply");
  auto range = ctx.form.equal_range("fields");
  for (auto it = range.first; it != range.second && b.fields.size() < 20; ++it)
    b.fields.push_back(it->second);
  range = ctx.form.equal_range("target_groups");
  for (auto it = range.first; it != range.second && b.target_groups.size() < 30; ++it)
    b.target_groups.push_back(it->second);
  return b;
}

int64_t check_basics(Context& ctx, model::OrgBasics& b, std::vector<model::FieldError>& errors) {
  auto [regions, taxonomy] = ctx.app.stores().organisations.form_choices();
  std::set<std::string> codes;
  int64_t region_id = 0;
  for (const auto& r : regions) {
    codes.insert(r.code);
    if (r.code == b.region_code) region_id = r.id;
  }
  std::set<std::string> fields(taxonomy.fields.begin(), taxonomy.fields.end());
  std::set<std::string> groups(taxonomy.target_groups.begin(), taxonomy.target_groups.end());
  auto found = model::validate(b, codes, fields, groups);
  errors.insert(errors.end(), found.begin(), found.end());
  return region_id;
}

void fill_form(Context& ctx, ctemplate::TemplateDictionary& d, const model::OrgBasics& b) {
  d.SetValue("V_name", b.name);
  d.SetValue("V_short_name", b.short_name);
  d.SetValue("V_street", b.street);
  d.SetValue("V_postcode", b.postcode);
  d.SetValue("V_city", b.city);
  d.SetValue("V_short_description", b.short_description);
  d.SetValue("V_about", b.about);
  d.SetValue("V_email", b.email);
  d.SetValue("V_phone", b.phone);
  d.SetValue("V_website", b.website);
  d.SetValue("V_reply", b.reply);
  d.SetIntValue("SUMMARY_MAX", static_cast<long>(model::kShortDescriptionMax));
  for (const auto& f : model::legal_forms()) {
    auto* o = d.AddSectionDictionary("LEGAL_FORM");
    o->SetValue("VALUE", f);
    o->SetValue("LABEL", f == "Sonstige" ? i18n::t(ctx.locale, "org.legal_form_other") : f);
    if (f == b.legal_form) o->SetValue("SELECTED", "selected");
  }
  auto [regions, taxonomy] = ctx.app.stores().organisations.form_choices();
  for (const auto& r : regions) {
    auto* o = d.AddSectionDictionary("REGION");
    o->SetValue("VALUE", r.code);
    o->SetValue("LABEL", r.name);
    if (r.code == b.region_code) o->SetValue("SELECTED", "selected");
  }
  for (const auto& f : taxonomy.fields) {
    auto* o = d.AddSectionDictionary("FIELD_OPTION");
    o->SetValue("VALUE", f);
    o->SetValue("LABEL", i18n::t(ctx.locale, "field." + f));
    if (std::find(b.fields.begin(), b.fields.end(), f) != b.fields.end())
      o->SetValue("CHECKED", "checked");
  }
  for (const auto& g : taxonomy.target_groups) {
    auto* o = d.AddSectionDictionary("GROUP_OPTION");
    o->SetValue("VALUE", g);
    o->SetValue("LABEL", i18n::t(ctx.locale, "target." + g));
    if (std::find(b.target_groups.begin(), b.target_groups.end(), g) != b.target_groups.end())
      o->SetValue("CHECKED", "checked");
  }
}

}  // namespace verbund::web::orgs
