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
  search::take_place(q);
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

}  // namespace verbund::web::orgs
