// Importing a federation's member list (`verbund import orgs FILE.csv`): the file is
// planned and checked by model::plan_import against the regions and taxonomy in the
// database, names that exist already are refused, and then every row is inserted in
// ONE write transaction, or none is: a list with one bad row changes nothing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "db/database.hpp"
#include "model/org_import.hpp"

namespace verbund::store {

struct ImportOptions {
  std::string status = "published";  // a federation's own list is verified; or "pending"
  bool dry_run = false;              // check everything, change nothing
  int64_t now = 0;                   // created_at / updated_at of the new rows
  int current_year = 2025;           // the latest founding year accepted
};

struct ImportOutcome {
  model::ImportPlan plan;  // problems include "exists already", sorted by line
  int64_t imported = 0;    // rows inserted (0 on a dry run or when any row has an error)
};

// Checks `csv_bytes` and, unless it is a dry run or any row has an error, inserts all
// rows with their fields of work, target groups and search entries in one transaction.
// Every insert bumps the directory generation, so running servers show the new
// organisations in /organisationen at once. Throws db::DbError on database failures
// (then nothing is written).
ImportOutcome import_organisations(db::Database& db, std::string_view csv_bytes,
                                   const ImportOptions& options);

}  // namespace verbund::store
