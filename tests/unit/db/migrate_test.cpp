#include "db/migrate.hpp"

#include <gtest/gtest.h>

#include "test_db.hpp"

using namespace verbund;

TEST(Migrate, AppliesEmbeddedMigrationsOnceAndRecordsThem) {
  test::TempDatabase t;
  auto first = db::migrate(t.db(), db::embedded_migrations("sqlite"));
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_FALSE(first->empty());
  auto second = db::migrate(t.db(), db::embedded_migrations("sqlite"));
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->empty());
  auto regions =
      t.db().read([](db::Connection& c) { return c.query_int("SELECT count(*) FROM regions"); });
  EXPECT_EQ(regions, 15);
}

TEST(Migrate, FailedMigrationLeavesDatabaseAsItWasAndNamesFileAndStatement) {
  test::TempDatabase t;
  std::vector<db::Migration> ms = {
      {"0001_ok.sql", "CREATE TABLE a (x INTEGER);"},
      {"0002_bad.sql",
       "CREATE TABLE b (y INTEGER);\nINSERT INTO a VALUES (1);\nINSERT INTO nope VALUES (1);"},
  };
  auto r = db::migrate(t.db(), ms);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("0002_bad.sql"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("statement 3"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("nope"), std::string::npos) << r.error().message;
  t.db().read([](db::Connection& c) {
    // 0001 stays applied; nothing of 0002 remains.
    EXPECT_EQ(c.query_int("SELECT count(*) FROM schema_migrations"), 1);
    EXPECT_EQ(c.query_int("SELECT count(*) FROM sqlite_master WHERE name = 'b'"), 0);
    EXPECT_EQ(c.query_int("SELECT count(*) FROM a"), 0);
  });
}

TEST(Database, UsesWalAndForeignKeys) {
  test::TempDatabase t;
  auto c = t.db().acquire();  // PRAGMAs outside a transaction
  EXPECT_EQ(c->query_one("PRAGMA journal_mode")->text("journal_mode"), "wal");
  EXPECT_EQ(c->query_int("PRAGMA foreign_keys"), 1);
  EXPECT_EQ(c->query_int("PRAGMA synchronous"), 2);  // FULL
}
