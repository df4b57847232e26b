#include "store/user_store.hpp"

#include <ctime>

#include "store/session_store.hpp"

namespace verbund::store {
namespace {

Credentials credentials_from(const db::Row& r) {
  return Credentials{r.int64("id"), r.text("email"), r.text("password_hash"),
                     !r.is_null("email_confirmed_at"), !r.is_null("disabled_at")};
}

int64_t now() { return static_cast<int64_t>(std::time(nullptr)); }

std::string like_escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

std::vector<model::RoleGrant> load_roles(db::Connection& c, int64_t user_id) {
  std::vector<model::RoleGrant> out;
  auto rows = c.query(R"sql(
    SELECT ur.role, ur.region_id, ur.organisation_id, COALESCE(r.name, o.name, '') AS scope_name
      FROM user_roles ur
      LEFT JOIN regions r ON r.id = ur.region_id
      LEFT JOIN organisations o ON o.id = ur.organisation_id
     WHERE ur.user_id = $1
     ORDER BY ur.id)sql",
                      {user_id});
  for (const auto& r : rows) {
    auto role = model::parse_role(r.text("role"));
    if (!role) continue;
    out.push_back(model::RoleGrant{*role, r.opt_int64("region_id"), r.opt_int64("organisation_id"),
                                   r.text("scope_name")});
  }
  return out;
}

std::optional<Credentials> find_credentials(db::Connection& c, const std::string& email) {
  auto row = c.query_one(R"sql(
    SELECT id, email, password_hash, email_confirmed_at, disabled_at
      FROM users WHERE lower(email) = lower($1))sql",
                         {email});
  if (!row) return std::nullopt;
  return credentials_from(*row);
}

std::optional<int64_t> find_user_id(db::Connection& c, const std::string& email) {
  auto row = c.query_one("SELECT id FROM users WHERE lower(email) = lower($1)", {email});
  if (!row) return std::nullopt;
  return row->int64("id");
}

void set_password_hash(db::Connection& c, int64_t user_id, const std::string& hash) {
  c.execute("UPDATE users SET password_hash = $2 WHERE id = $1", {user_id, hash});
}

// Fails with code "exists" when another account uses the address (a unique index). The
// address counts as confirmed when `confirmed` (the link that brought it proved it).
Status set_email(db::Connection& c, int64_t user_id, const std::string& email,
                 bool confirmed = true) {
  try {
    db::with_savepoint(c, [&] {
      c.execute("UPDATE users SET email = $2, email_confirmed_at = $3 WHERE id = $1",
                {user_id, email, confirmed ? std::optional<int64_t>(now()) : std::nullopt});
    });
    return Ok{};
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::unique)
      return make_error("exists", "store: e-mail address already registered");
    throw;
  }
}

bool revoke_role(db::Connection& c, int64_t user_id, model::Role role,
                 std::optional<int64_t> region_id, std::optional<int64_t> organisation_id) {
  return c.execute(R"sql(
    DELETE FROM user_roles
     WHERE user_id = $1 AND role = $2
       AND COALESCE(region_id, 0) = COALESCE(CAST($3 AS BIGINT), 0)
       AND COALESCE(organisation_id, 0) = COALESCE(CAST($4 AS BIGINT), 0))sql",
                   {user_id, std::string(model::role_key(role)), region_id, organisation_id}) > 0;
}

Status grant_or_revoke(db::Connection& c, int64_t user_id, model::Role role, bool grant,
                       std::optional<int64_t> region_id, std::optional<int64_t> organisation_id) {
  if (grant) return grant_role(c, user_id, role, region_id, organisation_id);
  revoke_role(c, user_id, role, region_id, organisation_id);
  return Ok{};
}

}  // namespace

// ---- building blocks ---------------------------------------------------------------

Result<int64_t> create_user(db::Connection& c, const std::string& email,
                            const std::string& display_name, const std::string& password_hash,
                            const std::string& locale) {
  try {
    auto row = db::with_savepoint(c, [&] {
      return c.query_one(R"sql(
        INSERT INTO users (email, display_name, password_hash, locale, created_at)
        VALUES ($1, $2, $3, $4, $5)
        RETURNING id)sql",
                         {email, display_name, password_hash, locale, now()});
    });
    return row->int64("id");
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::unique)
      return make_error("exists", "store: e-mail address already registered");
    throw;
  }
}

