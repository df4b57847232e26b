// Password hashing (argon2id through libsodium) and the list of common passwords that
// the policy refuses (Debian's john-data password list).
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

namespace verbund::password {

// "interactive" (default, 64 MiB), "moderate" (256 MiB) or "min" (tests only).
std::string hash(std::string_view password, std::string_view strength = "interactive");
bool verify(std::string_view stored_hash, std::string_view password);

// Lower-cased entries of the common-password list; empty when the file is absent.
const std::unordered_set<std::string>& common_passwords();
void load_common_passwords(const std::string& path = "/usr/share/john/password.lst");

}  // namespace verbund::password
