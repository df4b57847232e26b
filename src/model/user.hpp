// Users, roles and the rules for their input (no I/O here).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace verbund::model {

enum class Role { platform_admin, regional_editor, online_scout, org_admin, org_member };

std::string_view role_key(Role r);  // "platform_admin", ...
std::optional<Role> parse_role(std::string_view key);
const std::vector<Role>& all_roles();

struct RoleGrant {
  Role role;
  std::optional<int64_t> region_id;        // regional_editor
  std::optional<int64_t> organisation_id;  // org_admin, org_member
  std::string scope_name;                  // region or organisation name, for display
};

struct User {
  int64_t id = 0;
  std::string email;
  std::string display_name;
  std::string locale = "de";
  bool email_confirmed = false;
  int64_t created_at = 0;
  std::vector<RoleGrant> roles;

  bool has_role(Role r) const;
  bool is_platform_admin() const { return has_role(Role::platform_admin); }
};

// A field error: the form field's name and the catalog key of the message.
struct FieldError {
  std::string field;
  std::string message_key;
  std::string text = {};  // the message already in the reader's language (with details)
};

// Normalises an e-mail address (trimmed, domain lower-cased); nullopt when invalid.
std::optional<std::string> normalize_email(std::string_view input);

// The catalog key of the reason `password` is refused, or nullopt when acceptable.
// Rules: at least 10 characters, at most 1024 bytes, not on the common list, not the
// e-mail address or its local part, and not easy to guess (core/password_strength.hpp)
// for someone who knows the address, the person's name and the site's (`context`).
std::optional<std::string> password_problem(std::string_view password, std::string_view email,
                                            const std::unordered_set<std::string>& common,
                                            const std::vector<std::string>& context = {});

// Whether two addresses are the same account's (ASCII case does not matter).
bool same_address(std::string_view a, std::string_view b);
// `text` on one line: control characters (line breaks, tabs) become single spaces.
std::string one_line(std::string_view text);
// The catalog key of the reason a display name is refused, or nullopt: it is needed, at
// most 100 characters, one line, and no web address (names appear in mails to others).
std::optional<std::string> display_name_problem(std::string_view name);

// Counts UTF-8 code points.
std::size_t utf8_length(std::string_view s);
bool valid_utf8(std::string_view s);

}  // namespace verbund::model
