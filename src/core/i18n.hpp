// Message catalogs: German is the source language, English the second. Catalogs are
// locale/<lang>.txt (embedded), one "key = text" per line. Templates use [[key]] for
// fixed texts (resolved once per locale when templates load); code uses t() and
// format() for texts with values ("{count} Treffer").
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace verbund::i18n {

inline constexpr std::string_view kDefaultLocale = "de";
const std::vector<std::string>& locales();  // {"de", "en"}

// Loads the embedded catalogs; fails when a key is missing in one locale.
Status load();

// The text for `key` in `locale` (falls back to German, then to the key itself).
const std::string& t(std::string_view locale, std::string_view key);

bool has(std::string_view locale, std::string_view key);

// t() with {name} placeholders replaced by values.
std::string format(std::string_view locale, std::string_view key,
                   std::initializer_list<std::pair<std::string_view, std::string>> values);

// Parses a catalog file's text (exposed for tests).
Result<std::map<std::string, std::string>> parse_catalog(std::string_view text);

// Picks a supported locale from an Accept-Language header (q-values honoured).
std::string negotiate(std::string_view accept_language);

}  // namespace verbund::i18n
