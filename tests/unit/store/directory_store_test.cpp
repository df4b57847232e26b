#include "store/directory_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "search/analyzer.hpp"

#include "../db/test_db.hpp"
#include "core/i18n.hpp"
#include "store/org_store.hpp"

using namespace verbund;

class DirectoryTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(i18n::load().ok());
    t.migrate();
    t.db().write([&](db::Connection& c) {
      auto region = [&](const char* code) { return store::find_region(c, code)->id; };
      add(c, "Familienzentrum Regenbogen Kassel e.V.", region("he"), "Kassel", "Hessen",
          "Offene Angebote für Familien mit kleinen Kindern.", {"familie"}, {"familien"});
      add(c, "Jugendhilfe Nordstadt gGmbH", region("nw"), "Dortmund", "Nordrhein-Westfalen",
          "Ambulante Hilfen für Jugendliche.", {"kinder_jugend"}, {"jugendliche"});
      add(c, "Seniorenhilfe Fürth e.V.", region("by"), "Fürth", "Bayern",
          "Besuchsdienst und Mittagstisch.", {"senioren"}, {"senioren"});
      add(c, "Müttercafé München", region("by"), "München", "Bayern",
          "Treffpunkt für Mütter und Kinder.", {"familie", "frauen"}, {"eltern", "kinder"});
      add(c, "Suchtberatung Ostalb", region("bw"), "Aalen", "Baden-Württemberg",
          "Beratung bei Alkohol und Glücksspiel.", {"sucht"}, {"angehoerige"});
      model::Organisation pending;
      pending.name = "Familienzentrum Unveröffentlicht";
      pending.region_id = region("he");
      pending.status = "pending";
      store::insert_organisation(c, pending, 1000);
    });
  }

  void add(db::Connection& c, const std::string& name, int64_t region, const std::string& city,
           const std::string& state, const std::string& summary, std::vector<std::string> fields,
           std::vector<std::string> groups) {
    model::Organisation o;
    o.name = name;
    o.region_id = region;
    o.city = city;
    o.state = state;
    o.short_description = summary;
    o.fields = std::move(fields);
    o.target_groups = std::move(groups);
    o.status = "published";
    store::insert_organisation(c, o, 1000 + (++n));
  }

  std::vector<std::string> names(const std::string& text, std::string field = "") {
    search::DirectoryQuery q;
    q.text = text;
    q.field = field;
    std::vector<std::string> out;
    for (const auto& h : store::OrgDirectory(t.db()).search(q).hits) out.push_back(h.card->name);
    return out;
  }

  test::TempDatabase t{GetParam()};
  int n = 0;
};

TEST_P(DirectoryTest, StemmedFormsFindEachOther) {
  auto r = names("Kindern");
  EXPECT_NE(std::find(r.begin(), r.end(), "Familienzentrum Regenbogen Kassel e.V."), r.end());
  EXPECT_NE(std::find(r.begin(), r.end(), "Müttercafé München"), r.end());
  auto z = names("Familienzentren");
  ASSERT_FALSE(z.empty());
  EXPECT_EQ(z.front(), "Familienzentrum Regenbogen Kassel e.V.");
}

TEST_P(DirectoryTest, CompoundPartsAreFoundAndStemmedHitsComeFirst) {
  auto r = names("Hilfe");
  // Jugendhilfe and Seniorenhilfe by substring; "Hilfen" (stem hilf) ranks first.
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0], "Jugendhilfe Nordstadt gGmbH");
  EXPECT_EQ(r[1], "Seniorenhilfe Fürth e.V.");
}

TEST_P(DirectoryTest, UmlautsAndTransliterationsMatch) {
  EXPECT_EQ(names("Muenchen"), std::vector<std::string>{"Müttercafé München"});
  EXPECT_EQ(names("fuerth"), std::vector<std::string>{"Seniorenhilfe Fürth e.V."});
  EXPECT_EQ(names("Gluecksspiel"), std::vector<std::string>{"Suchtberatung Ostalb"});
}

