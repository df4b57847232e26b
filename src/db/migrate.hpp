// Schema migrations: numbered SQL files (migrations/<dialect>/NNNN_name.sql, embedded
// in the binary) applied in order, each in its own transaction, recorded in
// schema_migrations. A failing file leaves the database as it was before that file and
// the error names the file and the statement.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"

namespace verbund::db {

struct Migration {
  std::string version;  // the file name, e.g. "0001_init.sql"
  std::string sql;
};

// The embedded migrations for `dialect`, in order.
std::vector<Migration> embedded_migrations(const std::string& dialect);

// Applies every migration not yet recorded; returns the versions applied now.
Result<std::vector<std::string>> migrate(Database& db, const std::vector<Migration>& migrations);

}  // namespace verbund::db
