#include "feeds/html_text.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "core/utf8.hpp"
#include "feeds/url.hpp"

namespace verbund::feeds {

namespace {

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

const char* name_of(const xmlNode* n) { return reinterpret_cast<const char*>(n->name); }

bool is(const xmlNode* n, const char* name) { return std::strcmp(name_of(n), name) == 0; }

bool any_of(const xmlNode* n, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (is(n, name)) return true;
  }
  return false;
}

std::string attr(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (v == nullptr) return "";
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}

// Elements whose content is not text a reader sees.
bool skipped(const xmlNode* n) {
  return any_of(n, {"script", "style",  "noscript", "template", "iframe",  "object",   "embed",
                    "applet", "head",   "title",    "svg",      "math",    "canvas",   "audio",
                    "video",  "select", "frameset", "frame",    "noembed", "noframes", "textarea"});
}

// Line breaks an element stands for: 2 = paragraph, 1 = line.
int breaks_of(const xmlNode* n) {
  if (any_of(n, {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "table", "pre",
                 "figure", "hr", "dl"})) {
    return 2;
  }
  if (any_of(n, {"br", "div", "li", "tr", "dt", "dd", "figcaption", "section", "article", "header",
                 "footer", "aside", "address", "main", "nav", "details", "summary"})) {
    return 1;
  }
  return 0;
}

// Collects text with collapsed whitespace and pending line breaks.
class TextBuilder {
 public:
  void add(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
        space_ = true;
      } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
        space_ = true;  // no-break space
        ++i;
      } else {
        flush();
        out_ += static_cast<char>(c);
      }
    }
  }
  void line_break(int n) { breaks_ = std::max(breaks_, n); }
  std::string take() { return std::move(out_); }

 private:
  void flush() {
    if (!out_.empty()) {
      if (breaks_ > 0) {
        while (!out_.empty() && out_.back() == ' ') out_.pop_back();
        out_.append(static_cast<std::size_t>(breaks_), '\n');
      } else if (space_) {
        out_ += ' ';
      }
    }
    breaks_ = 0;
    space_ = false;
  }
  std::string out_;
  int breaks_ = 0;
  bool space_ = false;
};

bool tracking_pixel(const xmlNode* img) {
  std::string w = attr(img, "width");
  std::string h = attr(img, "height");
  return w == "0" || w == "1" || h == "0" || h == "1";
}

// The image a lazy-loading page really shows: data-src and friends before a
// placeholder src, else the first srcset candidate.
std::string image_source(const xmlNode* img) {
  for (const char* a : {"data-src", "data-lazy-src", "data-original"}) {
    if (std::string v = attr(img, a); !v.empty()) return v;
  }
  std::string src = attr(img, "src");
  if (!src.empty() && src.rfind("data:", 0) != 0) return src;
  std::string srcset = attr(img, "srcset");
  auto end = srcset.find_first_of(" ,");
  return srcset.substr(0, end);
}

bool is_ascii_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Decodes the UTF-8 sequence at s[i]; returns its length (0 when invalid).
std::size_t decode(std::string_view s, std::size_t i, uint32_t& cp) {
  auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC2 ? 2 : 0;
  if (len == 0 || b0 > 0xF4 || i + len > s.size()) return 0;
  cp = b0 & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) {
    auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return len;
}

// Letters of hashtags: ASCII letters and digits, '_', Latin letters with diacritics
// (ä, ß, é, ł, ...), Greek, Cyrillic and the other alphabets below U+2000, and CJK.
bool tag_char(uint32_t cp) {
  if (cp < 0x80) return is_ascii_alnum(static_cast<unsigned char>(cp)) || cp == '_';
  if (cp == 0xD7 || cp == 0xF7) return false;
  return (cp >= 0xC0 && cp < 0x2000) || (cp >= 0x3040 && cp < 0xA000) ||
         (cp >= 0xAC00 && cp < 0xD7A4);
}

bool is_letter(uint32_t cp) {
  if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
  return tag_char(cp);
}

// Lower case for the alphabets members' tags use: ASCII, Latin-1, Latin Extended-A
// (Polish, Czech, Turkish names: Ł → ł), Greek and Cyrillic. Others stay as they are.
uint32_t lower(uint32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp < 0xC0) return cp;
  if (cp <= 0xDE) return cp == 0xD7 ? cp : cp + 0x20;
  if (cp >= 0x100 && cp <= 0x17F) {
    if (cp == 0x130) return 'i';
    if (cp == 0x178) return 0xFF;
    bool even_upper = cp <= 0x137 || (cp >= 0x14A && cp <= 0x177);
    bool odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
    if ((even_upper && cp % 2 == 0) || (odd_upper && cp % 2 == 1)) return cp + 1;
    return cp;
  }
  if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 0x20;
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
  return cp;
}

// The zero-width space that keeps "<b" or "javascript:" from being read as markup.
constexpr std::string_view kZwsp = "\xE2\x80\x8B";

std::string defang(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    out += c;
    if (c == '<' && i + 1 < s.size()) {
      auto n = static_cast<unsigned char>(s[i + 1]);
      if (std::isalpha(n) || n == '/' || n == '!' || n == '?') out += kZwsp;
    } else if (c == ':' && out.size() >= 11) {
      // "javascript:" and "vbscript:" in any case, also split by our own spaces.
      std::string tail;
      for (std::size_t k = out.size() - 1; k-- > 0 && tail.size() < 10;) {
        auto t = static_cast<unsigned char>(out[k]);
        if (!std::isalpha(t)) break;
        tail.insert(tail.begin(), static_cast<char>(std::tolower(t)));
      }
      if (tail.size() >= 8 && (tail.ends_with("javascript") || tail.ends_with("vbscript") ||
                               tail.ends_with("livescript"))) {
        out.insert(out.size() - 1, kZwsp);
      }
    }
  }
  return out;
}

}  // namespace

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    std::size_t len = decode(s, i, cp);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    bool control = (cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F ||
                   (cp >= 0x80 && cp < 0xA0) || cp == 0xFEFF;
    if (!control) out.append(s.substr(i, len));
    i += len;
  }
  return out;
}

