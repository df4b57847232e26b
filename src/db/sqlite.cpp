// The SQLite driver. One connection per concurrently running thread (pooled), each with
// a bounded cache of prepared statements. Reads run in a deferred transaction (in WAL
// mode a snapshot from the first statement on; a statement that would write is
// refused). Writes are serialized by a mutex within the process and run as
// BEGIN IMMEDIATE ... COMMIT, so SQLITE_BUSY cannot appear half-way; another process on
// the same file waits on the busy timeout, then the transaction is retried.
#include <sqlite3.h>

#include <cctype>
#include <chrono>
#include <mutex>
#include <thread>

#include "db/database.hpp"
#include "db/pool.hpp"
#include "db/statement_cache.hpp"

namespace verbund::db {
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
    kind = DbError::Kind::retry;
  std::string msg = std::string("sqlite: ") + sqlite3_errmsg(db);
  if (!sql.empty()) msg += " in: " + trim(sql);
  return DbError(kind, msg);
}

// An IntList travels as JSON text for json_each() (see in_ints).
std::string json_list(const IntList& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(ids[i]);
  }
  return out + "]";
}

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, int cache_limit) : cache_(cache_limit) {
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

  Dialect dialect() const override { return Dialect::sqlite; }

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

  std::vector<Row> query(std::string_view sql, const Params& params) override {
    auto& entry = prepare(sql, params);
    sqlite3_stmt* st = entry.stmt.get();
    std::vector<Row> rows;
    const int cols = static_cast<int>(entry.columns->size());
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
      rows.emplace_back(entry.columns, std::move(values));
    }
    sqlite3_reset(st);
    return rows;
  }

  int64_t execute(std::string_view sql, const Params& params) override {
    sqlite3_stmt* st = prepare(sql, params).stmt.get();
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

  // While set, statements that would write are refused (read transactions).
  void set_read_only(bool on) { read_only_ = on; }
  std::size_t cached_statements() const override { return cache_.size(); }

 private:
  struct Entry {
    std::string sql;
    StmtPtr stmt;
    Columns columns;
    bool writes = false;
  };

  Entry& prepare(std::string_view sql, const Params& params) {
    Entry* e = cache_.find(sql);
    if (!e) {
      sqlite3_stmt* raw = nullptr;
      const char* tail = nullptr;
      int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &raw, &tail);
      if (rc != SQLITE_OK) throw error_from(db_.get(), rc, sql);
      auto names = std::make_shared<std::vector<std::string>>();
      for (int i = 0, n = sqlite3_column_count(raw); i < n; ++i)
        names->emplace_back(sqlite3_column_name(raw, i));
      // An evicted entry's StmtPtr finalizes the statement.
      e = &cache_.add(
          Entry{std::string(sql), StmtPtr(raw), std::move(names), sqlite3_stmt_readonly(raw) == 0},
          [](Entry&) {});
    }
    if (read_only_ && e->writes)
      throw DbError(DbError::Kind::other, "sqlite: a read transaction may not write: " + trim(sql));
    sqlite3_stmt* st = e->stmt.get();
    sqlite3_clear_bindings(st);
    int n = 1;
    for (const auto& p : params) {
      // "$n" parameters: SQLite numbers named parameters by first appearance, so look
      // each one up by name to support any order.
      char name[16];
      std::snprintf(name, sizeof name, "$%d", n++);
      int idx = sqlite3_bind_parameter_index(st, name);
      if (idx == 0) continue;
      const auto& v = p.value();
      if (auto i = std::get_if<int64_t>(&v)) {
        sqlite3_bind_int64(st, idx, *i);
      } else if (auto d = std::get_if<double>(&v)) {
        sqlite3_bind_double(st, idx, *d);
      } else if (auto s = std::get_if<std::string>(&v)) {
        sqlite3_bind_text64(st, idx, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      } else if (auto l = std::get_if<IntList>(&v)) {
        auto text = json_list(*l);
        sqlite3_bind_text64(st, idx, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      } else {
        sqlite3_bind_null(st, idx);
      }
    }
    return *e;
  }

  std::unique_ptr<sqlite3, DbDeleter> db_;
  StatementCache<Entry> cache_;
  bool read_only_ = false;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, OpenOptions options)
      : path_(std::move(path)), options_(options) {
    // Open one connection now so that errors (bad path, not a database) surface early.
    pool_.add(std::make_unique<SqliteConnection>(path_, options_.statement_cache));
  }

  PoolStats stats() const override { return pool_.stats(); }
  Dialect dialect() const override { return Dialect::sqlite; }
  std::string describe() const override { return "sqlite:" + path_; }

  void backup_to(const std::string& path) override {
    auto lease = acquire();
    lease->execute("VACUUM INTO $1", {path});
  }

 protected:
  Connection* acquire_raw() override {
    return pool_.take(
        [&] { return std::make_unique<SqliteConnection>(path_, options_.statement_cache); },
        std::chrono::seconds(30), "sqlite");
  }

  void release(Connection* c) override { pool_.give(static_cast<SqliteConnection*>(c), true); }

  void run_transaction(const Isolation* isolation,
                       const std::function<void(Connection&)>& fn) override {
    for (int attempt = 1;; ++attempt) {
      try {
        if (isolation) {
          std::lock_guard wlock(write_mu_);
          once(fn, "BEGIN IMMEDIATE", false);
          pool_.count_write();
        } else {
          once(fn, "BEGIN", true);
        }
        return;
      } catch (const DbError& e) {
        if (e.kind() != DbError::Kind::retry || attempt >= options_.max_attempts) throw;
        pool_.count_retry();
        std::this_thread::sleep_for(std::chrono::milliseconds(5 << attempt));
      }
    }
  }

 private:
  void once(const std::function<void(Connection&)>& fn, const char* begin, bool read_only) {
    auto lease = acquire();
    auto& c = static_cast<SqliteConnection&>(*lease);
    c.execute(begin, {});
    c.set_read_only(read_only);
    try {
      fn(c);
      c.set_read_only(false);
      c.execute("COMMIT", {});
    } catch (...) {
      c.set_read_only(false);
      try {
        c.execute("ROLLBACK", {});
      } catch (...) {
      }
      throw;
    }
  }

  std::string path_;
  OpenOptions options_;
  std::mutex write_mu_;  // one writer per process; other processes wait on the file lock
  Pool<SqliteConnection> pool_{0};
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, const OpenOptions& options) {
  return std::make_unique<SqliteDatabase>(path, options);
}

}  // namespace verbund::db
