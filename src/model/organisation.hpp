// Member organisations and regional associations (plain data, no I/O).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace verbund::model {

struct Region {
  int64_t id = 0;
  std::string code;  // "nw"
  std::string name;  // "Nordrhein-Westfalen"
};

struct Organisation {
  int64_t id = 0;
  std::string slug;
  std::string name;
  std::string short_name;
  std::string legal_form;
  int64_t region_id = 0;
  std::string region_name;
  std::string street, postcode, city, state;
  std::string short_description;
  std::string about;
  std::string why;
  std::optional<int64_t> founded;
  std::string email, phone, website;
  std::string languages;
  std::string accessibility;
  std::string opening_hours;
  std::string status = "pending";
  std::string logo_key, cover_key;  // media keys, '' when none
  std::optional<double> latitude, longitude;
  std::string social_mastodon, social_instagram, social_facebook, social_linkedin, social_youtube;
  std::string feed_url, donation_url;
  // Impressum (§ 5 DDG): who represents the organisation, its register entry, and who is
  // responsible for the content.
  std::string legal_representative, register_entry, content_responsible;
  int64_t updated_at = 0;
  std::vector<std::string> fields;         // fields_of_work keys
  std::vector<std::string> target_groups;  // target_groups keys
};

// A URL slug from a German name: lower case, umlauts transliterated (ä→ae, ß→ss),
// other characters to '-', at most 80 characters.
std::string slugify(std::string_view name);

}  // namespace verbund::model
