// The people of an organisation: its admins invite others by e-mail, make them admins
// or members, and remove them; anyone may leave. An organisation always keeps at least
// one admin. The invitation link is accepted by a signed-in person.
#include "core/i18n.hpp"
#include "core/log.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "model/user.hpp"
#include "web/orgs/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::orgs {

namespace {

std::string members_url(int64_t id) {
  return "/meine-organisationen/" + std::to_string(id) + "/mitglieder";
}

struct MembersForm {
  std::string email;
  std::string role = "mitglied";
};

http::Response members_page(Context& ctx, const store::ManagedOrg& org, const MembersForm& form,
                            const std::vector<model::FieldError>& errors, int status,
                            const std::string& problem_key = "") {
  auto [people, invitations] =
      ctx.app.stores().members.people(actor(ctx), org.id, ctx.now).value_or(store::PeoplePage{});
  Page page(ctx, "orgs/members.html", i18n::t(ctx.locale, "members.title"));
  auto& d = page.dict();
  const std::string base = members_url(org.id);
  d.SetValue("NAME", org.name);
  d.SetValue("EDIT_URL", "/meine-organisationen/" + std::to_string(org.id));
  d.SetValue("INVITE_ACTION", base + "/einladen");
  if (!problem_key.empty())
    d.SetValueAndShowSection("PROBLEM", i18n::t(ctx.locale, problem_key), "HAS_PROBLEM");
  int admins = 0;
  for (const auto& p : people) admins += p.admin ? 1 : 0;
  for (const auto& p : people) {
    auto* row = d.AddSectionDictionary("PERSON");
    row->SetValue("PERSON_NAME", p.display_name.empty() ? p.email : p.display_name);
    row->SetValue("PERSON_EMAIL", p.email);
    row->SetValue("ROLE_LABEL", i18n::t(ctx.locale, p.admin ? "members.admin" : "members.member"));
    const std::string person = base + "/" + std::to_string(p.user_id);
    row->SetValue("ROLE_ACTION", person + "/rolle");
    row->SetValue("REMOVE_ACTION", person + "/entfernen");
    bool self = p.user_id == ctx.user->id;
    bool last_admin = p.admin && admins <= 1;
    if (self) row->ShowSection("IS_SELF");
    // The last admin can neither be made a member nor removed: say why instead.
    if (last_admin) {
      row->ShowSection("LAST_ADMIN");
    } else {
      row->SetValue("NEW_ROLE", p.admin ? "mitglied" : "admin");
      row->SetValue("ROLE_BUTTON",
                    i18n::t(ctx.locale, p.admin ? "members.make_member" : "members.make_admin"));
      row->SetValue("REMOVE_BUTTON",
                    i18n::t(ctx.locale, self ? "members.leave" : "members.remove"));
      row->ShowSection("CAN_CHANGE");
    }
  }
  if (invitations.empty()) d.ShowSection("NO_INVITATIONS");
  for (const auto& inv : invitations) {
    auto* row = d.AddSectionDictionary("INVITATION");
    row->SetValue("INV_EMAIL", inv.email);
    row->SetValue("INV_ROLE", i18n::t(ctx.locale, inv.admin ? "members.admin" : "members.member"));
    row->SetValue("INV_EXPIRES", timefmt::berlin(inv.expires_at, "%d.%m.%Y"));
    row->SetValue("REVOKE_ACTION",
                  base + "/einladungen/" + std::to_string(inv.id) + "/zurueckziehen");
  }
  d.SetValue("V_email", form.email);
  d.ShowSection(form.role == "admin" ? "ROLE_ADMIN_CHECKED" : "ROLE_MEMBER_CHECKED");
  add_field_errors(d, ctx.locale, errors);
  return page.render(status);
}

std::optional<store::ManagedOrg> managed(Context& ctx) {
  int64_t id = std::stoll(ctx.param(0));
  return ctx.app.stores().organisations.managed(actor(ctx), id);
}

}  // namespace

http::Response members_show(Context& ctx) {
  auto org = managed(ctx);
  if (!org) return ctx.app.error_page(ctx, 404);
  return members_page(ctx, *org, {}, {}, 200);
}

