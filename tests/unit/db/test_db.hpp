// Fresh, migrated databases for store tests, on either driver. Store tests are
// parameterized over kDrivers and run on both: SQLite in a temporary folder, PostgreSQL
// as a new database on the throwaway server that ctest starts (scripts/pg-throwaway,
// fixture "pg"; its folder is in VERBUND_TEST_PG_DIR). Without that server the
// PostgreSQL cases fail with a message saying so, they never pass silently.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "db/database.hpp"
#include "db/migrate.hpp"

namespace verbund::test {

inline const char* const kDrivers[] = {"sqlite", "postgres"};

// postgres://USER:PASS@HOST:PORT/postgres of the throwaway server.
inline std::string pg_server_url() {
  const char* dir = std::getenv("VERBUND_TEST_PG_DIR");
  if (!dir || !*dir)
    throw std::runtime_error(
        "PostgreSQL tests need the throwaway server: run them through ctest (make test) or "
        "scripts/pg-throwaway run build/verbund_unit_tests");
  std::ifstream in(std::string(dir) + "/url");
  std::string url;
  std::getline(in, url);
  if (url.empty()) throw std::runtime_error(std::string("no server URL in ") + dir + "/url");
  return url;
}

// The server URL with another database name.
inline std::string with_database(const std::string& url, const std::string& name) {
  return url.substr(0, url.rfind('/') + 1) + name;
}

class TempDatabase {
 public:
  explicit TempDatabase(const std::string& driver = "sqlite") : driver_(driver) {
    if (driver == "sqlite") {
      char tmpl[] = "/tmp/verbund-test-XXXXXX";
      dir_ = mkdtemp(tmpl);
      url_ = "sqlite:" + dir_ + "/test.db";
    } else {
      static std::atomic<int> counter{0};
      name_ = "vt_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
      server_ = db::open(pg_server_url());
      server_->acquire()->exec_script("DROP DATABASE IF EXISTS " + name_);
      server_->acquire()->exec_script("CREATE DATABASE " + name_);
      url_ = with_database(pg_server_url(), name_);
    }
    db_ = db::open(url_);
  }
  ~TempDatabase() {
    db_.reset();
    if (server_) {
      try {
        server_->acquire()->exec_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
      } catch (...) {
      }
    }
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }
  void migrate() {
    auto r = db::migrate(*db_, db::embedded_migrations(db_->dialect_name()));
    if (!r) throw std::runtime_error(r.error().message);
  }
  db::Database& db() { return *db_; }
  // Opens another handle on the same database (a second node, a second process).
  std::unique_ptr<db::Database> open_again(const db::OpenOptions& o = {}) const {
    return db::open(url_, o);
  }
  const std::string& dir() const { return dir_; }
  const std::string& url() const { return url_; }
  const std::string& driver() const { return driver_; }

 private:
  std::string driver_, dir_, url_, name_;
  std::unique_ptr<db::Database> server_;
  std::unique_ptr<db::Database> db_;
};

}  // namespace verbund::test
