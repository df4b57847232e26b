// Moving an installation between databases (`verbund migrate-data`): every table of
// the application copied row by row, ids kept, in one transaction on the target, read
// from one snapshot of the source, then verified by row counts per table. Both
// databases must be migrated to the same schema; the target must hold no accounts or
// organisations yet (the rows its migrations seeded are replaced by the source's).
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"

namespace verbund::store {

struct TableCount {
  std::string table;
  int64_t source = 0, target = 0;
};

struct CopyReport {
  std::vector<TableCount> tables;    // in copy order
  std::vector<std::string> skipped;  // search indexes (rebuilt) and schema_migrations
};

// Tables in the order that satisfies their foreign keys; a table of the schema that is
// neither here nor among the skipped ones is an error (a new table must be added here).
const std::vector<std::string>& copied_tables();

Result<CopyReport> copy_data(db::Database& from, db::Database& to);

}  // namespace verbund::store
