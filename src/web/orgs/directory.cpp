// The member directory at /organisationen: search in German, facets with counts, A–Z,
// sorting and pages. Every state of the page is a plain GET URL that can be shared.
#include <map>

#include "core/i18n.hpp"
#include "search/analyzer.hpp"
#include "web/app.hpp"
#include "web/orgs/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::orgs {

namespace {

constexpr int64_t kPageSize = 50;
constexpr std::size_t kMaxQueryBytes = 200;

// URL parameter names (German, as visitors see them) and the query field they set.
struct ParamSpec {
  const char* name;
  std::string search::DirectoryQuery::*member;
  const char* facet;
};
const ParamSpec kParams[] = {
    {"feld", &search::DirectoryQuery::field, "field"},
    {"zielgruppe", &search::DirectoryQuery::target_group, "target_group"},
    {"verband", &search::DirectoryQuery::region, "region"},
    {"land", &search::DirectoryQuery::state, "state"},
    {"ort", &search::DirectoryQuery::city, "city"},
    {"buchstabe", &search::DirectoryQuery::letter, "letter"},
};

// The current query as URL parameters, with `name` set to `value` ("" removes it); the
// page number resets whenever anything else changes.
std::string link_with(const Context& ctx, const std::string& name, const std::string& value) {
  std::vector<std::pair<std::string, std::string>> kv;
  for (const char* key :
       {"q", "feld", "zielgruppe", "verband", "land", "ort", "buchstabe", "sortierung"}) {
    std::string v = key == name ? value : ctx.query_value(key);
    if (!v.empty()) kv.emplace_back(key, v);
  }
  if (name == "seite" && !value.empty() && value != "1") kv.emplace_back("seite", value);
  std::string url = "/organisationen";
  for (std::size_t i = 0; i < kv.size(); ++i)
    url += (i ? "&" : "?") + kv[i].first + "=" + http::url_encode(kv[i].second);
  return url;
}

std::string facet_label(const std::string& locale, const std::string& facet,
                        const search::FacetValue& v) {
  if (facet == "field") return i18n::t(locale, "field." + v.key);
  if (facet == "target_group") return i18n::t(locale, "target." + v.key);
  return v.label;
}

}  // namespace

