#include "db/migrate.hpp"

#include <algorithm>
#include <ctime>

#include "core/log.hpp"
#include "core/resources.hpp"

namespace verbund::db {
namespace {

// Any number agreed by every node: the key of PostgreSQL's advisory lock that makes
// migrations one node's work at a time.
constexpr int64_t kMigrationLock = 0x76657262756e64;  // "verbund"

// Makes concurrent migrators (nodes starting together) take turns: on PostgreSQL an
// advisory lock held to the end of the transaction; SQLite's BEGIN IMMEDIATE already
// holds the only write lock.
void lock_migrations(Connection& c) {
  if (c.dialect() == Dialect::postgres)
    c.query("SELECT pg_advisory_xact_lock($1)", {kMigrationLock});
}

}  // namespace

std::vector<Migration> embedded_migrations(const std::string& dialect) {
  std::vector<Migration> out;
  std::string prefix = "migrations/" + dialect + "/";
  for (const auto& r : resources::under(prefix)) {
    if (!r.path.ends_with(".sql")) continue;
    out.push_back(Migration{std::string(r.path.substr(prefix.size())), std::string(r.data)});
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return out;
}

Result<std::vector<std::string>> migrate(Database& db, const std::vector<Migration>& migrations) {
  try {
    db.write(Isolation::read_committed, [](Connection& c) {
      lock_migrations(c);
      c.exec_script(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          " version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)");
    });
  } catch (const DbError& e) {
    return make_error("migrate", std::string("cannot create schema_migrations: ") + e.what());
  }
  std::vector<std::string> done;
  for (const auto& m : migrations) {
    // Each file in its own transaction; whether it is applied is read under the lock,
    // so two nodes starting together apply it exactly once.
    bool applied_now = false;
    try {
      db.write(Isolation::read_committed, [&](Connection& c) {
        applied_now = false;
        lock_migrations(c);
        if (c.query_one("SELECT version FROM schema_migrations WHERE version = $1", {m.version}))
          return;
        c.exec_script(m.sql);
        c.execute("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                  {m.version, static_cast<int64_t>(std::time(nullptr))});
        applied_now = true;
      });
    } catch (const DbError& e) {
      return make_error("migrate", "migration " + m.version + " failed: " + e.what());
    }
    if (!applied_now) continue;
    log::info("migration_applied", {{"version", m.version}});
    done.push_back(m.version);
  }
  return done;
}

}  // namespace verbund::db
