// A fresh SQLite database in a temporary folder, migrated, for store tests.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "db/database.hpp"
#include "db/migrate.hpp"

namespace verbund::test {

class TempDatabase {
 public:
  TempDatabase() {
    char tmpl[] = "/tmp/verbund-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
    db_ = db::open_sqlite(dir_ + "/test.db");
  }
  ~TempDatabase() {
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  void migrate() {
    auto r = db::migrate(*db_, db::embedded_migrations("sqlite"));
    if (!r) throw std::runtime_error(r.error().message);
  }
  db::Database& db() { return *db_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::unique_ptr<db::Database> db_;
};

}  // namespace verbund::test
