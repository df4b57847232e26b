// The directory of organisations: keeps their search text current and answers
// search::DirectoryQuery (stems, then substrings), with filters, facets with counts,
// sorting and pages, on SQLite and PostgreSQL alike.
#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "db/database.hpp"
#include "search/directory.hpp"

namespace verbund::store {

// The isolation of writes that change what the directory shows. Each of them bumps the
// one directory_state row; under serializable isolation concurrent editors then fail
// each other (PostgreSQL: "could not serialize access due to concurrent update") until
// their retries run out. Under read committed they queue on that row's lock instead,
// and what must not be lost is guarded by the statements themselves (versioned
// UPDATEs, unique slugs, conditional review decisions).
constexpr db::Isolation kDirectoryWrite = db::Isolation::read_committed;

// (Re)builds the search entries and sort key of organisation `id`. Call in the same
// transaction as every change to an organisation's searchable text.
void index_organisation(db::Connection& c, int64_t id);
// Marks the directory as changed (cached facets of other requests and nodes go stale).
void bump_directory_generation(db::Connection& c);
// Rebuilds the whole index (after a migration or an import).
void reindex_all_organisations(db::Connection& c);
// After many organisations arrived at once (demo content, an import): on PostgreSQL,
// VACUUM ANALYZE now instead of whenever autovacuum comes by (search p50 on 20,000
// organisations: 8.2 ms before, about 3 ms after). Runs outside a transaction.
void analyze_directory(db::Database& db);

// Thread-safe. Facts of every published organisation are kept in memory until the
// directory generation changes, among them an inverted index of stems and the folded
// texts: a query's words are matched there (stems in the name, stems anywhere, then
// substrings: three tiers, stemmed hits first), and filters, facet counts and ordering
// run over the same facts. The cards of the shown page come from the same facts,
// so a request without search words reads nothing but the generation.
//
// Which organisations match the words of a query (their tiers) is kept as well, for the
// most recently used `match_cache_entries` texts, and dropped with the facts when the
// generation changes; `directory_state.generation` is the signal across nodes, read at
// the start of every search in the same snapshot as the matches.
class OrgDirectory final : public search::Directory {
 public:
  struct Options {
    std::size_t match_cache_entries = 256;  // 0: match every query against the index
  };
  explicit OrgDirectory(db::Database& db) : db_(db) {}
  OrgDirectory(db::Database& db, Options options) : db_(db), options_(options) {}
  search::DirectoryResult search(const search::DirectoryQuery& q) override;
  // Searches answered from the match cache so far (tests, metrics).
  std::size_t match_cache_hits() const;

 private:
  struct Facts;
  struct TextMatch;
  std::shared_ptr<const Facts> facts(db::Connection& c);
  std::shared_ptr<const TextMatch> match(const Facts& f, const std::string& text);
  db::Database& db_;
  Options options_;
  mutable std::mutex mu_;
  std::shared_ptr<const Facts> facts_;
  // Match cache: text -> its matches, most recent first, for match_generation_.
  using Match = std::pair<std::string, std::shared_ptr<const TextMatch>>;
  std::list<Match> match_lru_;
  std::unordered_map<std::string, std::list<Match>::iterator> match_index_;
  int64_t match_generation_ = -1;
  std::size_t match_hits_ = 0;
};

}  // namespace verbund::store
