#include "search/places.hpp"

#include <cmath>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/log.hpp"
#include "core/resources.hpp"
#include "search/analyzer.hpp"

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
      if (cols.size() != 5) continue;
      std::string code(cols[0]), place(cols[1]), state(cols[2]);
      GeoPoint p{std::stod(std::string(cols[3])), std::stod(std::string(cols[4]))};
      t.by_postcode.emplace(code, p);  // the first place of a postcode stands for it
      t.state_by_postcode.emplace(code, state);
      t.place_of_postcode.emplace(code, place);
      auto& s = sums[{fold(place), state}];
      s.name = place;
      s.lat += p.lat;
      s.lon += p.lon;
      ++s.n;
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
    return FoundPlace{first + " " + t.place_of_postcode.at(first), it->second};
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

}  // namespace verbund::search
