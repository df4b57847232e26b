// The SQLite driver. One connection per concurrently running thread (pooled), each with
// its own prepared-statement cache; writes serialized by a mutex and run as
// BEGIN IMMEDIATE ... COMMIT so that SQLITE_BUSY cannot appear half-way.
#include <sqlite3.h>

#include <cctype>
#include <chrono>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "db/database.hpp"

namespace verbund::db {

int64_t Row::int64(int i) const {
  const auto& v = values_.at(i);
  if (auto p = std::get_if<int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::stoll(*p);
  return 0;
}

double Row::real(int i) const {
  const auto& v = values_.at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::stod(*p);
  return 0;
}

std::string Row::text(int i) const {
  const auto& v = values_.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return std::to_string(*p);
  return {};
}

std::optional<std::string> Row::opt_text(int i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

std::optional<int64_t> Row::opt_int64(int i) const {
  if (is_null(i)) return std::nullopt;
  return int64(i);
}

std::optional<double> Row::opt_double(int i) const {
  if (is_null(i)) return std::nullopt;
  return real(i);
}

namespace {

struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

struct DbDeleter {
  void operator()(sqlite3* d) const { sqlite3_close_v2(d); }
};

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s.substr(0, 120));
}

DbError error_from(sqlite3* db, int rc, std::string_view sql) {
  int ext = sqlite3_extended_errcode(db);
  DbError::Kind kind = DbError::Kind::other;
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
    kind = DbError::Kind::unique;
  else if ((rc & 0xff) == SQLITE_CONSTRAINT)
    kind = DbError::Kind::constraint;
  else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    kind = DbError::Kind::busy;
  std::string msg = std::string("sqlite: ") + sqlite3_errmsg(db);
  if (!sql.empty()) msg += " in: " + trim(sql);
  return DbError(kind, msg);
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(const std::string& path) {
    sqlite3* raw = nullptr;
    int rc =
        sqlite3_open_v2(path.c_str(), &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK)
      throw DbError(DbError::Kind::other,
                    "sqlite: cannot open " + path + ": " + (raw ? sqlite3_errmsg(raw) : "?"));
    sqlite3_busy_timeout(db_.get(), 10000);
    sqlite3_extended_result_codes(db_.get(), 1);
    exec_script(
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=FULL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA temp_store=MEMORY;");
  }

  // Runs each statement in turn so that an error names the statement that failed.
  void exec_script(std::string_view sql) override {
    const char* p = sql.data();
    const char* end = sql.data() + sql.size();
    int index = 0;
    while (p < end) {
      sqlite3_stmt* raw = nullptr;
      const char* tail = nullptr;
      int rc = sqlite3_prepare_v2(db_.get(), p, static_cast<int>(end - p), &raw, &tail);
      StmtPtr st(raw);
      std::string_view text(p, tail ? tail - p : end - p);
      if (rc == SQLITE_OK && raw) {
        ++index;
        while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        }
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
      }
      if (rc != SQLITE_OK) {
        auto e = error_from(db_.get(), rc, "");
        throw DbError(e.kind(), std::string(e.what()) + " (statement " +
                                    std::to_string(index + (raw ? 0 : 1)) + ": " + trim(text) +
                                    ")");
      }
      if (!tail || tail == p) break;
      p = tail;
    }
  }

  std::vector<Row> query(std::string_view sql, Params params) override {
    sqlite3_stmt* st = prepare(sql, params);
    std::vector<Row> rows;
    int cols = sqlite3_column_count(st);
    for (;;) {
      int rc = sqlite3_step(st);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        auto e = error_from(db_.get(), rc, sql);
        sqlite3_reset(st);
        throw e;
      }
      std::vector<Value> values;
      values.reserve(cols);
      for (int i = 0; i < cols; ++i) {
        switch (sqlite3_column_type(st, i)) {
          case SQLITE_INTEGER:
            values.emplace_back(int64_t{sqlite3_column_int64(st, i)});
            break;
          case SQLITE_FLOAT:
            values.emplace_back(sqlite3_column_double(st, i));
            break;
          case SQLITE_NULL:
            values.emplace_back(nullptr);
            break;
          default: {
            auto p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
            values.emplace_back(std::string(p, sqlite3_column_bytes(st, i)));
          }
        }
      }
      rows.emplace_back(std::move(values));
    }
    sqlite3_reset(st);
    return rows;
  }

  int64_t execute(std::string_view sql, Params params) override {
    sqlite3_stmt* st = prepare(sql, params);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) {
      auto e = error_from(db_.get(), rc, sql);
      sqlite3_reset(st);
      throw e;
    }
    sqlite3_reset(st);
    return sqlite3_changes64(db_.get());
  }

