// A member's organisations: registering a new one (pending until verified), editing
// the basic profile with a version check, and answering a rejection.
#include "core/i18n.hpp"
#include "core/log.hpp"
#include "model/vcard.hpp"
#include "web/orgs/forms.hpp"
#include "web/orgs/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::orgs {

namespace {

http::Response form_page(Context& ctx, const model::OrgBasics& b,
                         const std::vector<model::FieldError>& errors, int status,
                         const store::ManagedOrg* org) {
  std::string title =
      org ? i18n::t(ctx.locale, "org.edit_title") : i18n::t(ctx.locale, "org.new_title");
  Page page(ctx, "orgs/form.html", title);
  auto& d = page.dict();
  d.SetValue("HEADING", org ? org->name : title);
  d.SetValue("ACTION", org ? "/meine-organisationen/" + std::to_string(org->id)
                           : "/meine-organisationen/neu");
  // New applications and drafts can be kept as a draft before they go to the editors.
  const bool draft = !org || org->draft;
  d.SetValue("SUBMIT", i18n::t(ctx.locale, draft ? "org.apply" : "org.save"));
  if (draft) d.ShowSection("CAN_DRAFT");
  if (!org) d.ShowSection("IS_NEW");
  if (org) {
    d.SetIntValue("VERSION", static_cast<long>(org->version));
    d.ShowSection("CAN_PREVIEW");
    d.SetValueAndShowSection("IMAGES_URL",
                             "/meine-organisationen/" + std::to_string(org->id) + "/bilder",
                             "HAS_IMAGES_LINK");
    d.SetValue("MEMBERS_URL", "/meine-organisationen/" + std::to_string(org->id) + "/mitglieder");
    d.SetValue("CHANNELS_URL", "/meine-organisationen/" + std::to_string(org->id) + "/kanaele");
    d.SetValue("DETAILS_URL", "/meine-organisationen/" + std::to_string(org->id) + "/details");
    d.SetValue("STATUS", i18n::t(ctx.locale, "org.status." + org->status));
    d.ShowSection(org->draft ? std::string("STATUS_draft") : "STATUS_" + org->status);
    if (org->status == "published")
      d.SetValueAndShowSection("PUBLIC_URL", "/organisationen/" + org->slug, "HAS_PUBLIC");
    if (org->status == "rejected" || org->status == "pending")
      if (!org->review_note.empty())
        d.SetValueAndShowSection("REVIEW_NOTE", org->review_note, "HAS_REVIEW_NOTE");
    if (org->status == "rejected") d.ShowSection("CAN_REPLY");
  }
  fill_form(ctx, d, b);
  add_field_errors(d, ctx.locale, errors);
  return page.render(status);
}

// The mail that tells an editor about an organisation to review.
store::Composer review_needed(Context& ctx, const std::string& name,
                              const std::string& mail = "org_review_needed") {
  return [&ctx, name, mail](const store::Addressee& to) {
    return ctx.app.mail(to.email, to.locale, mail,
                        {{"ORG", name}, {"LINK", ctx.app.absolute_url("/redaktion")}});
  };
}

store::Composer move_requested(Context& ctx, const std::string& name) {
  return [&ctx, name](const store::Addressee& to) {
    return ctx.app.mail(to.email, to.locale, "org_move_requested",
                        {{"ORG", name}, {"LINK", ctx.app.absolute_url("/redaktion")}});
  };
}

// The public page as it would look with the typed basics, before anything is saved;
// the typed values travel on in hidden fields to "save" or "keep editing".
http::Response preview_page(Context& ctx, int64_t id, const model::OrgBasics& b,
                            int64_t region_id) {
  auto stored = ctx.app.stores().organisations.preview_base(actor(ctx), id, region_id);
  if (!stored) return ctx.app.error_page(ctx, 404);
  model::Organisation o = *stored;
  model::apply_basics(o, b, region_id);
  Page page(ctx, "orgs/preview.html", i18n::t(ctx.locale, "preview.title") + ": " + o.name);
  auto& d = page.dict();
  d.SetValue("ACTION", "/meine-organisationen/" + std::to_string(id));
  for (const auto& [name, value] : ctx.form) {
    if (name == "csrf" || name == "aktion") continue;
    auto* h = d.AddSectionDictionary("HIDDEN");
    h->SetValue("HIDDEN_NAME", name);
    h->SetValue("HIDDEN_VALUE", value);
  }
  auto* profile = d.AddIncludeDictionary("PROFILE");
  profile->SetFilename(ctx.locale + "/orgs/profile.html");
  fill_profile(ctx, *profile, o);
  // The preview shows what the public page will: the photos, and a QR code that works.
  fill_gallery(*profile, ctx.app.stores().organisations.gallery(id));
  profile->SetValue("QR_URL", "/meine-organisationen/" + std::to_string(id) + "/qr.svg");
  profile->SetValue("VCARD_URL",
                    "/meine-organisationen/" + std::to_string(id) + "/visitenkarte.vcf");
  return page.render();
}

}  // namespace

// The QR code of the page an organisation's admins are preparing (the public one has
// none until it is published): it encodes the address the page will have.
http::Response preview_qr(Context& ctx) {
  auto org = ctx.app.stores().organisations.managed(actor(ctx), std::stoll(ctx.param(0)));
  if (!org) return ctx.app.error_page(ctx, 404);
  return qr_response(ctx, ctx.app.absolute_url("/organisationen/" + org->slug),
                     "private, max-age=600");
}

