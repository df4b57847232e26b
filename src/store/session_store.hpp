// Server-side sessions and the one-time tokens sent by mail. Session ids and tokens are
// stored as SHA-256 hashes: the database never holds a value that works as a cookie or
// a link.
#pragma once

#include <optional>
#include <string>

#include "db/database.hpp"
#include "model/user.hpp"

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
// A signed-in visitor: the session and its (enabled) user.
struct Visitor {
  Session session;
  model::User user;
};

// Thread-safe; every method runs in a transaction of its own.
class Sessions {
 public:
  explicit Sessions(db::Database& db) : db_(db) {}
  // A fresh session for the user; the session of `old_token` (if any) ends in the same
  // transaction (rotation: an id from before the sign-in is never reused).
  NewSession start(int64_t user_id, int64_t now, const std::string& old_token = "");
  // The visitor behind `token` unless idle longer than `idle_seconds` or disabled.
  std::optional<Visitor> find(const std::string& token, int64_t now, int64_t idle_seconds);
  void touch(const std::string& id_hash, int64_t now);
  void end(const std::string& token);
  // Deletes idle sessions and long-expired tokens (housekeeping).
  void purge_expired(int64_t now, int64_t idle_seconds);

 private:
  db::Database& db_;
};

// Building blocks for the account use cases (store/user_store.cpp).
enum class TokenPurpose { confirm_email, reset_password, change_email };
struct TokenUse {
  int64_t user_id = 0;
  std::string new_email;
};
void delete_sessions_of_user(db::Connection& c, int64_t user_id);
// Stores the hash of `token` (made by the caller with core/random) as a single-use token
// valid for `ttl_seconds`.
void issue_token(db::Connection& c, const std::string& token, int64_t user_id, TokenPurpose purpose,
                 int64_t now, int64_t ttl_seconds, const std::string& new_email = "");
// Marks the token used and returns its owner, or nullopt if unknown, used or expired: one
// statement, so a token is used once however many requests bring it at the same time.
std::optional<TokenUse> consume_token(db::Connection& c, const std::string& token,
                                      TokenPurpose purpose, int64_t now);
// Spends every unused token of `purpose` of the user (after a password or address change,
// links sent before must stop working).
void revoke_tokens(db::Connection& c, int64_t user_id, TokenPurpose purpose, int64_t now);
// What a token is, without using it: `spent` when it was used or revoked (its owner's
// current state tells what came of it), `invalid` when unknown or expired unused.
struct TokenLookup {
  enum class State { valid, spent, invalid } state = State::invalid;
  int64_t user_id = 0;
  std::string new_email;    // change_email tokens
  std::string owner_email;  // the account's address now
  bool owner_confirmed = false;
};
TokenLookup look_up_token(db::Connection& c, const std::string& token, TokenPurpose purpose,
                          int64_t now);
// The e-mail address of a valid token's owner, without using the token.
std::optional<std::string> token_owner_email(db::Connection& c, const std::string& token,
                                             TokenPurpose purpose, int64_t now);

}  // namespace verbund::store
