// German postcodes and places with coordinates (embedded data/places.tsv, built from
// npm data packages by scripts/build-places.mjs): search by place, distances, and the
// Bundesland of a postcode. Loaded once, read-only, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace verbund::search {

struct GeoPoint {
  double lat = 0, lon = 0;
};

// Great-circle distance in kilometres.
double distance_km(GeoPoint a, GeoPoint b);

struct FoundPlace {
  std::string label;  // "50825 Köln" or "Köln"
  GeoPoint point;
};

// A postcode ("50825"), a place ("Köln", "köln", "Koeln") or both ("50825 Köln"); nullopt
// when it is none of these. A place name that several places share (Neustadt) means
// the one with the most postcodes.
std::optional<FoundPlace> find_place(std::string_view text);
// The point of a postcode (its place's), for organisations without their own pin.
std::optional<GeoPoint> postcode_point(std::string_view postcode);
// The Bundesland of a postcode ("" when unknown).
std::string postcode_state(std::string_view postcode);
// How many postcodes the table holds (tests; 0 means the data is missing).
std::size_t postcode_count();

}  // namespace verbund::search
