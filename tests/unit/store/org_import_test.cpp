#include "store/org_import.hpp"

#include <gtest/gtest.h>

#include "../db/test_db.hpp"
#include "core/i18n.hpp"
#include "store/directory_store.hpp"
#include "store/org_store.hpp"

using namespace verbund;

namespace {

const std::string kHeader = "Name;Rechtsform;Landesverband;Ort;Arbeitsfelder;Kurzbeschreibung\n";

class OrgImportStoreTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(i18n::load().ok());
    t.migrate();
  }
  store::ImportOutcome run(const std::string& csv, bool dry_run = false) {
    store::ImportOptions opt;
    opt.dry_run = dry_run;
    opt.now = 1700000000;
    return store::import_organisations(t.db(), csv, opt);
  }
  int64_t count() {
    return t.db().read(
        [](db::Connection& c) { return store::count_organisations(c, "published"); });
  }
  std::vector<std::string> found(const std::string& text) {
    search::DirectoryQuery q;
    q.text = text;
    std::vector<std::string> out;
    for (const auto& h : store::OrgDirectory(t.db()).search(q).hits) out.push_back(h.card->name);
    return out;
  }
  test::TempDatabase t{GetParam()};
};

}  // namespace

TEST_P(OrgImportStoreTest, ImportsAllRowsPublishedAndSearchable) {
  auto out = run(kHeader + "Tafel Kassel e.V.;e.V.;he;Kassel;familie;Lebensmittel für alle.\n" +
                 "Jugendhilfe Hochfeld e.V.;e.V.;Nordrhein-Westfalen;Duisburg;"
                 "Kinder- und Jugendhilfe;Jugendtreff und Lernförderung.\n");
  EXPECT_EQ(out.plan.errors(), 0u);
  EXPECT_EQ(out.imported, 2);
  EXPECT_EQ(count(), 2);
  EXPECT_EQ(found("Jugendhilfe"), std::vector<std::string>{"Jugendhilfe Hochfeld e.V."});
  auto org = t.db().read(
      [](db::Connection& c) { return store::find_published(c, "jugendhilfe-hochfeld-e-v"); });
  ASSERT_TRUE(org.has_value());
  EXPECT_EQ(org->state, "Nordrhein-Westfalen");
  EXPECT_EQ(org->fields, std::vector<std::string>{"kinder_jugend"});
}

TEST_P(OrgImportStoreTest, OneBadRowImportsNothing) {
  auto out = run(kHeader + "Tafel Kassel e.V.;e.V.;he;Kassel;familie;Lebensmittel für alle.\n" +
                 "Tafel Fulda e.V.;e.V.;xx;Fulda;familie;Lebensmittel für alle.\n");
  EXPECT_EQ(out.imported, 0);
  EXPECT_EQ(out.plan.bad_rows(), 1u);
  EXPECT_EQ(out.plan.problems.at(0).line, 3u);
  EXPECT_EQ(count(), 0);
}

TEST_P(OrgImportStoreTest, ADryRunChangesNothing) {
  auto out =
      run(kHeader + "Tafel Kassel e.V.;e.V.;he;Kassel;familie;Lebensmittel für alle.\n", true);
  EXPECT_EQ(out.plan.errors(), 0u);
  EXPECT_EQ(out.plan.rows.size(), 1u);
  EXPECT_EQ(out.imported, 0);
  EXPECT_EQ(count(), 0);
}

TEST_P(OrgImportStoreTest, ANameThatExistsIsRefused) {
  std::string first = kHeader + "Tafel Kassel e.V.;e.V.;he;Kassel;familie;Lebensmittel.\n";
  ASSERT_EQ(run(first).imported, 1);
  auto again = run(kHeader + "Tafel Fulda e.V.;e.V.;he;Fulda;familie;Lebensmittel.\n" +
                   "Tafel  Kassel e.V.;e.V.;he;Kassel;familie;Lebensmittel.\n");
  EXPECT_EQ(again.imported, 0);
  ASSERT_EQ(again.plan.problems.size(), 1u);
  EXPECT_EQ(model::describe(again.plan.problems[0], "en"),
            "line 3, Name 'Tafel  Kassel e.V.': An organisation with this name exists already: "
            "/organisationen/tafel-kassel-e-v");
  EXPECT_EQ(count(), 1);
}

INSTANTIATE_TEST_SUITE_P(Drivers, OrgImportStoreTest, ::testing::ValuesIn(test::kDrivers));
