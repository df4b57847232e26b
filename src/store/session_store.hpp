// Server-side sessions, one-time tokens sent by mail, and the log-in failure counter.
// Session ids and tokens are stored as SHA-256 hashes: the database never holds a
// value that works as a cookie or a link.
#pragma once

#include <optional>
#include <string>

#include "db/database.hpp"

namespace verbund::store {

struct NewSession {
  std::string token;  // the cookie value (only returned once)
  std::string csrf_token;
};
struct Session {
  std::string id_hash;
  int64_t user_id = 0;
  std::string csrf_token;
  int64_t last_seen_at = 0;
};

NewSession create_session(db::Connection& c, int64_t user_id, int64_t now);
// The session for `token` unless idle longer than `idle_seconds`.
std::optional<Session> find_session(db::Connection& c, const std::string& token, int64_t now,
                                    int64_t idle_seconds);
void touch_session(db::Connection& c, const std::string& id_hash, int64_t now);
void delete_session(db::Connection& c, const std::string& token);
void delete_sessions_of_user(db::Connection& c, int64_t user_id);
// Deletes idle sessions, old log-in failures and long-expired tokens (housekeeping).
void purge_expired(db::Connection& c, int64_t now, int64_t idle_seconds);

enum class TokenPurpose { confirm_email, reset_password, change_email };
struct TokenUse {
  int64_t user_id = 0;
  std::string new_email;
};
// Issues a single-use token valid for `ttl_seconds`; returns the raw token for the link.
std::string issue_token(db::Connection& c, int64_t user_id, TokenPurpose purpose, int64_t now,
                        int64_t ttl_seconds, const std::string& new_email = "");
// Marks the token used and returns its owner, or nullopt if unknown, used or expired.
std::optional<TokenUse> consume_token(db::Connection& c, const std::string& token,
                                      TokenPurpose purpose, int64_t now);
// Whether a token is currently valid, without using it (to show the reset form).
bool token_valid(db::Connection& c, const std::string& token, TokenPurpose purpose, int64_t now);

// The e-mail address of a valid token's owner, without using the token.
std::optional<std::string> token_owner_email(db::Connection& c, const std::string& token,
                                             TokenPurpose purpose, int64_t now);

void record_login_failure(db::Connection& c, const std::string& scope, int64_t now);
// Failures since `since`, and the oldest of them (for Retry-After).
struct FailureCount {
  int64_t count = 0;
  int64_t oldest = 0;
};
FailureCount count_login_failures(db::Connection& c, const std::string& scope, int64_t since);
void clear_login_failures(db::Connection& c, const std::string& scope);

}  // namespace verbund::store
