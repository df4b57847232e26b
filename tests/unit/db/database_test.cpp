// The db:: contract on both drivers: rows by name, run-time parameter lists, snapshot
// reads, retried writes, bounded statement caches, migrations once across nodes.
#include "db/database.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "db/migrate.hpp"
#include "test_db.hpp"

using namespace verbund;

class DatabaseTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    t.db().write([](db::Connection& c) {
      c.exec_script("CREATE TABLE kv (k TEXT PRIMARY KEY, v BIGINT NOT NULL)");
      c.execute("INSERT INTO kv (k, v) VALUES ('a', 1), ('b', 2), ('c', 3)");
    });
  }
  test::TempDatabase t{GetParam()};
};

TEST_P(DatabaseTest, ColumnsAreReadByNameAndAnUnknownNameThrows) {
  auto row = t.db().read(
      [](db::Connection& c) { return c.query_one("SELECT v, k FROM kv WHERE k = $1", {"b"}); });
  ASSERT_TRUE(row);
  EXPECT_EQ(row->text("k"), "b");
  EXPECT_EQ(row->int64("v"), 2);
  EXPECT_THROW(row->int64("nope"), db::DbError);
}

TEST_P(DatabaseTest, ParametersMayAppearInAnyOrder) {
  auto row = t.db().read([](db::Connection& c) {
    return c.query_one("SELECT CAST($2 AS TEXT) AS x, CAST($1 AS TEXT) AS y", {"a", "b"});
  });
  ASSERT_TRUE(row);
  EXPECT_EQ(row->text("x"), "b");
  EXPECT_EQ(row->text("y"), "a");
}

TEST_P(DatabaseTest, ParameterListsAreBuiltAtRunTime) {
  db::Params p;
  std::string sql = "SELECT count(*) FROM kv WHERE k IN (";
  for (const char* k : {"a", "c", "zzz"}) {
    if (p.size()) sql += ", ";
    sql += p.next();
    p.add(k);
  }
  sql += ")";
  EXPECT_EQ(t.db().read([&](db::Connection& c) { return c.query_int(sql, p); }), 2);
}

TEST_P(DatabaseTest, AnIntListIsOneParameter) {
  auto sum = t.db().read([](db::Connection& c) {
    return c.query_int("SELECT COALESCE(sum(v), 0) FROM kv WHERE v " + db::in_ints(c, 1),
                       {db::IntList{1, 3, 99}});
  });
  EXPECT_EQ(sum, 4);
  auto none = t.db().read([](db::Connection& c) {
    return c.query_int("SELECT count(*) FROM kv WHERE v " + db::in_ints(c, 1), {db::IntList{}});
  });
  EXPECT_EQ(none, 0);
}

TEST_P(DatabaseTest, NullsAndOptionals) {
  auto row = t.db().read([](db::Connection& c) {
    return c.query_one("SELECT CAST($1 AS BIGINT) AS n, CAST($2 AS TEXT) AS s",
                       {std::optional<int64_t>{}, std::optional<std::string>{"x"}});
  });
  EXPECT_TRUE(row->is_null("n"));
  EXPECT_FALSE(row->opt_int64("n"));
  EXPECT_EQ(row->opt_text("s"), "x");
}

TEST_P(DatabaseTest, AReadTransactionRefusesToWrite) {
  EXPECT_THROW(t.db().read([](db::Connection& c) { c.execute("DELETE FROM kv"); }), db::DbError);
  EXPECT_EQ(t.db().read([](db::Connection& c) { return c.query_int("SELECT count(*) FROM kv"); }),
            3);
}

TEST_P(DatabaseTest, AReadSeesOneSnapshotWhileOthersCommit) {
  t.db().read([&](db::Connection& c) {
    EXPECT_EQ(c.query_int("SELECT v FROM kv WHERE k = 'a'"), 1);
    t.db().write([](db::Connection& w) { w.execute("UPDATE kv SET v = 100 WHERE k = 'a'"); });
    EXPECT_EQ(c.query_int("SELECT v FROM kv WHERE k = 'a'"), 1);
  });
  EXPECT_EQ(
      t.db().read([](db::Connection& c) { return c.query_int("SELECT v FROM kv WHERE k = 'a'"); }),
      100);
}

TEST_P(DatabaseTest, WriteRollsBackWhenTheFunctionThrows) {
  EXPECT_THROW(t.db().write([](db::Connection& c) {
    c.execute("INSERT INTO kv (k, v) VALUES ($1, $2)", {"d", 4});
    throw std::runtime_error("half way");
  }),
               std::runtime_error);
  EXPECT_EQ(t.db().read([](db::Connection& c) { return c.query_int("SELECT count(*) FROM kv"); }),
            3);
}

TEST_P(DatabaseTest, AUniqueViolationSaysSo) {
  try {
    t.db().write([](db::Connection& c) { c.execute("INSERT INTO kv (k, v) VALUES ('a', 9)"); });
    FAIL() << "no error";
  } catch (const db::DbError& e) {
    EXPECT_EQ(e.kind(), db::DbError::Kind::unique) << e.what();
  }
}

