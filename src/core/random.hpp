// Cryptographically secure random tokens and hashing of tokens for storage (libsodium).
#pragma once

#include <string>
#include <string_view>

namespace verbund::random {

// Initialises libsodium; call once at start-up (idempotent).
void init();

// `bytes` random bytes as URL-safe base64 without padding.
std::string token(std::size_t bytes = 32);

// Lower-case hex of `bytes` random bytes.
std::string hex(std::size_t bytes);

// A 16-hex-digit id unique within this process and unlikely across processes (request
// ids): a random per-thread prefix and a counter, without a system call.
std::string request_id();

// SHA-256 of `s`, hex. Tokens are stored hashed so a leaked database reveals no live links.
std::string sha256_hex(std::string_view s);

// HMAC-SHA256 of `message` with `key`, URL-safe base64.
std::string hmac(std::string_view key, std::string_view message);

// Constant-time comparison.
bool equal(std::string_view a, std::string_view b);

}  // namespace verbund::random