http::Response directory(Context& ctx) {
  search::DirectoryQuery q;
  q.text = ctx.query_value("q");
  if (q.text.size() > kMaxQueryBytes || !model::valid_utf8(q.text))
    return ctx.app.error_page(ctx, 400, "orgs.query_too_long");
  for (const auto& p : kParams) q.*(p.member) = ctx.query_value(p.name).substr(0, 100);
  auto sort = ctx.query_value("sortierung");
  q.sort = sort.empty() ? (q.text.empty() ? "name" : "relevanz") : sort;
  if (q.sort != "relevanz" && q.sort != "name" && q.sort != "neu")
    return ctx.app.error_page(ctx, 400, "orgs.bad_sort");
  auto page = ctx.query_value("seite");
  if (!page.empty()) {
    if (page.size() > 6 || page.find_first_not_of("0123456789") != std::string::npos ||
        std::stoll(page) < 1)
      return ctx.app.error_page(ctx, 400, "error.page_number");
    q.page = std::stoll(page);
  }
  q.page_size = kPageSize;

  auto result = ctx.app.directory().search(q);

  Page page_view(ctx, "orgs/directory.html", i18n::t(ctx.locale, "orgs.title"));
  auto& d = page_view.dict();
  add_map_panel(ctx, d);
  d.SetValue("Q", q.text);
  d.SetValue("COUNT", i18n::format(ctx.locale, result.total == 1 ? "orgs.count_one" : "orgs.count",
                                   {{"n", std::to_string(result.total)}}));
  for (const char* s : {"relevanz", "name", "neu"}) {
    auto* opt = d.AddSectionDictionary("SORT");
    opt->SetValue("VALUE", s);
    opt->SetValue("LABEL", i18n::t(ctx.locale, std::string("orgs.sort.") + s));
    if (q.sort == s) opt->SetValue("SELECTED", "selected");
  }
  // Hidden inputs keep the active filters when the visitor searches again.
  for (const auto& p : kParams) {
    const std::string& v = q.*(p.member);
    if (v.empty()) continue;
    auto* h = d.AddSectionDictionary("KEEP");
    h->SetValue("NAME", p.name);
    h->SetValue("VALUE", v);
    auto* active = d.AddSectionDictionary("ACTIVE_FILTER");
    std::string label = v;
    if (std::string(p.facet) == "field") label = i18n::t(ctx.locale, "field." + v);
    if (std::string(p.facet) == "target_group") label = i18n::t(ctx.locale, "target." + v);
    if (std::string(p.facet) == "region")
      for (const auto& f : result.facets["region"])
        if (f.key == v) label = f.label;
    active->SetValue("LABEL", label);
    active->SetValue("REMOVE", link_with(ctx, p.name, ""));
  }
  for (const auto& p : kParams) {
    if (std::string(p.facet) == "letter") continue;
    auto* group = d.AddSectionDictionary("FACET");
    group->SetValue("TITLE", i18n::t(ctx.locale, std::string("orgs.facet.") + p.facet));
    group->SetValue("ID", p.facet);
    for (const auto& v : result.facets[p.facet]) {
      auto* item = group->AddSectionDictionary("VALUE");
      item->SetValue("LABEL", facet_label(ctx.locale, p.facet, v));
      item->SetValue("COUNT", std::to_string(v.count));
      bool active = q.*(p.member) == v.key;
      item->SetValue("URL", link_with(ctx, p.name, active ? "" : v.key));
      if (active) item->ShowSection("VALUE_ACTIVE");
    }
    if (result.facets[p.facet].empty()) group->ShowSection("NONE");
  }
  for (const auto& v : result.facets["letter"]) {
    auto* item = d.AddSectionDictionary("LETTER");
    item->SetValue("LETTER", v.label);
    item->SetValue("URL", link_with(ctx, "buchstabe", q.letter == v.label ? "" : v.label));
    if (search::fold(q.letter) == search::fold(v.label)) item->ShowSection("LETTER_ACTIVE");
  }
  if (result.hits.empty()) {
    auto* empty = d.AddSectionDictionary("EMPTY");
    bool filtered = !q.text.empty();
    for (const auto& p : kParams) filtered = filtered || !(q.*(p.member)).empty();
    if (!filtered) {
      empty->ShowSection("NOTHING_YET");
    } else {
      auto* tips = empty->AddSectionDictionary("TIPS");
      tips->SetValue("RESET", "/organisationen");
      if (!q.text.empty()) tips->SetValueAndShowSection("Q", q.text, "HAD_QUERY");
    }
  }
  for (const auto& h : result.hits) {
    auto* card = d.AddSectionDictionary("ORG");
    card->SetValue("URL", "/organisationen/" + h.slug);
    card->SetValue("NAME", h.name);
    card->SetValue("CITY", h.city);
    card->SetValue("REGION", h.region_name);
    card->SetValue("SUMMARY", h.short_description);
    for (const auto& f : h.fields)
      card->AddSectionDictionary("FIELD")->SetValue("LABEL", i18n::t(ctx.locale, "field." + f));
  }
  int64_t pages = (result.total + kPageSize - 1) / kPageSize;
  if (q.page > pages && pages > 0) return ctx.app.error_page(ctx, 404, "error.page_number");
  if (pages > 1) {
    auto* nav = d.AddSectionDictionary("PAGER");
    nav->SetValue("PAGE_INFO", i18n::format(ctx.locale, "pager.info",
                                            {{"page", std::to_string(q.page)},
                                             {"pages", std::to_string(pages)}}));
    if (q.page > 1)
      nav->SetValueAndShowSection("PREV", link_with(ctx, "seite", std::to_string(q.page - 1)),
                                  "HAS_PREV");
    if (q.page < pages)
      nav->SetValueAndShowSection("NEXT", link_with(ctx, "seite", std::to_string(q.page + 1)),
                                  "HAS_NEXT");
  }
  return page_view.render();
}

}  // namespace verbund::web::orgs
