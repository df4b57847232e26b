#include "mail/jobs.hpp"

#include <ctime>
#include <stdexcept>

#include "store/outbox_store.hpp"

namespace verbund::mail {

void register_jobs(jobs::Runner& runner, db::Database& db, Transport& transport) {
  runner.add("mail.send", [&db, &transport](const store::Job& job) {
    int64_t id = std::stoll(job.payload);
    auto m = db.read([&](db::Connection& c) { return store::find_mail(c, id); });
    if (!m || m->sent_at) return;  // sent before: never twice
    auto st = transport.send(*m);
    if (!st) {
      db.write([&](db::Connection& c) { store::mark_mail_attempt(c, id, st.error().message); });
      throw std::runtime_error(st.error().message);
    }
    db.write([&](db::Connection& c) { store::mark_mail_sent(c, id, std::time(nullptr)); });
  });
}

}  // namespace verbund::mail
