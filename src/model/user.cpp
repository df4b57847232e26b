#include "model/user.hpp"

#include <algorithm>
#include <cctype>

#include "core/password_strength.hpp"

namespace verbund::model {

std::string_view role_key(Role r) {
  switch (r) {
    case Role::platform_admin:
      return "platform_admin";
    case Role::regional_editor:
      return "regional_editor";
    case Role::online_scout:
      return "online_scout";
    case Role::org_admin:
      return "org_admin";
    case Role::org_member:
      return "org_member";
  }
  return "";
}

const std::vector<Role>& all_roles() {
  static const std::vector<Role> roles = {Role::platform_admin, Role::regional_editor,
                                          Role::online_scout, Role::org_admin, Role::org_member};
  return roles;
}

std::optional<Role> parse_role(std::string_view key) {
  for (auto r : all_roles())
    if (role_key(r) == key) return r;
  return std::nullopt;
}

bool User::has_role(Role r) const {
  return std::any_of(roles.begin(), roles.end(), [r](const RoleGrant& g) { return g.role == r; });
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    int n = c < 0x80             ? 0
            : (c & 0xE0) == 0xC0 ? 1
            : (c & 0xF0) == 0xE0 ? 2
            : (c & 0xF8) == 0xF0 ? 3
                                 : -1;
    if (n < 0 || (c & 0xFE) == 0xC0 || i + n >= s.size()) return false;
    for (int k = 1; k <= n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n + 1;
  }
  return true;
}

std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) >> 6) != 2; }));
}

std::optional<std::string> normalize_email(std::string_view in) {
  while (!in.empty() && std::isspace(static_cast<unsigned char>(in.front()))) in.remove_prefix(1);
  while (!in.empty() && std::isspace(static_cast<unsigned char>(in.back()))) in.remove_suffix(1);
  if (in.size() < 3 || in.size() > 254) return std::nullopt;
  auto at = in.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= in.size()) return std::nullopt;
  auto local = in.substr(0, at);
  auto domain = in.substr(at + 1);
  if (local.size() > 64 || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.' || domain.find("..") != std::string_view::npos)
    return std::nullopt;
  for (unsigned char c : in)
    if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == '\\' ||
        c == 0x7f)
      return std::nullopt;
  if (local.find('@') != std::string_view::npos) return std::nullopt;
  std::string out(local);
  out += '@';
  for (unsigned char c : domain) out += static_cast<char>(std::tolower(c));
  if (!valid_utf8(out)) return std::nullopt;
  return out;
}

std::optional<std::string> password_problem(std::string_view password, std::string_view email,
                                            const std::unordered_set<std::string>& common,
                                            const std::vector<std::string>& context) {
  if (password.size() > 1024) return "password.too_long";
  if (!valid_utf8(password)) return "password.invalid";
  if (utf8_length(password) < 10) return "password.too_short";
  std::string lower(password);
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  if (common.count(lower)) return "password.common";
  // A listed word with digits or symbols around it ("password123", "!sommer2024") is
  // guessed just as fast: strip them and look again.
  std::size_t b = 0, e = lower.size();
  while (b < e && !std::isalpha(static_cast<unsigned char>(lower[b]))) ++b;
  while (e > b && !std::isalpha(static_cast<unsigned char>(lower[e - 1]))) --e;
  if (e - b >= 4 && (b > 0 || e < lower.size()) && common.count(lower.substr(b, e - b)))
    return "password.common";
  std::string mail(email);
  std::transform(mail.begin(), mail.end(), mail.begin(), ::tolower);
  auto local = mail.substr(0, mail.find('@'));
  if (!mail.empty() &&
      (lower == mail || (local.size() >= 4 && lower.find(local) != std::string::npos)))
    return "password.like_email";
  // One character repeated ("aaaaaaaaaa") or a plain run ("1234567890") is as weak as a
  // listed one.
  if (std::all_of(lower.begin(), lower.end(), [&](char c) { return c == lower[0]; }))
    return "password.common";
  bool run = true;
  for (std::size_t i = 1; i < lower.size(); ++i)
    if (lower[i] != lower[i - 1] + 1 && !(lower[i - 1] == '9' && lower[i] == '0')) run = false;
  if (run) return "password.common";
  // The parts of the address and of the names are guessed first: "erika", "mueller".
  std::vector<std::string> words;
  auto add_parts = [&](std::string_view text) {
    std::string part;
    for (char c : std::string(text) + " ") {
      if (std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80) {
        part += c;
      } else {
        if (part.size() >= 3) words.push_back(part);
        part.clear();
      }
    }
  };
  add_parts(local);
  add_parts(mail.substr(mail.find('@') + 1));
  for (const auto& c : context) {
    words.push_back(c);
    add_parts(c);
  }
  return password::strength(password, words).problem;
}

bool same_address(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool control = static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    if (control || c == ' ') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::optional<std::string> display_name_problem(std::string_view name) {
  if (name.empty()) return "signup.name_missing";
  if (!valid_utf8(name) || utf8_length(name) > 100) return "signup.name_too_long";
  if (std::any_of(name.begin(), name.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    return "signup.name_one_line";
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  for (const char* link : {"://", "www.", "http:", "https:"})
    if (lower.find(link) != std::string::npos) return "signup.name_no_links";
  return std::nullopt;
}

}  // namespace verbund::model
