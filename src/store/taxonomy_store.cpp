#include "store/taxonomy_store.hpp"

namespace verbund::store {

Taxonomy load_taxonomy(db::Connection& c) {
  Taxonomy t;
  for (const auto& r : c.query("SELECT key FROM fields_of_work ORDER BY position"))
    t.fields.push_back(r.text("key"));
  for (const auto& r : c.query("SELECT key FROM target_groups ORDER BY position"))
    t.target_groups.push_back(r.text("key"));
  return t;
}

}  // namespace verbund::store
