// The people of an organisation: its admins and members, and invitations by e-mail.
// Every function is scoped by the acting user: only the organisation's admins (and
// platform admins) see or change anything; an organisation outside their reach is
// "not_found". An organisation always keeps at least one admin ("last_admin").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "store/org_manage_store.hpp"
#include "store/outbox_store.hpp"

namespace verbund::store {

struct OrgPerson {
  int64_t user_id = 0;
  std::string display_name, email;
  bool admin = false;
};

struct OrgInvitation {
  int64_t id = 0;
  int64_t organisation_id = 0;
  std::string organisation_name, email;
  bool admin = false;
  int64_t created_at = 0, expires_at = 0;
  std::optional<int64_t> accepted_at;
};

inline constexpr int64_t kInvitationSeconds = 14 * 24 * 3600;
// Limits on invitation mails, withdrawn ones counted: per address and organisation
// within the window, per published organisation and day, per organisation that is not
// published yet (self-registered and pending: anyone could make one) in all.
inline constexpr int64_t kInvitationsPerRecipient = 3;
inline constexpr int64_t kRecipientWindowSeconds = 30 * 24 * 3600;
inline constexpr int64_t kInvitationsPerDay = 30;
inline constexpr int64_t kInvitationsWhilePending = 5;

struct PeoplePage {
  std::vector<OrgPerson> people;           // admins first, then members, by name
  std::vector<OrgInvitation> invitations;  // open ones (not accepted, not expired)
};

// Thread-safe; every method runs in a transaction of its own. Changes of roles take
// turns per organisation (a row lock), so two admins who demote or remove each other at
// the same moment leave one admin.
class Members {
 public:
  Members(db::Database& db, int mail_attempts) : db_(db), mail_attempts_(mail_attempts) {}

  // The people and open invitations of an organisation the actor administers.
  std::optional<PeoplePage> people(const Actor& a, int64_t org_id, int64_t now);
  // Stores an invitation for the hash of `token` (made by the caller) and queues `mail`,
  // which carries the link. Errors: "not_found", "already_member" (the address belongs
  // to someone in the organisation), "already_invited" (an open invitation for the
  // address exists: a partial unique index decides between parallel invitations),
  // "recipient_limit", "daily_limit", "pending_limit" (the limits above; invitations of
  // an organisation take turns on its row, so parallel ones cannot pass a limit).
  Status invite(const Actor& a, int64_t org_id, const std::string& email, bool admin,
                const std::string& token, const Mail& mail, int64_t now);
  // Withdraws an open invitation (the row stays for the limits). Error "not_found".
  Status revoke(const Actor& a, int64_t org_id, int64_t invitation_id, int64_t now);
  // Deletes withdrawn and expired invitations older than the recipient window.
  void purge(int64_t now);
  // The open invitation behind a raw token (for the acceptance page), or nullopt.
  std::optional<OrgInvitation> invitation(const std::string& token, int64_t now);
  // Accepts: the user gets the invited role (an admin stays admin when invited as
  // member), when the account's address is the invited one. Single use, decided by one
  // statement. Errors: "not_found" (unknown, used, withdrawn or expired), "other_address".
  // Returns the organisation's id.
  Result<int64_t> accept(const std::string& token, int64_t user_id, int64_t now);
  // Makes a person admin or member. Errors: "not_found", "last_admin".
  Status set_role(const Actor& a, int64_t org_id, int64_t user_id, bool admin, int64_t now);
  // Removes a person; admins may remove anyone, anyone may remove themselves (leave).
  // Errors: "not_found", "last_admin".
  Status remove(const Actor& a, int64_t org_id, int64_t user_id);

 private:
  db::Database& db_;
  int mail_attempts_;
};

// Building block for stores whose changes make someone a person of an organisation
// (claims): replaces `user_id`'s role in `org_id` within the caller's transaction.
void put_role(db::Connection& c, int64_t org_id, int64_t user_id, bool admin, int64_t now);

}  // namespace verbund::store
