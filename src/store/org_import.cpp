#include "store/org_import.hpp"

#include <algorithm>

#include "store/directory_store.hpp"
#include "store/org_store.hpp"
#include "store/taxonomy_store.hpp"

namespace verbund::store {

ImportOutcome import_organisations(db::Database& db, std::string_view csv_bytes,
                                   const ImportOptions& options) {
  ImportOutcome out;
  // Checks and inserts share one transaction: a name registered meanwhile through the
  // web form cannot slip in between the check and the insert.
  auto run = [&](db::Connection& c) {
    model::ImportVocabulary vocab;
    vocab.regions = list_regions(c);
    auto taxonomy = load_taxonomy(c);
    vocab.field_keys = taxonomy.fields;
    vocab.group_keys = taxonomy.target_groups;
    vocab.current_year = options.current_year;
    auto& plan = out.plan = model::plan_import(csv_bytes, vocab);
    if (plan.fatal) return;

    std::vector<model::ImportRow> fresh;
    for (auto& row : plan.rows) {
      if (find_organisation_id(c, row.slug)) {
        plan.problems.push_back(
            {row.line, plan.name_column, row.org.name, "import.exists", {{"slug", row.slug}}});
        continue;
      }
      fresh.push_back(std::move(row));
    }
    plan.rows = std::move(fresh);
    std::stable_sort(plan.problems.begin(), plan.problems.end(),
                     [](const auto& a, const auto& b) { return a.line < b.line; });
    if (plan.errors() > 0 || options.dry_run) return;

    for (auto& row : plan.rows) {
      row.org.status = options.status;
      insert_organisation(c, row.org, options.now);  // also indexes it for the directory
      ++out.imported;
    }
  };
  if (options.dry_run)
    db.read(run);
  else
    db.write(kDirectoryWrite, run);
  if (out.imported > 0) analyze_directory(db);
  return out;
}

}  // namespace verbund::store
