#include "store/data_copy.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "../db/test_db.hpp"
#include "store/org_store.hpp"

using namespace verbund;

class DataCopyTest : public ::testing::TestWithParam<const char*> {};

// A migration that adds a table must also teach migrate-data about it.
TEST_P(DataCopyTest, EveryTableOfTheSchemaIsCopiedOrRebuilt) {
  test::TempDatabase t{GetParam()};
  t.migrate();
  auto tables = t.db().read([](db::Connection& c) { return db::list_tables(c); });
  ASSERT_GT(tables.size(), 15u);
  const auto& copied = store::copied_tables();
  for (const auto& table : tables) {
    bool known = std::find(copied.begin(), copied.end(), table) != copied.end() ||
                 table == "schema_migrations" || table == "org_search_text";
    EXPECT_TRUE(known) << table << " is neither copied nor rebuilt by migrate-data";
  }
}

TEST_P(DataCopyTest, CopiesToTheOtherDriverAndBack) {
  test::TempDatabase source{GetParam()};
  source.migrate();
  source.db().write([](db::Connection& c) {
    c.execute(
        "INSERT INTO users (email, display_name, password_hash, locale, created_at) "
        "VALUES ('a@example.org', 'Änne', 'x', 'de', 1)");
    c.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES ('impressum', 'Zeile 1\nZeile 2', "
        "5)");
  });
  const char* other = std::string(GetParam()) == "sqlite" ? "postgres" : "sqlite";
  test::TempDatabase target{other};
  target.migrate();
  auto report = store::copy_data(source.db(), target.db());
  ASSERT_TRUE(report.ok()) << report.error().message;
  for (const auto& t : report->tables) EXPECT_EQ(t.source, t.target) << t.table;
  auto row = target.db().read([](db::Connection& c) {
    return c.query_one("SELECT display_name, created_at FROM users WHERE email = 'a@example.org'");
  });
  ASSERT_TRUE(row);
  EXPECT_EQ(row->text("display_name"), "Änne");
  EXPECT_EQ(row->int64("created_at"), 1);
  EXPECT_EQ(target.db().read([](db::Connection& c) {
    return c.query_one("SELECT value FROM settings WHERE key = 'impressum'")->text("value");
  }),
            "Zeile 1\nZeile 2");
  // A second copy into the same target is refused and changes nothing.
  auto again = store::copy_data(source.db(), target.db());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "not_empty");
  // New ids continue after the copied ones.
  auto id = target.db().write([](db::Connection& c) {
    return c.query_int(
        "INSERT INTO users (email, display_name, password_hash, locale, created_at) "
        "VALUES ('b@example.org', 'B', 'x', 'de', 2) RETURNING id");
  });
  EXPECT_GT(id, 1);
}

INSTANTIATE_TEST_SUITE_P(Drivers, DataCopyTest, ::testing::ValuesIn(test::kDrivers));
