// Organisation pages: the directory and the public profile.
#pragma once

#include "model/organisation.hpp"
#include "web/app.hpp"

namespace verbund::web::orgs {

http::Response directory(Context& ctx);
http::Response directory_map(Context& ctx);
// What every map needs (tile server, Leaflet, static/js/map.js); false (no map to show)
// when no tile server is configured.
bool fill_map_assets(Context& ctx, ctemplate::TemplateDictionary& d);
// Fills templates/orgs/map_panel.html; false (nothing to show) without map tiles.
bool fill_map_panel(Context& ctx, ctemplate::TemplateDictionary& panel);
http::Response profile(Context& ctx);
// The signed-in person as the stores' actor.
inline store::Actor actor(const Context& ctx) {
  return store::Actor{ctx.user->id, ctx.user->is_platform_admin()};
}
// The QR code of `url` as an SVG response (404 when it cannot be made).
http::Response qr_response(Context& ctx, const std::string& url, const char* cache_control);
// Fills templates/orgs/profile.html for `o` (the public page, the preview, the editors'
// view). `share` false leaves out the vCard and QR code (pages other than the profile's own).
void fill_profile(Context& ctx, ctemplate::TemplateDictionary& d, const model::Organisation& o,
                  bool share = true);
void fill_gallery(ctemplate::TemplateDictionary& d,
                  const std::vector<store::GalleryImage>& gallery);
http::Response preview_qr(Context& ctx);
http::Response preview_vcard(Context& ctx);
http::Response profile_vcard(Context& ctx);
http::Response profile_qr(Context& ctx);
http::Response my_organisations(Context& ctx);
http::Response new_show(Context& ctx);
http::Response new_submit(Context& ctx);
http::Response edit_show(Context& ctx);
http::Response edit_submit(Context& ctx);
http::Response details_show(Context& ctx);
http::Response details_submit(Context& ctx);
http::Response images_show(Context& ctx);
http::Response images_upload(Context& ctx);
http::Response images_remove(Context& ctx);
http::Response gallery_remove(Context& ctx);
http::Response media_file(Context& ctx);
http::Response members_show(Context& ctx);
http::Response members_invite(Context& ctx);
http::Response members_revoke(Context& ctx);
http::Response members_role(Context& ctx);
http::Response members_remove(Context& ctx);
http::Response invitation_show(Context& ctx);
http::Response invitation_accept(Context& ctx);
http::Response claim_show(Context& ctx);
http::Response claim_submit(Context& ctx);
http::Response claim_decide(Context& ctx);
http::Response review_queue(Context& ctx);
http::Response review_decide(Context& ctx);
http::Response review_dossier(Context& ctx);
http::Response move_decide(Context& ctx);
void register_routes(App& app);

}  // namespace verbund::web::orgs
