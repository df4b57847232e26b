// The directory search API, implemented in src/store/directory_store.cpp alike on both
// dialects: the application's stems and folded texts are stored in the database and
// matched in memory (src/store/directory_text.hpp).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "search/places.hpp"

namespace verbund::search {

struct DirectoryQuery {
  std::string text;          // words as typed
  std::string field;         // fields_of_work key
  std::string target_group;  // target_groups key
  std::string region;        // region code
  std::string state;         // federal state name
  std::string city;
  std::string letter;             // A–Z: first letter of the name
  std::string sort = "relevanz";  // relevanz | name | neu
  // Near a place: only organisations within `radius_km`, nearest first (the order the
  // sort names is then ignored); when none is that near, the nearest of all.
  std::optional<GeoPoint> near;
  std::string near_label;  // the place as the page names it ("50825 Köln")
  double radius_km = 25;
  // The words that were taken as the place when they were all the visitor typed (for
  // web::orgs::run_directory_search); '' otherwise.
  std::string place_words;
  int64_t page = 1;
  int64_t page_size = 20;
};

// What a result card shows of one organisation. Immutable: the directory keeps one per
// organisation until the directory changes, and every hit shares it.
struct DirectoryCard {
  int64_t id = 0;
  std::string slug, name, city, region_name, short_description;
  std::vector<std::string> fields;  // fields_of_work keys
  std::string logo_key;             // '' without a logo
};

struct DirectoryHit {
  std::shared_ptr<const DirectoryCard> card;
  bool exact = false;       // matched by stem (ranked first), not only by substring
  double distance_km = -1;  // from DirectoryQuery::near; -1 without
};

struct FacetValue {
  std::string key;    // value to filter by
  std::string label;  // display text (before translation for keys)
  int64_t count = 0;
};

struct DirectoryResult {
  std::vector<DirectoryHit> hits;
  int64_t total = 0;
  bool beyond_radius = false;  // nothing was within the radius: these are the nearest
  // "field", "target_group", "region", "state", "city", "letter"
  std::map<std::string, std::vector<FacetValue>> facets;
};

class Directory {
 public:
  virtual ~Directory() = default;
  virtual DirectoryResult search(const DirectoryQuery& q) = 0;
};

// Takes a place out of q.text into q.near and q.near_label: a postcode or place name of
// up to three words at either end ("50825", "Köln", "Kita Köln", "50825 Köln Beratung"),
// the longest first; the other words stay in q.text. Nothing changes without a place.
void take_place(DirectoryQuery& q);

// A query's stem terms: one list per word, of which an organisation's stems must hold
// one term for every word. A prefix term matches every stem it begins.
struct StemTerm {
  std::string stem;
  bool prefix = true;
  bool operator==(const StemTerm&) const = default;
};
std::vector<std::vector<StemTerm>> stem_query(const std::string& text);
// The folded words of three or more letters that must appear as substrings.
std::vector<std::string> trigram_words(const std::string& text);

}  // namespace verbund::search
