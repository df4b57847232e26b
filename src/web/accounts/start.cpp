// The start page after signing in: what this person has to do next. Their
// organisations with their state and next step, the editor's queue with its counts,
// the platform admin's tasks; "register an organisation" when there is none.
#include "core/i18n.hpp"
#include "web/accounts/handlers.hpp"

namespace verbund::web::accounts {

namespace {

void add_organisations(Context& ctx, ctemplate::TemplateDictionary& d) {
  auto orgs = ctx.app.stores().organisations.of_user(ctx.user->id);
  if (orgs.empty()) d.ShowSection("NO_ORGS");
  for (const auto& o : orgs) {
    auto* row = d.AddSectionDictionary("ORG");
    const std::string base = "/meine-organisationen/" + std::to_string(o.id);
    row->SetValue("NAME", o.name);
    const std::string status = o.draft ? "draft" : o.status;
    row->SetValue("STATUS", i18n::t(ctx.locale, "org.status." + status));
    row->SetValue("STATUS_KEY", status);
    if (!o.admin) {
      row->SetValue("NEXT", i18n::t(ctx.locale, "start.next.member"));
      if (o.status == "published")
        row->SetValueAndShowSection("PUBLIC_URL", "/organisationen/" + o.slug, "HAS_PUBLIC");
      continue;
    }
    row->SetValue("NEXT", i18n::t(ctx.locale, "start.next." + status));
    row->SetValueAndShowSection("EDIT_URL", base, "CAN_EDIT");
    row->SetValue("MEMBERS_URL", base + "/mitglieder");
    if (o.status == "published")
      row->SetValueAndShowSection("PUBLIC_URL", "/organisationen/" + o.slug, "HAS_PUBLIC");
  }
}

void add_review_counts(Context& ctx, ctemplate::TemplateDictionary& d) {
  store::Actor a{ctx.user->id, ctx.user->is_platform_admin()};
  auto applications = ctx.app.stores().organisations.pending_reviews(a).size();
  auto claims = ctx.app.stores().claims.open(a).size();
  auto moves = ctx.app.stores().organisations.pending_moves(a).size();
  auto* r = d.AddSectionDictionary("REVIEWER");
  r->SetValue("REVIEW_COUNTS", i18n::format(ctx.locale, "start.review_counts",
                                            {{"a", std::to_string(applications)},
                                             {"c", std::to_string(claims)},
                                             {"m", std::to_string(moves)}}));
  if (applications + claims + moves == 0) r->ShowSection("REVIEW_DONE");
}

void add_admin_tasks(Context& ctx, ctemplate::TemplateDictionary& d) {
  auto* a = d.AddSectionDictionary("ADMIN");
  auto failed = ctx.app.stores().jobs.failed(1000).size();
  if (failed > 0)
    a->SetValueAndShowSection(
        "FAILED_JOBS",
        i18n::format(ctx.locale, "start.failed_jobs", {{"n", std::to_string(failed)}}),
        "HAS_FAILED_JOBS");
  for (const char* key : {"impressum", "datenschutz"}) {
    auto text = ctx.app.stores().settings.get(key);
    if (!text || text->empty())
      a->AddSectionDictionary("EMPTY_TEXT")
          ->SetValue("TEXT", i18n::t(ctx.locale, std::string("start.empty_") + key));
  }
}

}  // namespace

http::Response start_page(Context& ctx) {
  Page page(ctx, "accounts/start.html", i18n::t(ctx.locale, "start.title"));
  auto& d = page.dict();
  d.SetValue("HEADING",
             i18n::format(ctx.locale, "start.heading", {{"name", ctx.user->display_name}}));
  add_organisations(ctx, d);
  if (ctx.user->is_platform_admin() || ctx.user->has_role(model::Role::regional_editor))
    add_review_counts(ctx, d);
  if (ctx.user->is_platform_admin()) add_admin_tasks(ctx, d);
  return page.render();
}

}  // namespace verbund::web::accounts
