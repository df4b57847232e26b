#include "db/migrate.hpp"

#include <algorithm>
#include <set>

#include "core/log.hpp"
#include "core/resources.hpp"

namespace verbund::db {

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
  std::set<std::string> applied;
  try {
    db.write([](Connection& c) {
      c.exec_script(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          " version TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)");
    });
    db.read([&](Connection& c) {
      for (const auto& row : c.query("SELECT version FROM schema_migrations"))
        applied.insert(row.text(0));
    });
  } catch (const DbError& e) {
    return make_error("migrate", std::string("cannot read schema_migrations: ") + e.what());
  }
  std::vector<std::string> done;
  for (const auto& m : migrations) {
    if (applied.count(m.version)) continue;
    try {
      db.write([&](Connection& c) {
        c.exec_script(m.sql);
        c.execute("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, unixepoch())",
                  {m.version});
      });
    } catch (const DbError& e) {
      return make_error("migrate", "migration " + m.version + " failed: " + e.what());
    }
    log::info("migration_applied", {{"version", m.version}});
    done.push_back(m.version);
  }
  return done;
}

}  // namespace verbund::db
