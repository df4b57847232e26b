// The member directory at /organisationen: search in German, facets with counts, A–Z,
// sorting and pages. Every state of the page is a plain GET URL that can be shared.
#include <array>
#include <deque>
#include <string_view>

#include "core/i18n.hpp"
#include "search/analyzer.hpp"
#include "web/app.hpp"
#include "web/orgs/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::orgs {

namespace {

constexpr int64_t kPageSize = 50;
constexpr std::size_t kMaxQueryBytes = 200;

// Template names hashed once at start-up: with a plain string, every SetValue and
// AddSectionDictionary hashes the name and looks it up in ctemplate's global id table
// under a lock, which was a third of this page's dictionary building.
const ctemplate::StaticTemplateString kActive = STS_INIT(kActive, "ACTIVE_FILTER");
const ctemplate::StaticTemplateString kCount = STS_INIT(kCount, "COUNT");
const ctemplate::StaticTemplateString kEmpty = STS_INIT(kEmpty, "EMPTY");
const ctemplate::StaticTemplateString kFacet = STS_INIT(kFacet, "FACET");
const ctemplate::StaticTemplateString kField = STS_INIT(kField, "FIELD");
const ctemplate::StaticTemplateString kId = STS_INIT(kId, "ID");
const ctemplate::StaticTemplateString kKeep = STS_INIT(kKeep, "KEEP");
const ctemplate::StaticTemplateString kLabel = STS_INIT(kLabel, "LABEL");
const ctemplate::StaticTemplateString kLetter = STS_INIT(kLetter, "LETTER");
const ctemplate::StaticTemplateString kLetterActive = STS_INIT(kLetterActive, "LETTER_ACTIVE");
const ctemplate::StaticTemplateString kName = STS_INIT(kName, "NAME");
const ctemplate::StaticTemplateString kNone = STS_INIT(kNone, "NONE");
const ctemplate::StaticTemplateString kQ = STS_INIT(kQ, "Q");
const ctemplate::StaticTemplateString kOrg = STS_INIT(kOrg, "ORG");
const ctemplate::StaticTemplateString kCity = STS_INIT(kCity, "CITY");
const ctemplate::StaticTemplateString kRegion = STS_INIT(kRegion, "REGION");
const ctemplate::StaticTemplateString kRemove = STS_INIT(kRemove, "REMOVE");
const ctemplate::StaticTemplateString kSelected = STS_INIT(kSelected, "SELECTED");
const ctemplate::StaticTemplateString kMeta = STS_INIT(kMeta, "META");
const ctemplate::StaticTemplateString kSlug = STS_INIT(kSlug, "SLUG");
const ctemplate::StaticTemplateString kSort = STS_INIT(kSort, "SORT");
const ctemplate::StaticTemplateString kSummary = STS_INIT(kSummary, "SUMMARY");
const ctemplate::StaticTemplateString kTitle = STS_INIT(kTitle, "TITLE");
const ctemplate::StaticTemplateString kUrl = STS_INIT(kUrl, "URL");
const ctemplate::StaticTemplateString kValue = STS_INIT(kValue, "VALUE");
const ctemplate::StaticTemplateString kValueActive = STS_INIT(kValueActive, "VALUE_ACTIVE");

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
      if (!v.empty()) params[i].append(kKeys[i]).append("=").append(http::url_encode(v));
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
  // number resets whenever anything else changes.
  std::string with(std::string_view name, std::string_view value) const {
    std::size_t i = 0;
    while (i + 1 < kKeys.size() && kKeys[i] != name) ++i;
    std::string url;
    url.reserve(kPath.size() + before_[i].size() + after_[i].size() + name.size() +
                3 * value.size() + 4);
    url = kPath;
    char sep = '?';
    auto add = [&](std::string_view part) {
      if (part.empty()) return;
      url += sep;
      sep = '&';
      url += part;
    };
    add(before_[i]);
    if (!value.empty()) {
      add(name);
      url += '=';
      url += http::url_encode(value);
    }
    add(after_[i]);
    return url;
  }

  // The current query on page `n`.
  std::string page(int64_t n) const {
    std::string url(kPath);
    if (!all_.empty()) url.append("?").append(all_);
    if (n != 1) url.append(all_.empty() ? "?seite=" : "&seite=").append(std::to_string(n));
    return url;
  }

 private:
  static constexpr std::array<std::string_view, 8> kKeys = {
      "q", "feld", "zielgruppe", "verband", "land", "ort", "buchstabe", "sortierung"};
  static constexpr std::string_view kPath = "/organisationen";
  std::array<std::string, kKeys.size()> before_, after_;
  std::string all_;
};

