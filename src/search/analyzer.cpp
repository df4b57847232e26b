#include "search/analyzer.hpp"

#include <libstemmer.h>

#include <memory>

#include "core/utf8.hpp"
#include "search/directory.hpp"

namespace verbund::search {
namespace {

struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};

// libstemmer objects are not thread-safe: one per thread.
sb_stemmer* stemmer() {
  thread_local std::unique_ptr<sb_stemmer, StemmerDeleter> s(sb_stemmer_new("german", "UTF_8"));
  return s.get();
}

// Decodes one UTF-8 code point at `i` (advancing it); invalid bytes read as U+FFFD.
char32_t next_cp(std::string_view s, std::size_t& i) {
  unsigned char c = s[i++];
  if (c < 0x80) return c;
  int n = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 0;
  if (n == 0 || i + n > s.size()) return 0xFFFD;
  char32_t cp = c & (0x3F >> n);
  for (int k = 0; k < n; ++k) {
    unsigned char cc = s[i];
    if ((cc & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (cc & 0x3F);
    ++i;
  }
  return cp;
}

// Lower case for ASCII and Latin-1/Latin Extended-A letters (À–Þ, Ā–ž pairs).
char32_t lower(char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
  if (cp >= 0x100 && cp <= 0x17F && (cp % 2) == 0 && cp != 0x130) return cp + 1;
  if (cp == 0x1E9E) return 0xDF;  // capital ẞ
  return cp;
}

bool is_word_char(char32_t cp) {
  return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
         (cp >= 0xDF && cp <= 0x24F && cp != 0xF7);
}

// Reads ae/oe/ue as umlauts (not "ue" after q: "Quelle").
std::string umlauts_from_transliteration(const std::string& w) {
  std::string out;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (i + 1 < w.size() && w[i + 1] == 'e') {
      char c = w[i];
      if (c == 'a') {
        out += "ä";
        ++i;
        continue;
      }
      if (c == 'o') {
        out += "ö";
        ++i;
        continue;
      }
      if (c == 'u' && (i == 0 || w[i - 1] != 'q')) {
        out += "ü";
        ++i;
        continue;
      }
    }
    out += w[i];
  }
  return out;
}

}  // namespace

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = lower(next_cp(text, i));
    if (is_word_char(cp)) {
      utf8::append(cur, cp);
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string stem_word(const std::string& w) {
  const sb_symbol* s = sb_stemmer_stem(stemmer(), reinterpret_cast<const sb_symbol*>(w.data()),
                                       static_cast<int>(w.size()));
  if (!s) return w;
  return std::string(reinterpret_cast<const char*>(s), sb_stemmer_length(stemmer()));
}

std::vector<std::string> stem_variants(const std::string& word) {
  std::vector<std::string> out{stem_word(word)};
  std::string u = umlauts_from_transliteration(word);
  if (u != word) {
    auto v = stem_word(u);
    if (v != out[0]) out.push_back(v);
  }
  return out;
}

std::vector<std::string> stems(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& w : words(text)) out.push_back(stem_word(w));
  return out;
}

std::string stem_document(std::string_view text) {
  std::string out;
  for (const auto& w : words(text)) {
    for (const auto& s : stem_variants(w)) {
      if (!out.empty()) out += ' ';
      out += s;
    }
  }
  return out;
}

std::string fold(std::string_view text) {
  std::string out;
  bool space = false;
  for (const auto& w : words(text)) {
    if (space) out += ' ';
    space = true;
    std::string u = umlauts_from_transliteration(w);
    for (std::size_t i = 0; i < u.size();) {
      char32_t cp = next_cp(u, i);
      switch (cp) {
        case 0xE4:
          out += 'a';
          break;
        case 0xF6:
          out += 'o';
          break;
        case 0xFC:
          out += 'u';
          break;
        case 0xDF:
          out += "ss";
          break;
        case 0xE9:
        case 0xE8:
        case 0xEA:
          out += 'e';
          break;
        case 0xE1:
        case 0xE0:
        case 0xE2:
          out += 'a';
          break;
        case 0xE7:
          out += 'c';
          break;
        default:
          utf8::append(out, cp);
      }
    }
  }
  return out;
}

std::vector<std::vector<StemTerm>> stem_query(const std::string& text) {
  std::vector<std::vector<StemTerm>> out;
  for (const auto& w : words(text)) {
    // Stems as prefixes: "familienzentr" (from Familienzentren) finds familienzentrum,
    // and a half-typed word finds its completions. One-letter stems must match whole.
    std::vector<StemTerm> terms;
    for (auto& s : stem_variants(w)) {
      bool prefix = s.size() >= 2;
      terms.push_back({std::move(s), prefix});
    }
    out.push_back(std::move(terms));
  }
  return out;
}

std::vector<std::string> trigram_words(const std::string& text) {
  std::vector<std::string> out;
  for (auto& w : words(fold(text)))
    if (w.size() >= 3) out.push_back(std::move(w));
  return out;
}

}  // namespace verbund::search
