#include <gtest/gtest.h>

#include "model/organisation.hpp"
#include "model/user.hpp"

using namespace verbund::model;

TEST(Slugify, TransliteratesGermanAndCollapsesPunctuation) {
  EXPECT_EQ(slugify("Familienzentrum Regenbogen Kassel e.V."),
            "familienzentrum-regenbogen-kassel-e-v");
  EXPECT_EQ(slugify("Müttercafé Fürth – Straße 5"), "muettercafe-fuerth-strasse-5");
  EXPECT_EQ(slugify("!!!"), "organisation");
  EXPECT_LE(slugify(std::string(200, 'a')).size(), 80u);
}

TEST(Roles, KeysRoundTrip) {
  for (auto r : all_roles()) EXPECT_EQ(parse_role(role_key(r)), r);
  EXPECT_EQ(parse_role("root"), std::nullopt);
}

TEST(Utf8, ValidatesSequences) {
  EXPECT_TRUE(valid_utf8("Grüße"));
  EXPECT_FALSE(valid_utf8("\xc3"));
  EXPECT_FALSE(valid_utf8("\xc0\xaf"));  // overlong
  EXPECT_EQ(utf8_length("Grüße"), 5u);
}