// Catalog texts of taxonomy keys (prefix "field." or "target."), looked up once per key
// and request.
class Labels {
 public:
  explicit Labels(const std::string& locale) : locale_(locale) {}
  const std::string& get(std::string_view prefix, std::string_view key) {
    for (const auto& e : seen_)
      if (e.key == key && e.prefix == prefix) return e.text;
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
  const Links links(ctx);
  Labels labels(ctx.locale);
  d.SetValue(kQ, q.text);
  d.SetValue(kCount, i18n::format(ctx.locale, result.total == 1 ? "orgs.count_one" : "orgs.count",
                                  {{"n", std::to_string(result.total)}}));
  static const std::pair<const char*, const char*> kSorts[] = {
      {"relevanz", "orgs.sort.relevanz"}, {"name", "orgs.sort.name"}, {"neu", "orgs.sort.neu"}};
  for (const auto& [value, label] : kSorts) {
    auto* opt = d.AddSectionDictionary(kSort);
    opt->SetValue(kValue, value);
    opt->SetValue(kLabel, i18n::t(ctx.locale, label));
    if (q.sort == value) opt->SetValue(kSelected, "selected");
  }
  const auto& region_facet = result.facets["region"];
  // Hidden inputs keep the active filters when the visitor searches again.
  for (const auto& p : kParams) {
    const std::string& v = q.*(p.member);
    if (v.empty()) continue;
    auto* h = d.AddSectionDictionary(kKeep);
    h->SetValue(kName, p.name);
    h->SetValue(kValue, v);
    auto* active = d.AddSectionDictionary(kActive);
    const std::string* label = &v;
    if (!p.label_prefix.empty()) label = &labels.get(p.label_prefix, v);
    if (p.member == &search::DirectoryQuery::region)
      for (const auto& f : region_facet)
        if (f.key == v) label = &f.label;
    active->SetValue(kLabel, *label);
    active->SetValue(kRemove, links.with(p.name, ""));
  }
  for (const auto& p : kParams) {
    if (p.member == &search::DirectoryQuery::letter) continue;
    const auto& values = result.facets[p.facet];
    const std::string& chosen = q.*(p.member);
    auto* group = d.AddSectionDictionary(kFacet);
    group->SetValue(kTitle, i18n::t(ctx.locale, std::string("orgs.facet.") + p.facet));
    group->SetValue(kId, p.facet);
    for (const auto& v : values) {
      auto* item = group->AddSectionDictionary(kValue);
      item->SetValue(kLabel, p.label_prefix.empty() ? v.label : labels.get(p.label_prefix, v.key));
      item->SetValue(kCount, std::to_string(v.count));
      bool active = chosen == v.key;
      item->SetValue(kUrl, links.with(p.name, active ? std::string_view() : v.key));
      if (active) item->ShowSection(kValueActive);
    }
    if (values.empty()) group->ShowSection(kNone);
  }
  const std::string letter_folded = search::fold(q.letter);
  for (const auto& v : result.facets["letter"]) {
    auto* item = d.AddSectionDictionary(kLetter);
    item->SetValue(kLetter, v.label);
    item->SetValue(kUrl,
                   links.with("buchstabe", q.letter == v.label ? std::string_view() : v.label));
    if (!letter_folded.empty() && letter_folded == search::fold(v.label))
      item->ShowSection(kLetterActive);
  }
  if (result.hits.empty()) {
    auto* empty = d.AddSectionDictionary(kEmpty);
    bool filtered = !q.text.empty();
    for (const auto& p : kParams) filtered = filtered || !(q.*(p.member)).empty();
    if (!filtered) {
      empty->ShowSection("NOTHING_YET");
    } else {
      auto* tips = empty->AddSectionDictionary("TIPS");
      tips->SetValue("RESET", "/organisationen");
      if (!q.text.empty()) tips->SetValueAndShowSection(kQ, q.text, "HAD_QUERY");
    }
  }
  std::string meta;
  for (const auto& h : result.hits) {
    // Four values: ctemplate keeps up to four in a flat array and builds a std::map for more.
    auto* card = d.AddSectionDictionary(kOrg);
    card->SetValue(kSlug, h.slug);
    card->SetValue(kName, h.name);
    meta.assign(h.city).append(" · ").append(h.region_name);
    card->SetValue(kMeta, meta);
    card->SetValue(kSummary, h.short_description);
    for (const auto& f : h.fields)
      card->AddSectionDictionary(kField)->SetValue(kLabel, labels.get("field.", f));
  }
  int64_t pages = (result.total + kPageSize - 1) / kPageSize;
  if (q.page > pages && pages > 0) return ctx.app.error_page(ctx, 404, "error.page_number");
  if (pages > 1) {
    auto* nav = d.AddSectionDictionary("PAGER");
    nav->SetValue("PAGE_INFO", i18n::format(ctx.locale, "pager.info",
                                            {{"page", std::to_string(q.page)},
                                             {"pages", std::to_string(pages)}}));
    if (q.page > 1) nav->SetValueAndShowSection("PREV", links.page(q.page - 1), "HAS_PREV");
    if (q.page < pages) nav->SetValueAndShowSection("NEXT", links.page(q.page + 1), "HAS_NEXT");
  }
  return page_view.render();
}

}  // namespace verbund::web::orgs