http::Response members_invite(Context& ctx) {
  auto org = managed(ctx);
  if (!org) return ctx.app.error_page(ctx, 404);
  MembersForm form{ctx.field("email"), ctx.field("rolle")};
  if (form.role != "admin" && form.role != "mitglied") form.role = "mitglied";
  auto email = model::normalize_email(form.email);
  if (form.email.empty()) return members_page(ctx, *org, form, {{"email", "email.missing"}}, 422);
  if (!email) return members_page(ctx, *org, form, {{"email", "email.invalid"}}, 422);
  const std::string token = random::token(32);
  auto invited = ctx.app.stores().members.invite(
      actor(ctx), org->id, *email, form.role == "admin", token,
      ctx.app.mail(*email, ctx.locale, "org_invitation",
                   {{"ORG", org->name},
                    {"INVITER", model::one_line(ctx.user->display_name)},
                    {"LINK", ctx.app.absolute_url("/einladung?token=" + token)}}),
      ctx.now);
  if (!invited) {
    if (invited.error().code == "not_found") return ctx.app.error_page(ctx, 404);
    return members_page(ctx, *org, form, {{"email", "members.error." + invited.error().code}}, 422);
  }
  log::info("org_invitation_sent", {{"org", std::to_string(org->id)}});
  return http::Response::redirect(members_url(org->id) + "?hinweis=eingeladen");
}

http::Response members_revoke(Context& ctx) {
  auto org = managed(ctx);
  if (!org) return ctx.app.error_page(ctx, 404);
  int64_t invitation = std::stoll(ctx.param(1));
  auto st = ctx.app.stores().members.revoke(actor(ctx), org->id, invitation, ctx.now);
  if (!st) return ctx.app.error_page(ctx, 404);
  return http::Response::redirect(members_url(org->id) + "?hinweis=einladung_zurueckgezogen");
}

http::Response members_role(Context& ctx) {
  auto org = managed(ctx);
  if (!org) return ctx.app.error_page(ctx, 404);
  int64_t user_id = std::stoll(ctx.param(1));
  std::string role = ctx.field("rolle");
  if (role != "admin" && role != "mitglied") return ctx.app.error_page(ctx, 400);
  auto st =
      ctx.app.stores().members.set_role(actor(ctx), org->id, user_id, role == "admin", ctx.now);
  if (!st && st.error().code == "last_admin")
    return members_page(ctx, *org, {}, {}, 409, "members.error.last_admin");
  if (!st) return ctx.app.error_page(ctx, 404);
  return http::Response::redirect(members_url(org->id) + "?hinweis=rolle_geaendert");
}

// Admins remove anyone; every person may remove themselves (leave), even as a member
// who cannot see the members page.
http::Response members_remove(Context& ctx) {
  int64_t org_id = std::stoll(ctx.param(0));
  int64_t user_id = std::stoll(ctx.param(1));
  auto st = ctx.app.stores().members.remove(actor(ctx), org_id, user_id);
  if (!st && st.error().code == "last_admin") {
    auto org = managed(ctx);
    if (!org) return ctx.app.error_page(ctx, 409, "members.error.last_admin");
    return members_page(ctx, *org, {}, {}, 409, "members.error.last_admin");
  }
  if (!st) return ctx.app.error_page(ctx, 404);
  if (user_id == ctx.user->id)
    return http::Response::redirect("/meine-organisationen?hinweis=verlassen");
  return http::Response::redirect(members_url(org_id) + "?hinweis=entfernt");
}

http::Response invitation_show(Context& ctx) {
  std::string token = ctx.query_value("token");
  auto inv = ctx.app.stores().members.invitation(token, ctx.now);
  if (!inv) return ctx.app.error_page(ctx, 404, "members.invitation_invalid");
  Page page(ctx, "orgs/invitation.html", i18n::t(ctx.locale, "members.invitation_title"));
  auto& d = page.dict();
  d.SetValue("ORG", inv->organisation_name);
  d.SetValue("ROLE_LABEL", i18n::t(ctx.locale, inv->admin ? "members.admin" : "members.member"));
  d.SetValue("TOKEN", token);
  const std::string back = "/einladung?token=" + token;
  if (ctx.user && !model::same_address(ctx.user->email, inv->email)) {
    // Only the invited address can accept: a forwarded link makes nobody a member.
    d.SetValueAndShowSection("USER_EMAIL", ctx.user->email, "OTHER_ACCOUNT");
    d.SetValue("INVITED_EMAIL", inv->email);
  } else if (ctx.user) {
    d.SetValueAndShowSection("USER_EMAIL", ctx.user->email, "SIGNED_IN_USER");
  } else {
    d.SetValueAndShowSection("LOGIN_URL", "/anmelden?weiter=" + http::url_encode(back),
                             "ANONYMOUS");
  }
  return page.render();
}

http::Response invitation_accept(Context& ctx) {
  auto org_id = ctx.app.stores().members.accept(ctx.field("token"), ctx.user->id, ctx.now);
  if (!org_id && org_id.error().code == "other_address")
    return ctx.app.error_page(ctx, 403, "members.invitation_other_address");
  if (!org_id) return ctx.app.error_page(ctx, 404, "members.invitation_invalid");
  log::info("org_invitation_accepted",
            {{"org", std::to_string(*org_id)}, {"user", std::to_string(ctx.user->id)}});
  return http::Response::redirect("/meine-organisationen?hinweis=einladung_angenommen");
}

}  // namespace verbund::web::orgs
