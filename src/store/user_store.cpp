#include "store/user_store.hpp"

#include <ctime>

namespace verbund::store {
namespace {

Credentials credentials_from(const db::Row& r) {
  return Credentials{r.int64(0), r.text(1), r.text(2), !r.is_null(3), !r.is_null(4)};
}

std::vector<model::RoleGrant> load_roles(db::Connection& c, int64_t user_id) {
  std::vector<model::RoleGrant> out;
  auto rows = c.query(R"sql(
    SELECT ur.role, ur.region_id, ur.organisation_id, COALESCE(r.name, o.name, '')
      FROM user_roles ur
      LEFT JOIN regions r ON r.id = ur.region_id
      LEFT JOIN organisations o ON o.id = ur.organisation_id
     WHERE ur.user_id = $1
     ORDER BY ur.id)sql",
                      {user_id});
  for (const auto& r : rows) {
    auto role = model::parse_role(r.text(0));
    if (!role) continue;
    out.push_back(model::RoleGrant{*role, r.opt_int64(1), r.opt_int64(2), r.text(3)});
  }
  return out;
}

}  // namespace

Result<int64_t> create_user(db::Connection& c, const std::string& email,
                            const std::string& display_name, const std::string& password_hash,
                            const std::string& locale) {
  try {
    auto row = c.query_one(R"sql(
      INSERT INTO users (email, display_name, password_hash, locale, created_at)
      VALUES ($1, $2, $3, $4, unixepoch())
      RETURNING id)sql",
                           {email, display_name, password_hash, locale});
    return row->int64(0);
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::unique)
      return make_error("exists", "store: e-mail address already registered");
    throw;
  }
}

std::optional<Credentials> find_credentials(db::Connection& c, const std::string& email) {
  auto row = c.query_one(R"sql(
    SELECT id, email, password_hash, email_confirmed_at, disabled_at
      FROM users WHERE email = $1)sql",
                         {email});
  if (!row) return std::nullopt;
  return credentials_from(*row);
}

std::optional<Credentials> find_credentials(db::Connection& c, int64_t user_id) {
  auto row = c.query_one(R"sql(
    SELECT id, email, password_hash, email_confirmed_at, disabled_at
      FROM users WHERE id = $1)sql",
                         {user_id});
  if (!row) return std::nullopt;
  return credentials_from(*row);
}

std::optional<int64_t> find_user_id(db::Connection& c, const std::string& email) {
  auto row = c.query_one("SELECT id FROM users WHERE email = $1", {email});
  if (!row) return std::nullopt;
  return row->int64(0);
}

std::optional<model::User> load_user(db::Connection& c, int64_t user_id) {
  auto row = c.query_one(R"sql(
    SELECT id, email, display_name, locale, email_confirmed_at, created_at
      FROM users WHERE id = $1 AND disabled_at IS NULL)sql",
                         {user_id});
  if (!row) return std::nullopt;
  model::User u;
  u.id = row->int64(0);
  u.email = row->text(1);
  u.display_name = row->text(2);
  u.locale = row->text(3);
  u.email_confirmed = !row->is_null(4);
  u.created_at = row->int64(5);
  u.roles = load_roles(c, u.id);
  return u;
}

void confirm_email(db::Connection& c, int64_t user_id) {
  c.execute(
      "UPDATE users SET email_confirmed_at = unixepoch() "
      "WHERE id = $1 AND email_confirmed_at IS NULL",
      {user_id});
}

void set_password_hash(db::Connection& c, int64_t user_id, const std::string& hash) {
  c.execute("UPDATE users SET password_hash = $2 WHERE id = $1", {user_id, hash});
}

Status set_email(db::Connection& c, int64_t user_id, const std::string& email) {
  try {
    c.execute("UPDATE users SET email = $2, email_confirmed_at = unixepoch() WHERE id = $1",
              {user_id, email});
    return Ok{};
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::unique)
      return make_error("exists", "store: e-mail address already registered");
    throw;
  }
}

void set_locale(db::Connection& c, int64_t user_id, const std::string& locale) {
  c.execute("UPDATE users SET locale = $2 WHERE id = $1", {user_id, locale});
}

Status grant_role(db::Connection& c, int64_t user_id, model::Role role,
                  std::optional<int64_t> region_id, std::optional<int64_t> organisation_id) {
  bool needs_region = role == model::Role::regional_editor;
  bool needs_org = role == model::Role::org_admin || role == model::Role::org_member;
  if (needs_region != region_id.has_value() || needs_org != organisation_id.has_value())
    return make_error("invalid", "store: role scope does not fit the role");
  try {
    c.execute(R"sql(
      INSERT INTO user_roles (user_id, role, region_id, organisation_id, created_at)
      VALUES ($1, $2, $3, $4, unixepoch())
      ON CONFLICT DO NOTHING)sql",
              {user_id, std::string(model::role_key(role)), region_id, organisation_id});
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::constraint)
      return make_error("invalid", "store: unknown user, region or organisation");
    throw;
  }
  return Ok{};
}

bool revoke_role(db::Connection& c, int64_t user_id, model::Role role,
                 std::optional<int64_t> region_id, std::optional<int64_t> organisation_id) {
  return c.execute(R"sql(
    DELETE FROM user_roles
     WHERE user_id = $1 AND role = $2
       AND IFNULL(region_id, 0) = IFNULL($3, 0)
       AND IFNULL(organisation_id, 0) = IFNULL($4, 0))sql",
                   {user_id, std::string(model::role_key(role)), region_id, organisation_id}) > 0;
}

UserPage list_users(db::Connection& c, const std::string& query, int64_t offset, int64_t limit) {
  UserPage page;
  std::string pattern = "%" + query + "%";
  page.total = c.query_int(R"sql(
    SELECT count(*) FROM users
     WHERE $1 = '' OR email LIKE $2 OR display_name LIKE $2)sql",
                           {query, pattern});
  auto rows = c.query(R"sql(
    SELECT id FROM users
     WHERE $1 = '' OR email LIKE $2 OR display_name LIKE $2
     ORDER BY email LIMIT $3 OFFSET $4)sql",
                      {query, pattern, limit, offset});
  for (const auto& r : rows) {
    auto u = load_user(c, r.int64(0));
    if (u) page.users.push_back(std::move(*u));
  }
  return page;
}

}  // namespace verbund::store