// The vCard of the page being prepared (the public one answers 404 until publication).
http::Response preview_vcard(Context& ctx) {
  int64_t id = std::stoll(ctx.param(0));
  auto org = ctx.app.stores().organisations.managed(actor(ctx), id);
  if (!org) return ctx.app.error_page(ctx, 404);
  auto stored = ctx.app.stores().organisations.preview_base(actor(ctx), id, org->region_id);
  if (!stored) return ctx.app.error_page(ctx, 404);
  http::Response res;
  res.body = model::vcard(*stored, ctx.app.absolute_url("/organisationen/" + org->slug));
  res.set_header("Content-Type", "text/vcard; charset=utf-8");
  res.set_header("Content-Disposition", "attachment; filename=\"" + org->slug + ".vcf\"");
  return res;
}

http::Response my_organisations(Context& ctx) {
  auto orgs = ctx.app.stores().organisations.of_user(ctx.user->id);
  Page page(ctx, "orgs/mine.html", i18n::t(ctx.locale, "org.mine_title"));
  auto& d = page.dict();
  if (orgs.empty()) d.ShowSection("EMPTY");
  for (const auto& o : orgs) {
    auto* row = d.AddSectionDictionary("ORG");
    row->SetValue("NAME", o.name);
    // Members cannot edit: they reach the public page (once published) and may leave.
    if (o.admin) {
      row->SetValueAndShowSection("URL", "/meine-organisationen/" + std::to_string(o.id),
                                  "HAS_LINK");
    } else {
      if (o.status == "published")
        row->SetValueAndShowSection("URL", "/organisationen/" + o.slug, "HAS_LINK");
      else
        row->ShowSection("NO_LINK");
      auto* leave = row->AddSectionDictionary("MEMBER");
      leave->SetValue("LEAVE_ACTION", "/meine-organisationen/" + std::to_string(o.id) +
                                          "/mitglieder/" + std::to_string(ctx.user->id) +
                                          "/entfernen");
    }
    const std::string status = o.draft ? "draft" : o.status;
    row->SetValue("STATUS", i18n::t(ctx.locale, "org.status." + status));
    row->SetValue("STATUS_KEY", status);
  }
  return page.render();
}

http::Response new_show(Context& ctx) {
  model::OrgBasics b;
  b.legal_form = "e.V.";
  return form_page(ctx, b, {}, 200, nullptr);
}

http::Response new_submit(Context& ctx) {
  auto b = parse_basics(ctx);
  std::vector<model::FieldError> errors;
  int64_t region_id = check_basics(ctx, b, errors);
  if (!errors.empty()) return form_page(ctx, b, errors, 422, nullptr);
  const bool submit = ctx.field("aktion") != "entwurf";
  int64_t id = ctx.app.stores().organisations.apply(ctx.user->id, b, region_id, ctx.now,
                                                    review_needed(ctx, b.name), submit);
  log::info(submit ? "organisation_applied" : "organisation_draft_saved",
            {{"id", std::to_string(id)}, {"user", std::to_string(ctx.user->id)}});
  return http::Response::redirect(
      "/meine-organisationen/" + std::to_string(id) +
      (submit ? "?hinweis=organisation_beantragt" : "?hinweis=entwurf_gespeichert"));
}

http::Response edit_show(Context& ctx) {
  int64_t id = std::stoll(ctx.param(0));
  auto found = ctx.app.stores().organisations.basics(actor(ctx), id);
  if (!found) return ctx.app.error_page(ctx, 404);
  return form_page(ctx, found->first, {}, 200, &found->second);
}

http::Response edit_submit(Context& ctx) {
  int64_t id = std::stoll(ctx.param(0));
  auto found = ctx.app.stores().organisations.basics(actor(ctx), id);
  if (!found) return ctx.app.error_page(ctx, 404);
  auto b = parse_basics(ctx);
  std::vector<model::FieldError> errors;
  int64_t region_id = check_basics(ctx, b, errors);
  int64_t version = 0;
  try {
    version = std::stoll(ctx.field("version"));
  } catch (...) {
    return ctx.app.error_page(ctx, 400);
  }
  // The version the form was loaded with travels back, so a re-rendered form still
  // detects a save by someone else in between.
  store::ManagedOrg shown = found->second;
  shown.version = version;
  if (!errors.empty()) return form_page(ctx, b, errors, 422, &shown);
  const std::string action = ctx.field("aktion");
  if (action == "vorschau") return preview_page(ctx, id, b, region_id);
  if (action == "bearbeiten") return form_page(ctx, b, {}, 200, &shown);
  // A rejected application that is saved again goes back to the editors; a draft goes
  // to them only with "Zur Prüfung senden" (saving from the preview keeps it a draft).
  auto st = ctx.app.stores().organisations.save_basics(
      actor(ctx), id, version, b, region_id, ctx.now, review_needed(ctx, b.name, "org_resubmitted"),
      move_requested(ctx, b.name), action == "senden", review_needed(ctx, b.name));
  if (!st) {
    if (st.error().code == "not_found") return ctx.app.error_page(ctx, 404);
    // Someone saved first: show their version? Keep this visitor's input and say so.
    return form_page(ctx, b, {{"name", "org.conflict"}}, 409, &shown);
  }
  const char* notice = *st == store::BasicsSaved::move_requested ? "?hinweis=wechsel_beantragt"
                       : !found->second.draft                    ? "?hinweis=gespeichert"
                       : action == "senden"                      ? "?hinweis=organisation_beantragt"
                                                                 : "?hinweis=entwurf_gespeichert";
  return http::Response::redirect("/meine-organisationen/" + std::to_string(id) + notice);
}

}  // namespace verbund::web::orgs
