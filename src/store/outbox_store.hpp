// The mail outbox: a message is written here in the same transaction as the change
// that caused it, then sent by the mail job.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace verbund::store {

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
};

// Stores the message and enqueues the job that sends it; returns the outbox id.
int64_t enqueue_mail(db::Connection& c, const std::string& recipient, const std::string& subject,
                     const std::string& body, const std::string& message_id, int64_t now,
                     int max_attempts);
std::optional<OutgoingMail> find_mail(db::Connection& c, int64_t id);
void mark_mail_sent(db::Connection& c, int64_t id, int64_t now);
void mark_mail_attempt(db::Connection& c, int64_t id, const std::string& error);
std::vector<OutgoingMail> recent_mail(db::Connection& c, int64_t limit);

}  // namespace verbund::store
