// The storage interface both drivers implement: SQLite (embedded default) and
// PostgreSQL (several nodes on one server).
//
// The contract:
// - SQL uses $1-style parameters in both dialects; a parameter list is a value built
//   at run time (`Params`), and IN-lists travel as one array parameter written with
//   `in_ints(c, n)` (the dialect seam, below).
// - Rows are read by column name (`row.int64("id")`); the SELECT list is the mapping.
// - `read()` runs in a read-only snapshot transaction: every statement in it sees the
//   same committed state.
// - `write()` runs in a transaction with a stated isolation and commits when the
//   function returns. A serialization failure or deadlock (PostgreSQL), a busy
//   database (SQLite, another process) or a connection lost before COMMIT rolls back
//   and runs the function again, a bounded number of times: the function must have no
//   effects outside the database (or only idempotent ones).
// - Prepared statements are cached per connection, a bounded number (least recently
//   used evicted).
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

enum class Dialect { sqlite, postgres };

// A value read from a row.
using Value = std::variant<std::nullptr_t, int64_t, double, std::string>;
// A list of integers bound as one parameter (an IN-list).
using IntList = std::vector<int64_t>;

// One statement parameter: ints, bools (as 0/1), doubles, strings, optionals (empty
// is NULL), nullptr and integer lists.
class Param {
 public:
  using Stored = std::variant<std::nullptr_t, int64_t, double, std::string, IntList>;
  Param(std::nullptr_t) : v_(nullptr) {}
  Param(int v) : v_(static_cast<int64_t>(v)) {}
  Param(int64_t v) : v_(v) {}
  Param(bool v) : v_(static_cast<int64_t>(v)) {}
  Param(double v) : v_(v) {}
  Param(const char* v) : v_(std::string(v)) {}
  Param(std::string_view v) : v_(std::string(v)) {}
  Param(const std::string& v) : v_(v) {}
  Param(std::string&& v) : v_(std::move(v)) {}
  Param(IntList v) : v_(std::move(v)) {}
  template <typename T>
  Param(const std::optional<T>& v) : v_(nullptr) {
    if (v) v_ = Param(*v).value();
  }
  const Stored& value() const { return v_; }

 private:
  Stored v_;
};

// A parameter list: written inline as {a, b, c} or built at run time with add().
class Params {
 public:
  Params() = default;
  Params(std::initializer_list<Param> ps) : ps_(ps) {}
  Params& add(Param p) {
    ps_.push_back(std::move(p));
    return *this;
  }
  // The placeholder of the parameter add() appends next: "$N".
  std::string next() const { return "$" + std::to_string(ps_.size() + 1); }
  std::size_t size() const { return ps_.size(); }
  auto begin() const { return ps_.begin(); }
  auto end() const { return ps_.end(); }
  const Param& operator[](std::size_t i) const { return ps_[i]; }

 private:
  std::vector<Param> ps_;
};

// Any driver failure. Stores turn `unique` and `constraint` into expected errors;
// `retry` (serialization failure, deadlock, busy) and `connection` are retried by
// write() and read(); everything else is a bug or an outage.
class DbError : public std::runtime_error {
 public:
  enum class Kind { other, unique, constraint, retry, connection };
  DbError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// The names of a result's columns, shared by its rows.
using Columns = std::shared_ptr<const std::vector<std::string>>;

// One result row; values are copied out of the driver and read by column name. An
// unknown name is a bug in the SQL next to the code and throws.
class Row {
 public:
  Row(Columns columns, std::vector<Value> values)
      : columns_(std::move(columns)), values_(std::move(values)) {}
  bool has(std::string_view column) const;
  bool is_null(std::string_view column) const;
  int64_t int64(std::string_view column) const;     // NULL reads as 0
  double real(std::string_view column) const;       // NULL reads as 0
  bool boolean(std::string_view column) const;      // integer 0/1 or PostgreSQL t/f
  std::string text(std::string_view column) const;  // NULL reads as ""
  std::optional<std::string> opt_text(std::string_view column) const;
  std::optional<int64_t> opt_int64(std::string_view column) const;
  std::optional<double> opt_double(std::string_view column) const;
  std::size_t size() const { return values_.size(); }
  // The first column as an integer, whatever its name (count(*) and the like).
  int64_t first_int64() const;
  // Column i as text ("" for NULL), for tools that print whole rows.
  std::string text_at(std::size_t i) const;
  // The columns and values as read, for tools that copy whole rows.
  const std::vector<std::string>& column_names() const { return *columns_; }
  const std::vector<Value>& values() const { return values_; }

 private:
  const Value& at(std::string_view column) const;
  Columns columns_;
  std::vector<Value> values_;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // Runs a script of one or more statements without parameters.
  virtual void exec_script(std::string_view sql) = 0;
  // Runs one statement and returns its rows.
  virtual std::vector<Row> query(std::string_view sql, const Params& params = {}) = 0;
  // Runs one statement and returns the number of rows it changed.
  virtual int64_t execute(std::string_view sql, const Params& params = {}) = 0;
  // Prepared statements this connection holds (bounded by OpenOptions::statement_cache).
  virtual std::size_t cached_statements() const = 0;