// Read-then-write increments from two threads: serializable transactions (retried on
// PostgreSQL's serialization failures, serialized on SQLite) lose none.
TEST_P(DatabaseTest, ConcurrentReadModifyWriteLosesNoIncrement) {
  auto other = t.open_again();
  auto work = [](db::Database& d) {
    for (int i = 0; i < 25; ++i)
      d.write([](db::Connection& c) {
        int64_t v = c.query_int("SELECT v FROM kv WHERE k = 'c'");
        c.execute("UPDATE kv SET v = $1 WHERE k = 'c'", {v + 1});
      });
  };
  std::thread a([&] { work(t.db()); });
  std::thread b([&] { work(*other); });
  a.join();
  b.join();
  EXPECT_EQ(
      t.db().read([](db::Connection& c) { return c.query_int("SELECT v FROM kv WHERE k = 'c'"); }),
      53);
}

TEST_P(DatabaseTest, TheStatementCacheIsBounded) {
  db::OpenOptions o;
  o.statement_cache = 4;
  auto d = t.open_again(o);
  auto lease = d->acquire();
  for (int i = 0; i < 40; ++i)
    lease->query_int("SELECT count(*) + " + std::to_string(i) + " FROM kv");
  EXPECT_LE(lease->cached_statements(), 4u);
  if (lease->dialect() == db::Dialect::postgres) {
    EXPECT_LE(lease->query_int("SELECT count(*) FROM pg_prepared_statements"), 5);
  }
}

TEST_P(DatabaseTest, MigrationsRunOnceWhenTwoNodesStartTogether) {
  std::vector<db::Migration> ms;
  for (int i = 1; i <= 6; ++i)
    ms.push_back({"000" + std::to_string(i) + "_m.sql", "CREATE TABLE m" + std::to_string(i) +
                                                            " (x BIGINT);"
                                                            "INSERT INTO kv (k, v) VALUES ('m" +
                                                            std::to_string(i) + "', 0);"});
  auto other = t.open_again();
  Result<std::vector<std::string>> ra = std::vector<std::string>{}, rb = ra;
  std::thread a([&] { ra = db::migrate(t.db(), ms); });
  std::thread b([&] { rb = db::migrate(*other, ms); });
  a.join();
  b.join();
  ASSERT_TRUE(ra.ok()) << ra.error().message;
  ASSERT_TRUE(rb.ok()) << rb.error().message;
  EXPECT_EQ(ra->size() + rb->size(), ms.size());
  EXPECT_EQ(t.db().read([](db::Connection& c) {
    return c.query_int("SELECT count(*) FROM schema_migrations");
  }),
            6);
}

TEST_P(DatabaseTest, TheEmbeddedMigrationsApply) {
  test::TempDatabase fresh{GetParam()};
  auto first = db::migrate(fresh.db(), db::embedded_migrations(fresh.db().dialect_name()));
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_FALSE(first->empty());
  auto second = db::migrate(fresh.db(), db::embedded_migrations(fresh.db().dialect_name()));
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->empty());
  EXPECT_EQ(fresh.db().read(
                [](db::Connection& c) { return c.query_int("SELECT count(*) FROM regions"); }),
            15);
}

INSTANTIATE_TEST_SUITE_P(Drivers, DatabaseTest, ::testing::ValuesIn(test::kDrivers));

TEST(Migrations, EveryMigrationExistsForBothDialects) {
  std::set<std::string> sqlite, postgres;
  for (const auto& m : db::embedded_migrations("sqlite")) sqlite.insert(m.version);
  for (const auto& m : db::embedded_migrations("postgres")) postgres.insert(m.version);
  EXPECT_FALSE(sqlite.empty());
  EXPECT_EQ(sqlite, postgres);
}

TEST(Postgres, AnUnreachableServerGetsAClearError) {
  try {
    db::OpenOptions o;
    o.connect_timeout_seconds = 2;
    db::open("postgres://verbund:secret@127.0.0.1:1/verbund", o);
    FAIL() << "connected";
  } catch (const db::DbError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("cannot connect to postgres://verbund@127.0.0.1:1/verbund"),
              std::string::npos)
        << msg;
    EXPECT_EQ(msg.find("secret"), std::string::npos) << msg;
  }
}

TEST(Postgres, WrongCredentialsGetAClearError) {
  auto url = test::pg_server_url();
  auto at = url.find('@');
  auto bad = "postgres://verbund:wrong" + url.substr(at);
  try {
    db::open(bad);
    FAIL() << "connected";
  } catch (const db::DbError& e) {
    EXPECT_NE(std::string(e.what()).find("password authentication failed"), std::string::npos)
        << e.what();
  }
}

TEST(Postgres, AConnectionKilledByTheServerIsReplaced) {
  test::TempDatabase t{"postgres"};
  auto& d = t.db();
  EXPECT_EQ(d.read([](db::Connection& c) { return c.query_int("SELECT 1"); }), 1);
  // What a server restart does to every open connection.
  auto admin = db::open(test::pg_server_url());
  admin->acquire()->query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
      {t.url().substr(t.url().rfind('/') + 1)});
  EXPECT_EQ(d.read([](db::Connection& c) { return c.query_int("SELECT 2"); }), 2);
  d.write([](db::Connection& c) { c.exec_script("CREATE TABLE after_restart (x BIGINT)"); });
  EXPECT_GE(d.stats().retries, 1u);
}
