#include "search/places.hpp"

#include <cmath>
#include <map>
#include <mutex>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "core/log.hpp"
#include "core/resources.hpp"
#include "search/analyzer.hpp"
#include "search/directory.hpp"

namespace verbund::search {

namespace {

struct Table {
  std::unordered_map<std::string, GeoPoint> by_postcode;
  std::unordered_map<std::string, std::string> state_by_postcode;
  std::unordered_map<std::string, std::string> place_of_postcode;
  // Folded place name → its point and display name (the one with most postcodes).
  struct Named {
    std::string name;
    GeoPoint point;
    int postcodes = 0;
  };
  std::unordered_map<std::string, Named> by_name;
};

const Table& table() {
  static Table t;
  static std::once_flag once;
  std::call_once(once, [] {
    auto data = resources::find("data/places.tsv");
    if (!data) {
      log::warn("place_table_missing", {});
      return;
    }
    // Per name and Bundesland: the sum of points and the count, for a mean.
    struct Sum {
      std::string name;
      double lat = 0, lon = 0;
      int n = 0;
    };
    std::map<std::pair<std::string, std::string>, Sum> sums;
    std::string_view rest = *data;
    while (!rest.empty()) {
      auto nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      if (line.empty() || line[0] == '#') continue;
      std::vector<std::string_view> cols;
      for (std::size_t b = 0;;) {
        auto tab = line.find('\t', b);
        cols.push_back(
            line.substr(b, tab == std::string_view::npos ? std::string_view::npos : tab - b));
        if (tab == std::string_view::npos) break;
        b = tab + 1;
      }
      if (cols.size() != 5 && cols.size() != 6) continue;
      std::string code(cols[0]), place(cols[1]), state(cols[2]);
      GeoPoint p{std::stod(std::string(cols[3])), std::stod(std::string(cols[4]))};
      t.by_postcode.emplace(code, p);  // the first place of a postcode stands for it
      t.state_by_postcode.emplace(code, state);
      t.place_of_postcode.emplace(code, place);
      // The place by its name, and by its full name where it has one ("Frankfurt am Main").
      for (std::string name : {place, cols.size() == 6 ? std::string(cols[5]) : std::string()}) {
        if (name.empty()) continue;
        auto& s = sums[{fold(name), state}];
        s.name = name;
        s.lat += p.lat;
        s.lon += p.lon;
        ++s.n;
      }
    }
    for (const auto& [key, s] : sums) {
      auto& named = t.by_name[key.first];
      if (s.n > named.postcodes) named = {s.name, {s.lat / s.n, s.lon / s.n}, s.n};
    }
  });
  return t;
}

bool is_postcode(std::string_view s) {
  if (s.size() != 5) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

double distance_km(GeoPoint a, GeoPoint b) {
  constexpr double kEarthKm = 6371.0;
  constexpr double kRad = M_PI / 180.0;
  double dlat = (b.lat - a.lat) * kRad, dlon = (b.lon - a.lon) * kRad;
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(a.lat * kRad) *
                                                           std::cos(b.lat * kRad) *
                                                           std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthKm * std::asin(std::min(1.0, std::sqrt(h)));
}

std::optional<FoundPlace> find_place(std::string_view text) {
  const auto& t = table();
  std::string s(text);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  if (s.empty()) return std::nullopt;
  // "50825" or "50825 Köln": the postcode decides.
  auto first = s.substr(0, s.find(' '));
  if (is_postcode(first)) {
    auto it = t.by_postcode.find(first);
    if (it == t.by_postcode.end()) return std::nullopt;
    const std::string& place = t.place_of_postcode.at(first);
    // "50825" or "50825 Köln"; "50825 Beratung" is a postcode and words, not a place.
    if (first.size() < s.size()) {
      auto rest = fold(s.substr(first.size() + 1));
      auto named = t.by_name.find(rest);
      if (rest != fold(place) &&
          (named == t.by_name.end() || named->second.name.rfind(place, 0) != 0))
        return std::nullopt;
    }
    return FoundPlace{first + " " + place, it->second};
  }
  auto it = t.by_name.find(fold(s));
  if (it == t.by_name.end()) return std::nullopt;
  return FoundPlace{it->second.name, it->second.point};
}

std::optional<GeoPoint> postcode_point(std::string_view postcode) {
  const auto& t = table();
  auto it = t.by_postcode.find(std::string(postcode));
  if (it == t.by_postcode.end()) return std::nullopt;
  return it->second;
}

std::string postcode_state(std::string_view postcode) {
  const auto& t = table();
  auto it = t.state_by_postcode.find(std::string(postcode));
  return it == t.state_by_postcode.end() ? "" : it->second;
}

std::size_t postcode_count() { return table().by_postcode.size(); }

// "50825", "Köln", "Kita Köln", "Köln Kita", "Beratung 50825 Köln": a place (postcode or
// name, up to three words) at either end of the words is where to look; the other
// words are searched. The longest place wins ("Frankfurt am Main" before "Main").
void take_place(DirectoryQuery& q) {
  std::vector<std::string> words;
  std::istringstream in(q.text);
  for (std::string w; in >> w;) words.push_back(w);
  auto join = [&](std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to; ++i) out.append(out.empty() ? "" : " ").append(words[i]);
    return out;
  };
  const std::size_t n = words.size();
  for (std::size_t k = std::min<std::size_t>(n, 3); k >= 1; --k) {
    for (bool at_end : {true, false}) {
      std::size_t from = at_end ? n - k : 0;
      // A postcode followed by its place counts as one ("50825 Köln").
      std::size_t to = from + k;
      if (auto place = find_place(join(from, to))) {
        if (!at_end && to < n && find_place(join(from, to + 1))) ++to;
        q.near = place->point;
        q.near_label = place->label;
        q.text = join(0, from) + (from > 0 && to < n ? " " : "") + join(to, n);
        return;
      }
    }
  }
}

}  // namespace verbund::search
