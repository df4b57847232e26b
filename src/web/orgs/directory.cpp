// The member directory at /organisationen: search in German, facets with counts, A–Z,
// sorting and pages. Every state of the page is a plain GET URL that can be shared.
#include <array>
#include <deque>
#include <stdexcept>
#include <string_view>

#include "core/i18n.hpp"
#include "search/analyzer.hpp"
#include "web/app.hpp"
#include "web/orgs/directory_query.hpp"
#include "web/orgs/handlers.hpp"
#include "web/view.hpp"
#include "web/view_dict.hpp"

namespace verbund::web::orgs {

namespace {

constexpr int64_t kPageSize = 50;

// URL parameter names (German, as visitors see them), the query field they set, the
// facet they filter and the catalog prefix of their labels ("" when shown as stored).
struct ParamSpec {
  const char* name;
  std::string search::DirectoryQuery::*member;
  const char* facet;
  std::string_view label_prefix;
};
const ParamSpec kParams[] = {
    {"feld", &search::DirectoryQuery::field, "field", "field."},
    {"zielgruppe", &search::DirectoryQuery::target_group, "target_group", "target."},
    {"verband", &search::DirectoryQuery::region, "region", ""},
    {"land", &search::DirectoryQuery::state, "state", ""},
    {"ort", &search::DirectoryQuery::city, "city", ""},
    {"buchstabe", &search::DirectoryQuery::letter, "letter", ""},
};

// Links to other states of the page: the current query as URL parameters in a fixed
// order, with one parameter replaced. The parameters before and after each one are
// joined once per request, so a facet link costs one encoded value and three appends.
class Links {
 public:
  explicit Links(const Context& ctx) {
    std::array<std::string, kKeys.size()> params;  // "name=value", empty when absent
    for (std::size_t i = 0; i < kKeys.size(); ++i) {
      std::string v = ctx.query_value(std::string(kKeys[i]));
      if (v.empty()) continue;
      params[i].append(kKeys[i]).append("=");
      http::url_encode_append(params[i], v);
    }
    auto join = [&](std::size_t from, std::size_t to) {
      std::string out;
      for (std::size_t i = from; i < to; ++i)
        if (!params[i].empty()) out.append(out.empty() ? "" : "&").append(params[i]);
      return out;
    };
    for (std::size_t i = 0; i < kKeys.size(); ++i) {
      before_[i] = join(0, i);
      after_[i] = join(i + 1, kKeys.size());
    }
    all_ = join(0, kKeys.size());
  }

  // The current query with `name` (one of kKeys) set to `value` ("" removes it); the page
  // number resets whenever anything else changes. Valid until the next call.
  std::string_view with(std::string_view name, std::string_view value) {
    std::size_t i = 0;
    while (i < kKeys.size() && kKeys[i] != name) ++i;
    if (i == kKeys.size()) throw std::logic_error("Links::with: unknown parameter");
    url_.assign(kPath);
    char sep = '?';
    auto add = [&](std::string_view part) {
      if (part.empty()) return;
      url_ += sep;
      sep = '&';
      url_ += part;
    };
    add(before_[i]);
    if (!value.empty()) {
      add(name);
      url_ += '=';
      http::url_encode_append(url_, value);
    }
    add(after_[i]);
    return url_;
  }

  // The current query on page `n`.
  std::string page(int64_t n) const {
    std::string url(kPath);
    if (!all_.empty()) url.append("?").append(all_);
    if (n != 1) url.append(all_.empty() ? "?seite=" : "&seite=").append(std::to_string(n));
    return url;
  }

 private:
  static constexpr std::array<std::string_view, 10> kKeys = {
      "q",    "umkreis", "feld",      "zielgruppe", "verband",
      "land", "ort",     "buchstabe", "sortierung", "als"};
  static constexpr std::string_view kPath = "/organisationen";
  std::array<std::string, kKeys.size()> before_, after_;
  std::string all_;
  std::string url_;  // with()'s result, reused
};

// Catalog texts of taxonomy keys (prefix "field." or "target."), looked up once per key
// and request.
class Labels {
 public:
  explicit Labels(const std::string& locale) : locale_(locale) {}
  const std::string& get(std::string_view prefix, std::string_view key) {
    // Most keys differ in length or first letter: check those before comparing.
    for (const auto& e : seen_)
      if (e.key.size() == key.size() && !key.empty() && e.key[0] == key[0] && e.key == key &&
          e.prefix == prefix)
        return e.text;
    std::string full;
    full.reserve(prefix.size() + key.size());
    full.append(prefix).append(key);
    seen_.push_back({prefix, std::string(key), i18n::t(locale_, full)});
    return seen_.back().text;
  }

