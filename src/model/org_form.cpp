#include "model/org_form.hpp"

#include <algorithm>
#include <cctype>

namespace verbund::model {

namespace {

void trim(std::string& s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  s.erase(0, i);
}

bool single_line(const std::string& s) { return s.find_first_of("\r\n") == std::string::npos; }

}  // namespace

const std::vector<std::string>& legal_forms() {
  static const std::vector<std::string> forms = {"e.V.",     "gGmbH",          "gUG",
                                                 "Stiftung", "Genossenschaft", "Sonstige"};
  return forms;
}

std::vector<FieldError> validate(OrgBasics& b, const std::set<std::string>& region_codes,
                                 const std::set<std::string>& field_keys,
                                 const std::set<std::string>& group_keys) {
  std::vector<FieldError> e;
  for (auto* s :
       {&b.name, &b.short_name, &b.legal_form, &b.region_code, &b.street, &b.postcode, &b.city,
        &b.short_description, &b.about, &b.email, &b.phone, &b.website, &b.reply})
    trim(*s);
  for (auto* s : {&b.name, &b.short_name, &b.street, &b.city, &b.short_description, &b.about,
                  &b.email, &b.phone, &b.website, &b.reply})
    if (!valid_utf8(*s)) {
      e.push_back({"name", "org.invalid_text"});
      return e;
    }
  auto len = [](const std::string& s) { return utf8_length(s); };
  // Errors in the order of the form's fields: the summary reads like the form.
  if (len(b.reply) > 2000) e.push_back({"reply", "org.reply_too_long"});
  if (b.name.empty())
    e.push_back({"name", "org.name_missing"});
  else if (len(b.name) < 3 || len(b.name) > 150 || !single_line(b.name))
    e.push_back({"name", "org.name_length"});
  if (len(b.short_name) > 40 || !single_line(b.short_name))
    e.push_back({"short_name", "org.short_name_length"});
  if (std::find(legal_forms().begin(), legal_forms().end(), b.legal_form) == legal_forms().end())
    e.push_back({"legal_form", "org.legal_form_missing"});
  if (!region_codes.count(b.region_code)) e.push_back({"region", "org.region_missing"});
  if (b.short_description.empty())
    e.push_back({"short_description", "org.summary_missing"});
  else if (len(b.short_description) > kShortDescriptionMax)
    e.push_back({"short_description", "org.summary_too_long"});
  if (len(b.about) > kAboutMax) e.push_back({"about", "org.about_too_long"});
  if (b.fields.empty()) e.push_back({"fields", "org.fields_missing"});
  for (const auto& f : b.fields)
    if (!field_keys.count(f)) {
      e.push_back({"fields", "org.fields_missing"});
      break;
    }
  for (const auto& g : b.target_groups)
    if (!group_keys.count(g)) {
      e.push_back({"target_groups", "org.groups_invalid"});
      break;
    }
  if (len(b.street) > 150 || !single_line(b.street)) e.push_back({"street", "org.street_length"});
  if (!b.postcode.empty() &&
      (b.postcode.size() != 5 || !std::all_of(b.postcode.begin(), b.postcode.end(),
                                              [](char c) { return c >= '0' && c <= '9'; })))
    e.push_back({"postcode", "org.postcode_invalid"});
  if (b.city.empty())
    e.push_back({"city", "org.city_missing"});
  else if (len(b.city) > 100 || !single_line(b.city))
    e.push_back({"city", "org.city_length"});
  // "www.example.de" is meant as a web address: it becomes "https://www.example.de".
  if (!b.website.empty() && b.website.find("://") == std::string::npos)
    b.website = "https://" + b.website;
  if (!b.email.empty() && !normalize_email(b.email)) e.push_back({"email", "email.invalid"});
  if (len(b.phone) > 40 || !single_line(b.phone) ||
      b.phone.find_first_not_of("0123456789 +-/()") != std::string::npos)
    e.push_back({"phone", "org.phone_invalid"});
  if (!b.website.empty() &&
      ((!b.website.starts_with("https://") && !b.website.starts_with("http://")) ||
       b.website.size() > 300 || b.website.find_first_of(" \"<>\r\n") != std::string::npos ||
       b.website.find('.') == std::string::npos))
    e.push_back({"website", "org.website_invalid"});
  std::sort(b.fields.begin(), b.fields.end());
  b.fields.erase(std::unique(b.fields.begin(), b.fields.end()), b.fields.end());
  std::sort(b.target_groups.begin(), b.target_groups.end());
  b.target_groups.erase(std::unique(b.target_groups.begin(), b.target_groups.end()),
                        b.target_groups.end());
  return e;
}

void apply_basics(Organisation& o, const OrgBasics& b, int64_t region_id) {
  o.name = b.name;
  o.short_name = b.short_name;
  o.legal_form = b.legal_form;
  o.region_id = region_id;
  o.street = b.street;
  o.postcode = b.postcode;
  o.city = b.city;
  o.short_description = b.short_description;
  o.about = b.about;
  o.email = b.email;
  o.phone = b.phone;
  o.website = b.website;
  o.fields = b.fields;
  o.target_groups = b.target_groups;
}

}  // namespace verbund::model
