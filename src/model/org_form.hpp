// The basic section of an organisation's profile as entered in a form, and its rules.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "model/organisation.hpp"
#include "model/user.hpp"

namespace verbund::model {

struct OrgBasics {
  std::string name;
  std::string short_name;
  std::string legal_form;
  std::string region_code;
  std::string street, postcode, city;
  std::string short_description;
  std::string about;
  std::string email, phone, website;
  std::vector<std::string> fields;
  std::vector<std::string> target_groups;
  std::string reply;  // answer to a rejection (applicants only)
};

inline constexpr std::size_t kShortDescriptionMax = 300;
inline constexpr std::size_t kAboutMax = 10000;

// Field errors for `b`, given the keys that exist. Trims the text fields in place.
std::vector<FieldError> validate(OrgBasics& b, const std::set<std::string>& region_codes,
                                 const std::set<std::string>& field_keys,
                                 const std::set<std::string>& group_keys);

const std::vector<std::string>& legal_forms();

// Copies the basics section into an organisation (registration, import, preview); the
// region is given as its id, already looked up from b.region_code.
void apply_basics(Organisation& o, const OrgBasics& b, int64_t region_id);

}  // namespace verbund::model
