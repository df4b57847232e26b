// The storage interface every driver implements (SQLite now, PostgreSQL later).
// SQL uses $1-style parameters in both dialects. Reads run on a pooled connection;
// writes run inside one transaction and are serialized per process (SQLite allows one
// writer; serializing here turns SQLITE_BUSY into a short wait on a mutex).
//
// Thread safety: Database is shared by all threads; a Connection belongs to one thread
// for the duration of a read() or write() call.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace verbund::db {

using Value = std::variant<std::nullptr_t, int64_t, double, std::string>;

// A parameter list that accepts ints, strings, string_views, optionals and nullptr.
class Param {
 public:
  Param(std::nullptr_t) : v_(nullptr) {}
  Param(int v) : v_(static_cast<int64_t>(v)) {}
  Param(int64_t v) : v_(v) {}
  Param(bool v) : v_(static_cast<int64_t>(v)) {}
  Param(double v) : v_(v) {}
  Param(const char* v) : v_(std::string(v)) {}
  Param(std::string_view v) : v_(std::string(v)) {}
  Param(const std::string& v) : v_(v) {}
  template <typename T>
  Param(const std::optional<T>& v) : v_(nullptr) {
    if (v) v_ = Param(*v).value();
  }
  const Value& value() const { return v_; }

 private:
  Value v_;
};
using Params = std::initializer_list<Param>;

// One result row; values are copied out of the driver.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  bool is_null(int i) const { return std::holds_alternative<std::nullptr_t>(values_.at(i)); }
  int64_t int64(int i) const;
  double real(int i) const;
  std::string text(int i) const;  // NULL reads as ""
  std::optional<std::string> opt_text(int i) const;
  std::optional<int64_t> opt_int64(int i) const;
  std::optional<double> opt_double(int i) const;
  std::size_t size() const { return values_.size(); }

 private:
  std::vector<Value> values_;
};

// Any driver failure. `constraint` is set for UNIQUE/FOREIGN KEY/CHECK violations,
// which stores turn into expected errors.
class DbError : public std::runtime_error {
 public:
  enum class Kind { other, unique, constraint, busy };
  DbError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

class Connection {
 public:
  virtual ~Connection() = default;
  // Runs a script of one or more statements without parameters.
  virtual void exec_script(std::string_view sql) = 0;
  // Runs one statement and returns its rows.
  virtual std::vector<Row> query(std::string_view sql, Params params = {}) = 0;
  // Runs one statement and returns the number of rows it changed.
  virtual int64_t execute(std::string_view sql, Params params = {}) = 0;

  std::optional<Row> query_one(std::string_view sql, Params params = {}) {
    auto rows = query(sql, params);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }
  int64_t query_int(std::string_view sql, Params params = {}) {
    auto row = query_one(sql, params);
    return row && !row->is_null(0) ? row->int64(0) : 0;
  }
};

struct PoolStats {
  int open = 0;
  int in_use = 0;
  uint64_t writes = 0;
};

class Database {
 public:
  virtual ~Database() = default;

  // Runs `fn` with a connection (no explicit transaction).
  template <typename F>
  auto read(F&& fn) {
    auto lease = acquire();
    return fn(*lease);
  }

  // Runs `fn` in a write transaction; commits when it returns, rolls back when it throws.
  template <typename F>
  auto write(F&& fn) {
    using R = decltype(fn(std::declval<Connection&>()));
    if constexpr (std::is_void_v<R>) {
      run_write([&](Connection& c) { fn(c); });
    } else {
      std::optional<R> out;
      run_write([&](Connection& c) { out.emplace(fn(c)); });
      return std::move(*out);
    }
  }

  virtual PoolStats stats() const = 0;
  virtual std::string dialect() const = 0;  // "sqlite" or "postgres"
  // A consistent copy of the whole database at `path` while others keep working.
  virtual void backup_to(const std::string& path) = 0;

  struct Releaser {
    Database* db;
    void operator()(Connection* c) const { db->release(c); }
  };
  using Lease = std::unique_ptr<Connection, Releaser>;
  Lease acquire() { return Lease(acquire_raw(), Releaser{this}); }

 protected:
  virtual Connection* acquire_raw() = 0;
  virtual void release(Connection* c) = 0;
  virtual void run_write(const std::function<void(Connection&)>& fn) = 0;
};

// Opens the SQLite database at `path` (created if missing) with WAL, foreign keys,
// synchronous=FULL and a busy timeout.
std::unique_ptr<Database> open_sqlite(const std::string& path);

}  // namespace verbund::db
