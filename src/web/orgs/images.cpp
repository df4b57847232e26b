// Logo and cover image of an organisation: upload (multipart), replace and remove.
// Files are checked and re-encoded by media::process_image; the database refers to
// them only after they are completely on disk, and replaced files are deleted after
// the commit, so a crash leaves at worst an unreferenced file, never a broken image.
#include "core/i18n.hpp"
#include "core/log.hpp"
#include "model/user.hpp"
#include "web/orgs/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::orgs {

namespace {

// The form field "art" as the page names it, and what it means.
struct Kind {
  const char* param;  // "logo" or "titelbild"
  const char* field;  // id of the file input, for error links
  store::OrgImage image;
  media::Purpose purpose;
};
constexpr Kind kKinds[] = {
    {"logo", "logo", store::OrgImage::logo, media::Purpose::logo},
    {"titelbild", "cover", store::OrgImage::cover, media::Purpose::cover},
};

const Kind* kind_of(const std::string& param) {
  for (const auto& k : kKinds)
    if (param == k.param) return &k;
  return nullptr;
}

std::string base_url(int64_t id) {
  return "/meine-organisationen/" + std::to_string(id) + "/bilder";
}

http::Response images_page(Context& ctx, const store::ManagedOrg& org,
                           const std::vector<model::FieldError>& errors, int status,
                           const std::string& typed_alt = "") {
  Page page(ctx, "orgs/images.html", i18n::t(ctx.locale, "images.title"));
  auto& d = page.dict();
  d.SetValue("NAME", org.name);
  d.SetValue("EDIT_URL", "/meine-organisationen/" + std::to_string(org.id));
  d.SetValue("ACTION", base_url(org.id));
  d.SetValue("REMOVE_ACTION", base_url(org.id) + "/entfernen");
  if (!org.logo_key.empty())
    d.SetValueAndShowSection("LOGO_KEY", org.logo_key, "HAS_LOGO");
  else
    d.ShowSection("NO_LOGO");
  if (!org.cover_key.empty())
    d.SetValueAndShowSection("COVER_KEY", org.cover_key, "HAS_COVER");
  else
    d.ShowSection("NO_COVER");
  auto gallery = ctx.app.stores().organisations.gallery(org.id);
  for (const auto& g : gallery) {
    auto* item = d.AddSectionDictionary("GALLERY_IMAGE");
    item->SetValue("G_KEY", g.key);
    item->SetValue("G_ALT", g.alt);
    item->SetValue("G_REMOVE",
                   base_url(org.id) + "/galerie/" + std::to_string(g.id) + "/entfernen");
  }
  if (gallery.empty()) d.ShowSection("NO_GALLERY");
  if (static_cast<int64_t>(gallery.size()) < store::kGalleryMax)
    d.ShowSection("GALLERY_OPEN");
  else
    d.ShowSection("GALLERY_FULL");
  d.SetValue("V_alt", typed_alt);
  add_field_errors(d, ctx.locale, errors);
  return page.render(status);
}

http::Response gallery_upload(Context& ctx, const store::ManagedOrg& org) {
  std::string alt = ctx.field("alt");
  while (!alt.empty() && std::isspace(static_cast<unsigned char>(alt.back()))) alt.pop_back();
  const http::FormPart* file = nullptr;
  for (const auto& f : ctx.files)
    if (f.name == "bild") file = &f;
  std::vector<model::FieldError> errors;
  if (alt.empty())
    errors.push_back({"gallery_alt", "images.error.alt_missing"});
  else if (!model::valid_utf8(alt) || model::utf8_length(alt) > 200)
    errors.push_back({"gallery_alt", "images.error.alt_too_long"});
  auto processed =
      media::process_image(file ? file->data : std::string_view(), media::Purpose::gallery);
  if (!processed) errors.push_back({"gallery", "images.error." + processed.error().code});
  if (!errors.empty()) return images_page(ctx, org, errors, 422, alt);
  auto key = ctx.app.media().save(*processed);
  if (!key) throw std::runtime_error("storing an image failed: " + key.error().message);
  auto added =
      ctx.app.stores().organisations.add_to_gallery(actor(ctx), org.id, *key, alt, ctx.now);
  if (!added) {
    ctx.app.media().remove(*key, media::Purpose::gallery);
    if (added.error().code == "gallery_full")
      return images_page(ctx, org, {{"gallery", "images.error.gallery_full"}}, 422, alt);
    return ctx.app.error_page(ctx, 404);
  }
  return http::Response::redirect(base_url(org.id) + "?hinweis=bild_gespeichert");
}

std::optional<store::ManagedOrg> managed(Context& ctx) {
  int64_t id = std::stoll(ctx.param(0));
  return ctx.app.stores().organisations.managed(actor(ctx), id);
}

// Points the organisation at `key` and deletes the files of the key it replaces.
bool replace_image(Context& ctx, const store::ManagedOrg& org, const Kind& kind,
                   const std::string& key) {
  auto old =
      ctx.app.stores().organisations.change_image(actor(ctx), org.id, kind.image, key, ctx.now);
  if (!old) return false;
  ctx.app.media().remove(*old, kind.purpose);
  return true;
}

}  // namespace

