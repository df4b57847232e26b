// The Social Wall's periodic work.
#include <ctime>

#include "web/wall/handlers.hpp"

namespace verbund::web::wall {

void register_jobs(jobs::Runner& runner, db::Database& db) {
  auto count = [&db](const store::Job&) {
    store::Posts(db).refresh_tag_counts(std::time(nullptr));
  };
  runner.every(store::Posts::kTagCountsJob, 600, count);
}

}  // namespace verbund::web::wall