  sqlite3* handle() { return db_.get(); }

 private:
  // Prepared statements are cached per connection by their SQL text.
  sqlite3_stmt* prepare(std::string_view sql, Params params) {
    auto it = cache_.find(sql);
    sqlite3_stmt* st;
    if (it != cache_.end()) {
      st = it->second.get();
    } else {
      const char* tail = nullptr;
      int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &st, &tail);
      if (rc != SQLITE_OK) throw error_from(db_.get(), rc, sql);
      cache_.emplace(std::string(sql), StmtPtr(st));
    }
    sqlite3_clear_bindings(st);
    int n = 1;
    for (const auto& p : params) {
      // "$n" parameters: SQLite numbers named parameters by first appearance, so look
      // each one up by name to support any order.
      std::string name = "$" + std::to_string(n);
      int idx = sqlite3_bind_parameter_index(st, name.c_str());
      ++n;
      if (idx == 0) continue;
      const auto& v = p.value();
      if (auto i = std::get_if<int64_t>(&v)) {
        sqlite3_bind_int64(st, idx, *i);
      } else if (auto d = std::get_if<double>(&v)) {
        sqlite3_bind_double(st, idx, *d);
      } else if (auto s = std::get_if<std::string>(&v)) {
        sqlite3_bind_text64(st, idx, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      } else {
        sqlite3_bind_null(st, idx);
      }
    }
    return st;
  }

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unique_ptr<sqlite3, DbDeleter> db_;
  std::unordered_map<std::string, StmtPtr, Hash, std::equal_to<>> cache_;
};

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(std::string path) : path_(std::move(path)) {
    // Open one connection now so that errors (bad path, not a database) surface early.
    free_.push_back(std::make_unique<SqliteConnection>(path_));
    open_ = 1;
  }

  PoolStats stats() const override {
    std::lock_guard lock(mu_);
    return PoolStats{open_, open_ - static_cast<int>(free_.size()), writes_};
  }
  std::string dialect() const override { return "sqlite"; }

  void backup_to(const std::string& path) override {
    auto lease = acquire();
    auto* c = static_cast<SqliteConnection*>(lease.get());
    c->execute("VACUUM INTO $1", {path});
  }

 protected:
  Connection* acquire_raw() override {
    {
      std::lock_guard lock(mu_);
      if (!free_.empty()) {
        auto c = std::move(free_.back());
        free_.pop_back();
        return c.release();
      }
      ++open_;
    }
    try {
      return new SqliteConnection(path_);
    } catch (...) {
      std::lock_guard lock(mu_);
      --open_;
      throw;
    }
  }

  void release(Connection* c) override {
    std::lock_guard lock(mu_);
    free_.emplace_back(static_cast<SqliteConnection*>(c));
  }

  void run_write(const std::function<void(Connection&)>& fn) override {
    std::lock_guard wlock(write_mu_);
    auto lease = acquire();
    lease->exec_script("BEGIN IMMEDIATE");
    try {
      fn(*lease);
      lease->exec_script("COMMIT");
    } catch (...) {
      try {
        lease->exec_script("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
    std::lock_guard lock(mu_);
    ++writes_;
  }

 private:
  std::string path_;
  mutable std::mutex mu_;
  std::mutex write_mu_;
  std::vector<std::unique_ptr<SqliteConnection>> free_;
  int open_ = 0;
  uint64_t writes_ = 0;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path) {
  return std::make_unique<SqliteDatabase>(path);
}

}  // namespace verbund::db
