#include "core/i18n.hpp"

#include <algorithm>
#include <cstdlib>

#include "core/resources.hpp"

namespace verbund::i18n {
namespace {

std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> g_catalogs;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

const std::vector<std::string>& locales() {
  static const std::vector<std::string> all = {"de", "en"};
  return all;
}

Result<std::map<std::string, std::string>> parse_catalog(std::string_view text) {
  std::map<std::string, std::string> out;
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    auto nl = text.find('\n');
    auto line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string_view::npos)
      return make_error("catalog", "line " + std::to_string(line_no) + ": expected key = text");
    std::string key(trim(line.substr(0, eq)));
    std::string value(trim(line.substr(eq + 1)));
    if (!out.emplace(key, value).second)
      return make_error("catalog", "line " + std::to_string(line_no) + ": duplicate key " + key);
  }
  return out;
}

Status load() {
  g_catalogs.clear();
  for (const auto& loc : locales()) {
    auto text = resources::find("locale/" + loc + ".txt");
    if (!text) return make_error("catalog", "missing catalog locale/" + loc + ".txt");
    auto parsed = parse_catalog(*text);
    if (!parsed) return make_error("catalog", "locale/" + loc + ".txt: " + parsed.error().message);
    auto& cat = g_catalogs[loc];
    for (auto& [k, v] : *parsed) cat.emplace(k, v);
  }
  // Every key must exist in every locale: a missing translation is a build defect.
  for (const auto& [loc, cat] : g_catalogs)
    for (const auto& [other_loc, other] : g_catalogs)
      for (const auto& [k, _] : cat)
        if (!other.count(k))
          return make_error("catalog", "key '" + k + "' is in locale/" + loc +
                                           ".txt but not in locale/" + other_loc + ".txt");
  return Ok{};
}

const std::string& t(std::string_view locale, std::string_view key) {
  static thread_local std::string missing;
  auto c = g_catalogs.find(locale);
  if (c == g_catalogs.end()) c = g_catalogs.find(kDefaultLocale);
  if (c != g_catalogs.end()) {
    auto it = c->second.find(key);
    if (it != c->second.end()) return it->second;
  }
  missing = std::string(key);
  return missing;
}

bool has(std::string_view locale, std::string_view key) {
  auto c = g_catalogs.find(locale);
  return c != g_catalogs.end() && c->second.find(key) != c->second.end();
}

std::string format(std::string_view locale, std::string_view key,
                   std::initializer_list<std::pair<std::string_view, std::string>> values) {
  std::string out = t(locale, key);
  for (const auto& [name, value] : values) {
    std::string ph = "{" + std::string(name) + "}";
    for (auto pos = out.find(ph); pos != std::string::npos; pos = out.find(ph, pos + value.size()))
      out.replace(pos, ph.size(), value);
  }
  return out;
}

std::string negotiate(std::string_view header) {
  std::string best(kDefaultLocale);
  double best_q = -1;
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    double q = 1.0;
    auto semi = item.find(';');
    if (semi != std::string_view::npos) {
      auto param = trim(item.substr(semi + 1));
      if (param.starts_with("q=")) q = std::atof(std::string(param.substr(2)).c_str());
      item = trim(item.substr(0, semi));
    }
    std::string lang(item.substr(0, item.find('-')));
    std::transform(lang.begin(), lang.end(), lang.begin(), ::tolower);
    if (std::find(locales().begin(), locales().end(), lang) == locales().end()) continue;
    if (q > best_q) {
      best_q = q;
      best = lang;
    }
  }
  return best;
}

}  // namespace verbund::i18n
