#include "store/session_store.hpp"

#include "core/random.hpp"

namespace verbund::store {
namespace {
std::string purpose_key(TokenPurpose p) {
  switch (p) {
    case TokenPurpose::confirm_email:
      return "confirm_email";
    case TokenPurpose::reset_password:
      return "reset_password";
    case TokenPurpose::change_email:
      return "change_email";
  }
  return "";
}
}  // namespace

NewSession create_session(db::Connection& c, int64_t user_id, int64_t now) {
  NewSession s{random::token(32), random::token(24)};
  c.execute(R"sql(
    INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at)
    VALUES ($1, $2, $3, $4, $4))sql",
            {random::sha256_hex(s.token), user_id, s.csrf_token, now});
  return s;
}

std::optional<Session> find_session(db::Connection& c, const std::string& token, int64_t now,
                                    int64_t idle_seconds) {
  if (token.empty() || token.size() > 128) return std::nullopt;
  auto row = c.query_one(R"sql(
    SELECT s.id_hash, s.user_id, s.csrf_token, s.last_seen_at
      FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id_hash = $1 AND s.last_seen_at > $2 AND u.disabled_at IS NULL)sql",
                         {random::sha256_hex(token), now - idle_seconds});
  if (!row) return std::nullopt;
  return Session{row->text("id_hash"), row->int64("user_id"), row->text("csrf_token"),
                 row->int64("last_seen_at")};
}

void touch_session(db::Connection& c, const std::string& id_hash, int64_t now) {
  c.execute("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1", {id_hash, now});
}

void delete_session(db::Connection& c, const std::string& token) {
  c.execute("DELETE FROM sessions WHERE id_hash = $1", {random::sha256_hex(token)});
}

void delete_sessions_of_user(db::Connection& c, int64_t user_id) {
  c.execute("DELETE FROM sessions WHERE user_id = $1", {user_id});
}

void purge_expired(db::Connection& c, int64_t now, int64_t idle_seconds) {
  c.execute("DELETE FROM sessions WHERE last_seen_at <= $1", {now - idle_seconds});
  c.execute("DELETE FROM login_failures WHERE at < $1", {now - 86400});
  c.execute("DELETE FROM user_tokens WHERE expires_at < $1", {now - 7 * 86400});
}

std::string issue_token(db::Connection& c, int64_t user_id, TokenPurpose purpose, int64_t now,
                        int64_t ttl_seconds, const std::string& new_email) {
  auto token = random::token(32);
  c.execute(R"sql(
    INSERT INTO user_tokens (token_hash, user_id, purpose, new_email, expires_at, created_at)
    VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6))sql",
            {random::sha256_hex(token), user_id, purpose_key(purpose), new_email, now + ttl_seconds,
             now});
  return token;
}

std::optional<TokenUse> consume_token(db::Connection& c, const std::string& token,
                                      TokenPurpose purpose, int64_t now) {
  if (token.empty() || token.size() > 128) return std::nullopt;
  auto row = c.query_one(R"sql(
    UPDATE user_tokens SET used_at = $3
     WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
    RETURNING user_id, COALESCE(new_email, '') AS new_email)sql",
                         {random::sha256_hex(token), purpose_key(purpose), now});
  if (!row) return std::nullopt;
  return TokenUse{row->int64("user_id"), row->text("new_email")};
}

bool token_valid(db::Connection& c, const std::string& token, TokenPurpose purpose, int64_t now) {
  if (token.empty() || token.size() > 128) return false;
  return c.query_int(R"sql(
    SELECT count(*) FROM user_tokens
     WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3)sql",
                     {random::sha256_hex(token), purpose_key(purpose), now}) > 0;
}

std::optional<std::string> token_owner_email(db::Connection& c, const std::string& token,
                                             TokenPurpose purpose, int64_t now) {
  if (token.empty() || token.size() > 128) return std::nullopt;
  auto row = c.query_one(R"sql(
    SELECT u.email FROM user_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > $3)sql",
                         {random::sha256_hex(token), purpose_key(purpose), now});
  if (!row) return std::nullopt;
  return row->text("email");
}

void record_login_failure(db::Connection& c, const std::string& scope, int64_t now) {
  c.execute("INSERT INTO login_failures (scope, at) VALUES ($1, $2)", {scope, now});
}

FailureCount count_login_failures(db::Connection& c, const std::string& scope, int64_t since) {
  auto row = c.query_one(
      "SELECT count(*) AS n, COALESCE(min(at), 0) AS oldest FROM login_failures "
      "WHERE scope = $1 AND at > $2",
      {scope, since});
  return FailureCount{row->int64("n"), row->int64("oldest")};
}

void clear_login_failures(db::Connection& c, const std::string& scope) {
  c.execute("DELETE FROM login_failures WHERE scope = $1", {scope});
}

}  // namespace verbund::store
