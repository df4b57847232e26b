#include "core/i18n.hpp"

#include <gtest/gtest.h>

using namespace verbund;

TEST(I18n, EmbeddedCatalogsLoadAndAgreeOnKeys) {
  auto st = i18n::load();
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(i18n::t("de", "nav.orgs"), "Organisationen");
  EXPECT_EQ(i18n::t("en", "nav.orgs"), "Organisations");
}

TEST(I18n, FormatReplacesPlaceholders) {
  ASSERT_TRUE(i18n::load().ok());
  EXPECT_EQ(i18n::format("de", "orgs.count", {{"n", "60"}}), "60 Organisationen");
}

TEST(I18n, CatalogParserReportsBadLines) {
  EXPECT_FALSE(i18n::parse_catalog("a = b\nkein gleichheitszeichen\n").ok());
  EXPECT_FALSE(i18n::parse_catalog("a = b\na = c\n").ok());
  auto ok = i18n::parse_catalog("# Kommentar\n\na = b = c\n");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->at("a"), "b = c");
}

TEST(I18n, NegotiatesFromAcceptLanguage) {
  EXPECT_EQ(i18n::negotiate("en-GB,en;q=0.9,de;q=0.8"), "en");
  EXPECT_EQ(i18n::negotiate("de-DE,de;q=0.9,en;q=0.8"), "de");
  EXPECT_EQ(i18n::negotiate("fr-FR,en;q=0.5,de;q=0.7"), "de");
  EXPECT_EQ(i18n::negotiate("fr"), "de");
  EXPECT_EQ(i18n::negotiate(""), "de");
}
