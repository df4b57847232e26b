// The PostgreSQL driver on plain libpq. A bounded pool of connections, each with a
// bounded cache of prepared statements (named s1, s2, … per connection). Parameters
// and results travel as text; results are converted by column type (integers, floats,
// booleans as 0/1, everything else text). A connection that broke (server restart,
// network) is dropped when it returns to the pool, and the transaction it was in is run
// again on a fresh one, unless COMMIT had already been sent.
#include <libpq-fe.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

#include "db/database.hpp"
#include "db/pool.hpp"
#include "db/statement_cache.hpp"

extern char** environ;

namespace verbund::db {
namespace {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

struct ConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};

// Type OIDs from PostgreSQL's pg_type.dat (stable across versions).
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700,
              kFloat8 = 701, kNumeric = 1700;

std::string one_line(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  for (auto& ch : s)
    if (ch == '\n') ch = ' ';
  return s;
}

std::string head(std::string_view sql) {
  std::string out;
  for (char ch : sql.substr(0, 160)) out += (ch == '\n' || ch == '\t') ? ' ' : ch;
  auto start = out.find_first_not_of(' ');
  return start == std::string::npos ? "" : out.substr(start, 120);
}

DbError error_from(PGconn* conn, const PGresult* res, std::string_view sql) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string code = state ? state : "";
  DbError::Kind kind = DbError::Kind::other;
  if (code == "23505")
    kind = DbError::Kind::unique;
  else if (code.starts_with("23"))
    kind = DbError::Kind::constraint;
  else if (code == "40001" || code == "40P01")
    kind = DbError::Kind::retry;
  else if (code.starts_with("08") || code == "57P01" || code == "57P02" || code == "57P03" ||
           PQstatus(conn) == CONNECTION_BAD)
    kind = DbError::Kind::connection;
  std::string msg = "postgres: " + one_line(res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  if (msg == "postgres: ") msg += one_line(PQerrorMessage(conn));
  if (!sql.empty()) msg += " in: " + head(sql);
  return DbError(kind, msg);
}

std::string array_literal(const IntList& ids) {
  std::string out = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(ids[i]);
  }
  return out + "}";
}

void ignore_notice(void*, const char*) {}

