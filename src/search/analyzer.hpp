// The German analyzer for the directory search: text to search terms.
//
// - words: letters and digits; case folded (ASCII and the Latin-1 letters German uses)
// - transliterations: a word with "ae", "oe", "ue" is also stemmed as if they were ä,
//   ö, ü (not "ue" after q); documents hold both stems and queries ask for either, so
//   "Muenchen" and "München" meet while "Frauen" still meets "Frau"
// - stems: Snowball German (libstemmer), which also folds ä/ö/ü to a/o/u and ß to ss
//
// Snowball does not split compounds ("Hilfe" misses "Jugendhilfe") and stems Latin
// plurals apart (Familienzentren → familienzentr, Familienzentrum → familienzentrum);
// the search therefore matches stems as prefixes and also finds substrings of
// fold()ed text (ARCHITECTURE.md, Search). Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace verbund::search {

// The words of `text`, case folded, umlauts kept.
std::vector<std::string> words(std::string_view text);

// Stems of the words of `text`, in order (duplicates kept).
std::vector<std::string> stems(std::string_view text);

// The stems one word stands for: its own, and the one read with umlauts if different.
std::vector<std::string> stem_variants(const std::string& word);

// Stems joined by spaces: the document text stored in the stem index.
std::string stem_document(std::string_view text);

// Case folded, ä/ö/ü → a/o/u, ß → ss, ae/oe/ue → a/o/u: text for substring matches, so
// that umlauts and their transliterations match.
std::string fold(std::string_view text);

}  // namespace verbund::search
