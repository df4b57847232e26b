#include "model/org_details.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "model/social_links.hpp"

namespace verbund::model {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

void trim(std::string& s) {
  while (!s.empty() && is_space(s.back())) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && is_space(s[i])) ++i;
  s.erase(0, i);
}

// Impressum lines are shown as single lines; line breaks sent anyway become spaces.
std::string one_line(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  return out;
}

bool in_range(double v, double lo, double hi) { return v >= lo && v <= hi; }

// Map services copy both numbers at once ("51.31607, 9.47843"); when they land in the
// latitude field and the longitude field is empty, they are split between the two.
void split_pasted_pair(OrgDetailsForm& f) {
  if (!f.longitude.empty()) return;
  for (std::string_view sep : {";", ", ", " "}) {
    auto at = f.latitude.find(sep);
    if (at == std::string::npos) continue;
    std::string lat = f.latitude.substr(0, at), lon = f.latitude.substr(at + sep.size());
    trim(lat);
    trim(lon);
    if (parse_degrees(lat) && parse_degrees(lon)) {
      f.latitude = lat;
      f.longitude = lon;
      return;
    }
  }
}

void check_coordinates(OrgDetailsForm& f, OrgDetails& out, std::vector<FieldError>& e) {
  split_pasted_pair(f);
  if (f.latitude.empty() && f.longitude.empty()) return;
  if (f.latitude.empty() || f.longitude.empty()) {
    e.push_back({f.latitude.empty() ? "latitude" : "longitude", "details.error.coordinates_pair"});
    return;
  }
  auto lat = parse_degrees(f.latitude), lon = parse_degrees(f.longitude);
  bool lat_ok = lat && in_range(*lat, kLatitudeMin, kLatitudeMax);
  bool lon_ok = lon && in_range(*lon, kLongitudeMin, kLongitudeMax);
  if (!lat_ok && !lon_ok && lat && lon && in_range(*lat, kLongitudeMin, kLongitudeMax) &&
      in_range(*lon, kLatitudeMin, kLatitudeMax)) {
    e.push_back({"latitude", "details.error.coordinates_swapped"});
    return;
  }
  if (!lat_ok) e.push_back({"latitude", "details.error.latitude"});
  if (!lon_ok) e.push_back({"longitude", "details.error.longitude"});
  if (lat_ok && lon_ok) {
    out.latitude = lat;
    out.longitude = lon;
  }
}

struct LinkField {
  const char* name;
  std::string OrgDetailsForm::*in;
  std::string OrgDetails::*out;
  std::optional<std::string> (*normalize)(std::string_view);
};

constexpr LinkField kLinks[] = {
    {"mastodon", &OrgDetailsForm::mastodon, &OrgDetails::mastodon, normalize_mastodon},
    {"instagram", &OrgDetailsForm::instagram, &OrgDetails::instagram, normalize_instagram},
    {"facebook", &OrgDetailsForm::facebook, &OrgDetails::facebook, normalize_facebook},
    {"linkedin", &OrgDetailsForm::linkedin, &OrgDetails::linkedin, normalize_linkedin},
    {"youtube", &OrgDetailsForm::youtube, &OrgDetails::youtube, normalize_youtube},
    {"feed_url", &OrgDetailsForm::feed_url, &OrgDetails::feed_url, normalize_web_url},
    {"donation_url", &OrgDetailsForm::donation_url, &OrgDetails::donation_url, normalize_web_url},
};

struct TextField {
  const char* name;
  std::string OrgDetailsForm::*in;
  std::string OrgDetails::*out;
  std::size_t max;
  bool single_line;
  const char* too_long_key;
};

constexpr TextField kTexts[] = {
    {"why", &OrgDetailsForm::why, &OrgDetails::why, kWhyMax, false, "details.error.why_too_long"},
    {"accessibility", &OrgDetailsForm::accessibility, &OrgDetails::accessibility, kDetailTextMax,
     false, "details.error.accessibility_too_long"},
    {"opening_hours", &OrgDetailsForm::opening_hours, &OrgDetails::opening_hours, kDetailTextMax,
     false, "details.error.hours_too_long"},
    {"legal_representative", &OrgDetailsForm::legal_representative,
     &OrgDetails::legal_representative, kDetailTextMax, true,
     "details.error.representative_too_long"},
    {"register_entry", &OrgDetailsForm::register_entry, &OrgDetails::register_entry, kDetailTextMax,
     true, "details.error.register_too_long"},
    {"content_responsible", &OrgDetailsForm::content_responsible, &OrgDetails::content_responsible,
     kDetailTextMax, true, "details.error.responsible_too_long"},
};

}  // namespace

const std::vector<std::string>& offered_languages() {
  // German, sign language and English first, then by German name.
  static const std::vector<std::string> codes = {
      "de", "dgs", "en", "sq", "ar", "bg", "da", "fr", "el", "it", "hr", "ku", "nl", "ps",
      "fa", "pl",  "pt", "ro", "ru", "sr", "so", "es", "ti", "cs", "tr", "uk", "hu", "vi"};
  return codes;
}