TEST_P(DirectoryTest, PrefixesFindWordsAsTheyAreTyped) {
  EXPECT_EQ(names("Suchtber"), std::vector<std::string>{"Suchtberatung Ostalb"});
  EXPECT_EQ(names("Regenb"), std::vector<std::string>{"Familienzentrum Regenbogen Kassel e.V."});
}

TEST_P(DirectoryTest, OnlyPublishedOrganisationsAppear) {
  auto r = names("Familienzentrum");
  EXPECT_EQ(std::find(r.begin(), r.end(), "Familienzentrum Unveröffentlicht"), r.end());
}

TEST_P(DirectoryTest, FacetCountsAgreeWithTheRows) {
  search::DirectoryQuery q;
  auto all = store::OrgDirectory(t.db()).search(q);
  EXPECT_EQ(all.total, 5);
  for (const auto& f : all.facets["field"]) {
    auto filtered = names("", f.key);
    EXPECT_EQ(static_cast<int64_t>(filtered.size()), f.count) << f.key;
  }
  auto by = std::find_if(all.facets["region"].begin(), all.facets["region"].end(),
                         [](const auto& v) { return v.key == "by"; });
  ASSERT_NE(by, all.facets["region"].end());
  EXPECT_EQ(by->count, 2);
  q.region = "by";
  EXPECT_EQ(store::OrgDirectory(t.db()).search(q).total, 2);
}

TEST_P(DirectoryTest, LetterSortAndPagesAreStable) {
  search::DirectoryQuery q;
  q.letter = "M";
  auto m = store::OrgDirectory(t.db()).search(q);
  ASSERT_EQ(m.total, 1);
  EXPECT_EQ(m.hits[0].card->name, "Müttercafé München");
  search::DirectoryQuery p;
  p.sort = "name";
  p.page_size = 2;
  std::vector<std::string> seen;
  for (p.page = 1; p.page <= 3; ++p.page)
    for (const auto& h : store::OrgDirectory(t.db()).search(p).hits) seen.push_back(h.card->name);
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end(), [](const auto& a, const auto& b) {
    return search::fold(a) < search::fold(b);
  }));
}

TEST_P(DirectoryTest, HitsCarryTheirFieldKeysWhole) {
  search::DirectoryQuery q;
  q.text = "Jugendhilfe";
  auto r = store::OrgDirectory(t.db()).search(q);
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].card->fields, std::vector<std::string>{"kinder_jugend"});
  // The field's German label is searchable: "Kinder- und Jugendhilfe".
  q.text = "Jugendhilfe";
  q.field = "kinder_jugend";
  EXPECT_EQ(store::OrgDirectory(t.db()).search(q).total, 1);
}

TEST_P(DirectoryTest, NewestFirstSortsByCreation) {
  search::DirectoryQuery q;
  q.sort = "neu";
  auto r = store::OrgDirectory(t.db()).search(q);
  EXPECT_EQ(r.hits.front().card->name, "Suchtberatung Ostalb");
}

TEST_P(DirectoryTest, NoiseQueriesFindNothingAndDoNotFail) {
  names("\"*) OR NEAR(");  // must not throw: quotes and operators are not syntax
  EXPECT_TRUE(names("xyzzyqq").empty());
  // A one-letter word matches whole words only ("e" of "e.V."), not every word with e.
  for (const auto& n : names("e")) EXPECT_NE(n.find("e.V."), std::string::npos) << n;
}

