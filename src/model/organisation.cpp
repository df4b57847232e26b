#include "model/organisation.hpp"

#include <cctype>

namespace verbund::model {

std::string slugify(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kTranslit[] = {
      {"ä", "ae"}, {"ö", "oe"}, {"ü", "ue"}, {"Ä", "ae"}, {"Ö", "oe"}, {"Ü", "ue"},
      {"ß", "ss"}, {"é", "e"},  {"è", "e"},  {"á", "a"},  {"à", "a"},  {"ç", "c"}};
  std::string out;
  bool dash = false;
  for (std::size_t i = 0; i < name.size();) {
    bool matched = false;
    for (const auto& [from, to] : kTranslit) {
      if (name.substr(i, from.size()) == from) {
        if (dash && !out.empty()) out += '-';
        dash = false;
        out += to;
        i += from.size();
        matched = true;
        break;
      }
    }
    if (matched) continue;
    unsigned char c = name[i++];
    if (std::isalnum(c)) {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += static_cast<char>(std::tolower(c));
    } else {
      dash = true;
      while (i < name.size() && (static_cast<unsigned char>(name[i]) & 0xC0) == 0x80) ++i;
    }
  }
  if (out.size() > 80) {
    out.resize(80);
    while (!out.empty() && out.back() == '-') out.pop_back();
  }
  if (out.empty()) out = "organisation";
  return out;
}

}  // namespace verbund::model