std::optional<model::User> load_user(db::Connection& c, int64_t user_id) {
  auto row = c.query_one(R"sql(
    SELECT id, email, display_name, locale, email_confirmed_at, created_at
      FROM users WHERE id = $1 AND disabled_at IS NULL)sql",
                         {user_id});
  if (!row) return std::nullopt;
  model::User u;
  u.id = row->int64("id");
  u.email = row->text("email");
  u.display_name = row->text("display_name");
  u.locale = row->text("locale");
  u.email_confirmed = !row->is_null("email_confirmed_at");
  u.created_at = row->int64("created_at");
  u.roles = load_roles(c, u.id);
  return u;
}

void mark_email_confirmed(db::Connection& c, int64_t user_id) {
  c.execute(
      "UPDATE users SET email_confirmed_at = $2 "
      "WHERE id = $1 AND email_confirmed_at IS NULL",
      {user_id, now()});
}

Status grant_role(db::Connection& c, int64_t user_id, model::Role role,
                  std::optional<int64_t> region_id, std::optional<int64_t> organisation_id) {
  bool needs_region = role == model::Role::regional_editor;
  bool needs_org = role == model::Role::org_admin || role == model::Role::org_member;
  if (needs_region != region_id.has_value() || needs_org != organisation_id.has_value())
    return make_error("invalid", "store: role scope does not fit the role");
  try {
    db::with_savepoint(c, [&] {
      c.execute(R"sql(
        INSERT INTO user_roles (user_id, role, region_id, organisation_id, created_at)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT DO NOTHING)sql",
                {user_id, std::string(model::role_key(role)), region_id, organisation_id, now()});
    });
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::constraint)
      return make_error("invalid", "store: unknown user, region or organisation");
    throw;
  }
  return Ok{};
}

// ---- Users -------------------------------------------------------------------------

int64_t Users::sign_up(const NewAccount& a, const Link& link, const Mail& confirm,
                       const Mail& taken, int64_t now) {
  return db_.write([&](db::Connection& c) -> int64_t {
    auto id = create_user(c, a.email, a.display_name, a.password_hash, a.locale);
    if (!id) {
      queue_mail(c, taken, now, mail_attempts_);
      return 0;
    }
    issue_token(c, link.token, *id, TokenPurpose::confirm_email, now, link.ttl_seconds);
    queue_mail(c, confirm, now, mail_attempts_);
    return *id;
  });
}

bool Users::correct_signup_address(const std::string& old_email, const std::string& new_email,
                                   const std::function<bool(int64_t)>& made_by_caller,
                                   const Link& link, const Composer& confirm, const Mail& taken,
                                   int64_t now) {
  return db_.write([&](db::Connection& c) {
    auto cred = find_credentials(c, old_email);
    if (!cred || cred->email_confirmed || cred->disabled || !made_by_caller(cred->user_id))
      return false;
    if (!set_email(c, cred->user_id, new_email, false)) {
      queue_mail(c, taken, now, mail_attempts_);
      return false;
    }
    // The links sent to the wrong address stop working.
    revoke_tokens(c, cred->user_id, TokenPurpose::confirm_email, now);
    issue_token(c, link.token, cred->user_id, TokenPurpose::confirm_email, now, link.ttl_seconds);
    auto user = load_user(c, cred->user_id);
    queue_mail(c, confirm({new_email, user->locale, user->display_name}), now, mail_attempts_);
    return true;
  });
}

void Users::resend_confirmation(const std::string& email, const Link& link, const Composer& compose,
                                int64_t now) {
  db_.write([&](db::Connection& c) {
    auto cred = find_credentials(c, email);
    if (!cred || cred->email_confirmed || cred->disabled) return;
    auto user = load_user(c, cred->user_id);
    issue_token(c, link.token, cred->user_id, TokenPurpose::confirm_email, now, link.ttl_seconds);
    queue_mail(c, compose({cred->email, user->locale, user->display_name}), now, mail_attempts_);
  });
}

namespace {

LinkState confirmation_state(db::Connection& c, const std::string& token, int64_t now) {
  auto t = look_up_token(c, token, TokenPurpose::confirm_email, now);
  if (t.user_id != 0 && t.owner_confirmed) return LinkState::done;
  return t.state == TokenLookup::State::valid ? LinkState::open : LinkState::invalid;
}

EmailChangeLink email_change_state(db::Connection& c, const std::string& token, int64_t now) {
  auto t = look_up_token(c, token, TokenPurpose::change_email, now);
  EmailChangeLink out{LinkState::invalid, t.new_email};
  if (t.state == TokenLookup::State::valid)
    out.state = LinkState::open;
  else if (t.state == TokenLookup::State::spent && model::same_address(t.owner_email, t.new_email))
    out.state = LinkState::done;
  return out;
}

}  // namespace

LinkState Users::confirmation_link(const std::string& token, int64_t now) {
  return db_.read([&](db::Connection& c) { return confirmation_state(c, token, now); });
}

