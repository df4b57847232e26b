// The taxonomies of organisations: fields of work and target groups (keys in order;
// labels come from the message catalog).
#pragma once

#include <string>
#include <vector>

#include "db/database.hpp"

namespace verbund::store {

struct Taxonomy {
  std::vector<std::string> fields;
  std::vector<std::string> target_groups;
};

Taxonomy load_taxonomy(db::Connection& c);

}  // namespace verbund::store
