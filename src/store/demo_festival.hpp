// The demo Digital-Festival for `verbund demo`: a festival week about six weeks ahead
// whose call for proposals is in review, with proposals in every state (new, reviewed,
// accepted and in the programme, accepted and waiting for a slot, changes requested,
// declined, withdrawn), three reviewers (two online scouts for everything, a regional
// editor for her association) and anonymous review, so that every festival page has
// something to show on `make run`.
#pragma once

#include <cstdint>

#include "db/database.hpp"

namespace verbund::store {

// Returns how many proposals it created (0 without demo organisations).
int load_demo_festival(db::Database& db, int64_t now);

}  // namespace verbund::store
