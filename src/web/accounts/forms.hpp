// Parsing and validation of the account forms into values plus field errors.
#pragma once

#include <string>
#include <vector>

#include "model/user.hpp"
#include "web/app.hpp"
#include "web/view.hpp"

namespace verbund::web::accounts {

struct SignupForm {
  std::string display_name;
  std::string email;  // normalised when valid
  std::string password;
  std::string password_repeat;
  std::vector<model::FieldError> errors;
};
SignupForm parse_signup(const Context& ctx);

// Checks a new password and its repetition; appends errors for `field`. The person's
// `name` (may be empty) and the site's name count as guessed first.
void check_new_password(const Context& ctx, const std::string& password, const std::string& repeat,
                        const std::string& email, const std::string& name, const std::string& field,
                        std::vector<model::FieldError>& errors);

// Counts one more attempt at a limited action (scope like "signup-ip:ADDRESS") unless
// `max` attempts within `window_seconds` were made already; then returns the seconds
// until the next attempt is allowed (for Retry-After). 0: allowed and counted.
int64_t throttle(Context& ctx, const std::string& scope, int max, int64_t window_seconds);
// `s` with ASCII letters in lower case: e-mail addresses in throttle scopes and signatures.
std::string lower_ascii(std::string s);
// The client's part of such a scope: its address, IPv6 grouped by /64 (one subscriber
// can use any address of its /64; counting them one by one would not limit anyone).
std::string client_key(const Context& ctx);

// The page a one-time link from a mail opens: it says what its button does (texts
// `<keys>.title`, `<keys>.text`, `<keys>.submit`) and posts the token to `action`. Only
// the POST acts, so mail scanners that open every link change nothing.
http::Response link_action_page(Context& ctx, const std::string& keys, const std::string& action,
                                const std::string& token, const std::string& email = "");

// A redirect target from user input: a same-origin path as browsers parse it ("/...",
// printable ASCII without spaces or backslashes), never "//host"; else `fallback`.
std::string safe_next(const std::string& next, const std::string& fallback = "/");

}  // namespace verbund::web::accounts
