#include "web/orgs/directory_query.hpp"

#include "model/user.hpp"
#include "search/places.hpp"

namespace verbund::web::orgs {

namespace {
constexpr std::size_t kMaxQueryBytes = 200;

// URL parameter names (German, as visitors see them) and the query field they set.
struct DirectoryParam {
  const char* name;
  std::string search::DirectoryQuery::*member;
};
const DirectoryParam kDirectoryParams[] = {
    {"feld", &search::DirectoryQuery::field},
    {"zielgruppe", &search::DirectoryQuery::target_group},
    {"verband", &search::DirectoryQuery::region},
    {"land", &search::DirectoryQuery::state},
    {"ort", &search::DirectoryQuery::city},
    {"buchstabe", &search::DirectoryQuery::letter},
};
}  // namespace

Result<search::DirectoryQuery> directory_query(const Context& ctx) {
  search::DirectoryQuery q;
  q.text = ctx.query_value("q");
  if (q.text.size() > kMaxQueryBytes || !model::valid_utf8(q.text))
    return make_error("orgs.query_too_long", "query too long or not UTF-8");
  for (const auto& p : kDirectoryParams) q.*(p.member) = ctx.query_value(p.name).substr(0, 100);
  const std::string typed = q.text;
  search::take_place(q);
  // A name typed alone may be a place or part of organisations' names; see
  // run_directory_search. "als=ort" says the visitor meant the place.
  if (q.near && q.text.empty() && ctx.query_value("als") != "ort" &&
      typed.find_first_of("0123456789") == std::string::npos)
    q.place_words = typed;
  auto radius = ctx.query_value("umkreis");
  if (!radius.empty()) {
    if (radius != "5" && radius != "10" && radius != "25" && radius != "50")
      return make_error("orgs.bad_radius", "radius is 5, 10, 25 or 50 km");
    q.radius_km = std::stod(radius);
  }
  auto sort = ctx.query_value("sortierung");
  q.sort = sort.empty() ? (q.text.empty() ? "name" : "relevanz") : sort;
  if (q.sort != "relevanz" && q.sort != "name" && q.sort != "neu")
    return make_error("orgs.bad_sort", "unknown sort order");
  auto page = ctx.query_value("seite");
  if (!page.empty()) {
    if (page.size() > 6 || page.find_first_not_of("0123456789") != std::string::npos ||
        std::stoll(page) < 1)
      return make_error("error.page_number", "bad page number");
    q.page = std::stoll(page);
  }
  return q;
}

search::DirectoryResult run_directory_search(Context& ctx, search::DirectoryQuery& q,
                                             std::string* offered_place) {
  auto result = ctx.app.directory().search(q);
  if (!result.beyond_radius || q.place_words.empty()) return result;
  search::DirectoryQuery words = q;
  words.text = q.place_words;
  words.near.reset();
  words.near_label.clear();
  if (ctx.query_value("sortierung").empty()) words.sort = "relevanz";
  auto by_words = ctx.app.directory().search(words);
  if (by_words.total == 0) return result;
  if (offered_place) *offered_place = q.near_label;
  q = std::move(words);
  return by_words;
}

}  // namespace verbund::web::orgs
