#include "web/orgs/directory_query.hpp"

#include <sstream>
#include <vector>

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
// "50825", "Köln", "Kita Köln", "Köln Kita", "Beratung 50825 Köln": a place (postcode or
// name, up to three words) at either end of the words is where to look; the other
// words are searched. The longest place wins ("Frankfurt am Main" before "Main").
void take_place(search::DirectoryQuery& q) {
  std::vector<std::string> words;
  std::istringstream in(q.text);
  for (std::string w; in >> w;) words.push_back(w);
  auto join = [&](std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to; ++i) out.append(out.empty() ? "" : " ").append(words[i]);
    return out;
  };
  const std::size_t n = words.size();
  for (std::size_t k = std::min<std::size_t>(n, 3); k >= 1; --k) {
    for (bool at_end : {true, false}) {
      std::size_t from = at_end ? n - k : 0;
      // A postcode followed by its place counts as one ("50825 Köln").
      std::size_t to = from + k;
      if (auto place = search::find_place(join(from, to))) {
        if (!at_end && to < n && search::find_place(join(from, to + 1))) ++to;
        q.near = place->point;
        q.near_label = place->label;
        q.text = join(0, from) + (from > 0 && to < n ? " " : "") + join(to, n);
        return;
      }
    }
  }
}

}  // namespace

Result<search::DirectoryQuery> directory_query(const Context& ctx) {
  search::DirectoryQuery q;
  q.text = ctx.query_value("q");
  if (q.text.size() > kMaxQueryBytes || !model::valid_utf8(q.text))
    return make_error("orgs.query_too_long", "query too long or not UTF-8");
  for (const auto& p : kDirectoryParams) q.*(p.member) = ctx.query_value(p.name).substr(0, 100);
  take_place(q);
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
