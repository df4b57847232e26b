// Parsing the organisation form and filling it back into a template dictionary.
#pragma once

#include <ctemplate/template.h>

#include "model/org_form.hpp"
#include "web/app.hpp"

namespace verbund::web::orgs {

model::OrgBasics parse_basics(const Context& ctx);

// Validates against the regions and taxonomies in the database; returns the region id
// (0 when invalid) and appends field errors.
int64_t check_basics(Context& ctx, model::OrgBasics& b, std::vector<model::FieldError>& errors);

// Fills every input of templates/orgs/form.html with `b` and the select/checkbox options.
void fill_form(Context& ctx, ctemplate::TemplateDictionary& d, const model::OrgBasics& b);

}  // namespace verbund::web::orgs