  std::optional<Row> query_one(std::string_view sql, const Params& params = {}) {
    auto rows = query(sql, params);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }
  // The first column of the first row as an integer; 0 when there is none or NULL.
  int64_t query_int(std::string_view sql, const Params& params = {});
};

// Runs `fn` inside a savepoint: when one of its statements fails, the transaction rolls
// back to the savepoint and goes on (PostgreSQL otherwise refuses every later statement
// of a transaction that saw an error); the error is rethrown for the caller to handle.
template <typename F>
auto with_savepoint(Connection& c, F&& fn) {
  c.execute("SAVEPOINT verbund_sp");
  try {
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      c.execute("RELEASE SAVEPOINT verbund_sp");
    } else {
      auto out = fn();
      c.execute("RELEASE SAVEPOINT verbund_sp");
      return out;
    }
  } catch (const DbError&) {
    c.execute("ROLLBACK TO SAVEPOINT verbund_sp");
    c.execute("RELEASE SAVEPOINT verbund_sp");
    throw;
  }
}

// The dialect seam: the few pieces of SQL the two dialects write differently.
// `column IN (list)` for an IntList parameter $n.
std::string in_ints(const Connection& c, int n);
// The application's tables (without SQLite's internal and FTS shadow tables).
std::vector<std::string> list_tables(Connection& c);
// Moves an identity column's sequence past its largest value after rows were inserted
// with explicit ids (PostgreSQL; nothing to do on SQLite or for other columns).
void reset_identity(Connection& c, const std::string& table, const std::string& column);

// How a write transaction sees others. SQLite has one writer at a time, so every write
// is serializable there; PostgreSQL gives what is asked.
enum class Isolation { read_committed, serializable };

struct PoolStats {
  int open = 0;
  int in_use = 0;
  uint64_t writes = 0;
  uint64_t retries = 0;  // write or read attempts run again (serialization, busy, lost)
};

class Database {
 public:
  virtual ~Database() = default;

  // Runs `fn` in a read-only snapshot transaction.
  template <typename F>
  auto read(F&& fn) {
    return run(nullptr, std::forward<F>(fn));
  }

  // Runs `fn` in a write transaction (serializable by default); commits when it
  // returns, rolls back when it throws, runs it again on a retryable failure.
  template <typename F>
  auto write(F&& fn) {
    Isolation iso = Isolation::serializable;
    return run(&iso, std::forward<F>(fn));
  }
  template <typename F>
  auto write(Isolation isolation, F&& fn) {
    return run(&isolation, std::forward<F>(fn));
  }

  // "" when the database answers a trivial query, else why not (for /healthz).
  std::string ping();

  virtual PoolStats stats() const = 0;
  virtual Dialect dialect() const = 0;
  std::string dialect_name() const { return dialect() == Dialect::sqlite ? "sqlite" : "postgres"; }
  // A consistent copy of the whole database at `path` while others keep working:
  // an SQLite file (VACUUM INTO) or a pg_dump archive (custom format).
  virtual void backup_to(const std::string& path) = 0;
  // A short description for logs, without secrets ("sqlite:./data/verbund.db",
  // "postgres://verbund@127.0.0.1:5432/verbund").
  virtual std::string describe() const = 0;

  struct Releaser {
    Database* db;
    void operator()(Connection* c) const { db->release(c); }
  };
  using Lease = std::unique_ptr<Connection, Releaser>;
  // A connection outside any transaction (migrations, maintenance).
  Lease acquire() { return Lease(acquire_raw(), Releaser{this}); }

 protected:
  virtual Connection* acquire_raw() = 0;
  // Returns a connection to the pool; a broken one is closed instead.
  virtual void release(Connection* c) = 0;
  // Runs `fn` in a transaction: read-only snapshot when `isolation` is null.
  virtual void run_transaction(const Isolation* isolation,
                               const std::function<void(Connection&)>& fn) = 0;

 private:
  template <typename G>
  auto run(const Isolation* iso, G&& fn) {
    using R = decltype(fn(std::declval<Connection&>()));
    if constexpr (std::is_void_v<R>) {
      run_transaction(iso, [&](Connection& c) { fn(c); });
    } else {
      std::optional<R> out;
      run_transaction(iso, [&](Connection& c) { out.emplace(fn(c)); });
      return std::move(*out);
    }
  }
};

struct OpenOptions {
  int pool_size = 8;          // connections at most (PostgreSQL)
  int statement_cache = 256;  // prepared statements per connection
  int max_attempts = 6;       // tries of one transaction on retryable failures
  int connect_timeout_seconds = 5;
};

// Opens "sqlite:PATH" (created if missing; WAL, foreign keys, synchronous=FULL, busy
// timeout) or "postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?params]" (also
// "postgresql://"). Throws DbError with a message for people when it cannot.
std::unique_ptr<Database> open(const std::string& url, const OpenOptions& options = {});
std::unique_ptr<Database> open_sqlite(const std::string& path, const OpenOptions& options = {});
std::unique_ptr<Database> open_postgres(const std::string& url, const OpenOptions& options = {});

// The URL without its password, for logs and messages.
std::string redact_url(const std::string& url);

}  // namespace verbund::db
