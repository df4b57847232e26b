#include "core/password_strength.hpp"

#include <zxcvbn.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>

#include "core/log.hpp"

namespace verbund::password {

namespace {

constexpr std::size_t kLookedAt = 100;  // bytes of the password given to zxcvbn
constexpr std::size_t kMinWord = 4;     // shorter German words are left to zxcvbn
constexpr std::size_t kMaxWord = 32;
// zxcvbn counts a word of its user dictionary as log2(position) bits. Context words stand
// first (next to nothing); German words found in the password follow from this position
// on, so each counts about 11 bits, as a word of a 2,000-word list of likely ones would.
constexpr std::size_t kGermanRank = 2048;

// All words in one buffer, sorted, each ended by '\n'; `starts` indexes them.
struct Words {
  std::string blob;
  std::vector<uint32_t> starts;

  std::string_view at(std::size_t i) const {
    auto b = starts[i];
    return std::string_view(blob).substr(b, blob.find('\n', b) - b);
  }
  bool contains(std::string_view w) const {
    std::size_t lo = 0, hi = starts.size();
    while (lo < hi) {
      std::size_t mid = lo + (hi - lo) / 2;
      if (at(mid) < w)
        lo = mid + 1;
      else
        hi = mid;
    }
    return lo < starts.size() && at(lo) == w;
  }
};

Words g_words;
std::once_flag g_loaded;
std::size_t g_count = 0;

// ASCII letters and the German capitals Ä, Ö, Ü (UTF-8) in lower case.
std::string fold(std::string_view s) {
  std::string out(s);
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto c = static_cast<unsigned char>(out[i]);
    if (c < 0x80) {
      out[i] = static_cast<char>(std::tolower(c));
    } else if (c == 0xC3 && i + 1 < out.size()) {
      auto n = static_cast<unsigned char>(out[i + 1]);
      if (n == 0x84 || n == 0x96 || n == 0x9C) out[i + 1] = static_cast<char>(n + 0x20);
      ++i;
    }
  }
  return out;
}

// "p4ssw0rt" read as "passwort": German words hide behind the usual substitutions too.
std::string unleet(std::string s) {
  for (auto& c : s) {
    switch (c) {
      case '0':
        c = 'o';
        break;
      case '1':
        c = 'i';
        break;
      case '3':
        c = 'e';
        break;
      case '4':
      case '@':
        c = 'a';
        break;
      case '5':
      case '$':
        c = 's';
        break;
      case '7':
        c = 't';
        break;
      default:
        break;
    }
  }
  return s;
}

// German words in `s` (and in its un-leeted form), longest first at each position.
std::vector<std::string> german_words_in(const std::string& s) {
  std::vector<std::string> found;
  if (g_words.starts.empty()) return found;
  for (const auto& text : {s, unleet(s)}) {
    for (std::size_t b = 0; b < text.size(); ++b)
      for (std::size_t n = std::min(kMaxWord, text.size() - b); n >= kMinWord; --n) {
        auto w = std::string_view(text).substr(b, n);
        if (g_words.contains(w)) found.emplace_back(w);
      }
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

std::string explain(const std::string& folded, const std::vector<std::string>& context,
                    const ZxcMatch_t* info) {
  for (const auto& w : context)
    if (w.size() >= kMinWord && folded.find(w) != std::string::npos)
      return "password.weak_personal";
  // Keyboard rows and runs, and repeated parts, are named as such even where a word list
  // knows them ("qwertz"); otherwise the kind of pattern that covers the most characters
  // tells the person what to avoid.
  std::map<std::string, int> covered;
  for (auto* m = info; m; m = m->Next) {
    int type = static_cast<int>(m->Type);
    if ((type & MULTIPLE_MATCH) && m->Length >= 4) return "password.weak_repeats";
    type &= ~MULTIPLE_MATCH;
    switch (type) {
      case SPATIAL_MATCH:
      case SEQUENCE_MATCH:
        if (m->Length >= 4) return "password.weak_keyboard";
        covered["password.weak_keyboard"] += m->Length;
        break;
      case DICTIONARY_MATCH:
      case DICT_LEET_MATCH:
      case USER_MATCH:
      case USER_LEET_MATCH:
        covered["password.weak_words"] += m->Length;
        break;
      case DATE_MATCH:
      case YEAR_MATCH:
        covered["password.weak_dates"] += m->Length;
        break;
      case REPEATS_MATCH:
        covered["password.weak_repeats"] += m->Length;
        break;
      default:
        break;
    }
  }
  auto best = std::max_element(covered.begin(), covered.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
  return best == covered.end() ? "password.weak" : best->first;
}

}  // namespace

std::size_t load_german_words(const std::string& path) {
  std::call_once(g_loaded, [&] {
    std::ifstream in(path);
    if (!in) {
      log::warn("german_word_list_missing", {{"path", path}});
      return;
    }
    std::vector<std::string> words;
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.size() >= kMinWord && line.size() <= kMaxWord) words.push_back(fold(line));
    }
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    for (const auto& w : words) {
      g_words.starts.push_back(static_cast<uint32_t>(g_words.blob.size()));
      g_words.blob += w;
      g_words.blob += '\n';
    }
    g_count = words.size();
  });
  return g_count;
}

std::size_t german_word_count() { return g_count; }

Strength strength(std::string_view password, const std::vector<std::string>& context) {
  load_german_words();  // once: the server loads them at start, commands when first needed
  // zxcvbn reads a C string: cut at the first NUL as well.
  std::string pw(password.substr(0, std::min(kLookedAt, password.find('\0'))));
  std::string folded = fold(pw);
  std::string umlauts_folded = pw;  // zxcvbn compares words in ASCII case only
  for (std::size_t i = 0; i + 1 < pw.size(); ++i)
    if (static_cast<unsigned char>(pw[i]) == 0xC3) umlauts_folded[i + 1] = folded[i + 1];
  std::vector<std::string> personal;
  for (const auto& w : context)
    if (w.size() >= 3) personal.push_back(fold(w));
  auto german = german_words_in(folded);

  static const char kFiller[] = "\x01";  // a control character: next to no password has one
  std::vector<const char*> dict;
  dict.reserve(kGermanRank + german.size() + 1);
  for (const auto& w : personal) dict.push_back(w.c_str());
  while (dict.size() < kGermanRank) dict.push_back(kFiller);
  for (const auto& w : german) dict.push_back(w.c_str());
  dict.push_back(nullptr);

  ZxcMatch_t* info = nullptr;
  Strength s;
  s.bits = ZxcvbnMatch(umlauts_folded.c_str(), dict.data(), &info);
  if (s.bits < kMinStrengthBits) s.problem = explain(folded, personal, info);
  ZxcvbnFreeInfo(info);
  return s;
}

}  // namespace verbund::password
