#include "model/org_details.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/i18n.hpp"

using namespace verbund;
using model::OrgDetails;
using model::OrgDetailsForm;

namespace {

constexpr int64_t kYear = 2025;

std::vector<std::string> fields_of(const std::vector<model::FieldError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field);
  return out;
}

std::string key_at(const std::vector<model::FieldError>& errors, const std::string& field) {
  for (const auto& e : errors)
    if (e.field == field) return e.message_key;
  return "";
}

}  // namespace

TEST(OrgDetails, EmptyFormIsValidAndStoresNothing) {
  OrgDetailsForm f;
  OrgDetails d;
  EXPECT_TRUE(model::validate(f, kYear, d).empty());
  EXPECT_FALSE(d.founded);
  EXPECT_FALSE(d.latitude);
  EXPECT_TRUE(d.languages.empty());
}

TEST(OrgDetails, ValidInputIsNormalised) {
  OrgDetailsForm f;
  f.why = "  Weil Vernetzung hilft.  ";
  f.founded = " 1998 ";
  f.languages = {"tr", "de", "ar", "tr"};
  f.latitude = "51,31607";
  f.longitude = "9.47843";
  f.mastodon = "@fz@social.example";
  f.donation_url = "https://spenden.example/fz";
  f.legal_representative = "Vorstand:\r\nAnna Beispiel";
  OrgDetails d;
  auto errors = model::validate(f, kYear, d);
  ASSERT_TRUE(errors.empty()) << errors.front().field;
  EXPECT_EQ(d.why, "Weil Vernetzung hilft.");
  EXPECT_EQ(d.founded, 1998);
  EXPECT_EQ(d.languages, (std::vector<std::string>{"de", "ar", "tr"}));  // list order, once
  EXPECT_DOUBLE_EQ(*d.latitude, 51.31607);
  EXPECT_DOUBLE_EQ(*d.longitude, 9.47843);
  EXPECT_EQ(d.mastodon, "https://social.example/@fz");
  EXPECT_EQ(d.legal_representative, "Vorstand: Anna Beispiel");
  EXPECT_EQ(f.founded, "1998");  // the form keeps the trimmed text for a re-render
}

TEST(OrgDetails, FoundingYearFrom1800ToThisYear) {
  EXPECT_EQ(model::parse_founded("1800", kYear), 1800);
  EXPECT_EQ(model::parse_founded("2025", kYear), 2025);
  EXPECT_FALSE(model::parse_founded("1799", kYear));
  EXPECT_FALSE(model::parse_founded("2026", kYear));
  EXPECT_FALSE(model::parse_founded("3000", kYear));
  EXPECT_FALSE(model::parse_founded("98", kYear));
  EXPECT_FALSE(model::parse_founded("19 8", kYear));
  EXPECT_FALSE(model::parse_founded("+998", kYear));
  OrgDetailsForm f;
  f.founded = "3000";
  OrgDetails d;
  EXPECT_EQ(key_at(model::validate(f, kYear, d), "founded"), "details.error.founded");
}

TEST(OrgDetails, DegreesAcceptPointOrCommaAndNothingElse) {
  EXPECT_DOUBLE_EQ(*model::parse_degrees("51.316071023"), 51.316071);
  EXPECT_DOUBLE_EQ(*model::parse_degrees("51,5"), 51.5);
  EXPECT_DOUBLE_EQ(*model::parse_degrees("-0.5"), -0.5);
  EXPECT_DOUBLE_EQ(*model::parse_degrees("9"), 9.0);
  for (auto bad :
       {"", "-", "51.", ".5", "51.3.1", "51,3,1", "1e2", "nan", "inf", "51°", "0x10", "181", "5 1"})
    EXPECT_FALSE(model::parse_degrees(bad)) << bad;
  EXPECT_EQ(model::format_degrees(51.31607), "51.31607");
}

TEST(OrgDetails, CoordinatesBothOrNeitherAndInGermany) {
  auto check = [](std::string lat, std::string lon) {
    OrgDetailsForm f;
    f.latitude = lat;
    f.longitude = lon;
    OrgDetails d;
    return model::validate(f, kYear, d);
  };
  EXPECT_EQ(key_at(check("51.3", ""), "longitude"), "details.error.coordinates_pair");
  EXPECT_EQ(key_at(check("", "9.4"), "latitude"), "details.error.coordinates_pair");
  EXPECT_EQ(key_at(check("80", "9.4"), "latitude"), "details.error.latitude");
  EXPECT_EQ(key_at(check("51.3", "20"), "longitude"), "details.error.longitude");
  EXPECT_EQ(key_at(check("Kassel", "9.4"), "latitude"), "details.error.latitude");
  EXPECT_EQ(key_at(check("9.47843", "51.31607"), "latitude"), "details.error.coordinates_swapped");
  EXPECT_TRUE(check("47.0", "5.8").empty());
  EXPECT_TRUE(check("55.1", "15.1").empty());
}