class PgConnection final : public Connection {
 public:
  PgConnection(const std::string& url, const OpenOptions& options)
      : cache_(options.statement_cache) {
    std::string timeout = std::to_string(options.connect_timeout_seconds);
    const char* keys[] = {"dbname", "connect_timeout", "fallback_application_name", nullptr};
    const char* values[] = {url.c_str(), timeout.c_str(), "verbund", nullptr};
    conn_.reset(PQconnectdbParams(keys, values, 1));
    if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK)
      throw DbError(DbError::Kind::connection,
                    "postgres: cannot connect to " + redact_url(url) + ": " +
                        one_line(conn_ ? PQerrorMessage(conn_.get()) : "out of memory"));
    PQsetNoticeProcessor(conn_.get(), ignore_notice, nullptr);
    // No statement runs for ever and no transaction stays open holding locks: a
    // runaway query or a stuck handler ends with an error instead of stalling the
    // nodes that wait for its rows.
    exec_script(
        "SET TIME ZONE 'UTC'; SET statement_timeout = '30s'; SET lock_timeout = '10s'; "
        "SET idle_in_transaction_session_timeout = '60s'");
  }

  Dialect dialect() const override { return Dialect::postgres; }
  bool broken() const { return PQstatus(conn_.get()) != CONNECTION_OK; }
  std::size_t cached_statements() const override { return cache_.size(); }

  void exec_script(std::string_view sql) override {
    std::string text(sql);
    ResultPtr res(PQexec(conn_.get(), text.c_str()));
    auto st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
      throw error_from(conn_.get(), res.get(), sql);
  }

  std::vector<Row> query(std::string_view sql, const Params& params) override {
    Entry* e = nullptr;
    ResultPtr res = run(sql, params, &e);
    const int cols = PQnfields(res.get());
    if (!e->columns || static_cast<int>(e->columns->size()) != cols) {
      auto names = std::make_shared<std::vector<std::string>>();
      for (int i = 0; i < cols; ++i) names->emplace_back(PQfname(res.get(), i));
      e->columns = std::move(names);
    }
    std::vector<Oid> types(cols);
    for (int i = 0; i < cols; ++i) types[i] = PQftype(res.get(), i);
    const int n = PQntuples(res.get());
    std::vector<Row> rows;
    rows.reserve(n);
    for (int r = 0; r < n; ++r) {
      std::vector<Value> values;
      values.reserve(cols);
      for (int i = 0; i < cols; ++i) {
        if (PQgetisnull(res.get(), r, i)) {
          values.emplace_back(nullptr);
          continue;
        }
        const char* v = PQgetvalue(res.get(), r, i);
        switch (types[i]) {
          case kInt8:
          case kInt4:
          case kInt2:
          case kOid:
            values.emplace_back(int64_t{std::strtoll(v, nullptr, 10)});
            break;
          case kBool:
            values.emplace_back(int64_t{v[0] == 't' ? 1 : 0});
            break;
          case kFloat4:
          case kFloat8:
          case kNumeric:
            values.emplace_back(std::strtod(v, nullptr));
            break;
          default:
            values.emplace_back(std::string(v, PQgetlength(res.get(), r, i)));
        }
      }
      rows.emplace_back(e->columns, std::move(values));
    }
    return rows;
  }

  int64_t execute(std::string_view sql, const Params& params) override {
    Entry* e = nullptr;
    ResultPtr res = run(sql, params, &e);
    const char* n = PQcmdTuples(res.get());
    return n && *n ? std::strtoll(n, nullptr, 10) : 0;
  }

 private:
  struct Entry {
    std::string sql;
    std::string name;
    Columns columns;
  };

  ResultPtr run(std::string_view sql, const Params& params, Entry** entry) {
    Entry& e = prepare(sql);
    *entry = &e;
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const auto& v = params[i].value();
      if (auto p = std::get_if<int64_t>(&v)) {
        texts[i] = std::to_string(*p);
      } else if (auto d = std::get_if<double>(&v)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", *d);
        texts[i] = buf;
      } else if (auto s = std::get_if<std::string>(&v)) {
        texts[i] = *s;
      } else if (auto l = std::get_if<IntList>(&v)) {
        texts[i] = array_literal(*l);
      } else {
        continue;  // NULL
      }
      values[i] = texts[i].c_str();
    }
    ResultPtr res(PQexecPrepared(conn_.get(), e.name.c_str(), static_cast<int>(values.size()),
                                 values.data(), nullptr, nullptr, 0));
    auto st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
      throw error_from(conn_.get(), res.get(), sql);
    return res;
  }

  // Statements are prepared once per connection and kept, the least recently used
  // deallocated beyond the limit.
  Entry& prepare(std::string_view sql) {
    if (Entry* e = cache_.find(sql)) return *e;
    std::string name = "s" + std::to_string(++counter_);
    std::string text(sql);
    ResultPtr res(PQprepare(conn_.get(), name.c_str(), text.c_str(), 0, nullptr));
    if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK)
      throw error_from(conn_.get(), res.get(), sql);
    return cache_.add(Entry{std::move(text), std::move(name), nullptr}, [this](Entry& old) {
      ResultPtr gone(PQexec(conn_.get(), ("DEALLOCATE " + old.name).c_str()));
    });
  }

  std::unique_ptr<PGconn, ConnDeleter> conn_;
  StatementCache<Entry> cache_;
  uint64_t counter_ = 0;
};

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string url, OpenOptions options)
      : url_(std::move(url)), options_(options), pool_(std::max(1, options.pool_size)) {
    // Connect once now: an unreachable server or wrong credentials stop start-up with
    // libpq's own words.
    pool_.add(std::make_unique<PgConnection>(url_, options_));
  }

  PoolStats stats() const override { return pool_.stats(); }
  Dialect dialect() const override { return Dialect::postgres; }
  std::string describe() const override { return redact_url(url_); }

  // pg_dump in its custom format (restore with pg_restore): one consistent snapshot
  // while the nodes keep writing.
  void backup_to(const std::string& path) override {
    const char* tool = "pg_dump";
    std::vector<std::string> args = {tool, "--format=custom", "--no-owner", "--file=" + path,
                                     "--dbname=" + url_};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid;
    if (posix_spawnp(&pid, tool, nullptr, nullptr, argv.data(), environ) != 0)
      throw DbError(DbError::Kind::other, "postgres: cannot start pg_dump (postgresql-client)");
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      throw DbError(DbError::Kind::other, "postgres: pg_dump failed for " + describe());
  }

 protected:
  Connection* acquire_raw() override {
    return pool_.take([&] { return std::make_unique<PgConnection>(url_, options_); },
                      std::chrono::seconds(30), "postgres");
  }

  // A broken connection (server restart, network) is closed; the next acquire connects
  // anew.
  void release(Connection* raw) override {
    auto* c = static_cast<PgConnection*>(raw);
    pool_.give(c, !c->broken());
  }

  void run_transaction(const Isolation* isolation,
                       const std::function<void(Connection&)>& fn) override {
    const char* begin = !isolation ? "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                        : *isolation == Isolation::serializable
                            ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                            : "BEGIN ISOLATION LEVEL READ COMMITTED";
    for (int attempt = 1;; ++attempt) {
      bool committing = false;
      try {
        auto lease = acquire();
        auto& c = *lease;
        c.execute(begin);
        try {
          fn(c);
          committing = true;
          c.execute("COMMIT");
        } catch (...) {
          if (!committing) {
            try {
              c.execute("ROLLBACK");
            } catch (...) {
            }
          }
          throw;
        }
        if (isolation) pool_.count_write();
        return;
      } catch (const DbError& e) {
        // A lost connection during COMMIT leaves the outcome unknown: never run again.
        bool again = e.kind() == DbError::Kind::retry ||
                     (e.kind() == DbError::Kind::connection && !committing);
        if (!again || attempt >= options_.max_attempts) throw;
        pool_.count_retry();
        // Jittered backoff so that two conflicting writers do not meet again at once.
        auto jitter = std::hash<std::thread::id>{}(std::this_thread::get_id()) % 7;
        std::this_thread::sleep_for(std::chrono::milliseconds((3 << attempt) + jitter));
      }
    }
  }

 private:
  std::string url_;
  OpenOptions options_;
  Pool<PgConnection> pool_;
};

}  // namespace

std::unique_ptr<Database> open_postgres(const std::string& url, const OpenOptions& options) {
  return std::make_unique<PgDatabase>(url, options);
}

}  // namespace verbund::db
