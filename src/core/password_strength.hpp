// How easy a password is to guess: zxcvbn's estimate (Debian's libzxcvbn, English
// words, names, keyboard rows, dates) with German words (Debian's wngerman) and the words
// an attacker would try first for this person (the site's name, their name and address).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace verbund::password {

// Below this many bits (about 10^12 guesses: two German words and a number are fewer)
// a password is refused.
inline constexpr double kMinStrengthBits = 40;

// Loads the German word list once (lower-cased, words of 4 letters or more; about
// 0.1 s); logs a warning and estimates without it when the file is absent. Returns the
// number of words. strength() calls it; `serve` calls it at start.
std::size_t load_german_words(const std::string& path = "/usr/share/dict/ngerman");
std::size_t german_word_count();

struct Strength {
  double bits = 0;
  // The catalog key of what makes it weak when bits < kMinStrengthBits: "password.weak_
  // personal", "_words", "_keyboard", "_dates", "_repeats" or "password.weak".
  std::optional<std::string> problem;
};

// The estimate for `password`; `context` are words that must count as guessed first.
// Only the first 100 bytes are looked at (a long password is strong when they are).
Strength strength(std::string_view password, const std::vector<std::string>& context);

}  // namespace verbund::password
