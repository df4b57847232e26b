// The directory map: the locations of every organisation matching the current search,
// as JSON for static/js/map.js, and the panel that asks before any tile is loaded.
#include <unordered_map>

#include "core/json.hpp"
#include "web/orgs/directory_query.hpp"
#include "web/orgs/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::orgs {

namespace {
// More points than this make the map unreadable and the JSON large; the list pages on.
constexpr int64_t kMaxPoints = 5000;
}  // namespace

bool fill_map_assets(Context& ctx, ctemplate::TemplateDictionary& d) {
  const auto& cfg = ctx.app.config();
  if (cfg.map_tile_url.empty()) return false;
  d.SetValue("TILE_URL", cfg.map_tile_url);
  d.SetValue("ATTRIBUTION", cfg.map_attribution);
  std::string origin = cfg.map_tile_origin();
  d.SetValue("TILE_HOST", origin.substr(origin.find("://") + 3));
  d.SetValue("LEAFLET_JS", static_url("vendor/leaflet/leaflet.js"));
  d.SetValue("LEAFLET_CSS", static_url("vendor/leaflet/leaflet.css"));
  d.SetValue("MAP_JS", static_url("js/map.js"));
  return true;
}

bool fill_map_panel(Context& ctx, ctemplate::TemplateDictionary& d) {
  if (!fill_map_assets(ctx, d)) return false;
  std::string query = ctx.req.query;
  d.SetValue("POINTS_URL", "/organisationen/karte.json" + (query.empty() ? "" : "?" + query));
  return true;
}

http::Response directory_map(Context& ctx) {
  auto q = directory_query(ctx);
  if (!q) return http::Response::text(400, "Bad Request\n");
  q->page = 1;
  q->page_size = kMaxPoints;
  auto result = run_directory_search(ctx, *q);
  std::vector<int64_t> ids;
  ids.reserve(result.hits.size());
  for (const auto& h : result.hits) ids.push_back(h.card->id);
  auto locations = ctx.app.stores().organisations.locations(ids);
  std::unordered_map<int64_t, const store::OrgLocation*> by_id;
  for (const auto& l : locations) by_id[l.id] = &l;
  json::Writer w;
  w.begin_object();
  w.key("total").value(static_cast<long long>(result.total));
  w.begin_array("points");
  for (const auto& h : result.hits) {
    auto it = by_id.find(h.card->id);
    if (it == by_id.end()) continue;
    w.begin_object();
    w.field("name", h.card->name);
    w.field("city", h.card->city);
    w.field("url", "/organisationen/" + h.card->slug);
    w.key("lat").value_number(it->second->latitude);
    w.key("lon").value_number(it->second->longitude);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  http::Response res;
  res.body = w.str();
  res.set_header("Content-Type", "application/json; charset=utf-8");
  return res;
}

}  // namespace verbund::web::orgs
