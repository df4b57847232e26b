#include "store/directory_text.hpp"

#include <gtest/gtest.h>

#include "search/analyzer.hpp"

using namespace verbund;
using store::StemIndex;

namespace {

// The positions set in a bitmap.
std::vector<std::size_t> positions(const store::Bitmap& bits) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < bits.size() * 64; ++i)
    if ((bits[i / 64] >> (i % 64)) & 1u) out.push_back(i);
  return out;
}

using P = std::vector<std::size_t>;

}  // namespace

TEST(StemIndex, PrefixTermsMatchEveryStemTheyBegin) {
  StemIndex index({"familienzentrum koln", "familienzentr", "famili", "jugendhilf"});
  EXPECT_EQ(positions(index.match(search::stem_query("Familienzentren"))), (P{0, 1}));
  EXPECT_EQ(positions(index.match(search::stem_query("Fam"))), (P{0, 1, 2}));
  EXPECT_EQ(positions(index.match(search::stem_query("Hilfe"))), P{});  // not a prefix
  EXPECT_EQ(index.stems(), 5u);
}

TEST(StemIndex, EveryWordMustMatchAndAnyOfItsVariants) {
  StemIndex index({"muench beratung", "munch", "beratung kind", "kind"});
  EXPECT_EQ(positions(index.match(search::stem_query("Muenchen"))), (P{0, 1}));
  EXPECT_EQ(positions(index.match(search::stem_query("Beratung Kinder"))), (P{2}));
  EXPECT_EQ(positions(index.match(search::stem_query("Beratung Muenchen Kind"))), P{});
}

TEST(StemIndex, OneLetterTermsMatchWholeStemsOnly) {
  StemIndex index({"e v", "ev", "verein"});
  EXPECT_EQ(positions(index.match({{{"e", false}}})), (P{0}));
  EXPECT_EQ(positions(index.match({{{"e", true}}})), (P{0, 1}));
}

TEST(StemIndex, RepeatsEmptyTextsAndManyPositions) {
  std::vector<std::string> texts(200, "x");
  texts[3] = "kind kind  kind ";  // repeats and stray spaces count once
  texts[130] = "";
  texts[199] = "kind";
  std::vector<std::string_view> views(texts.begin(), texts.end());
  StemIndex index(views);
  EXPECT_EQ(positions(index.match({{{"kind", true}}})), (P{3, 199}));
  EXPECT_EQ(index.postings(), 197u + 2u);  // "x" in 197 texts, "kind" in 2
  EXPECT_EQ(positions(index.match({})).size(), 0u);
  EXPECT_EQ(positions(StemIndex().match({{{"kind", true}}})), P{});
}
