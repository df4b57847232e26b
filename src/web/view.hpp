// Rendering: ctemplate templates (embedded, every file starting with the HTML
// autoescape pragma), pre-translated per locale at load time: [[key]] in a template is
// replaced by the HTML-escaped catalog text, so a request pays nothing for fixed texts.
#pragma once

#include <ctemplate/template.h>

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "model/user.hpp"

namespace verbund::web {

// Loads and translates every embedded template; fails on a template without the
// autoescape pragma, an unknown [[key]], or a ctemplate syntax error.
Status load_templates();

// Expands templates/<name> for `locale` with `dict`.
std::string expand(std::string_view locale, std::string_view name,
                   const ctemplate::TemplateDictionaryInterface& dict);

// The content-hashed URL of a static file, e.g. "/static/css/site.3f2a91c0.css".
std::string static_url(std::string_view path);

// Field errors shown at the field and in a summary at the top of the form, which
// receives focus after a failed submit.
void add_field_errors(ctemplate::TemplateDictionary& dict, std::string_view locale,
                      const std::vector<model::FieldError>& errors);

std::string html_escape(std::string_view s);

}  // namespace verbund::web
