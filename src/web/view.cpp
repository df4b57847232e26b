#include "web/view.hpp"

#include <ctemplate/template_cache.h>

#include <map>
#include <stdexcept>

#include "core/i18n.hpp"
#include "core/resources.hpp"
#include "web/static_files.hpp"

namespace verbund::web {

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

constexpr std::string_view kPragma = "{{%AUTOESCAPE context=\"HTML\"}}";

Result<std::string> translate(std::string_view text, const std::string& locale,
                              const std::string& name, bool escape) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (true) {
    auto open = text.find("[[", pos);
    if (open == std::string_view::npos) break;
    auto close = text.find("]]", open);
    if (close == std::string_view::npos) return make_error("template", name + ": unclosed [[");
    out.append(text.substr(pos, open - pos));
    std::string key(text.substr(open + 2, close - open - 2));
    if (!i18n::has(locale, key))
      return make_error("template", name + ": unknown message key [[" + key + "]]");
    const std::string& msg = i18n::t(locale, key);
    out += escape ? html_escape(msg) : msg;
    pos = close + 2;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace

Status load_templates() {
  for (const auto& r : resources::under("templates/")) {
    std::string name(r.path.substr(std::string_view("templates/").size()));
    bool html = name.ends_with(".html");
    // Without the pragma ctemplate does not escape at all (ARCHITECTURE.md).
    if (html && !r.data.starts_with(kPragma))
      return make_error("template", name + ": must start with " + std::string(kPragma));
    // Plain-text mail templates (.txt) are not escaped: their values are text too.
    for (const auto& loc : i18n::locales()) {
      auto text = translate(r.data, loc, name, html);
      if (!text) return text.error();
      std::string key = loc + "/" + name;
      ctemplate::mutable_default_template_cache()->Delete(key);  // reloading replaces
      if (!ctemplate::StringToTemplateCache(
              key, *text, html ? ctemplate::STRIP_BLANK_LINES : ctemplate::DO_NOT_STRIP))
        return make_error("template", name + ": ctemplate refused it (syntax error)");
    }
  }
  return Ok{};
}

std::string expand(std::string_view locale, std::string_view name,
                   const ctemplate::TemplateDictionaryInterface& dict) {
  std::string key = std::string(locale) + "/" + std::string(name);
  std::string out;
  bool html = name.ends_with(".html");
  if (!ctemplate::ExpandTemplate(key, html ? ctemplate::STRIP_BLANK_LINES : ctemplate::DO_NOT_STRIP,
                                 &dict, &out))
    throw std::runtime_error("template expansion failed: " + key);
  return out;
}

void add_field_errors(ctemplate::TemplateDictionary& dict, std::string_view locale,
                      const std::vector<model::FieldError>& errors) {
  if (errors.empty()) return;
  // One summary for every form: templates/partials/error_summary.html.
  auto* summary = dict.AddIncludeDictionary("ERROR_SUMMARY");
  summary->SetFilename(std::string(locale) + "/partials/error_summary.html");
  for (const auto& e : errors) {
    const std::string msg = e.text.empty() ? i18n::t(locale, e.message_key) : e.text;
    auto* item = summary->AddSectionDictionary("ERROR");
    item->SetValue("FIELD", e.field);
    item->SetValue("MSG", msg);
    auto* at_field = dict.AddSectionDictionary("ERR_" + e.field);
    at_field->SetValue("MSG", msg);
    dict.SetValue("INVALID_" + e.field, "true");
  }
}

std::string static_url(std::string_view path) { return static_files::url_for(path); }

}  // namespace verbund::web
