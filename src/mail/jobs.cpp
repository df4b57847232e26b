#include "mail/jobs.hpp"

#include <ctime>
#include <stdexcept>

#include "store/outbox_store.hpp"

namespace verbund::mail {

void register_jobs(jobs::Runner& runner, db::Database& db, Transport& transport) {
  runner.add("mail.send", [outbox = store::Outbox(db), &transport](const store::Job& job) mutable {
    int64_t id = std::stoll(job.payload);
    auto m = outbox.find(id);
    if (!m || m->sent_at) return;  // sent before: never twice
    auto st = transport.send(*m);
    if (!st) {
      outbox.mark_attempt(id, st.error().message);
      throw std::runtime_error(st.error().message);
    }
    outbox.mark_sent(id, std::time(nullptr));
  });
}

}  // namespace verbund::mail