http::Response images_show(Context& ctx) {
  auto org = managed(ctx);
  if (!org) return ctx.app.error_page(ctx, 404);
  return images_page(ctx, *org, {}, 200);
}

http::Response images_upload(Context& ctx) {
  auto org = managed(ctx);
  if (!org) return ctx.app.error_page(ctx, 404);
  if (ctx.field("art") == "galerie") return gallery_upload(ctx, *org);
  const Kind* kind = kind_of(ctx.field("art"));
  if (!kind) return ctx.app.error_page(ctx, 400);
  const http::FormPart* file = nullptr;
  for (const auto& f : ctx.files)
    if (f.name == "bild") file = &f;
  auto processed = media::process_image(file ? file->data : std::string_view(), kind->purpose);
  if (!processed) {
    log::info("image_refused", {{"org", std::to_string(org->id)},
                                {"why", processed.error().code},
                                {"bytes", std::to_string(file ? file->data.size() : 0)}});
    return images_page(ctx, *org, {{kind->field, "images.error." + processed.error().code}}, 422);
  }
  auto key = ctx.app.media().save(*processed);
  if (!key) throw std::runtime_error("storing an image failed: " + key.error().message);
  if (!replace_image(ctx, *org, *kind, *key)) {
    ctx.app.media().remove(*key, kind->purpose);
    return ctx.app.error_page(ctx, 404);
  }
  log::info("image_saved", {{"org", std::to_string(org->id)}, {"kind", kind->param}});
  return http::Response::redirect(base_url(org->id) + "?hinweis=bild_gespeichert");
}

http::Response images_remove(Context& ctx) {
  auto org = managed(ctx);
  if (!org) return ctx.app.error_page(ctx, 404);
  const Kind* kind = kind_of(ctx.field("art"));
  if (!kind) return ctx.app.error_page(ctx, 400);
  if (!replace_image(ctx, *org, *kind, "")) return ctx.app.error_page(ctx, 404);
  return http::Response::redirect(base_url(org->id) + "?hinweis=bild_entfernt");
}

http::Response gallery_remove(Context& ctx) {
  auto org = managed(ctx);
  if (!org) return ctx.app.error_page(ctx, 404);
  int64_t image_id = std::stoll(ctx.param(1));
  auto key = ctx.app.stores().organisations.remove_from_gallery(actor(ctx), org->id, image_id);
  if (!key) return ctx.app.error_page(ctx, 404);
  ctx.app.media().remove(*key, media::Purpose::gallery);
  return http::Response::redirect(base_url(org->id) + "?hinweis=bild_entfernt");
}

http::Response media_file(Context& ctx) {
  const std::string& name = ctx.param(0);
  auto bytes = ctx.app.media().read(name);
  if (!bytes) return http::Response::text(404, "Not Found\n");
  http::Response res;
  res.body = std::move(*bytes);
  res.set_header("Content-Type", std::string(media::Files::content_type(name)));
  // A name is never reused for other content (random keys): cache forever.
  res.set_header("Cache-Control", "public, max-age=31536000, immutable");
  return res;
}

}  // namespace verbund::web::orgs
