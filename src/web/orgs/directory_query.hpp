// The directory's URL parameters (q, feld, zielgruppe, verband, land, ort, buchstabe,
// sortierung, seite) as a search query, shared by the list and the map.
#pragma once

#include "core/result.hpp"
#include "search/directory.hpp"
#include "web/app.hpp"

namespace verbund::web::orgs {

// Error codes are catalog keys for a 400 page ("orgs.query_too_long", "orgs.bad_sort",
// "error.page_number").
Result<search::DirectoryQuery> directory_query(const Context& ctx);

// Runs `q`. A place name that is also part of organisations' names ("Sonnenberg" in
// "Jugendhilfe Sonnenberg gGmbH") would find nothing near the small place of that name:
// when nothing is within the radius but the words as typed find organisations, the
// words win, `q` becomes that word search and `offered_place` names the place, which
// the page offers as a link (`als=ort` keeps a query a place search).
search::DirectoryResult run_directory_search(Context& ctx, search::DirectoryQuery& q,
                                             std::string* offered_place = nullptr);

}  // namespace verbund::web::orgs
