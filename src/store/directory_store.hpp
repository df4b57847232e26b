// The directory of organisations: keeps their search text current and answers
// search::DirectoryQuery (stems, then substrings), with filters, facets with counts,
// sorting and pages, on SQLite (FTS5) and PostgreSQL (tsvector, pg_trgm) alike.
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

// Thread-safe. The text index finds the matching ids (stems in the name, stems
// anywhere, then substrings: three tiers, stemmed hits first); filters, facet counts and
// ordering run over facts of every published organisation kept in memory until the
// directory generation changes. The cards of the shown page come from the same facts,
// so a request without search words reads nothing but the generation.
class OrgDirectory final : public search::Directory {
 public:
  explicit OrgDirectory(db::Database& db) : db_(db) {}
  search::DirectoryResult search(const search::DirectoryQuery& q) override;

 private:
  struct Facts;
  std::shared_ptr<const Facts> facts(db::Connection& c);
  db::Database& db_;
  std::mutex mu_;
  std::shared_ptr<const Facts> facts_;
};

}  // namespace verbund::store
