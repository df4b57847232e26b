// The mail feature's background work: sending queued mail from the outbox.
#pragma once

#include "db/database.hpp"
#include "jobs/runner.hpp"
#include "mail/mail.hpp"

namespace verbund::mail {

// Registers "mail.send" (payload: outbox id). A mail already marked sent is never sent
// again, so a job run twice after a lost lease sends once.
void register_jobs(jobs::Runner& runner, db::Database& db, Transport& transport);

}  // namespace verbund::mail
