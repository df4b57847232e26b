// The directory's text index, the part of the directory that differs per dialect:
// how an organisation's search text is stored and how a query's stems are matched
// (SQLite: FTS5 tables keyed by rowid, migrations/sqlite/0002; PostgreSQL: org_search
// with tsvectors under GIN indexes, migrations/postgres/0002), and the substring tier
// that is matched in memory over the folded texts on both. Used by directory_store.cpp
// only.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "db/database.hpp"

namespace verbund::store {

// Writes (or replaces) the search text of organisation `id`.
void store_search_text(db::Connection& c, int64_t id, const std::string& name_stems,
                       const std::string& body_stems, const std::string& folded);
void drop_search_text(db::Connection& c, int64_t id);

// Stem matches by tier: 0 every word's stem in the name, 1 stems anywhere (a superset
// of 0). Each list arrives as one aggregated row, not one row per hit: a broad word
// ("Beratung") hits most of the directory, and a row per hit cost more than the match.
// Substrings (tier 2) are matched in memory over Facts::folded.
struct StemMatches {
  std::vector<int64_t> name, stems;
};

StemMatches match_stems(db::Connection& c, const std::string& text);

// The folded search text of every organisation (what the trigram index holds).
std::vector<std::pair<int64_t, std::string>> folded_texts(db::Connection& c);

// Which trigrams (three consecutive bytes) a text holds, hashed into 512 bits.
using TrigramSignature = std::array<uint64_t, 8>;
TrigramSignature signature_of(std::string_view text);

// Marks tier 2 for every position i whose folded text (folded[start[i] .. start[i+1]-1))
// holds each word as a substring, unless a better tier is marked already.
void mark_substrings(const std::string& folded, const std::vector<uint32_t>& start,
                     const std::vector<TrigramSignature>& signatures,
                     const std::vector<std::string>& words, std::vector<uint8_t>& tier);

}  // namespace verbund::store
