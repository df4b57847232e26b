// Users, their accounts and roles: sign-up with a confirmation mail, log-in
// credentials, password reset and e-mail change by single-use links, and role grants.
// Use cases that mail someone queue that mail in their own transaction (see
// store/outbox_store.hpp); the links' raw tokens come from the caller (core/random),
// the database keeps only their hashes.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "model/user.hpp"
#include "store/outbox_store.hpp"

namespace verbund::store {

struct Credentials {
  int64_t user_id = 0;
  std::string email;
  std::string password_hash;
  bool email_confirmed = false;
  bool disabled = false;
};

struct NewAccount {
  std::string email, display_name, password_hash, locale;
};

// A one-time link: the raw token for the mail and how long it stays valid.
struct Link {
  std::string token;
  int64_t ttl_seconds = 0;
};

// What following a one-time link does: `open` (a click on the page's button will act),
// `done` (it was acted on, by this link or another: "already confirmed"), `invalid`.
enum class LinkState { open, done, invalid };

struct EmailChangeLink {
  LinkState state = LinkState::invalid;
  std::string new_email;
};

struct UserPage {
  std::vector<model::User> users;
  int64_t total = 0;
};

// Thread-safe; every method runs in a transaction of its own.
class Users {
 public:
  Users(db::Database& db, int mail_attempts) : db_(db), mail_attempts_(mail_attempts) {}

  // Creates the account and queues `confirm` (whose link carries `link.token`); when the
  // address is taken, queues `taken` to its owner instead, so that the form never says
  // who is registered. Returns the new account's id, 0 when none was created.
  int64_t sign_up(const NewAccount& a, const Link& link, const Mail& confirm, const Mail& taken,
                  int64_t now);
  // A typo in the address, noticed on the "check your inbox" page: moves the unconfirmed
  // account of `old_email` to `new_email` with a new confirmation link (the old links stop
  // working), when `made_by_caller(user_id)` (a signature the sign-up page handed out)
  // says the caller signed it up. When `new_email` is taken, queues `taken` to it instead.
  // Returns whether the account moved.
  bool correct_signup_address(const std::string& old_email, const std::string& new_email,
                              const std::function<bool(int64_t)>& made_by_caller, const Link& link,
                              const Composer& confirm, const Mail& taken, int64_t now);
  // Queues a new confirmation link for an unconfirmed, enabled account; nothing otherwise.
  void resend_confirmation(const std::string& email, const Link& link, const Composer& compose,
                           int64_t now);
  // What the confirmation link does, without using it. `done` when the account is
  // confirmed (mail scanners open links before their owners do).
  LinkState confirmation_link(const std::string& token, int64_t now);
  // Uses a confirmation token: `done` when the account is confirmed now or was before.
  LinkState confirm_email(const std::string& token, int64_t now);

  // Queues a reset link for an enabled account; nothing otherwise (same answer).
  void request_password_reset(const std::string& email, const Link& link, const Composer& compose,
                              int64_t now);
  // The address of a valid reset token's owner, without using the token.
  std::optional<std::string> reset_token_owner(const std::string& token, int64_t now);
  // Uses the token: sets the password, confirms the address (the link proved the
  // mailbox) and ends every session. False when unknown, used or expired.
  bool reset_password(const std::string& token, const std::string& password_hash, int64_t now);

  // Queues `mail` (with a link carrying `link.token`) to confirm a new address, unless the
  // address belongs to an account already (then nothing: no enumeration).
  void request_email_change(int64_t user_id, const std::string& new_email, const Link& link,
                            const Mail& mail, int64_t now);
  // What the e-mail change link does, without using it: `done` when the account has the
  // new address already.
  EmailChangeLink email_change_link(const std::string& token, int64_t now);
  // Uses the token and moves the account to the new address; Ok also when the account has
  // it already (a second click). Errors: "invalid" (unknown, used or expired), "taken"
  // (another account has the address meanwhile).
  Status change_email(const std::string& token, int64_t now);

  // Sets the password and ends every session of the user.
  void change_password(int64_t user_id, const std::string& password_hash, int64_t now);
  void set_locale(int64_t user_id, const std::string& locale);
  // Deletes the account with its sessions, roles, links and claims, and queues `goodbye`.
  // Refused while the person is the only admin of an organisation (error "sole_admin",
  // whose message lists the organisations' names, one per line) or the last platform
  // admin ("last_platform_admin"). The organisations of the person's roles take turns
  // (row locks): two admins deleting themselves at once leave one.
  Status delete_account(int64_t user_id, const Mail& goodbye, int64_t now);

  std::optional<Credentials> credentials(const std::string& email);
  // Queues `compose`'s mail to every enabled platform admin (the operator's people) in
  // one transaction; returns how many.
  int notify_platform_admins(const Composer& compose, int64_t now);
  // The account with its roles (for the admin pages), or nullopt.
  std::optional<model::User> find(int64_t user_id);
  std::optional<Credentials> credentials(int64_t user_id);

  // Users ordered by e-mail; `query` filters by e-mail or name substring.
  UserPage list(const std::string& query, int64_t offset, int64_t limit);
  // Grants or revokes a role. Errors: "not_found" (no such user), "invalid" (the scope
  // does not fit the role or names nothing).
  Status change_role(int64_t user_id, model::Role role, bool grant,
                     std::optional<int64_t> region_id, std::optional<int64_t> organisation_id);
  // The command line: a confirmed account with an optional role. Errors: "exists",
  // "invalid".
  Status add_confirmed(const NewAccount& a, std::optional<model::Role> role,
                       std::optional<int64_t> region_id, std::optional<int64_t> organisation_id,
                       int64_t now);
  // The command line: grants (or revokes) a role of the account with `email`. Errors:
  // "not_found", "invalid".
  Status change_role(const std::string& email, model::Role role, bool grant,
                     std::optional<int64_t> region_id, std::optional<int64_t> organisation_id);

 private:
  db::Database& db_;
  int mail_attempts_;
};

// Building blocks for other stores' transactions (and the demo content). Fails with code
// "exists" when the address is taken (case-insensitive, a unique index).
Result<int64_t> create_user(db::Connection& c, const std::string& email,
                            const std::string& display_name, const std::string& password_hash,
                            const std::string& locale);
std::optional<model::User> load_user(db::Connection& c, int64_t user_id);
void mark_email_confirmed(db::Connection& c, int64_t user_id);
// Grants are idempotent; scope ids must match the role (region for regional editors,
// organisation for organisation roles), else code "invalid".
Status grant_role(db::Connection& c, int64_t user_id, model::Role role,
                  std::optional<int64_t> region_id, std::optional<int64_t> organisation_id);

}  // namespace verbund::store