std::vector<std::string> split_language_codes(std::string_view stored) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : stored) {
    if (c == ',' || is_space(c)) {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::optional<int64_t> parse_founded(std::string_view text, int64_t current_year) {
  if (text.size() != 4) return std::nullopt;
  int64_t year = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (year < kFoundedMin || year > current_year) return std::nullopt;
  return year;
}

std::optional<double> parse_degrees(std::string_view text) {
  std::string s(text);
  if (s.starts_with('+')) s.erase(0, 1);
  std::size_t start = s.starts_with('-') ? 1 : 0;
  std::size_t point = s.find_first_of(".,", start);
  std::string_view whole = std::string_view(s).substr(start, point - start);
  std::string_view frac =
      point == std::string::npos ? std::string_view() : std::string_view(s).substr(point + 1);
  auto digits = [](std::string_view d) {
    return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || whole.size() > 3 || !digits(whole) || !digits(frac) || frac.size() > 15 ||
      (point != std::string::npos && frac.empty()))
    return std::nullopt;
  if (point != std::string::npos) s[point] = '.';
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || std::abs(v) > 180) return std::nullopt;
  return std::round(v * 1e6) / 1e6;
}

std::string format_degrees(double degrees) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, degrees);
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

std::vector<FieldError> validate(OrgDetailsForm& f, int64_t current_year, OrgDetails& out) {
  std::vector<FieldError> e;
  out = OrgDetails{};
  for (auto* s : {&f.founded, &f.latitude, &f.longitude}) trim(*s);
  for (const auto& t : kTexts) {
    trim(f.*t.in);
    if (!valid_utf8(f.*t.in))
      e.push_back({t.name, "org.invalid_text"});
    else if (utf8_length(f.*t.in) > t.max)
      e.push_back({t.name, t.too_long_key});
    else
      out.*t.out = t.single_line ? one_line(f.*t.in) : f.*t.in;
  }
  if (!f.founded.empty()) {
    out.founded = parse_founded(f.founded, current_year);
    if (!out.founded) e.push_back({"founded", "details.error.founded"});
  }
  for (const auto& code : offered_languages())
    if (std::find(f.languages.begin(), f.languages.end(), code) != f.languages.end())
      out.languages.push_back(code);
  for (const auto& code : f.languages)
    if (std::find(offered_languages().begin(), offered_languages().end(), code) ==
        offered_languages().end()) {
      e.push_back({"languages", "details.error.languages"});
      break;
    }
  check_coordinates(f, out, e);
  for (const auto& l : kLinks) {
    trim(f.*l.in);
    auto link = l.normalize(f.*l.in);
    if (link)
      out.*l.out = *link;
    else
      e.push_back({l.name, std::string("details.error.") + l.name});
  }
  // The Impressum appears once someone is named as representative (§ 5 DDG asks for
  // it); the other Impressum lines alone would never be shown.
  if (out.legal_representative.empty() && f.legal_representative.empty() &&
      (!f.register_entry.empty() || !f.content_responsible.empty()))
    e.push_back({"legal_representative", "details.error.representative_missing"});
  // The error summary lists them in the order of the form.
  static constexpr std::string_view kOrder[] = {"why",
                                                "founded",
                                                "languages",
                                                "opening_hours",
                                                "accessibility",
                                                "latitude",
                                                "longitude",
                                                "mastodon",
                                                "instagram",
                                                "facebook",
                                                "linkedin",
                                                "youtube",
                                                "feed_url",
                                                "donation_url",
                                                "legal_representative",
                                                "register_entry",
                                                "content_responsible"};
  auto rank = [](const FieldError& x) {
    return std::find(std::begin(kOrder), std::end(kOrder), x.field) - std::begin(kOrder);
  };
  std::stable_sort(e.begin(), e.end(),
                   [&](const FieldError& a, const FieldError& b) { return rank(a) < rank(b); });
  return e;
}

OrgDetailsForm to_form(const OrgDetails& d) {
  OrgDetailsForm f;
  f.why = d.why;
  f.founded = d.founded ? std::to_string(*d.founded) : "";
  f.languages = d.languages;
  f.accessibility = d.accessibility;
  f.opening_hours = d.opening_hours;
  f.latitude = d.latitude ? format_degrees(*d.latitude) : "";
  f.longitude = d.longitude ? format_degrees(*d.longitude) : "";
  f.mastodon = d.mastodon;
  f.instagram = d.instagram;
  f.facebook = d.facebook;
  f.linkedin = d.linkedin;
  f.youtube = d.youtube;
  f.feed_url = d.feed_url;
  f.donation_url = d.donation_url;
  f.legal_representative = d.legal_representative;
  f.register_entry = d.register_entry;
  f.content_responsible = d.content_responsible;
  return f;
}

}  // namespace verbund::model