LinkState Users::confirm_email(const std::string& token, int64_t now) {
  return db_.write([&](db::Connection& c) {
    auto use = consume_token(c, token, TokenPurpose::confirm_email, now);
    if (!use) return confirmation_state(c, token, now);
    mark_email_confirmed(c, use->user_id);
    return LinkState::done;
  });
}

void Users::request_password_reset(const std::string& email, const Link& link,
                                   const Composer& compose, int64_t now) {
  db_.write([&](db::Connection& c) {
    auto cred = find_credentials(c, email);
    if (!cred || cred->disabled) return;  // same answer either way: no enumeration
    auto user = load_user(c, cred->user_id);
    issue_token(c, link.token, cred->user_id, TokenPurpose::reset_password, now, link.ttl_seconds);
    queue_mail(c, compose({cred->email, user->locale, user->display_name}), now, mail_attempts_);
  });
}

std::optional<std::string> Users::reset_token_owner(const std::string& token, int64_t now) {
  return db_.read([&](db::Connection& c) {
    return token_owner_email(c, token, TokenPurpose::reset_password, now);
  });
}

bool Users::reset_password(const std::string& token, const std::string& password_hash,
                           int64_t now) {
  return db_.write([&](db::Connection& c) {
    auto use = consume_token(c, token, TokenPurpose::reset_password, now);
    if (!use) return false;
    set_password_hash(c, use->user_id, password_hash);
    // Every other reset link of the account is spent with this one.
    revoke_tokens(c, use->user_id, TokenPurpose::reset_password, now);
    mark_email_confirmed(c, use->user_id);     // the link proved the mailbox
    delete_sessions_of_user(c, use->user_id);  // sign out everywhere
    return true;
  });
}

void Users::request_email_change(int64_t user_id, const std::string& new_email, const Link& link,
                                 const Mail& mail, int64_t now) {
  db_.write([&](db::Connection& c) {
    if (find_user_id(c, new_email)) return;  // taken: say nothing about other accounts
    issue_token(c, link.token, user_id, TokenPurpose::change_email, now, link.ttl_seconds,
                new_email);
    queue_mail(c, mail, now, mail_attempts_);
  });
}

EmailChangeLink Users::email_change_link(const std::string& token, int64_t now) {
  return db_.read([&](db::Connection& c) { return email_change_state(c, token, now); });
}

Status Users::change_email(const std::string& token, int64_t now) {
  return db_.write([&](db::Connection& c) -> Status {
    auto use = consume_token(c, token, TokenPurpose::change_email, now);
    if (!use && email_change_state(c, token, now).state == LinkState::done) return Ok{};
    if (!use) return make_error("invalid", "store: token unknown, used or expired");
    if (!set_email(c, use->user_id, use->new_email))
      return make_error("taken", "store: e-mail address already registered");
    // Reset links went to the old mailbox; whoever holds it must not take the account.
    revoke_tokens(c, use->user_id, TokenPurpose::reset_password, now);
    revoke_tokens(c, use->user_id, TokenPurpose::change_email, now);
    return Ok{};
  });
}

void Users::change_password(int64_t user_id, const std::string& password_hash, int64_t now) {
  db_.write([&](db::Connection& c) {
    set_password_hash(c, user_id, password_hash);
    revoke_tokens(c, user_id, TokenPurpose::reset_password, now);  // links from before
    delete_sessions_of_user(c, user_id);
  });
}

void Users::set_locale(int64_t user_id, const std::string& locale) {
  db_.write([&](db::Connection& c) {
    c.execute("UPDATE users SET locale = $2 WHERE id = $1", {user_id, locale});
  });
}

Status Users::delete_account(int64_t user_id, const Mail& goodbye, int64_t now) {
  return db_.write(db::Isolation::read_committed, [&](db::Connection& c) -> Status {
    bool postgres = c.dialect() == db::Dialect::postgres;
    // In id order, so that two deletions lock in the same order.
    for (const auto& r : c.query(R"sql(
        SELECT organisation_id FROM user_roles
         WHERE user_id = $1 AND role = 'org_admin' ORDER BY organisation_id)sql",
                                 {user_id}))
      if (postgres)
        c.query("SELECT id FROM organisations WHERE id = $1 FOR UPDATE",
                {r.int64("organisation_id")});
    std::string sole;
    for (const auto& r : c.query(R"sql(
        SELECT o.name FROM user_roles ur JOIN organisations o ON o.id = ur.organisation_id
         WHERE ur.user_id = $1 AND ur.role = 'org_admin'
           AND NOT EXISTS (SELECT 1 FROM user_roles other
                            WHERE other.organisation_id = ur.organisation_id
                              AND other.role = 'org_admin' AND other.user_id <> $1)
         ORDER BY o.name)sql",
                                 {user_id}))
      sole += r.text("name") + "\n";
    if (!sole.empty()) return make_error("sole_admin", sole);
    if (postgres)
      c.query("SELECT user_id FROM user_roles WHERE role = 'platform_admin' FOR UPDATE");
    if (c.query_one("SELECT 1 FROM user_roles WHERE user_id = $1 AND role = 'platform_admin'",
                    {user_id}) &&
        c.query_int(
            "SELECT COUNT(DISTINCT user_id) FROM user_roles WHERE role = 'platform_admin'") <= 1)
      return make_error("last_platform_admin", "the platform needs an admin");
    c.execute("DELETE FROM users WHERE id = $1", {user_id});
    queue_mail(c, goodbye, now, mail_attempts_);
    return Ok{};
  });
}

