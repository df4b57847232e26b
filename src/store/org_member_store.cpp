#include "store/org_member_store.hpp"

#include "core/random.hpp"

namespace verbund::store {

namespace {

bool may_manage(db::Connection& c, const Actor& a, int64_t org_id) {
  return load_managed(c, a, org_id).has_value();
}

int64_t admin_count(db::Connection& c, int64_t org_id) {
  return c.query_int(
      "SELECT COUNT(*) FROM user_roles WHERE organisation_id = $1 AND role = 'org_admin'",
      {org_id});
}

std::optional<bool> role_of(db::Connection& c, int64_t org_id, int64_t user_id) {
  auto r = c.query_one(R"sql(
    SELECT MAX(CASE WHEN role = 'org_admin' THEN 1 ELSE 0 END) AS admin FROM user_roles
     WHERE organisation_id = $1 AND user_id = $2 AND role IN ('org_admin', 'org_member')
    HAVING COUNT(*) > 0)sql",
                       {org_id, user_id});
  if (!r) return std::nullopt;
  return r->int64("admin") == 1;
}

OrgInvitation invitation_from(const db::Row& r) {
  OrgInvitation i;
  i.id = r.int64("id");
  i.organisation_id = r.int64("organisation_id");
  i.organisation_name = r.text("organisation_name");
  i.email = r.text("email");
  i.admin = r.text("role") == "org_admin";
  i.created_at = r.int64("created_at");
  i.expires_at = r.int64("expires_at");
  i.accepted_at = r.opt_int64("accepted_at");
  return i;
}

constexpr const char* kInvitationColumns = R"sql(
  SELECT i.id, i.organisation_id, o.name AS organisation_name, i.email, i.role, i.created_at, i.expires_at,
         i.accepted_at
    FROM org_invitations i JOIN organisations o ON o.id = i.organisation_id )sql";

std::vector<OrgPerson> org_people(db::Connection& c, int64_t org_id) {
  std::vector<OrgPerson> out;
  for (const auto& r : c.query(R"sql(
      SELECT u.id, u.display_name, u.email,
             MAX(CASE WHEN ur.role = 'org_admin' THEN 1 ELSE 0 END) AS admin
        FROM user_roles ur JOIN users u ON u.id = ur.user_id
       WHERE ur.organisation_id = $1 AND ur.role IN ('org_admin', 'org_member')
       GROUP BY u.id, u.display_name, u.email
       ORDER BY admin DESC, lower(u.display_name), u.email)sql",
                               {org_id}))
    out.push_back(
        OrgPerson{r.int64("id"), r.text("display_name"), r.text("email"), r.int64("admin") == 1});
  return out;
}

std::vector<OrgInvitation> open_invitations(db::Connection& c, int64_t org_id, int64_t now) {
  std::vector<OrgInvitation> out;
  for (const auto& r :
       c.query(std::string(kInvitationColumns) +
                   "WHERE i.organisation_id = $1 AND i.accepted_at IS NULL "
                   "AND i.revoked_at IS NULL AND i.expires_at > $2 ORDER BY i.created_at DESC",
               {org_id, now}))
    out.push_back(invitation_from(r));
  return out;
}

