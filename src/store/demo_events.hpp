// Demo events for `verbund demo`: the next three Digi-Dienstage with several sessions
// each (one of them already full, with a waitlist), a closed Scout-Camp for the online
// scouts, two trainings for the federation's staff, a member organisation's workshop
// and a regional association's day, so that /veranstaltungen is alive on `make run`.
#pragma once

#include <cstdint>

#include "db/database.hpp"

namespace verbund::store {

// Returns how many events it created.
int load_demo_events(db::Database& db, int64_t now);

}  // namespace verbund::store
