// The SQLite directory: keeps the search indexes of organisations current and answers
// search::DirectoryQuery with FTS5 (stems, then trigram substrings), filters, facets
// with counts, sorting and pages.
#pragma once

#include "db/database.hpp"
#include "search/directory.hpp"

namespace verbund::store {

// (Re)builds the search entries and sort key of organisation `id`. Call in the same
// transaction as every change to an organisation's searchable text.
void index_organisation(db::Connection& c, int64_t id);
// Rebuilds the whole index (after a migration or an import).
void reindex_all_organisations(db::Connection& c);

class SqliteDirectory final : public search::Directory {
 public:
  explicit SqliteDirectory(db::Database& db) : db_(db) {}
  search::DirectoryResult search(const search::DirectoryQuery& q) override;

 private:
  db::Database& db_;
};

}  // namespace verbund::store
