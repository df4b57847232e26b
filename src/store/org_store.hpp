// Organisations and regional associations: building blocks for the stores' transactions,
// the demo content and the import (handlers use store::Organisations).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "model/organisation.hpp"

namespace verbund::store {

std::vector<model::Region> list_regions(db::Connection& c);
std::optional<model::Region> find_region(db::Connection& c, const std::string& code);

// Inserts an organisation with a slug unique among all organisations; returns its id.
int64_t insert_organisation(db::Connection& c, const model::Organisation& o, int64_t now);
// A published organisation with its fields of work and target groups.
std::optional<model::Organisation> find_published(db::Connection& c, const std::string& slug);
// Any status (for previews); the caller has checked that the actor may see it.
std::optional<model::Organisation> find_organisation(db::Connection& c, int64_t id);
std::optional<int64_t> find_organisation_id(db::Connection& c, const std::string& slug);
int64_t count_organisations(db::Connection& c, const std::string& status);

// Where published organisations are, for the map: id, latitude, longitude of those of
// `ids` that have coordinates.
struct OrgLocation {
  int64_t id = 0;
  double latitude = 0, longitude = 0;
};
std::vector<OrgLocation> locations_of(db::Connection& c, const std::vector<int64_t>& ids);

}  // namespace verbund::store
