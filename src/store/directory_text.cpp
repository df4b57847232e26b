#include "store/directory_text.hpp"

#include <algorithm>
#include <unordered_map>

#include "search/analyzer.hpp"
#include "search/directory.hpp"

namespace verbund::store {
namespace {

// Calls fn with every word of a space-separated text (runs of spaces are one).
template <typename F>
void each_word(std::string_view text, F&& fn) {
  for (std::size_t p = 0; p < text.size();) {
    auto end = text.find(' ', p);
    if (end == std::string_view::npos) end = text.size();
    if (end > p) fn(text.substr(p, end - p));
    p = end + 1;
  }
}

// The distinct words of a space-separated text, sorted, joined by spaces.
std::string distinct_words(std::string_view text) {
  std::vector<std::string_view> words;
  each_word(text, [&](std::string_view w) { words.push_back(w); });
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  std::string out;
  for (auto w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

// The bit of a trigram in a text's signature.
inline unsigned trigram_bit(unsigned char a, unsigned char b, unsigned char c) {
  uint32_t v = (uint32_t{a} << 16) | (uint32_t{b} << 8) | c;
  return (v * 0x9E3779B1u) >> (32 - 9);  // 0..511
}

}  // namespace

void store_search_text(db::Connection& c, int64_t id, const std::string& name_stems,
                       const std::string& body_stems, const std::string& folded) {
  c.execute(R"sql(
    INSERT INTO org_search_text (organisation_id, name_stems, body_stems, folded)
    VALUES ($1, $2, $3, $4)
    ON CONFLICT (organisation_id) DO UPDATE
       SET name_stems = excluded.name_stems, body_stems = excluded.body_stems,
           folded = excluded.folded)sql",
            {id, distinct_words(name_stems), distinct_words(body_stems), folded});
}

void drop_search_text(db::Connection& c, int64_t id) {
  c.execute("DELETE FROM org_search_text WHERE organisation_id = $1", {id});
}

std::vector<SearchText> search_texts(db::Connection& c) {
  std::vector<SearchText> out;
  for (const auto& r :
       c.query("SELECT organisation_id, name_stems, body_stems, folded FROM org_search_text"))
    out.push_back(
        {r.int64("organisation_id"), r.text("name_stems"), r.text("body_stems"), r.text("folded")});
  return out;
}

StemIndex::StemIndex(const std::vector<std::string_view>& texts,
                     const std::vector<std::string_view>& more)
    : size_(texts.size()) {
  // Postings by stem, filled in position order so that each list comes out ascending.
  std::unordered_map<std::string_view, std::vector<uint32_t>> lists;
  lists.reserve(texts.size() * 4);
  auto add = [&](std::string_view text, uint32_t i) {
    each_word(text, [&](std::string_view stem) {
      auto& list = lists[stem];
      if (list.empty() || list.back() != i) list.push_back(i);
    });
  };
  for (std::size_t i = 0; i < texts.size(); ++i) {
    add(texts[i], static_cast<uint32_t>(i));
    if (i < more.size()) add(more[i], static_cast<uint32_t>(i));
  }
  std::vector<std::string_view> stems;
  stems.reserve(lists.size());
  std::size_t total = 0;
  for (const auto& [stem, list] : lists) {
    stems.push_back(stem);
    total += list.size();
  }
  std::sort(stems.begin(), stems.end());
  vocabulary_.reserve(stems.size());
  start_.reserve(stems.size() + 1);
  positions_.reserve(total);
  for (auto stem : stems) {
    vocabulary_.emplace_back(stem);
    start_.push_back(static_cast<uint32_t>(positions_.size()));
    const auto& list = lists[stem];
    positions_.insert(positions_.end(), list.begin(), list.end());
  }
  start_.push_back(static_cast<uint32_t>(positions_.size()));
}

Bitmap StemIndex::match(const std::vector<std::vector<search::StemTerm>>& words) const {
  const std::size_t n_words = (size_ + 63) / 64;
  Bitmap all;
  if (words.empty()) return Bitmap(n_words, 0);
  Bitmap word(n_words);
  for (std::size_t w = 0; w < words.size(); ++w) {
    std::fill(word.begin(), word.end(), 0);
    for (const auto& term : words[w]) {
      // The stems equal to the term, or beginning with it: one run of the sorted list.
      auto from = std::lower_bound(vocabulary_.begin(), vocabulary_.end(), term.stem);
      auto to = from;
      while (to != vocabulary_.end() &&
             (term.prefix ? to->starts_with(term.stem) : *to == term.stem))
        ++to;
      for (auto k = static_cast<std::size_t>(from - vocabulary_.begin());
           k < static_cast<std::size_t>(to - vocabulary_.begin()); ++k)
        for (uint32_t j = start_[k]; j < start_[k + 1]; ++j)
          word[positions_[j] / 64] |= uint64_t{1} << (positions_[j] % 64);
    }
    if (w == 0) {
      all = word;
    } else {
      for (std::size_t k = 0; k < n_words; ++k) all[k] &= word[k];
    }
  }
  return all;
}

TrigramSignature signature_of(std::string_view text) {
  TrigramSignature sig{};
  for (std::size_t k = 0; k + 3 <= text.size(); ++k) {
    unsigned bit =
        trigram_bit(static_cast<unsigned char>(text[k]), static_cast<unsigned char>(text[k + 1]),
                    static_cast<unsigned char>(text[k + 2]));
    sig[bit / 64] |= uint64_t{1} << (bit % 64);
  }
  return sig;
}

// Marks tier 2 for every position whose folded text holds each word as a substring
// (what SQL's LIKE '%word%' would find), unless a better tier
// is marked already. The signatures rule out most texts with a few AND operations (a
// text lacking one of the words' trigrams cannot hold them); the rest are searched.
void mark_substrings(const std::string& folded, const std::vector<uint32_t>& start,
                     const std::vector<TrigramSignature>& signatures,
                     const std::vector<std::string>& words, std::vector<uint8_t>& tier) {
  if (words.empty()) return;
  TrigramSignature want{};
  for (const auto& w : words) {
    auto sig = signature_of(w);
    for (std::size_t k = 0; k < want.size(); ++k) want[k] |= sig[k];
  }
  for (std::size_t i = 0; i < signatures.size(); ++i) {
    if (tier[i] <= 2) continue;  // already matched as well or better
    const auto& sig = signatures[i];
    bool maybe = true;
    for (std::size_t k = 0; k < want.size() && maybe; ++k) maybe = (sig[k] & want[k]) == want[k];
    if (!maybe) continue;
    std::string_view own(folded.data() + start[i], start[i + 1] - start[i] - 1);
    bool all = true;
    for (std::size_t w = 0; w < words.size() && all; ++w)
      all = own.find(words[w]) != std::string_view::npos;
    if (all) tier[i] = 2;
  }
}

}  // namespace verbund::store
