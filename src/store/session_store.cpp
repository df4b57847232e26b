#include "store/session_store.hpp"

#include "core/random.hpp"
#include "store/user_store.hpp"

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

bool plausible(const std::string& token) { return !token.empty() && token.size() <= 128; }
}  // namespace

NewSession Sessions::start(int64_t user_id, int64_t now, const std::string& old_token) {
  NewSession s{random::token(32), random::token(24)};
  db_.write([&](db::Connection& c) {
    if (!old_token.empty())
      c.execute("DELETE FROM sessions WHERE id_hash = $1", {random::sha256_hex(old_token)});
    c.execute(R"sql(
      INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at)
      VALUES ($1, $2, $3, $4, $4))sql",
              {random::sha256_hex(s.token), user_id, s.csrf_token, now});
  });
  return s;
}

std::optional<Visitor> Sessions::find(const std::string& token, int64_t now, int64_t idle_seconds) {
  if (!plausible(token)) return std::nullopt;
  return db_.read([&](db::Connection& c) -> std::optional<Visitor> {
    auto row = c.query_one(R"sql(
      SELECT s.id_hash, s.user_id, s.csrf_token, s.last_seen_at
        FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id_hash = $1 AND s.last_seen_at > $2 AND u.disabled_at IS NULL)sql",
                           {random::sha256_hex(token), now - idle_seconds});
    if (!row) return std::nullopt;
    auto user = load_user(c, row->int64("user_id"));
    if (!user) return std::nullopt;
    return Visitor{Session{row->text("id_hash"), row->int64("user_id"), row->text("csrf_token"),
                           row->int64("last_seen_at")},
                   std::move(*user)};
  });
}

void Sessions::touch(const std::string& id_hash, int64_t now) {
  db_.write(db::Isolation::read_committed, [&](db::Connection& c) {
    c.execute("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1", {id_hash, now});
  });
}

void Sessions::end(const std::string& token) {
  db_.write([&](db::Connection& c) {
    c.execute("DELETE FROM sessions WHERE id_hash = $1", {random::sha256_hex(token)});
  });
}

void Sessions::purge_expired(int64_t now, int64_t idle_seconds) {
  db_.write([&](db::Connection& c) {
    c.execute("DELETE FROM sessions WHERE last_seen_at <= $1", {now - idle_seconds});
    c.execute("DELETE FROM user_tokens WHERE expires_at < $1", {now - 7 * 86400});
  });
}

void delete_sessions_of_user(db::Connection& c, int64_t user_id) {
  c.execute("DELETE FROM sessions WHERE user_id = $1", {user_id});
}

void issue_token(db::Connection& c, const std::string& token, int64_t user_id, TokenPurpose purpose,
                 int64_t now, int64_t ttl_seconds, const std::string& new_email) {
  c.execute(R"sql(
    INSERT INTO user_tokens (token_hash, user_id, purpose, new_email, expires_at, created_at)
    VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6))sql",
            {random::sha256_hex(token), user_id, purpose_key(purpose), new_email, now + ttl_seconds,
             now});
}

std::optional<TokenUse> consume_token(db::Connection& c, const std::string& token,
                                      TokenPurpose purpose, int64_t now) {
  if (!plausible(token)) return std::nullopt;
  auto row = c.query_one(R"sql(
    UPDATE user_tokens SET used_at = $3
     WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
    RETURNING user_id, COALESCE(new_email, '') AS new_email)sql",
                         {random::sha256_hex(token), purpose_key(purpose), now});
  if (!row) return std::nullopt;
  return TokenUse{row->int64("user_id"), row->text("new_email")};
}

void revoke_tokens(db::Connection& c, int64_t user_id, TokenPurpose purpose, int64_t now) {
  c.execute(R"sql(
    UPDATE user_tokens SET used_at = $3
     WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL)sql",
            {user_id, purpose_key(purpose), now});
}

TokenLookup look_up_token(db::Connection& c, const std::string& token, TokenPurpose purpose,
                          int64_t now) {
  TokenLookup out;
  if (!plausible(token)) return out;
  auto row = c.query_one(R"sql(
    SELECT t.user_id, t.used_at IS NOT NULL AS used, t.expires_at > $3 AS live,
           COALESCE(t.new_email, '') AS new_email, u.email,
           u.email_confirmed_at IS NOT NULL AS confirmed
      FROM user_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = $1 AND t.purpose = $2)sql",
                         {random::sha256_hex(token), purpose_key(purpose), now});
  if (!row) return out;
  out.user_id = row->int64("user_id");
  out.new_email = row->text("new_email");
  out.owner_email = row->text("email");
  out.owner_confirmed = row->boolean("confirmed");
  if (row->boolean("used"))
    out.state = TokenLookup::State::spent;
  else if (row->boolean("live"))
    out.state = TokenLookup::State::valid;
  return out;
}

std::optional<std::string> token_owner_email(db::Connection& c, const std::string& token,
                                             TokenPurpose purpose, int64_t now) {
  if (!plausible(token)) return std::nullopt;
  auto row = c.query_one(R"sql(
    SELECT u.email FROM user_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > $3)sql",
                         {random::sha256_hex(token), purpose_key(purpose), now});
  if (!row) return std::nullopt;
  return row->text("email");
}

}  // namespace verbund::store
