#include "store/outbox_store.hpp"

#include "store/job_store.hpp"

namespace verbund::store {
namespace {
OutgoingMail mail_from(const db::Row& r) {
  return OutgoingMail{r.int64("id"),          r.text("message_id"), r.text("recipient"),
                      r.text("subject"),      r.text("body"),       r.int64("created_at"),
                      r.opt_int64("sent_at"), r.int64("attempts"),  r.text("last_error"),
                      r.text("calendar")};
}
constexpr const char* kColumns =
    "id, message_id, recipient, subject, body, created_at, sent_at, attempts, last_error, calendar";
}  // namespace

int64_t queue_mail(db::Connection& c, const Mail& m, int64_t now, int max_attempts) {
  auto row = c.query_one(R"sql(
    INSERT INTO outbox (message_id, recipient, subject, body, created_at, calendar)
    VALUES ($1, $2, $3, $4, $5, $6) RETURNING id)sql",
                         {m.message_id, m.to, m.subject, m.body, now, m.calendar});
  int64_t id = row->int64("id");
  enqueue_job(c, "mail.send", std::to_string(id), now, max_attempts);
  return id;
}

std::optional<OutgoingMail> Outbox::find(int64_t id) {
  return db_.read([&](db::Connection& c) -> std::optional<OutgoingMail> {
    auto row = c.query_one(std::string("SELECT ") + kColumns + " FROM outbox WHERE id = $1", {id});
    if (!row) return std::nullopt;
    return mail_from(*row);
  });
}

void Outbox::mark_sent(int64_t id, int64_t now) {
  db_.write([&](db::Connection& c) {
    c.execute(
        "UPDATE outbox SET sent_at = $2, attempts = attempts + 1, last_error = NULL "
        "WHERE id = $1 AND sent_at IS NULL",
        {id, now});
  });
}

void Outbox::mark_attempt(int64_t id, const std::string& error) {
  db_.write([&](db::Connection& c) {
    c.execute("UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1",
              {id, error});
  });
}

std::vector<OutgoingMail> Outbox::recent(int64_t limit) {
  return db_.read([&](db::Connection& c) {
    std::vector<OutgoingMail> out;
    for (const auto& r : c.query(
             std::string("SELECT ") + kColumns + " FROM outbox ORDER BY id DESC LIMIT $1", {limit}))
      out.push_back(mail_from(r));
    return out;
  });
}

}  // namespace verbund::store
