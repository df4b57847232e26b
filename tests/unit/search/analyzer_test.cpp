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

TEST(Analyzer, StemQueriesArePrefixesOneListPerWord) {
  using Q = std::vector<std::vector<StemTerm>>;
  // Familienzentren stems to familienzentr, a prefix of familienzentrum.
  EXPECT_EQ(stem_query("Familienzentren"), (Q{{{"familienzentr", true}}}));
  // Quotes and operators are words like any other; nothing of them reaches a parser.
  EXPECT_EQ(stem_query("Kita \"Berlin\" OR"),
            (Q{{{"kita", true}}, {{"berlin", true}}, {{"or", true}}}));
  EXPECT_EQ(stem_query("Muenchen"), (Q{{{"muench", true}, {"munch", true}}}));
  EXPECT_EQ(stem_query("e"), (Q{{{"e", false}}}));  // one letter: the whole stem
  EXPECT_TRUE(stem_query(" ,; ").empty());
}

TEST(Analyzer, TrigramWordsSkipShortWords) {
  EXPECT_EQ(trigram_words("Hilfe in Köln"), (std::vector<std::string>{"hilfe", "koln"}));
  EXPECT_TRUE(trigram_words("zu").empty());
}