// The facts behind facets and cards are read once per directory generation: a row changed
// behind the directory's back (no generation bump) is not seen until the generation moves.
// Only a cache can serve the old city, so this fails if every search rereads the rows.
TEST_P(DirectoryTest, FactsAreCachedUntilTheGenerationChanges) {
  store::OrgDirectory dir(t.db());
  search::DirectoryQuery q;
  q.text = "Suchtberatung";
  auto city_of_hit = [&](store::OrgDirectory& d) {
    auto r = d.search(q);
    return r.hits.empty() ? std::string("(no hit)") : r.hits[0].card->city;
  };
  auto has_city_facet = [&](store::OrgDirectory& d, const std::string& city) {
    auto r = d.search(search::DirectoryQuery{});
    const auto& cities = r.facets["city"];
    return std::any_of(cities.begin(), cities.end(), [&](const auto& v) { return v.key == city; });
  };
  EXPECT_EQ(city_of_hit(dir), "Aalen");  // fills the cache
  t.db().write([&](db::Connection& c) {
    c.execute("UPDATE organisations SET city = 'Schwäbisch Gmünd' WHERE city = 'Aalen'");
  });
  // A directory without a cache reads the change, so the row did change ...
  store::OrgDirectory fresh(t.db());
  EXPECT_EQ(city_of_hit(fresh), "Schwäbisch Gmünd");
  // ... while the cached facts still serve the old city, in cards and facets alike.
  EXPECT_EQ(city_of_hit(dir), "Aalen");
  EXPECT_TRUE(has_city_facet(dir, "Aalen"));
  EXPECT_FALSE(has_city_facet(dir, "Schwäbisch Gmünd"));
  t.db().write([&](db::Connection& c) { store::bump_directory_generation(c); });
  EXPECT_EQ(city_of_hit(dir), "Schwäbisch Gmünd");
  EXPECT_TRUE(has_city_facet(dir, "Schwäbisch Gmünd"));
  EXPECT_FALSE(has_city_facet(dir, "Aalen"));
}

// A change through the store bumps the generation, so the cache never hides it.
TEST_P(DirectoryTest, UnfilteredFacetsFollowChangesThroughTheStore) {
  store::OrgDirectory dir(t.db());
  search::DirectoryQuery q;
  EXPECT_EQ(dir.search(q).total, 5);
  t.db().write([&](db::Connection& c) {
    model::Organisation o;
    o.name = "Neu im Verband";
    o.region_id = store::find_region(c, "sn")->id;
    o.status = "published";
    o.fields = {"bildung"};
    store::insert_organisation(c, o, 5000);
  });
  auto r = dir.search(q);
  EXPECT_EQ(r.total, 6);
  auto sn = std::find_if(r.facets["region"].begin(), r.facets["region"].end(),
                         [](const auto& v) { return v.key == "sn"; });
  ASSERT_NE(sn, r.facets["region"].end());
  EXPECT_EQ(sn->count, 1);
}

std::vector<std::string> names_of(const search::DirectoryResult& r) {
  std::vector<std::string> out;
  for (const auto& h : r.hits) out.push_back(h.card->name);
  return out;
}

TEST_P(DirectoryTest, RepeatedSearchWordsAreAnsweredFromTheMatchCache) {
  store::OrgDirectory dir(t.db());
  search::DirectoryQuery q;
  q.text = "Familien";
  auto first = dir.search(q);
  EXPECT_EQ(dir.match_cache_hits(), 0u);
  auto again = dir.search(q);
  EXPECT_EQ(dir.match_cache_hits(), 1u);
  EXPECT_EQ(names_of(again), names_of(first));
  EXPECT_EQ(again.total, first.total);
  // Filters, sorting and pages work on the cached matches; the facets are counted anew.
  q.field = "frauen";
  auto filtered = dir.search(q);
  EXPECT_EQ(dir.match_cache_hits(), 2u);
  EXPECT_EQ(names_of(filtered), std::vector<std::string>{"Müttercafé München"});
  EXPECT_EQ(filtered.facets["field"].size(), 2u);  // familie, frauen
}

