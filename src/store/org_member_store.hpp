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

// Admins first, then members, by name.
std::vector<OrgPerson> org_people(db::Connection& c, int64_t org_id);
// Open (not accepted, not expired) invitations of the organisation.
std::vector<OrgInvitation> open_invitations(db::Connection& c, int64_t org_id, int64_t now);

// Creates an invitation and returns the raw token for the link. Errors: "not_found",
// "already_member" (the address belongs to someone in the organisation), "already_invited"
// (an open invitation for the address exists).
Result<std::string> invite(db::Connection& c, const Actor& a, int64_t org_id,
                           const std::string& email, bool admin, int64_t now);
// Withdraws an open invitation. Error "not_found".
Status revoke_invitation(db::Connection& c, const Actor& a, int64_t org_id, int64_t invitation_id);

// The open invitation behind a raw token (for the acceptance page), or nullopt.
std::optional<OrgInvitation> find_invitation(db::Connection& c, const std::string& token,
                                             int64_t now);
// Accepts: the user gets the invited role (an admin stays admin when invited as member).
// Single use. Errors: "not_found" (unknown, used or expired). Returns the org id.
Result<int64_t> accept_invitation(db::Connection& c, const std::string& token, int64_t user_id,
                                  int64_t now);

// Makes a person admin or member. Errors: "not_found", "last_admin".
Status set_person_role(db::Connection& c, const Actor& a, int64_t org_id, int64_t user_id,
                       bool admin, int64_t now);
// Removes a person from the organisation; admins may remove anyone, anyone may remove
// themselves (leave). Errors: "not_found", "last_admin".
Status remove_person(db::Connection& c, const Actor& a, int64_t org_id, int64_t user_id);

// Whether the user belongs to the organisation in any role (members may look, not edit).
bool is_person_of(db::Connection& c, int64_t user_id, int64_t org_id);

}  // namespace verbund::store
