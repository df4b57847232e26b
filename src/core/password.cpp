#include "core/password.hpp"

#include <sodium.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "core/log.hpp"

namespace verbund::password {
namespace {
std::unordered_set<std::string> g_common;
}

std::string hash(std::string_view password, std::string_view strength) {
  unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  if (strength == "moderate") {
    ops = crypto_pwhash_OPSLIMIT_MODERATE;
    mem = crypto_pwhash_MEMLIMIT_MODERATE;
  } else if (strength == "min") {
    ops = crypto_pwhash_OPSLIMIT_MIN;
    mem = crypto_pwhash_MEMLIMIT_MIN;
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("argon2id: out of memory");
  return out;
}

bool verify(std::string_view stored_hash, std::string_view password) {
  std::string h(stored_hash);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

const std::unordered_set<std::string>& common_passwords() { return g_common; }

void load_common_passwords(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    log::warn("common_password_list_missing", {{"path", path}});
    return;
  }
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("#!comment")) continue;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::transform(line.begin(), line.end(), line.begin(), ::tolower);
    if (!line.empty()) g_common.insert(line);
  }
}

}  // namespace verbund::password