TEST_P(DirectoryTest, MatchCacheGivesTheSameResultsAsNoCache) {
  store::OrgDirectory cached(t.db());
  store::OrgDirectory uncached(t.db(), {0});
  for (const char* text : {"Familie", "hilfe", "Kindern", "Muettercafe", "Beratung Alkohol",
                           "xyzzy", "Jugendhilfe Dortmund"}) {
    search::DirectoryQuery q;
    q.text = text;
    for (int round = 0; round < 2; ++round) {
      auto a = cached.search(q), b = uncached.search(q);
      EXPECT_EQ(names_of(a), names_of(b)) << text;
      ASSERT_EQ(a.hits.size(), b.hits.size());
      for (std::size_t i = 0; i < a.hits.size(); ++i) EXPECT_EQ(a.hits[i].exact, b.hits[i].exact);
    }
  }
  EXPECT_EQ(uncached.match_cache_hits(), 0u);
  EXPECT_EQ(cached.match_cache_hits(), 7u);
}

TEST_P(DirectoryTest, AChangeToTheDirectoryInvalidatesCachedMatches) {
  store::OrgDirectory dir(t.db());
  search::DirectoryQuery q;
  q.text = "Tafel";
  EXPECT_EQ(dir.search(q).total, 0);
  EXPECT_EQ(dir.search(q).total, 0);
  EXPECT_EQ(dir.match_cache_hits(), 1u);
  t.db().write([&](db::Connection& c) {
    model::Organisation o;
    o.name = "Tafel Vogelsberg e.V.";
    o.region_id = store::find_region(c, "he")->id;
    o.city = "Lauterbach";
    o.status = "published";
    o.fields = {"wohnungslos"};
    store::insert_organisation(c, o, 5000);
  });
  auto r = dir.search(q);
  EXPECT_EQ(dir.match_cache_hits(), 1u);  // the generation changed: matched anew
  EXPECT_EQ(names_of(r), std::vector<std::string>{"Tafel Vogelsberg e.V."});
}

TEST_P(DirectoryTest, AChangeOnAnotherNodeInvalidatesCachedMatches) {
  // Two handles on one database are two nodes: each has its own directory and cache,
  // and the directory_state generation row is all they share.
  auto other = t.open_again();
  store::OrgDirectory here(t.db()), there(*other);
  search::DirectoryQuery q;
  q.text = "Kleiderkammer";
  EXPECT_EQ(here.search(q).total, 0);
  EXPECT_EQ(here.search(q).total, 0);
  EXPECT_EQ(here.match_cache_hits(), 1u);
  other->write([&](db::Connection& c) {
    model::Organisation o;
    o.name = "Kleiderkammer Nordstadt";
    o.region_id = store::find_region(c, "nw")->id;
    o.city = "Dortmund";
    o.status = "published";
    o.fields = {"wohnungslos"};
    store::insert_organisation(c, o, 5000);
  });
  EXPECT_EQ(names_of(here.search(q)), std::vector<std::string>{"Kleiderkammer Nordstadt"});
  EXPECT_EQ(here.match_cache_hits(), 1u);
  EXPECT_EQ(names_of(there.search(q)), std::vector<std::string>{"Kleiderkammer Nordstadt"});
  // An edit of the text on the other node: the old words stop matching here.
  other->write([&](db::Connection& c) {
    auto id = c.query_int("SELECT id FROM organisations WHERE name = 'Kleiderkammer Nordstadt'");
    c.execute("UPDATE organisations SET name = 'Sozialkaufhaus Nordstadt' WHERE id = $1", {id});
    store::index_organisation(c, id);
  });
  EXPECT_EQ(here.search(q).total, 0);
  q.text = "Sozialkaufhaus";
  EXPECT_EQ(names_of(here.search(q)), std::vector<std::string>{"Sozialkaufhaus Nordstadt"});
}

INSTANTIATE_TEST_SUITE_P(Drivers, DirectoryTest, ::testing::ValuesIn(test::kDrivers));
