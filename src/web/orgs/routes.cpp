// Every route of the organisation feature with its access rule.
#include "web/orgs/handlers.hpp"

namespace verbund::web::orgs {

void register_routes(App& app) {
  using http::Method;
  app.add(Method::get, "/organisationen", {directory});
  app.add(Method::get, "/organisationen/karte.json", {directory_map});
  app.add(Method::get, "/organisationen/{slug:slug}", {profile});
  app.add(Method::get, "/organisationen/{slug:slug}/visitenkarte.vcf", {profile_vcard});
  app.add(Method::get, "/organisationen/{slug:slug}/qr.svg", {profile_qr});
  app.add(Method::get, "/organisationen/{slug:slug}/beanspruchen", {claim_show, Access::signed_in});
  app.add(Method::post, "/organisationen/{slug:slug}/beanspruchen",
          {claim_submit, Access::signed_in});
  app.add(Method::post, "/redaktion/anspruch/{id:int}/entscheidung",
          {claim_decide, Access::signed_in});
  app.add(Method::get, "/meine-organisationen", {my_organisations, Access::signed_in});
  app.add(Method::get, "/meine-organisationen/neu", {new_show, Access::signed_in});
  app.add(Method::post, "/meine-organisationen/neu", {new_submit, Access::signed_in});
  app.add(Method::get, "/meine-organisationen/{id:int}", {edit_show, Access::signed_in});
  app.add(Method::get, "/meine-organisationen/{id:int}/qr.svg", {preview_qr, Access::signed_in});
  app.add(Method::get, "/meine-organisationen/{id:int}/visitenkarte.vcf",
          {preview_vcard, Access::signed_in});
  app.add(Method::post, "/meine-organisationen/{id:int}", {edit_submit, Access::signed_in});
  app.add(Method::get, "/meine-organisationen/{id:int}/details", {details_show, Access::signed_in});
  app.add(Method::post, "/meine-organisationen/{id:int}/details",
          {details_submit, Access::signed_in});
  app.add(Method::get, "/meine-organisationen/{id:int}/bilder", {images_show, Access::signed_in});
  RouteSpec upload{images_upload, Access::signed_in};
  upload.body_limit = static_cast<std::size_t>(app.config().upload_limit_bytes);
  upload.uploads = true;
  app.add(Method::post, "/meine-organisationen/{id:int}/bilder", upload);
  app.add(Method::post, "/meine-organisationen/{id:int}/bilder/entfernen",
          {images_remove, Access::signed_in});
  app.add(Method::post, "/meine-organisationen/{id:int}/bilder/galerie/{img:int}/entfernen",
          {gallery_remove, Access::signed_in});
  app.add(Method::get, "/media/{file}", {media_file});
  const std::string members = "/meine-organisationen/{id:int}/mitglieder";
  app.add(Method::get, members, {members_show, Access::signed_in});
  app.add(Method::post, members + "/einladen", {members_invite, Access::signed_in});
  app.add(Method::post, members + "/einladungen/{inv:int}/zurueckziehen",
          {members_revoke, Access::signed_in});
  app.add(Method::post, members + "/{user:int}/rolle", {members_role, Access::signed_in});
  app.add(Method::post, members + "/{user:int}/entfernen", {members_remove, Access::signed_in});
  app.add(Method::get, "/einladung", {invitation_show});
  app.add(Method::post, "/einladung", {invitation_accept, Access::signed_in});
  app.add(Method::get, "/redaktion", {review_queue, Access::signed_in});
  app.add(Method::get, "/redaktion/organisation/{id:int}", {review_dossier, Access::signed_in});
  app.add(Method::post, "/redaktion/{id:int}/entscheidung", {review_decide, Access::signed_in});
  app.add(Method::post, "/redaktion/wechsel/{id:int}/entscheidung",
          {move_decide, Access::signed_in});
}

}  // namespace verbund::web::orgs