TEST(OrgDetails, BothCoordinatesPastedIntoTheFirstFieldAreSplit) {
  OrgDetailsForm f;
  f.latitude = "51.31607102337463, 9.478431701660156";  // as a map's context menu copies it
  OrgDetails d;
  EXPECT_TRUE(model::validate(f, kYear, d).empty());
  EXPECT_EQ(f.latitude, "51.31607102337463");
  EXPECT_EQ(f.longitude, "9.478431701660156");
  EXPECT_DOUBLE_EQ(*d.latitude, 51.316071);
  EXPECT_DOUBLE_EQ(*d.longitude, 9.478432);
}

TEST(OrgDetails, EachBadLinkIsReportedAtItsField) {
  OrgDetailsForm f;
  f.mastodon = "@nur-name";
  f.instagram = "https://www.instagram.com/p/abc";
  f.facebook = "https://evil.example/fz";
  f.linkedin = "https://www.linkedin.com/feed";
  f.youtube = "https://youtu.be/x";
  f.feed_url = "javascript:alert(1)";
  f.donation_url = "https://a:b@spenden.example/";
  OrgDetails d;
  auto errors = model::validate(f, kYear, d);
  EXPECT_EQ(fields_of(errors),
            (std::vector<std::string>{"mastodon", "instagram", "facebook", "linkedin", "youtube",
                                      "feed_url", "donation_url"}));
  EXPECT_EQ(key_at(errors, "donation_url"), "details.error.donation_url");
  EXPECT_EQ(f.mastodon, "@nur-name");  // kept as typed
}

TEST(OrgDetails, TextLimitsAndImpressumNeedsARepresentative) {
  OrgDetailsForm f;
  f.why = std::string(1001, 'x');
  f.opening_hours = std::string(300, 'x');
  f.accessibility = std::string(150, 'x') + std::string(151, 'y');
  f.register_entry = "Amtsgericht Kassel, VR 1234";
  f.content_responsible = std::string(301, 'x');
  OrgDetails d;
  auto errors = model::validate(f, kYear, d);
  EXPECT_EQ(fields_of(errors),
            (std::vector<std::string>{"why", "accessibility", "legal_representative",
                                      "content_responsible"}));
  EXPECT_EQ(key_at(errors, "legal_representative"), "details.error.representative_missing");
  // 300 characters are allowed, counted as characters and not bytes.
  OrgDetailsForm g;
  g.opening_hours = std::string(150, 'x');
  for (int i = 0; i < 150; ++i) g.opening_hours += "ä";
  EXPECT_TRUE(model::validate(g, kYear, d).empty());
}

TEST(OrgDetails, UnknownLanguagesAreRefused) {
  OrgDetailsForm f;
  f.languages = {"de", "xx"};
  OrgDetails d;
  EXPECT_EQ(key_at(model::validate(f, kYear, d), "languages"), "details.error.languages");
}

TEST(OrgDetails, EveryOfferedLanguageAndMessageHasBothTranslations) {
  ASSERT_TRUE(i18n::load().ok());
  for (const auto& code : model::offered_languages())
    for (auto loc : {"de", "en"}) EXPECT_TRUE(i18n::has(loc, "language." + code)) << code;
  OrgDetailsForm f;
  f.why = std::string(1001, 'x');
  f.founded = "x";
  f.languages = {"xx"};
  f.latitude = "x";
  f.longitude = "x";
  f.mastodon = f.instagram = f.facebook = f.linkedin = f.youtube = f.feed_url = f.donation_url =
      "x";
  f.register_entry = "x";
  OrgDetails d;
  auto errors = model::validate(f, kYear, d);
  EXPECT_GE(errors.size(), 13u);
  for (const auto& e : errors)
    for (auto loc : {"de", "en"}) EXPECT_TRUE(i18n::has(loc, e.message_key)) << e.message_key;
}

TEST(OrgDetails, StoredLanguagesSplitAtCommasAndSpaces) {
  EXPECT_EQ(model::split_language_codes("de,ar tr, ,ku"),
            (std::vector<std::string>{"de", "ar", "tr", "ku"}));
  EXPECT_TRUE(model::split_language_codes("").empty());
}

TEST(OrgDetails, FormShowsStoredValues) {
  OrgDetails d;
  d.founded = 1982;
  d.latitude = 51.44621;
  d.longitude = 6.74683;
  d.languages = {"de", "tr"};
  auto f = model::to_form(d);
  EXPECT_EQ(f.founded, "1982");
  EXPECT_EQ(f.latitude, "51.44621");
  EXPECT_EQ(f.longitude, "6.74683");
  OrgDetails again;
  EXPECT_TRUE(model::validate(f, kYear, again).empty());
  EXPECT_EQ(again.latitude, d.latitude);
}
