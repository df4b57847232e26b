#include "search/analyzer.hpp"

#include <gtest/gtest.h>

#include "search/directory.hpp"

using namespace verbund::search;

TEST(Analyzer, InflectedFormsShareAStem) {
  EXPECT_EQ(stems("Kindern"), stems("Kinder"));
  EXPECT_EQ(stems("Frauen"), stems("Frau"));
  EXPECT_EQ(stems("Beratung"), stems("Beratungen"));
}

TEST(Analyzer, UmlautsTransliterationsAndSharpSMeet) {
  EXPECT_EQ(stem_variants("muenchen").back(), stems("München")[0]);
  EXPECT_EQ(stem_variants("fuerth").back(), stems("Fürth")[0]);
  EXPECT_EQ(stems("Straße"), stems("Strasse"));
  EXPECT_EQ(stem_variants("frauen").front(), stems("Frau")[0]);
  EXPECT_EQ(fold("Bäckerstraße Fürth"), fold("Baeckerstrasse Fuerth"));
  EXPECT_EQ(stem_variants("quelle"), std::vector<std::string>{"quell"});  // "ue" after q stays
}

TEST(Analyzer, WordsSplitOnPunctuationAndFoldCase) {
  EXPECT_EQ(words("Kinder- und Jugendhilfe e.V."),
            (std::vector<std::string>{"kinder", "und", "jugendhilfe", "e", "v"}));
  EXPECT_EQ(words("ÄRZTE"), std::vector<std::string>{"ärzte"});
  EXPECT_TRUE(words("  ,;!  ").empty());
}

TEST(Analyzer, StemQueriesArePrefixesAndQuoted) {
  // Familienzentren stems to familienzentr, a prefix of familienzentrum.
  EXPECT_EQ(stem_match("Familienzentren"), "\"familienzentr\"*");
  EXPECT_EQ(stem_match("Kita \"Berlin\" OR"), "\"kita\"* AND \"berlin\"* AND \"or\"*");
  EXPECT_EQ(stem_match("Muenchen"), "(\"muench\"* OR \"munch\"*)");
  EXPECT_EQ(stem_match("e"), "\"e\"");
}

TEST(Analyzer, TrigramQueriesSkipShortWords) {
  EXPECT_EQ(trigram_match("Hilfe in Köln"), "\"hilfe\" AND \"koln\"");
  EXPECT_EQ(trigram_match("zu"), "");
}
