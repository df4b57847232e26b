// The SQLite directory: keeps the search indexes of organisations current and answers
// search::DirectoryQuery with FTS5 (stems, then trigram substrings), filters, facets
// with counts, sorting and pages.
#pragma once

#include <memory>
#include <mutex>

#include "db/database.hpp"
#include "search/directory.hpp"

namespace verbund::store {

// (Re)builds the search entries and sort key of organisation `id`. Call in the same
// transaction as every change to an organisation's searchable text.
void index_organisation(db::Connection& c, int64_t id);
// Marks the directory as changed (cached facets of other requests and nodes go stale).
void bump_directory_generation(db::Connection& c);
// Rebuilds the whole index (after a migration or an import).
void reindex_all_organisations(db::Connection& c);

// Thread-safe. FTS5 finds the matching ids (stems in the name, stems anywhere, then
// trigram substrings: three tiers, stemmed hits first); filters, facet counts and
// ordering run over facts of every published organisation kept in memory until the
// directory generation changes. The cards of the shown page come from the same facts,
// so a request without search words reads nothing but the generation.
class SqliteDirectory final : public search::Directory {
 public:
  explicit SqliteDirectory(db::Database& db) : db_(db) {}
  search::DirectoryResult search(const search::DirectoryQuery& q) override;

 private:
  struct Facts;
  std::shared_ptr<const Facts> facts(db::Connection& c);
  db::Database& db_;
  std::mutex mu_;
  std::shared_ptr<const Facts> facts_;
};

}  // namespace verbund::store