int Users::notify_platform_admins(const Composer& compose, int64_t now) {
  return db_.write([&](db::Connection& c) {
    int n = 0;
    for (const auto& r : c.query(R"sql(
        SELECT DISTINCT u.email, u.locale, u.display_name FROM user_roles ur
          JOIN users u ON u.id = ur.user_id
         WHERE ur.role = 'platform_admin' AND u.disabled_at IS NULL)sql")) {
      queue_mail(c, compose({r.text("email"), r.text("locale"), r.text("display_name")}), now,
                 mail_attempts_);
      ++n;
    }
    return n;
  });
}

std::optional<model::User> Users::find(int64_t user_id) {
  return db_.read([&](db::Connection& c) { return load_user(c, user_id); });
}

std::optional<Credentials> Users::credentials(const std::string& email) {
  return db_.read([&](db::Connection& c) { return find_credentials(c, email); });
}

std::optional<Credentials> Users::credentials(int64_t user_id) {
  return db_.read([&](db::Connection& c) -> std::optional<Credentials> {
    auto row = c.query_one(R"sql(
      SELECT id, email, password_hash, email_confirmed_at, disabled_at
        FROM users WHERE id = $1)sql",
                           {user_id});
    if (!row) return std::nullopt;
    return credentials_from(*row);
  });
}

UserPage Users::list(const std::string& query, int64_t offset, int64_t limit) {
  return db_.read([&](db::Connection& c) {
    UserPage page;
    // Case-insensitive in both dialects: lower() on both sides (SQLite's LIKE ignores
    // ASCII case, PostgreSQL's does not); % and _ typed by the admin are literal.
    std::string pattern = "%" + like_escape(query) + "%";
    page.total = c.query_int(R"sql(
      SELECT count(*) FROM users
       WHERE $1 = '' OR lower(email) LIKE lower($2) ESCAPE '\'
          OR lower(display_name) LIKE lower($2) ESCAPE '\')sql",
                             {query, pattern});
    auto rows = c.query(R"sql(
      SELECT id FROM users
       WHERE $1 = '' OR lower(email) LIKE lower($2) ESCAPE '\'
          OR lower(display_name) LIKE lower($2) ESCAPE '\'
       ORDER BY email LIMIT $3 OFFSET $4)sql",
                        {query, pattern, limit, offset});
    for (const auto& r : rows) {
      auto u = load_user(c, r.int64("id"));
      if (u) page.users.push_back(std::move(*u));
    }
    return page;
  });
}

Status Users::change_role(int64_t user_id, model::Role role, bool grant,
                          std::optional<int64_t> region_id,
                          std::optional<int64_t> organisation_id) {
  return db_.write([&](db::Connection& c) -> Status {
    if (!load_user(c, user_id)) return make_error("not_found", "store: no such user");
    return grant_or_revoke(c, user_id, role, grant, region_id, organisation_id);
  });
}

Status Users::add_confirmed(const NewAccount& a, std::optional<model::Role> role,
                            std::optional<int64_t> region_id,
                            std::optional<int64_t> organisation_id, int64_t) {
  return db_.write([&](db::Connection& c) -> Status {
    auto id = create_user(c, a.email, a.display_name, a.password_hash, a.locale);
    if (!id) return id.error();
    mark_email_confirmed(c, *id);
    if (role) return grant_role(c, *id, *role, region_id, organisation_id);
    return Ok{};
  });
}

Status Users::change_role(const std::string& email, model::Role role, bool grant,
                          std::optional<int64_t> region_id,
                          std::optional<int64_t> organisation_id) {
  return db_.write([&](db::Connection& c) -> Status {
    auto id = find_user_id(c, email);
    if (!id) return make_error("not_found", "no account with address " + email);
    return grant_or_revoke(c, *id, role, grant, region_id, organisation_id);
  });
}

}  // namespace verbund::store
