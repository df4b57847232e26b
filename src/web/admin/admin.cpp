// The platform admin area: users and their roles, failed background jobs, and the
// operator texts (Impressum, Datenschutz).

#include "core/i18n.hpp"
#include "core/time.hpp"
#include "model/user.hpp"
#include "web/app.hpp"
#include "web/view.hpp"

namespace verbund::web::admin {

namespace {

constexpr int64_t kUsersPerPage = 50;
constexpr std::size_t kLegalTextLimit = 50000;

http::Response users(Context& ctx) {
  std::string q = ctx.query_value("q");
  if (q.size() > 200) q.resize(200);
  int64_t page_no = 1;
  try {
    if (!ctx.query_value("seite").empty())
      page_no = std::max<int64_t>(1, std::stoll(ctx.query_value("seite")));
  } catch (...) {
  }
  auto page_data = ctx.app.stores().users.list(q, (page_no - 1) * kUsersPerPage, kUsersPerPage);
  auto regions = ctx.app.stores().organisations.form_choices().regions;
  Page page(ctx, "admin/users.html", i18n::t(ctx.locale, "admin.users.title"));
  auto& d = page.dict();
  d.SetValue("Q", q);
  d.SetValue("COUNT", i18n::format(ctx.locale, "admin.users.count",
                                   {{"n", std::to_string(page_data.total)}}));
  if (page_data.users.empty()) d.ShowSection("EMPTY");
  for (const auto& u : page_data.users) {
    auto* row = d.AddSectionDictionary("USER");
    row->SetValue("ID", std::to_string(u.id));
    row->SetValue("EMAIL", u.email);
    row->SetValue("NAME", u.display_name);
    row->SetValue("CONFIRMED", i18n::t(ctx.locale, u.email_confirmed ? "admin.yes" : "admin.no"));
    if (u.roles.empty()) row->ShowSection("NO_ROLES");
    for (const auto& g : u.roles) {
      auto* r = row->AddSectionDictionary("ROLE");
      r->SetValue("ROLE_KEY", std::string(model::role_key(g.role)));
      r->SetValue("ROLE", i18n::t(ctx.locale, "role." + std::string(model::role_key(g.role))));
      if (g.region_id) r->SetValue("REGION_ID", std::to_string(*g.region_id));
      if (g.organisation_id) r->SetValue("ORG_ID", std::to_string(*g.organisation_id));
      if (!g.scope_name.empty()) r->SetValueAndShowSection("SCOPE", g.scope_name, "HAS_SCOPE");
    }
    for (auto role : {model::Role::org_admin, model::Role::org_member, model::Role::regional_editor,
                      model::Role::online_scout, model::Role::platform_admin}) {
      auto* opt = row->AddSectionDictionary("ROLE_OPTION");
      opt->SetValue("KEY", std::string(model::role_key(role)));
      opt->SetValue("LABEL", i18n::t(ctx.locale, "role." + std::string(model::role_key(role))));
    }
    for (const auto& reg : regions) {
      auto* opt = row->AddSectionDictionary("REGION_OPTION");
      opt->SetValue("ID", std::to_string(reg.id));
      opt->SetValue("NAME", reg.name);
    }
  }
  int64_t pages = (page_data.total + kUsersPerPage - 1) / kUsersPerPage;
  if (page_no > 1)
    d.SetValueAndShowSection(
        "PREV",
        "/admin/benutzer?q=" + http::url_encode(q) + "&seite=" + std::to_string(page_no - 1),
        "HAS_PREV");
  if (page_no < pages)
    d.SetValueAndShowSection(
        "NEXT",
        "/admin/benutzer?q=" + http::url_encode(q) + "&seite=" + std::to_string(page_no + 1),
        "HAS_NEXT");
  return page.render();
}

std::optional<int64_t> to_id(const std::string& s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  for (char c : s)
    if (c < '0' || c > '9') return std::nullopt;
  return std::stoll(s);
}

// Revoking asks first: one click on "entziehen" only shows what would go.
http::Response confirm_revoke(Context& ctx, const model::User& u, model::Role role,
                              std::optional<int64_t> region, std::optional<int64_t> org) {
  Page page(ctx, "admin/confirm_revoke.html", i18n::t(ctx.locale, "admin.revoke.title"));
  auto& d = page.dict();
  d.SetValue("ID", std::to_string(u.id));
  d.SetValue("NAME", u.display_name);
  d.SetValue("EMAIL", u.email);
  d.SetValue("ROLE_KEY", std::string(model::role_key(role)));
  d.SetValue("ROLE", i18n::t(ctx.locale, "role." + std::string(model::role_key(role))));
  if (region) d.SetValue("REGION_ID", std::to_string(*region));
  if (org) d.SetValue("ORG_ID", std::to_string(*org));
  for (const auto& g : u.roles)
    if (g.role == role && g.region_id == region && g.organisation_id == org &&
        !g.scope_name.empty())
      d.SetValueAndShowSection("SCOPE", g.scope_name, "HAS_SCOPE");
  return page.render();
}

http::Response change_role(Context& ctx) {
  int64_t user_id = std::stoll(ctx.param(0));
  bool grant = ctx.field("action") == "grant";
  if (!grant && ctx.field("action") != "revoke")
    return ctx.app.error_page(ctx, 400, "admin.role_invalid");
  if (grant && ctx.field("role").empty()) return ctx.app.error_page(ctx, 422, "admin.role_missing");
  auto role = model::parse_role(ctx.field("role"));
  if (!role) return ctx.app.error_page(ctx, 400, "admin.role_invalid");
  auto region =
      *role == model::Role::regional_editor ? to_id(ctx.field("region_id")) : std::nullopt;
  std::optional<int64_t> org;
  if (*role == model::Role::org_admin || *role == model::Role::org_member) {
    // Granting names the organisation by the address of its page; revoking by its id.
    std::string slug = ctx.field("organisation");
    auto slash = slug.rfind('/');
    if (slash != std::string::npos) slug = slug.substr(slash + 1);
    org = grant ? ctx.app.stores().organisations.id_of(slug) : to_id(ctx.field("organisation_id"));
    if (!org) return ctx.app.error_page(ctx, 422, "admin.organisation_unknown");
  }
  if (!grant && user_id == ctx.user->id && *role == model::Role::platform_admin)
    return ctx.app.error_page(ctx, 409, "admin.cannot_revoke_self");
  if (!grant && ctx.field("confirmed") != "ja") {
    auto u = ctx.app.stores().users.find(user_id);
    if (!u) return ctx.app.error_page(ctx, 404);
    return confirm_revoke(ctx, *u, *role, region, org);
  }
  auto status = ctx.app.stores().users.change_role(user_id, *role, grant, region, org);
  if (!status) {
    if (status.error().code == "not_found") return ctx.app.error_page(ctx, 404);
    return ctx.app.error_page(ctx, 400, "admin.role_invalid");
  }
  return http::Response::redirect("/admin/benutzer?hinweis=rolle_gespeichert");
}

// Every organisation with its state, association (and a move asked for) and admins.
http::Response organisations(Context& ctx) {
  std::string q = ctx.query_value("q");
  std::string status = ctx.query_value("status");
  if (q.size() > 200 || !model::valid_utf8(q)) return ctx.app.error_page(ctx, 400);
  if (!status.empty() && status != "pending" && status != "published" && status != "rejected")
    return ctx.app.error_page(ctx, 400);
  int64_t page_no = 1;
  auto seite = ctx.query_value("seite");
  if (!seite.empty()) {
    auto n = to_id(seite);
    if (!n || *n < 1) return ctx.app.error_page(ctx, 400, "error.page_number");
    page_no = *n;
  }
  auto data = ctx.app.stores().organisations.admin_list(q, status, (page_no - 1) * kUsersPerPage,
                                                        kUsersPerPage);
  Page page(ctx, "admin/organisations.html", i18n::t(ctx.locale, "admin.orgs.title"));
  auto& d = page.dict();
  d.SetValue("Q", q);
  d.SetValue("COUNT",
             i18n::format(ctx.locale, "admin.orgs.count", {{"n", std::to_string(data.total)}}));
  for (const char* s : {"", "pending", "published", "rejected"}) {
    auto* opt = d.AddSectionDictionary("STATUS_OPTION");
    opt->SetValue("VALUE", s);
    opt->SetValue("LABEL", i18n::t(ctx.locale, *s ? std::string("org.status.") + s
                                                  : std::string("admin.orgs.all")));
    if (status == s) opt->SetValue("SELECTED", "selected");
  }
  if (data.rows.empty()) d.ShowSection("EMPTY");
  for (const auto& o : data.rows) {
    auto* row = d.AddSectionDictionary("ORG");
    row->SetValue("NAME", o.name);
    row->SetValue("STATUS", i18n::t(ctx.locale, "org.status." + o.status));
    row->SetValue("STATUS_KEY", o.status);
    row->SetValue("REGION", o.region_name);
    if (!o.requested_region_name.empty())
      row->SetValueAndShowSection("REQUESTED", o.requested_region_name, "HAS_REQUEST");
    row->SetValue("EDIT_URL", "/meine-organisationen/" + std::to_string(o.id));
    if (o.status == "published")
      row->SetValueAndShowSection("PUBLIC_URL", "/organisationen/" + o.slug, "HAS_PUBLIC");
    if (o.admin_emails.empty()) row->ShowSection("NO_ADMIN");
    for (const auto& e : o.admin_emails) row->AddSectionDictionary("ADMIN")->SetValue("EMAIL", e);
  }
  int64_t pages = (data.total + kUsersPerPage - 1) / kUsersPerPage;
  auto url = [&](int64_t n) {
    return "/admin/organisationen?q=" + http::url_encode(q) + "&status=" + status +
           "&seite=" + std::to_string(n);
  };
  if (page_no > 1) d.SetValueAndShowSection("PREV", url(page_no - 1), "HAS_PREV");
  if (page_no < pages) d.SetValueAndShowSection("NEXT", url(page_no + 1), "HAS_NEXT");
  return page.render();
}

http::Response jobs(Context& ctx) {
  auto failed = ctx.app.stores().jobs.failed(200);
  auto depth = ctx.app.stores().jobs.depth();
  Page page(ctx, "admin/jobs.html", i18n::t(ctx.locale, "admin.jobs.title"));
  auto& d = page.dict();
  d.SetValue("QUEUED",
             i18n::format(ctx.locale, "admin.jobs.queued", {{"n", std::to_string(depth)}}));
  if (failed.empty()) d.ShowSection("EMPTY");
  for (const auto& j : failed) {
    auto* row = d.AddSectionDictionary("JOB");
    row->SetValue("ID", std::to_string(j.id));
    row->SetValue("KIND", j.kind);
    row->SetValue("ATTEMPTS", std::to_string(j.attempts));
    row->SetValue("ERROR", j.last_error);
    row->SetValue("CREATED", timefmt::utc(j.created_at, "%Y-%m-%d %H:%M UTC"));
  }
  return page.render();
}

http::Response retry_job(Context& ctx) {
  int64_t id = std::stoll(ctx.param(0));
  bool ok = ctx.app.stores().jobs.retry(id, ctx.now);
  if (!ok) return ctx.app.error_page(ctx, 404);
  return http::Response::redirect("/admin/jobs?hinweis=job_neu_geplant");
}

http::Response settings_page(Context& ctx, const std::vector<model::FieldError>& errors,
                             int status) {
  Page page(ctx, "admin/settings.html", i18n::t(ctx.locale, "admin.settings.title"));
  auto& d = page.dict();
  if (ctx.req.method == http::Method::post) {
    d.SetValue("IMPRESSUM", ctx.field("impressum"));
    d.SetValue("DATENSCHUTZ", ctx.field("datenschutz"));
  } else {
    auto imp = ctx.app.stores().settings.get("impressum");
    auto ds = ctx.app.stores().settings.get("datenschutz");
    d.SetValue("IMPRESSUM", imp.value_or(ctx.app.config().impressum));
    d.SetValue("DATENSCHUTZ", ds.value_or(ctx.app.config().datenschutz));
  }
  add_field_errors(d, ctx.locale, errors);
  return page.render(status);
}

http::Response settings_show(Context& ctx) { return settings_page(ctx, {}, 200); }

http::Response settings_save(Context& ctx) {
  std::vector<model::FieldError> errors;
  for (const char* key : {"impressum", "datenschutz"}) {
    auto v = ctx.field(key);
    if (v.size() > kLegalTextLimit)
      errors.push_back({key, "admin.settings.too_long"});
    else if (!model::valid_utf8(v))
      errors.push_back({key, "admin.settings.invalid"});
  }
  if (!errors.empty()) return settings_page(ctx, errors, 422);
  ctx.app.stores().settings.put(
      {{"impressum", ctx.field("impressum")}, {"datenschutz", ctx.field("datenschutz")}});
  return http::Response::redirect("/admin/einstellungen?hinweis=gespeichert");
}

}  // namespace

void register_routes(App& app) {
  using http::Method;
  app.add(Method::get, "/admin",
          {[](Context&) { return http::Response::redirect("/admin/benutzer"); },
           Access::platform_admin});
  app.add(Method::get, "/admin/benutzer", {users, Access::platform_admin});
  app.add(Method::post, "/admin/benutzer/{id:int}/rollen", {change_role, Access::platform_admin});
  app.add(Method::get, "/admin/organisationen", {organisations, Access::platform_admin});
  app.add(Method::get, "/admin/jobs", {jobs, Access::platform_admin});
  app.add(Method::post, "/admin/jobs/{id:int}/wiederholen", {retry_job, Access::platform_admin});
  app.add(Method::get, "/admin/einstellungen", {settings_show, Access::platform_admin});
  app.add(Method::post, "/admin/einstellungen", {settings_save, Access::platform_admin});
}

}  // namespace verbund::web::admin
