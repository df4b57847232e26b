// The second section of an organisation's profile ("Weitere Angaben"): why it takes
// part, founding year, languages, accessibility, opening hours, coordinates, social
// links, feed and donation links and the Impressum details. The form keeps what a
// person typed; validate() turns it into the values that are stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/user.hpp"

namespace verbund::model {

// The section as stored and shown.
struct OrgDetails {
  std::string why;
  std::optional<int64_t> founded;
  std::vector<std::string> languages;  // codes of offered_languages(), in that order
  std::string accessibility, opening_hours;
  std::optional<double> latitude, longitude;                     // both or neither
  std::string mastodon, instagram, facebook, linkedin, youtube;  // canonical https links
  std::string feed_url, donation_url;
  std::string legal_representative, register_entry, content_responsible;
};

// The section as typed into the form (numbers as text, links as entered).
struct OrgDetailsForm {
  std::string why, founded;
  std::vector<std::string> languages;
  std::string accessibility, opening_hours;
  std::string latitude, longitude;
  std::string mastodon, instagram, facebook, linkedin, youtube;
  std::string feed_url, donation_url;
  std::string legal_representative, register_entry, content_responsible;
};

inline constexpr std::size_t kWhyMax = 1000;
inline constexpr std::size_t kDetailTextMax = 300;  // hours, accessibility, Impressum
inline constexpr int64_t kFoundedMin = 1800;
// Germany with a margin: coordinates outside are almost always a typo or swapped.
inline constexpr double kLatitudeMin = 47.0, kLatitudeMax = 55.1;
inline constexpr double kLongitudeMin = 5.8, kLongitudeMax = 15.1;

// Field errors for `form` (trimmed in place); fills `out` with the values to store.
// `out` is meaningful only when no error is returned.
std::vector<FieldError> validate(OrgDetailsForm& form, int64_t current_year, OrgDetails& out);

// The stored section as the form shows it.
OrgDetailsForm to_form(const OrgDetails& d);

// Languages an organisation can say it offers, in the order the form lists them; each
// has a catalog key "language.<code>".
const std::vector<std::string>& offered_languages();

// "de,ar tr" → {"de", "ar", "tr"}: the stored column is split at commas and spaces.
std::vector<std::string> split_language_codes(std::string_view stored);

// A year from "1998" (digits only), within kFoundedMin..current_year.
std::optional<int64_t> parse_founded(std::string_view text, int64_t current_year);

// Decimal degrees as people type them: "51.31607", "51,31607" or "-0.5"; nullopt for
// anything else. Rounded to six decimals (about 10 cm).
std::optional<double> parse_degrees(std::string_view text);

// The shortest text that reads back as `degrees` ("51.31607").
std::string format_degrees(double degrees);

}  // namespace verbund::model
