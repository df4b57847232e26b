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

}  // namespace verbund::web::orgs