Status invite(db::Connection& c, const Actor& a, int64_t org_id, const std::string& email,
              bool admin, const std::string& token, int64_t now) {
  if (!may_manage(c, a, org_id)) return make_error("not_found", "organisation not found");
  // Invitations of one organisation take turns: each counts those committed before it.
  lock_organisation(c, org_id);
  if (c.query_one(R"sql(
      SELECT 1 FROM user_roles ur JOIN users u ON u.id = ur.user_id
       WHERE ur.organisation_id = $1 AND lower(u.email) = lower($2)
         AND ur.role IN ('org_admin', 'org_member'))sql",
                  {org_id, email}))
    return make_error("already_member", "already in the organisation");
  // An expired invitation closes and makes room for a new one (it still counts below).
  c.execute(R"sql(
    UPDATE org_invitations SET revoked_at = $3
     WHERE organisation_id = $1 AND lower(email) = lower($2) AND accepted_at IS NULL
       AND revoked_at IS NULL AND expires_at <= $3)sql",
            {org_id, email, now});
  if (c.query_one(R"sql(
      SELECT 1 FROM org_invitations
       WHERE organisation_id = $1 AND lower(email) = lower($2) AND accepted_at IS NULL
         AND revoked_at IS NULL)sql",
                  {org_id, email}))
    return make_error("already_invited", "an open invitation exists");
  // The platform's mail is nobody's megaphone: few invitations per address, few per day,
  // and an organisation the editors have not approved yet may invite very few at all.
  if (c.query_int(R"sql(
      SELECT COUNT(*) FROM org_invitations
       WHERE organisation_id = $1 AND lower(email) = lower($2) AND created_at > $3)sql",
                  {org_id, email, now - kRecipientWindowSeconds}) >= kInvitationsPerRecipient)
    return make_error("recipient_limit", "too many invitations to this address");
  bool published =
      c.query_one("SELECT 1 FROM organisations WHERE id = $1 AND status = 'published'", {org_id})
          .has_value();
  if (published ? c.query_int(R"sql(
                      SELECT COUNT(*) FROM org_invitations
                       WHERE organisation_id = $1 AND created_at > $2)sql",
                              {org_id, now - 86400}) >= kInvitationsPerDay
                : c.query_int("SELECT COUNT(*) FROM org_invitations WHERE organisation_id = $1",
                              {org_id}) >= kInvitationsWhilePending)
    return make_error(published ? "daily_limit" : "pending_limit", "too many invitations");
  try {
    db::with_savepoint(c, [&] {
      c.execute(R"sql(
        INSERT INTO org_invitations (organisation_id, email, role, token_hash, invited_by,
                                     created_at, expires_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7))sql",
                {org_id, email, std::string(admin ? "org_admin" : "org_member"),
                 random::sha256_hex(token), a.user_id, now, now + kInvitationSeconds});
    });
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::unique)
      return make_error("already_invited", "an open invitation exists");
    throw;
  }
  return Ok{};
}

Status revoke_invitation(db::Connection& c, const Actor& a, int64_t org_id, int64_t invitation_id,
                         int64_t now) {
  if (!may_manage(c, a, org_id)) return make_error("not_found", "organisation not found");
  int64_t n = c.execute(R"sql(
    UPDATE org_invitations SET revoked_at = $3
     WHERE id = $1 AND organisation_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL)sql",
                        {invitation_id, org_id, now});
  if (n == 0) return make_error("not_found", "invitation not found");
  return Ok{};
}

std::optional<OrgInvitation> find_invitation(db::Connection& c, const std::string& token,
                                             int64_t now) {
  auto r =
      c.query_one(std::string(kInvitationColumns) +
                      "WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL "
                      "AND i.expires_at > $2",
                  {random::sha256_hex(token), now});
  if (!r) return std::nullopt;
  return invitation_from(*r);
}

Result<int64_t> accept_invitation(db::Connection& c, const std::string& token, int64_t user_id,
                                  int64_t now) {
  // Used and checked in one statement: of two requests with the same link, one gets it,
  // and only the account of the invited address (whoever else holds the link does not).
  auto inv = c.query_one(R"sql(
    UPDATE org_invitations SET accepted_at = $2, accepted_by = $3
     WHERE token_hash = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2
       AND lower(email) = (SELECT lower(email) FROM users WHERE id = $3)
    RETURNING organisation_id, role)sql",
                         {random::sha256_hex(token), now, user_id});
  if (!inv && find_invitation(c, token, now))
    return make_error("other_address", "the invitation is for another address");
  if (!inv) return make_error("not_found", "invitation unknown, used or expired");
  int64_t org_id = inv->int64("organisation_id");
  lock_organisation(c, org_id);
  auto current = role_of(c, org_id, user_id);
  bool admin = inv->text("role") == "org_admin" || (current && *current);
  put_role(c, org_id, user_id, admin, now);
  return org_id;
}