 private:
  struct Entry {
    std::string_view prefix;
    std::string key, text;
  };
  const std::string& locale_;
  std::deque<Entry> seen_;  // references handed out stay valid
};

}  // namespace

http::Response directory(Context& ctx) {
  auto parsed = directory_query(ctx);
  if (!parsed) return ctx.app.error_page(ctx, 400, parsed.error().code);
  search::DirectoryQuery& q = *parsed;
  q.page_size = kPageSize;

  std::string offered_place;
  auto result = run_directory_search(ctx, q, &offered_place);

  Page page_view(ctx, "orgs/directory.html", i18n::t(ctx.locale, "orgs.title"));
  ViewDict d;
  ctemplate::TemplateDictionary map_panel("map_panel");
  if (fill_map_panel(ctx, map_panel))
    d.include("MAP_PANEL", map_panel, ctx.locale + "/orgs/map_panel.html");
  Links links(ctx);
  Labels labels(ctx.locale);
  d.set("Q", ctx.query_value("q"));  // as typed, place and all
  if (ctx.query_value("als") == "ort") d.show("AS_PLACE");
  for (int km : {5, 10, 25, 50}) {
    auto& opt = d.add_section("RADIUS");
    opt.set("VALUE", std::to_string(km));
    if (static_cast<int>(q.radius_km) == km) opt.set("SELECTED", "selected");
  }
  if (q.near) {
    auto& near = d.add_section("NEAR");
    near.set("PLACE", q.near_label);
    near.set("TEXT", i18n::format(ctx.locale, result.beyond_radius ? "orgs.near_none" : "orgs.near",
                                  {{"place", q.near_label},
                                   {"km", std::to_string(static_cast<int>(q.radius_km))}}));
  }
  if (!offered_place.empty()) {
    auto& offer = d.add_section("PLACE_OFFER");
    offer.set("TEXT",
              i18n::format(ctx.locale, "orgs.place_offer", {{"words", ctx.query_value("q")}}));
    offer.set("LINK",
              i18n::format(ctx.locale, "orgs.place_offer_link", {{"place", offered_place}}));
    offer.set("URL", links.with("als", "ort"));
  }
  d.set("COUNT", i18n::format(ctx.locale, result.total == 1 ? "orgs.count_one" : "orgs.count",
                              {{"n", std::to_string(result.total)}}));
  static const std::pair<const char*, const char*> kSorts[] = {
      {"relevanz", "orgs.sort.relevanz"}, {"name", "orgs.sort.name"}, {"neu", "orgs.sort.neu"}};
  for (const auto& [value, label] : kSorts) {
    auto& opt = d.add_section("SORT");
    opt.set("VALUE", value);
    opt.set("LABEL", i18n::t(ctx.locale, label));
    if (q.sort == value) opt.set("SELECTED", "selected");
  }
  // Phones show the filters below the results: a link above them says how many are
  // active and jumps there (wide screens show both side by side and hide the link).
  int active_filters = 0;
  for (const auto& p : kParams) active_filters += !(q.*(p.member)).empty();
  d.set("FILTER_LINK", active_filters == 0 ? i18n::t(ctx.locale, "orgs.filter_link")
                                           : i18n::format(ctx.locale, "orgs.filter_link_n",
                                                          {{"n", std::to_string(active_filters)}}));
  const auto& region_facet = result.facets["region"];
  // Hidden inputs keep the active filters when the visitor searches again.
  for (const auto& p : kParams) {
    const std::string& v = q.*(p.member);
    if (v.empty()) continue;
    auto& h = d.add_section("KEEP");
    h.set("NAME", p.name);
    h.set("VALUE", v);
    auto& active = d.add_section("ACTIVE_FILTER");
    const std::string* label = &v;
    if (!p.label_prefix.empty()) label = &labels.get(p.label_prefix, v);
    if (p.member == &search::DirectoryQuery::region)
      for (const auto& f : region_facet)
        if (f.key == v) label = &f.label;
    active.set("LABEL", *label);
    active.set("REMOVE", links.with(p.name, ""));
  }
  for (const auto& p : kParams) {
    if (p.member == &search::DirectoryQuery::letter) continue;
    const auto& values = result.facets[p.facet];
    const std::string& chosen = q.*(p.member);
    auto& group = d.add_section("FACET");
    group.set("TITLE", i18n::t(ctx.locale, std::string("orgs.facet.") + p.facet));
    group.set("ID", p.facet);
    for (const auto& v : values) {
      auto& item = group.add_section("VALUE");
      item.set("LABEL", p.label_prefix.empty() ? v.label : labels.get(p.label_prefix, v.key));
      item.set("COUNT", std::to_string(v.count));
      bool active = chosen == v.key;
      item.set("URL", links.with(p.name, active ? std::string_view() : v.key));
      if (active) item.show("VALUE_ACTIVE");
    }
    if (values.empty()) group.show("NONE");
  }
  const std::string letter_folded = search::fold(q.letter);
  for (const auto& v : result.facets["letter"]) {
    auto& item = d.add_section("LETTER");
    item.set("LETTER", v.label);
    item.set("URL", links.with("buchstabe", q.letter == v.label ? std::string_view() : v.label));
    if (!letter_folded.empty() && letter_folded == search::fold(v.label))
      item.show("LETTER_ACTIVE");
  }
  if (result.hits.empty()) {
    auto& empty = d.add_section("EMPTY");
    bool filtered = !q.text.empty();
    for (const auto& p : kParams) filtered = filtered || !(q.*(p.member)).empty();
    if (!filtered) {
      empty.show("NOTHING_YET");
    } else {
      auto& tips = empty.add_section("TIPS");
      tips.set("RESET", "/organisationen");
      // The quotation marks are the language's own („…“ or “…”).
      if (!q.text.empty())
        tips.set_and_show("EMPTY_QUERY",
                          i18n::format(ctx.locale, "orgs.empty_query", {{"q", q.text}}),
                          "HAD_QUERY");
    }
  }
  for (const auto& h : result.hits) {
    const search::DirectoryCard& org = *h.card;
    auto& card = d.add_section("ORG");
    card.set("SLUG", org.slug);
    card.set("NAME", org.name);
    card.set("CITY", org.city);
    card.set("REGION", org.region_name);
    card.set("SUMMARY", org.short_description);
    if (h.distance_km >= 0) {
      // "800 m", "2,4 km", "37 km": precise where it helps, plain where it does not.
      std::string text;
      if (h.distance_km < 1)
        text = std::to_string(static_cast<int>(h.distance_km * 10 + 0.5) * 100) + " m";
      else if (h.distance_km < 10) {
        int tenths = static_cast<int>(h.distance_km * 10 + 0.5);
        text = std::to_string(tenths / 10) + (ctx.locale == "de" ? "," : ".") +
               std::to_string(tenths % 10) + " km";
      } else
        text = std::to_string(static_cast<int>(h.distance_km + 0.5)) + " km";
      card.set_and_show("DISTANCE", text, "HAS_DISTANCE");
    }
    if (!org.logo_key.empty()) card.set_and_show("LOGO_KEY", org.logo_key, "HAS_LOGO");
    for (const auto& f : org.fields)
      card.add_section("FIELD").set("LABEL", labels.get("field.", f));
  }
  int64_t pages = (result.total + kPageSize - 1) / kPageSize;
  if (q.page > pages && pages > 0) return ctx.app.error_page(ctx, 404, "error.page_number");
  if (pages > 1) {
    auto& nav = d.add_section("PAGER");
    nav.set("PAGE_INFO",
            i18n::format(ctx.locale, "pager.info",
                         {{"page", std::to_string(q.page)}, {"pages", std::to_string(pages)}}));
    if (q.page > 1) nav.set_and_show("PREV", links.page(q.page - 1), "HAS_PREV");
    if (q.page < pages) nav.set_and_show("NEXT", links.page(q.page + 1), "HAS_NEXT");
  }
  return page_view.render(d);
}

}  // namespace verbund::web::orgs
