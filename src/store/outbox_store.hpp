// The mail outbox: a message is written here in the same transaction as the change
// that caused it, then sent by the mail job.
//
// Stores never render mail (templates live in web/): a handler renders a store::Mail
// before it calls the store, or hands over a composer that renders one for each
// recipient the store finds inside its transaction. The store queues what it gets in
// the transaction of the change, so the change and its mail commit together or not at
// all.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace verbund::store {

// A rendered message, ready for the outbox.
struct Mail {
  std::string to, subject, body, message_id;
  // A calendar entry sent along (text/calendar, its METHOD inside), or "".
  std::string calendar = {};
};
// Someone a store found to write to: their address, language and name.
struct Addressee {
  std::string email, locale, name;
};
// Renders the mail for one recipient that the store determined.
using Composer = std::function<Mail(const Addressee&)>;

struct OutgoingMail {
  int64_t id = 0;
  std::string message_id;
  std::string recipient;
  std::string subject;
  std::string body;
  int64_t created_at = 0;
  std::optional<int64_t> sent_at;
  int64_t attempts = 0;
  std::string last_error;
  std::string calendar = {};  // see Mail
};

// Thread-safe; every method runs in a transaction of its own.
class Outbox {
 public:
  explicit Outbox(db::Database& db) : db_(db) {}
  std::optional<OutgoingMail> find(int64_t id);
  void mark_sent(int64_t id, int64_t now);
  void mark_attempt(int64_t id, const std::string& error);
  // The newest messages first (the development mail page).
  std::vector<OutgoingMail> recent(int64_t limit);

 private:
  db::Database& db_;
};

// Building block for the stores whose changes cause mail: stores the message and
// enqueues the job that sends it, in the caller's transaction; returns the outbox id.
int64_t queue_mail(db::Connection& c, const Mail& m, int64_t now, int max_attempts);

}  // namespace verbund::store