Status set_person_role(db::Connection& c, const Actor& a, int64_t org_id, int64_t user_id,
                       bool admin, int64_t now) {
  if (!may_manage(c, a, org_id)) return make_error("not_found", "organisation not found");
  // Role changes of one organisation take turns, and each counts the admins committed
  // by the one before (read committed): two admins demoting each other leave one.
  lock_organisation(c, org_id);
  auto current = role_of(c, org_id, user_id);
  if (!current) return make_error("not_found", "not in the organisation");
  if (*current == admin) return Ok{};
  if (*current && admin_count(c, org_id) <= 1)
    return make_error("last_admin", "the organisation needs at least one admin");
  put_role(c, org_id, user_id, admin, now);
  return Ok{};
}

Status remove_person(db::Connection& c, const Actor& a, int64_t org_id, int64_t user_id) {
  bool self = a.user_id == user_id;
  if (!self && !may_manage(c, a, org_id)) return make_error("not_found", "organisation not found");
  lock_organisation(c, org_id);  // as in set_person_role
  auto current = role_of(c, org_id, user_id);
  if (!current) return make_error("not_found", "not in the organisation");
  if (*current && admin_count(c, org_id) <= 1)
    return make_error("last_admin", "the organisation needs at least one admin");
  c.execute(R"sql(
    DELETE FROM user_roles
     WHERE organisation_id = $1 AND user_id = $2 AND role IN ('org_admin', 'org_member'))sql",
            {org_id, user_id});
  return Ok{};
}

}  // namespace

void put_role(db::Connection& c, int64_t org_id, int64_t user_id, bool admin, int64_t now) {
  c.execute(R"sql(
    DELETE FROM user_roles
     WHERE organisation_id = $1 AND user_id = $2 AND role IN ('org_admin', 'org_member'))sql",
            {org_id, user_id});
  c.execute(R"sql(
    INSERT INTO user_roles (user_id, role, organisation_id, created_at)
    VALUES ($1, $2, $3, $4))sql",
            {user_id, std::string(admin ? "org_admin" : "org_member"), org_id, now});
}

std::optional<PeoplePage> Members::people(const Actor& a, int64_t org_id, int64_t now) {
  return db_.read([&](db::Connection& c) -> std::optional<PeoplePage> {
    if (!may_manage(c, a, org_id)) return std::nullopt;
    return PeoplePage{org_people(c, org_id), open_invitations(c, org_id, now)};
  });
}

Status Members::invite(const Actor& a, int64_t org_id, const std::string& email, bool admin,
                       const std::string& token, const Mail& mail, int64_t now) {
  return db_.write(db::Isolation::read_committed, [&](db::Connection& c) -> Status {
    auto s = store::invite(c, a, org_id, email, admin, token, now);
    if (s) queue_mail(c, mail, now, mail_attempts_);
    return s;
  });
}

Status Members::revoke(const Actor& a, int64_t org_id, int64_t invitation_id, int64_t now) {
  return db_.write(
      [&](db::Connection& c) { return revoke_invitation(c, a, org_id, invitation_id, now); });
}

void Members::purge(int64_t now) {
  db_.write([&](db::Connection& c) {
    c.execute(R"sql(
      DELETE FROM org_invitations
       WHERE accepted_at IS NULL AND created_at < $1
         AND (revoked_at IS NOT NULL OR expires_at < $2))sql",
              {now - kRecipientWindowSeconds, now});
  });
}

std::optional<OrgInvitation> Members::invitation(const std::string& token, int64_t now) {
  return db_.read([&](db::Connection& c) { return find_invitation(c, token, now); });
}

Result<int64_t> Members::accept(const std::string& token, int64_t user_id, int64_t now) {
  return db_.write(db::Isolation::read_committed,
                   [&](db::Connection& c) { return accept_invitation(c, token, user_id, now); });
}

Status Members::set_role(const Actor& a, int64_t org_id, int64_t user_id, bool admin, int64_t now) {
  return db_.write(db::Isolation::read_committed, [&](db::Connection& c) {
    return set_person_role(c, a, org_id, user_id, admin, now);
  });
}

Status Members::remove(const Actor& a, int64_t org_id, int64_t user_id) {
  return db_.write(db::Isolation::read_committed,
                   [&](db::Connection& c) { return remove_person(c, a, org_id, user_id); });
}

}  // namespace verbund::store
