// The SQLite directory: keeps the search indexes of organisations current and answers
// search::DirectoryQuery with FTS5 (stems, then trigram substrings), filters, facets
// with counts, sorting and pages.
#pragma once

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

// Thread-safe. The unfiltered listing (no words, no filters) is the landing page:
// its total and facets are kept until the directory generation changes, and its page
// is read straight from the name index.
class SqliteDirectory final : public search::Directory {
 public:
  explicit SqliteDirectory(db::Database& db) : db_(db) {}
  search::DirectoryResult search(const search::DirectoryQuery& q) override;

 private:
  search::DirectoryResult search_filtered(db::Connection& c, const search::DirectoryQuery& q);
  db::Database& db_;
  std::mutex mu_;
  int64_t cached_generation_ = -1;
  search::DirectoryResult cached_all_;  // total and facets of the unfiltered listing
};

}  // namespace verbund::store
