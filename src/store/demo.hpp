// Demo content: the member organisations from demo/organisations.tsv (embedded) and a
// few users per role, so that a fresh installation shows a living platform.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"

namespace verbund::store {

struct DemoUser {
  std::string email;
  std::string role;   // role key
  std::string scope;  // region or organisation name, or ""
};

struct DemoReport {
  int organisations = 0;  // published
  int applications = 0;   // waiting for review
  std::vector<DemoUser> users;
};

// Loads the demo organisations and users (all with `password_hash`). Refuses with code
// "not_empty" when organisations exist already. With `organisations` above the 60 demo
// rows, further ones are derived from them (other places, numbered names) for
// benchmarks such as `verbund demo --orgs 20000`.
Result<DemoReport> load_demo(db::Database& db, const std::string& password_hash,
                             int organisations = 0);

}  // namespace verbund::store