std::string tidy_text(std::string_view text) {
  TextBuilder b;
  std::size_t start = 0;
  int newlines = 0;
  // Keeps the author's line structure: one newline is a line, two or more a paragraph.
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n') {
      std::string_view line = text.substr(start, i - start);
      bool blank = line.find_first_not_of(" \t\r\f\v") == std::string_view::npos;
      if (blank) {
        ++newlines;
      } else {
        if (newlines > 0) b.line_break(newlines >= 2 ? 2 : 1);
        b.add(line);
        newlines = 1;
      }
      start = i + 1;
    }
  }
  return defang(valid_utf8(b.take()));
}

Reduced reduce_html(std::string_view html, std::string_view base_url) {
  Reduced r;
  if (html.find_first_not_of(" \t\r\n") == std::string_view::npos) return r;
  std::string input = valid_utf8(html);
  DocPtr doc(htmlReadMemory(input.data(), static_cast<int>(input.size()), nullptr, "UTF-8",
                            HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                HTML_PARSE_NONET | HTML_PARSE_COMPACT));
  if (!doc) return r;
  TextBuilder text;
  // Iterative walk: a fuzzer's or an attacker's 100,000 nested <div>s cost no stack.
  xmlNode* root = xmlDocGetRootElement(doc.get());
  xmlNode* n = root;
  while (n != nullptr) {
    bool descend = false;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content != nullptr) text.add(reinterpret_cast<const char*>(n->content));
    } else if (n->type == XML_ELEMENT_NODE && !skipped(n)) {
      text.line_break(breaks_of(n));
      if (is(n, "a")) {
        std::string href = resolve_url(base_url, attr(n, "href"));
        if (!href.empty() && std::find(r.links.begin(), r.links.end(), href) == r.links.end()) {
          r.links.push_back(href);
        }
      } else if (is(n, "img") && r.image.empty() && !tracking_pixel(n)) {
        std::string src = resolve_url(base_url, image_source(n));
        if (!src.empty()) {
          r.image = src;
          r.image_alt = tidy_text(attr(n, "alt"));
        }
      }
      descend = n->children != nullptr;
    }
    if (descend) {
      n = n->children;
      continue;
    }
    // Next sibling, or up until a parent has one; block ends break lines too.
    while (n != nullptr && n->next == nullptr) {
      n = n->parent;
      if (n == nullptr || n == reinterpret_cast<xmlNode*>(doc.get())) {
        n = nullptr;
        break;
      }
      if (n->type == XML_ELEMENT_NODE) text.line_break(breaks_of(n));
      if (n == root) {
        n = nullptr;
        break;
      }
    }
    if (n != nullptr) {
      if (n->type == XML_ELEMENT_NODE) text.line_break(breaks_of(n));
      n = n->next;
    }
  }
  r.text = defang(valid_utf8(text.take()));
  return r;
}

std::string excerpt(std::string_view text, std::size_t max_chars) {
  std::size_t count = 0;
  std::size_t cut = std::string_view::npos;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (count == max_chars) {
        cut = i;
        break;
      }
      ++count;
    }
  }
  if (cut == std::string_view::npos) return std::string(text);
  std::size_t space = text.find_last_of(" \n", cut);
  if (space != std::string_view::npos && space > cut * 6 / 10) cut = space;
  std::string out(text.substr(0, cut));
  while (!out.empty() && std::strchr(" \n,;:-", out.back()) != nullptr) out.pop_back();
  out += "\xE2\x80\xA6";
  return out;
}

std::string normalise_tag(std::string_view tag) {
  std::string out;
  bool space = false;
  std::size_t i = 0;
  while (i < tag.size() && (tag[i] == '#' || std::isspace(static_cast<unsigned char>(tag[i])))) {
    ++i;
  }
  while (i < tag.size() && out.size() < 100) {
    auto c = static_cast<unsigned char>(tag[i]);
    if (std::isspace(c)) {
      space = true;
      ++i;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    uint32_t cp = 0;
    std::size_t len = decode(tag, i, cp);
    if (len == 0) {  // valid_utf8 below marks it
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    i += len;
    if (cp == '<' || cp == '>' || cp == '"' || cp < 0x20) continue;  // a word, not markup
    utf8::append(out, lower(cp));
  }
  return defang(valid_utf8(out));
}

std::vector<std::string> hashtags(std::string_view text) {
  std::vector<std::string> tags;
  uint32_t prev = ' ';
  for (std::size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    std::size_t len = decode(text, i, cp);
    if (len == 0) {
      ++i;
      prev = 0xFFFD;
      continue;
    }
    if (cp == '#' && !tag_char(prev) && prev != '&' && prev != '/' && prev != '#') {
      std::size_t j = i + 1;
      bool letter = false;
      while (j < text.size() && j - i < 100) {
        uint32_t c = 0;
        std::size_t l = decode(text, j, c);
        if (l == 0 || !tag_char(c)) break;
        letter = letter || is_letter(c);
        j += l;
      }
      if (letter) {
        std::string tag = normalise_tag(text.substr(i + 1, j - i - 1));
        if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
      }
      prev = '#';
      i = j;
      continue;
    }
    prev = cp;
    i += len;
  }
  return tags;
}

}  // namespace verbund::feeds
