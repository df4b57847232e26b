// Users and their roles. Every function takes the connection of the caller's read or
// write transaction (db::Database::read/write).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "model/user.hpp"

namespace verbund::store {

struct Credentials {
  int64_t user_id = 0;
  std::string email;
  std::string password_hash;
  bool email_confirmed = false;
  bool disabled = false;
};

// Fails with code "exists" when the address is taken (case-insensitive).
Result<int64_t> create_user(db::Connection& c, const std::string& email,
                            const std::string& display_name, const std::string& password_hash,
                            const std::string& locale);
std::optional<Credentials> find_credentials(db::Connection& c, const std::string& email);
std::optional<Credentials> find_credentials(db::Connection& c, int64_t user_id);
std::optional<model::User> load_user(db::Connection& c, int64_t user_id);
std::optional<int64_t> find_user_id(db::Connection& c, const std::string& email);

void confirm_email(db::Connection& c, int64_t user_id);
void set_password_hash(db::Connection& c, int64_t user_id, const std::string& hash);
// Fails with code "exists" when another account uses the address.
Status set_email(db::Connection& c, int64_t user_id, const std::string& email);
void set_locale(db::Connection& c, int64_t user_id, const std::string& locale);

// Grants are idempotent; scope ids must match the role (region for regional editors,
// organisation for organisation roles), else code "invalid".
Status grant_role(db::Connection& c, int64_t user_id, model::Role role,
                  std::optional<int64_t> region_id, std::optional<int64_t> organisation_id);
bool revoke_role(db::Connection& c, int64_t user_id, model::Role role,
                 std::optional<int64_t> region_id, std::optional<int64_t> organisation_id);

struct UserPage {
  std::vector<model::User> users;
  int64_t total = 0;
};
// Users ordered by e-mail; `query` filters by e-mail or name substring.
UserPage list_users(db::Connection& c, const std::string& query, int64_t offset, int64_t limit);

}  // namespace verbund::store
