// The directory's text matching. The database keeps each organisation's search text
// (org_search_text, migrations/*/0013: distinct name stems, distinct stems of the rest,
// the folded text; the same SQL on both dialects); a node that loads the directory
// builds from it an inverted index of stems and the trigram signatures of the folded
// texts, and matches queries in memory. Used by directory_store.cpp only.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "search/directory.hpp"

namespace verbund::store {

// Writes (or replaces) the search text of organisation `id` (stems as the analyzer's
// stem_document gives them; they are stored distinct and sorted).
void store_search_text(db::Connection& c, int64_t id, const std::string& name_stems,
                       const std::string& body_stems, const std::string& folded);
void drop_search_text(db::Connection& c, int64_t id);

struct SearchText {
  int64_t id = 0;
  std::string name_stems, body_stems, folded;
};
// The search text of every organisation.
std::vector<SearchText> search_texts(db::Connection& c);

// Positions as a bitmap: bit i of word i / 64.
using Bitmap = std::vector<uint64_t>;

// An inverted index of stems held in memory: for every distinct stem, the ascending
// positions (name ranks) of the organisations whose text holds it.
class StemIndex {
 public:
  StemIndex() = default;
  // texts[i] (and more[i], when given): the stems of position i, separated by spaces
  // (repeats allowed).
  explicit StemIndex(const std::vector<std::string_view>& texts,
                     const std::vector<std::string_view>& more = {});

  // The positions whose stems hold, for every word, one of its terms.
  Bitmap match(const std::vector<std::vector<search::StemTerm>>& words) const;

  std::size_t stems() const { return vocabulary_.size(); }
  std::size_t postings() const { return positions_.size(); }

 private:
  std::size_t size_ = 0;                 // positions
  std::vector<std::string> vocabulary_;  // sorted
  std::vector<uint32_t> start_;          // postings of vocabulary_[k]: [start_[k], start_[k + 1])
  std::vector<uint32_t> positions_;
};

// Which trigrams (three consecutive bytes) a text holds, hashed into 512 bits.
using TrigramSignature = std::array<uint64_t, 8>;
TrigramSignature signature_of(std::string_view text);

// Marks tier 2 for every position i whose folded text (folded[start[i] .. start[i+1]-1))
// holds each word as a substring, unless a better tier is marked already.
void mark_substrings(const std::string& folded, const std::vector<uint32_t>& start,
                     const std::vector<TrigramSignature>& signatures,
                     const std::vector<std::string>& words, std::vector<uint8_t>& tier);

}  // namespace verbund::store
