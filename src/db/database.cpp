// What both drivers share: rows read by name, the dialect seam and opening by URL.
#include "db/database.hpp"

namespace verbund::db {

const Value& Row::at(std::string_view column) const {
  const auto& names = *columns_;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == column) return values_[i];
  throw DbError(DbError::Kind::other, "db: the result has no column '" + std::string(column) + "'");
}

bool Row::has(std::string_view column) const {
  for (const auto& n : *columns_)
    if (n == column) return true;
  return false;
}

bool Row::is_null(std::string_view column) const {
  return std::holds_alternative<std::nullptr_t>(at(column));
}

int64_t Row::int64(std::string_view column) const {
  const auto& v = at(column);
  if (auto p = std::get_if<int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) {
    if (*p == "t") return 1;
    if (*p == "f") return 0;
    return std::stoll(*p);
  }
  return 0;
}

double Row::real(std::string_view column) const {
  const auto& v = at(column);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::stod(*p);
  return 0;
}

int64_t Row::first_int64() const {
  if (columns_->empty()) return 0;
  return int64((*columns_)[0]);
}

std::string Row::text_at(std::size_t i) const {
  if (i >= columns_->size()) return {};
  return text((*columns_)[i]);
}

bool Row::boolean(std::string_view column) const { return int64(column) != 0; }

std::string Row::text(std::string_view column) const {
  const auto& v = at(column);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return std::to_string(*p);
  return {};
}

std::optional<std::string> Row::opt_text(std::string_view column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::optional<int64_t> Row::opt_int64(std::string_view column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

std::optional<double> Row::opt_double(std::string_view column) const {
  if (is_null(column)) return std::nullopt;
  return real(column);
}

int64_t Connection::query_int(std::string_view sql, const Params& params) {
  auto rows = query(sql, params);
  if (rows.empty()) return 0;
  return rows.front().first_int64();
}

std::string in_ints(const Connection& c, int n) {
  std::string p = "$" + std::to_string(n);
  // SQLite binds the list as JSON text; PostgreSQL as an array literal.
  if (c.dialect() == Dialect::sqlite) return "IN (SELECT value FROM json_each(" + p + "))";
  return "= ANY(CAST(" + p + " AS BIGINT[]))";
}

std::vector<std::string> list_tables(Connection& c) {
  std::vector<std::string> out;
  const char* sql =
      c.dialect() == Dialect::sqlite
          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND name NOT IN (SELECT m.name FROM "
            "sqlite_master m JOIN sqlite_master v ON v.sql LIKE 'CREATE VIRTUAL TABLE%' AND "
            "m.name LIKE v.name || '_%') ORDER BY name"
          : "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() "
            "ORDER BY tablename";
  for (const auto& r : c.query(sql)) out.push_back(r.text("name"));
  return out;
}

void reset_identity(Connection& c, const std::string& table, const std::string& column) {
  if (c.dialect() != Dialect::postgres) return;
  if (!c.query_one("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                   "AND table_name = $1 AND column_name = $2 AND is_identity = 'YES'",
                   {table, column}))
    return;
  c.query("SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(" + column +
              ") FROM " + table + "), 0) + 1, false)",
          {table, column});
}

std::string Database::ping() {
  try {
    return read([](Connection& c) { return c.query_int("SELECT 1"); }) == 1 ? "" : "no answer";
  } catch (const DbError& e) {
    return e.what();
  }
}

std::string redact_url(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  auto at = url.find('@', scheme + 3);
  auto slash = url.find('/', scheme + 3);
  if (at == std::string::npos || (slash != std::string::npos && at > slash)) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + url.substr(at);
}

std::unique_ptr<Database> open(const std::string& url, const OpenOptions& options) {
  if (url.starts_with("sqlite:")) return open_sqlite(url.substr(7), options);
  if (url.starts_with("postgres://") || url.starts_with("postgresql://"))
    return open_postgres(url, options);
  throw DbError(DbError::Kind::other,
                "database: '" + redact_url(url) + "' is neither sqlite:PATH nor postgres://…");
}

}  // namespace verbund::db
