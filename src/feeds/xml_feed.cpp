// RSS 2.0, RSS 1.0 and Atom documents read with libxml2's tree API.
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

#include "core/utf8.hpp"
#include "feeds/dates.hpp"
#include "feeds/html_text.hpp"
#include "feeds/parse.hpp"
#include "feeds/url.hpp"

namespace verbund::feeds {

namespace {

constexpr const char* kAtom = "http://www.w3.org/2005/Atom";
constexpr const char* kAtom03 = "http://purl.org/atom/ns#";
constexpr const char* kRss1 = "http://purl.org/rss/1.0/";
constexpr const char* kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr const char* kContent = "http://purl.org/rss/1.0/modules/content/";
constexpr const char* kDc = "http://purl.org/dc/elements/1.1/";
constexpr const char* kItunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";
constexpr const char* kTombstones = "http://purl.org/atompub/tombstones/1.0";

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct CtxtFree {
  void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
};
struct XmlFree {
  void operator()(xmlChar* s) const { xmlFree(s); }
};
using XmlString = std::unique_ptr<xmlChar, XmlFree>;

std::string str(const xmlChar* s) { return s ? reinterpret_cast<const char*>(s) : ""; }

std::string take(xmlChar* s) {
  XmlString owned(s);
  return str(s);
}

const char* ns_of(const xmlNode* n) {
  return n->ns != nullptr && n->ns->href != nullptr ? reinterpret_cast<const char*>(n->ns->href)
                                                    : nullptr;
}

bool same(const char* a, const char* b) {
  if (a == nullptr || b == nullptr) return a == b;
  return std::strcmp(a, b) == 0;
}

// Media RSS is declared with and without the trailing slash.
bool is_media_ns(const char* ns) {
  return ns != nullptr && std::strncmp(ns, "http://search.yahoo.com/mrss", 28) == 0;
}

bool named(const xmlNode* n, const char* local) {
  return n->type == XML_ELEMENT_NODE &&
         std::strcmp(reinterpret_cast<const char*>(n->name), local) == 0;
}

// RSS's own elements: no namespace in RSS 2.0, RSS 1.0's in RDF documents.
bool rss(const xmlNode* n, const char* local) {
  const char* ns = ns_of(n);
  return named(n, local) && (ns == nullptr || same(ns, kRss1));
}

bool atom(const xmlNode* n, const char* local) {
  const char* ns = ns_of(n);
  return named(n, local) && (same(ns, kAtom) || same(ns, kAtom03));
}

bool in_ns(const xmlNode* n, const char* ns, const char* local) {
  return named(n, local) && same(ns_of(n), ns);
}

bool media(const xmlNode* n, const char* local) { return named(n, local) && is_media_ns(ns_of(n)); }

template <typename Pred>
const xmlNode* first_child(const xmlNode* parent, Pred pred) {
  for (const xmlNode* c = parent->children; c != nullptr; c = c->next) {
    if (pred(c)) return c;
  }
  return nullptr;
}

std::string attr(const xmlNode* n, const char* name) {
  return take(xmlGetProp(n, reinterpret_cast<const xmlChar*>(name)));
}

// The text of an element and its descendants. Entity references are never expanded:
// a reference to an HTML entity that RSS 0.91 feeds use without declaring it (&eacute;)
// becomes its character, anything else stays out.
std::string inner_text(const xmlNode* parent) {
  std::string out;
  if (parent == nullptr) return out;
  const xmlNode* n = parent->children;
  while (n != nullptr) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      out += str(n->content);
    } else if (n->type == XML_ENTITY_REF_NODE) {
      if (const htmlEntityDesc* e = htmlEntityLookup(n->name)) utf8::append(out, e->value);
    } else if (n->type == XML_ELEMENT_NODE && n->children != nullptr) {
      n = n->children;
      continue;
    }
    while (n != nullptr && n->next == nullptr) {
      n = n->parent;
      if (n == parent) n = nullptr;
    }
    if (n != nullptr) n = n->next;
  }
  return out;
}

// Inline XHTML (Atom type="xhtml") as markup for the HTML reduction.
std::string inner_markup(xmlDoc* doc, const xmlNode* parent) {
  std::unique_ptr<xmlBuffer, decltype(&xmlBufferFree)> buf(xmlBufferCreate(), &xmlBufferFree);
  for (xmlNode* c = parent->children; c != nullptr; c = c->next) {
    xmlNodeDump(buf.get(), doc, c, 0, 0);
  }
  return str(xmlBufferContent(buf.get()));
}

// An RSS body is escaped HTML or CDATA; some sites write the HTML in raw, so it parses
// as elements: those are serialised back to markup for the reduction.
std::string html_of(xmlDoc* doc, const xmlNode* n) {
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) return inner_markup(doc, n);
  }
  return inner_text(n);
}

std::string base_of(xmlDoc* doc, const xmlNode* n, std::string_view fallback) {
  std::string b = take(xmlNodeGetBase(doc, n));
  std::string resolved = b.empty() ? "" : resolve_url(fallback, b);
  return resolved.empty() ? std::string(fallback) : resolved;
}

// Text that may carry markup (RSS titles, escaped HTML) or may not.
bool looks_like_html(std::string_view s) {
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] == '<' && (std::isalpha(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '/')) {
      return true;
    }
    if (s[i] == '&' && (std::isalnum(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '#')) {
      auto semi = s.find(';', i);
      if (semi != std::string_view::npos && semi - i < 12) return true;
    }
  }
  return false;
}

std::string one_line(std::string_view text) {
  std::string t = tidy_text(text);
  std::replace(t.begin(), t.end(), '\n', ' ');
  std::string out;
  for (char c : t) {
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  return out;
}

std::string plain_title(std::string_view raw) {
  if (looks_like_html(raw)) return one_line(reduce_html(raw, "").text);
  return one_line(raw);
}

// An Atom text construct (RFC 4287 §3.1): type text, html or xhtml.
Reduced atom_text(xmlDoc* doc, const xmlNode* n, const std::string& base) {
  std::string type = attr(n, "type");
  if (type == "html" || type == "text/html") return reduce_html(inner_text(n), base);
  if (type == "xhtml" || type == "application/xhtml+xml") {
    return reduce_html(inner_markup(doc, n), base);
  }
  Reduced r;
  r.text = tidy_text(inner_text(n));
  return r;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool image_type(std::string_view type) { return type.rfind("image/", 0) == 0; }

// Media RSS, enclosures and iTunes: the image a platform names explicitly.
void explicit_image(const xmlNode* item, const std::string& base, Post& post) {
  auto take_image = [&](const std::string& url, const std::string& alt) {
    if (!post.image.empty()) return;
    std::string u = resolve_url(base, url);
    if (u.empty()) return;
    post.image = u;
    post.image_alt = one_line(alt);
  };
  auto media_description = [](const xmlNode* n) {
    const xmlNode* d = first_child(n, [](const xmlNode* c) { return media(c, "description"); });
    if (d == nullptr) return std::string();
    std::string t = inner_text(d);
    return attr(d, "type") == "html" ? reduce_html(t, "").text : t;
  };
  // media:content (also inside media:group), then media:thumbnail, then the rest.
  for (int pass = 0; pass < 2 && post.image.empty(); ++pass) {
    std::vector<const xmlNode*> scopes = {item};
    for (const xmlNode* c = item->children; c != nullptr; c = c->next) {
      if (media(c, "group")) scopes.push_back(c);
    }
    for (const xmlNode* scope : scopes) {
      for (const xmlNode* c = scope->children; c != nullptr && post.image.empty(); c = c->next) {
        if (media(c, "content")) {
          // The type decides; medium="image" only when no type is given (Mastodon marks
          // its GIF-like videos medium="image" type="video/mp4").
          std::string type = attr(c, "type");
          bool image = type.empty() ? attr(c, "medium") == "image" : image_type(type);
          const xmlNode* thumb =
              first_child(c, [](const xmlNode* t) { return media(t, "thumbnail"); });
          if (pass == 0 && image) {
            take_image(attr(c, "url"), media_description(c));
          } else if (pass == 1 && !image && thumb != nullptr) {
            take_image(attr(thumb, "url"), media_description(c));  // a video's still
          }
        } else if (pass == 1 && media(c, "thumbnail")) {
          take_image(attr(c, "url"), "");
        }
      }
    }
  }
  for (const xmlNode* c = item->children; c != nullptr && post.image.empty(); c = c->next) {
    if (rss(c, "enclosure") && image_type(attr(c, "type"))) take_image(attr(c, "url"), "");
    if (atom(c, "link") && attr(c, "rel") == "enclosure" && image_type(attr(c, "type"))) {
      take_image(attr(c, "href"), "");
    }
  }
  if (const xmlNode* it =
          first_child(item, [](const xmlNode* c) { return in_ns(c, kItunes, "image"); })) {
    take_image(attr(it, "href"), "");
  }
}

void add_tag(Post& post, std::string_view raw) {
  std::string tag = normalise_tag(raw);
  if (!tag.empty() && std::find(post.tags.begin(), post.tags.end(), tag) == post.tags.end()) {
    post.tags.push_back(tag);
  }
}

// What every format shares once the text is known: excerpt, links, image, hashtags.
void finish_post(Post& post, Reduced body) {
  if (post.image.empty() && !body.image.empty()) {
    post.image = body.image;
    post.image_alt = body.image_alt;
  }
  for (const auto& tag : hashtags(post.title)) add_tag(post, tag);
  for (const auto& tag : hashtags(body.text)) add_tag(post, tag);
  post.text = excerpt(body.text);
  body.links.resize(std::min<std::size_t>(body.links.size(), 20));
  post.links = std::move(body.links);
  if (post.guid.empty()) post.guid = post.url;
  if (post.guid.size() > 2000) post.guid.resize(2000);
}

Post rss_item(xmlDoc* doc, const xmlNode* item, std::string_view feed_url) {
  Post post;
  std::string base = base_of(doc, item, feed_url);
  Reduced body;
  const xmlNode* description = nullptr;
  const xmlNode* encoded = nullptr;
  const xmlNode* summary = nullptr;
  const xmlNode* media_desc = nullptr;
  std::string guid_text;
  bool guid_permalink = true;
  for (const xmlNode* c = item->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (rss(c, "title")) {
      post.title = plain_title(inner_text(c));
    } else if (rss(c, "link") && post.url.empty()) {
      post.url = resolve_url(base, inner_text(c));
    } else if (atom(c, "link") && post.url.empty() &&
               (attr(c, "rel").empty() || attr(c, "rel") == "alternate")) {
      post.url = resolve_url(base, attr(c, "href"));
    } else if (rss(c, "guid")) {
      guid_text = one_line(inner_text(c));
      guid_permalink = attr(c, "isPermaLink") != "false";
    } else if (rss(c, "pubDate") || (in_ns(c, kDc, "date") && !post.published)) {
      if (auto t = parse_date(inner_text(c))) post.published = t;
    } else if (atom(c, "updated") || in_ns(c, kDc, "modified")) {
      if (auto t = parse_date(inner_text(c))) post.updated = t;
    } else if (rss(c, "description")) {
      description = c;
    } else if (in_ns(c, kContent, "encoded")) {
      encoded = c;
    } else if (in_ns(c, kItunes, "summary")) {
      summary = c;
    } else if (rss(c, "category") || in_ns(c, kDc, "subject")) {
      add_tag(post, inner_text(c));
    } else if ((in_ns(c, kDc, "creator") || rss(c, "author")) && post.author.empty()) {
      post.author = one_line(inner_text(c));
    } else if (media(c, "description")) {
      media_desc = c;
    } else if (media(c, "group") && media_desc == nullptr) {
      media_desc = first_child(c, [](const xmlNode* d) { return media(d, "description"); });
    }
  }
  // A guid is a permalink by default (RSS 2.0), but many feeds put an id there without
  // saying isPermaLink="false" (a UUID, "post-123"): only an absolute web address counts.
  if (post.url.empty() && guid_permalink &&
      (lower_ascii(guid_text.substr(0, 8)).starts_with("https://") ||
       lower_ascii(guid_text.substr(0, 7)).starts_with("http://"))) {
    post.url = resolve_url(base, guid_text);
  }
  post.guid = guid_text;
  if (post.guid.empty()) {
    std::string about = take(xmlGetNsProp(item, reinterpret_cast<const xmlChar*>("about"),
                                          reinterpret_cast<const xmlChar*>(kRdf)));
    post.guid = about;
  }
  for (const xmlNode* source : {encoded, description, summary, media_desc}) {
    if (source == nullptr) continue;
    std::string raw = source == media_desc ? inner_text(source) : html_of(doc, source);
    if (raw.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    body = reduce_html(raw, base);
    if (!body.text.empty() || !body.image.empty()) break;
  }
  explicit_image(item, base, post);
  finish_post(post, std::move(body));
  return post;
}

Post atom_entry(xmlDoc* doc, const xmlNode* entry, std::string_view feed_url) {
  Post post;
  std::string base = base_of(doc, entry, feed_url);
  const xmlNode* content = nullptr;
  const xmlNode* summary = nullptr;
  const xmlNode* media_desc = nullptr;
  int link_rank = 0;  // alternate text/html beats alternate beats none
  for (const xmlNode* c = entry->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (atom(c, "title")) {
      post.title = one_line(atom_text(doc, c, base).text);
    } else if (atom(c, "link")) {
      std::string rel = attr(c, "rel");
      if (!rel.empty() && rel != "alternate") continue;
      std::string type = attr(c, "type");
      int rank = type.empty() || type == "text/html" ? 2 : 1;
      if (rank <= link_rank) continue;
      std::string url = resolve_url(base_of(doc, c, feed_url), attr(c, "href"));
      if (url.empty()) continue;
      post.url = url;
      link_rank = rank;
    } else if (atom(c, "id")) {
      post.guid = one_line(inner_text(c));
    } else if (atom(c, "published") || atom(c, "issued")) {
      if (auto t = parse_date(inner_text(c))) post.published = t;
    } else if (atom(c, "updated") || atom(c, "modified")) {
      if (auto t = parse_date(inner_text(c))) post.updated = t;
    } else if (atom(c, "content")) {
      if (attr(c, "src").empty()) content = c;
    } else if (atom(c, "summary")) {
      summary = c;
    } else if (atom(c, "category")) {
      std::string term = attr(c, "term");
      add_tag(post, term.empty() ? attr(c, "label") : term);
    } else if (in_ns(c, kDc, "subject")) {  // Atom 0.3 feeds of old blog software
      add_tag(post, inner_text(c));
    } else if (atom(c, "author") && post.author.empty()) {
      const xmlNode* name = first_child(c, [](const xmlNode* d) { return atom(d, "name"); });
      post.author = one_line(inner_text(name));
    } else if (media(c, "group")) {
      media_desc = first_child(c, [](const xmlNode* d) { return media(d, "description"); });
    } else if (media(c, "description")) {
      media_desc = c;
    }
  }
  if (!post.published) post.published = post.updated;
  Reduced body;
  for (const xmlNode* source : {content, summary}) {
    if (source == nullptr) continue;
    body = atom_text(doc, source, base_of(doc, source, feed_url));
    if (!body.text.empty() || !body.image.empty()) break;
  }
  if (body.text.empty() && media_desc != nullptr) {
    Reduced m;
    m.text = tidy_text(inner_text(media_desc));
    if (body.image.empty())
      body = std::move(m);
    else
      body.text = m.text;
  }
  explicit_image(entry, base, post);
  finish_post(post, std::move(body));
  return post;
}

void tombstones(const xmlNode* scope, Feed& feed) {
  for (const xmlNode* c = scope->children; c != nullptr; c = c->next) {
    if (in_ns(c, kTombstones, "deleted-entry")) {
      std::string ref = one_line(attr(c, "ref"));
      if (!ref.empty()) feed.deleted.push_back(ref);
    }
  }
}

void read_rss(xmlDoc* doc, const xmlNode* root, std::string_view url, Feed& feed) {
  const xmlNode* channel = first_child(root, [](const xmlNode* c) { return rss(c, "channel"); });
  if (channel == nullptr) return;
  for (const xmlNode* c = channel->children; c != nullptr; c = c->next) {
    if (rss(c, "title") && feed.title.empty()) {
      feed.title = plain_title(inner_text(c));
    } else if (rss(c, "link") && feed.site_url.empty()) {
      feed.site_url = resolve_url(base_of(doc, c, url), inner_text(c));
    } else if (rss(c, "ttl")) {
      std::string t = one_line(inner_text(c));
      if (!t.empty() && t.size() < 7 && std::all_of(t.begin(), t.end(), ::isdigit)) {
        feed.ttl_minutes = std::stoi(t);
      }
    } else if (rss(c, "item") && feed.posts.size() < kMaxPosts) {
      feed.posts.push_back(rss_item(doc, c, url));
    }
  }
  tombstones(channel, feed);
}

void read_rdf(xmlDoc* doc, const xmlNode* root, std::string_view url, Feed& feed) {
  for (const xmlNode* c = root->children; c != nullptr; c = c->next) {
    if (rss(c, "channel")) {
      for (const xmlNode* d = c->children; d != nullptr; d = d->next) {
        if (rss(d, "title") && feed.title.empty()) feed.title = plain_title(inner_text(d));
        if (rss(d, "link") && feed.site_url.empty()) {
          feed.site_url = resolve_url(url, inner_text(d));
        }
      }
    } else if (rss(c, "item") && feed.posts.size() < kMaxPosts) {
      feed.posts.push_back(rss_item(doc, c, url));
    }
  }
}

void read_atom(xmlDoc* doc, const xmlNode* root, std::string_view url, Feed& feed) {
  std::string base = base_of(doc, root, url);
  for (const xmlNode* c = root->children; c != nullptr; c = c->next) {
    if (atom(c, "title") && feed.title.empty()) {
      feed.title = one_line(atom_text(doc, c, base).text);
    } else if (atom(c, "link") && feed.site_url.empty() &&
               (attr(c, "rel").empty() || attr(c, "rel") == "alternate")) {
      feed.site_url = resolve_url(base_of(doc, c, url), attr(c, "href"));
    } else if (atom(c, "entry") && feed.posts.size() < kMaxPosts) {
      feed.posts.push_back(atom_entry(doc, c, url));
    }
  }
  tombstones(root, feed);
}

bool valid_utf8_bytes(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
    if (len == 0 || b > 0xF4 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

// Windows-1252 (which every "ISO-8859-1" web page really is) to UTF-8.
std::string from_cp1252(std::string_view s) {
  static const uint16_t high[32] = {0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
                                    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else {
      utf8::append(out, c < 0xA0 ? high[c - 0x80] : c);
    }
  }
  return out;
}

// The encoding named in the XML declaration, lower case, or "".
std::string declared_encoding(std::string_view body) {
  if (body.rfind("<?xml", 0) != 0) return "";
  auto end = body.find("?>");
  if (end == std::string_view::npos || end > 200) return "";
  std::string decl = lower_ascii(body.substr(0, end));
  auto at = decl.find("encoding");
  if (at == std::string::npos) return "";
  auto q = decl.find_first_of("\"'", at);
  if (q == std::string::npos) return "";
  auto q2 = decl.find(decl[q], q + 1);
  if (q2 == std::string::npos) return "";
  return decl.substr(q + 1, q2 - q - 1);
}

// Entity declarations live in the DTD, before the root element. Real feeds declare
// none; billion laughs and XXE need them. Scanning the prolog is linear and bounded.
bool declares_entities(std::string_view body) {
  std::size_t i = 0;
  while (true) {
    i = body.find('<', i);
    if (i == std::string_view::npos || i + 1 >= body.size()) return false;
    char next = body[i + 1];
    if (next != '?' && next != '!') return false;  // the root element: prolog over
    if (body.compare(i, 4, "<!--") == 0) {
      auto end = body.find("-->", i + 4);
      if (end == std::string_view::npos) return false;
      i = end + 3;
      continue;
    }
    if (body.compare(i, 9, "<!DOCTYPE") == 0) {
      // The DOCTYPE runs to the first '>' outside its internal subset.
      auto bracket = body.find('[', i);
      auto close = body.find('>', i);
      if (bracket == std::string_view::npos || close < bracket) {
        i = close == std::string_view::npos ? body.size() : close + 1;
        continue;
      }
      auto subset_end = body.find("]", bracket);
      std::string_view subset =
          body.substr(bracket, subset_end == std::string_view::npos ? std::string_view::npos
                                                                    : subset_end - bracket);
      return subset.find("<!ENTITY") != std::string_view::npos ||
             subset.find('%') != std::string_view::npos;
    }
    ++i;
  }
}

bool name_start(unsigned char c) { return std::isalpha(c) || c == '_' || c == ':' || c >= 0x80; }
bool name_char(unsigned char c) { return name_start(c) || std::isdigit(c) || c == '-' || c == '.'; }
bool xml_char(uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

// The length of the reference at `s` ("&...;") that stays as it is, or 0. Sets
// `numeric` to the character of an undeclared HTML entity that must be written out.
std::size_t kept_reference(std::string_view s, uint32_t& numeric) {
  numeric = 0;
  if (s.size() < 3) return 0;
  if (s[1] == '#') {
    bool hex = s.size() > 2 && (s[2] == 'x' || s[2] == 'X');
    std::size_t i = hex ? 3 : 2;
    uint32_t cp = 0;
    std::size_t digits = 0;
    for (; i < s.size() && digits < 8; ++i, ++digits) {
      auto c = static_cast<unsigned char>(s[i]);
      int v = std::isdigit(c) ? c - '0' : hex && std::isxdigit(c) ? std::tolower(c) - 'a' + 10 : -1;
      if (v < 0) break;
      cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
    }
    if (digits == 0 || i >= s.size() || s[i] != ';') return 0;
    if (!xml_char(cp)) numeric = 0xFFFD;  // &#0; and friends are fatal in XML
    return i + 1;
  }
  if (!name_start(static_cast<unsigned char>(s[1]))) return 0;
  std::size_t i = 2;
  while (i < s.size() && i < 40 && name_char(static_cast<unsigned char>(s[i]))) ++i;
  if (i >= s.size() || s[i] != ';') return 0;
  std::string name(s.substr(1, i - 1));
  if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos") {
    return i + 1;
  }
  const htmlEntityDesc* e = htmlEntityLookup(reinterpret_cast<const xmlChar*>(name.c_str()));
  if (e == nullptr) return 0;
  numeric = e->value;
  return i + 1;
}

// Real feeds break well-formedness in a few ways: a bare '&' ("Hilfsmittel & mehr"),
// HTML entities nobody declared (&auml;, &nbsp;), control characters pasted from word
// processors. libxml2's recover mode survives them but then drops every later entity
// reference, even &amp; and &lt; (2.9.14), so the text loses characters and escaped
// markup shows up as words. Repairing those three before parsing keeps the document
// well-formed; CDATA sections, comments and processing instructions are copied as
// they are (their '&' is literal). Returns false when nothing needed repair.
bool repair_well_formedness(std::string_view body, std::string& out) {
  bool changed = false;
  std::size_t done = 0;
  auto flush = [&](std::size_t upto) {
    if (!changed) out.reserve(body.size() + 64);
    changed = true;
    out.append(body.substr(done, upto - done));
  };
  for (std::size_t i = 0; i < body.size();) {
    auto c = static_cast<unsigned char>(body[i]);
    if (c == '<') {
      std::string_view end;
      if (body.compare(i, 9, "<![CDATA[") == 0) {
        end = "]]>";
      } else if (body.compare(i, 4, "<!--") == 0) {
        end = "-->";
      } else if (body.compare(i, 2, "<?") == 0) {
        end = "?>";
      }
      if (!end.empty()) {
        auto close = body.find(end, i + 2);
        std::size_t stop = close == std::string_view::npos ? body.size() : close + end.size();
        for (std::size_t k = i; k < stop; ++k) {
          auto b = static_cast<unsigned char>(body[k]);
          if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') {
            flush(k);
            done = k + 1;
          }
        }
        i = stop;
        continue;
      }
      ++i;
    } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      flush(i);
      out += ' ';
      done = ++i;
    } else if (c == '&') {
      uint32_t numeric = 0;
      std::size_t len = kept_reference(body.substr(i), numeric);
      if (len == 0) {
        flush(i);
        out += "&amp;";
        done = ++i;
      } else if (numeric != 0) {
        flush(i);
        out += "&#" + std::to_string(numeric) + ";";
        i += len;
        done = i;
      } else {
        i += len;
      }
    } else {
      ++i;
    }
  }
  if (changed) out.append(body.substr(done));
  return changed;
}

}  // namespace

void init() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

Result<Feed> parse_xml(std::string_view body, std::string_view base_url, std::string_view charset) {
  init();
  if (body.size() >= 3 && body.compare(0, 3, "\xEF\xBB\xBF") == 0) body.remove_prefix(3);
  std::size_t lead = 0;
  while (lead < body.size() && std::isspace(static_cast<unsigned char>(body[lead]))) ++lead;
  body.remove_prefix(lead);
  if (body.empty()) return make_error("empty", "the document is empty");
  if (declares_entities(body)) {
    return make_error("entities", "the document declares entities (refused: XXE, entity bombs)");
  }

  // Valid UTF-8 is UTF-8, whatever the declaration claims; otherwise the declared or
  // announced single-byte encoding; otherwise Windows-1252.
  std::string converted;
  const char* encoding = "UTF-8";
  bool utf16 = body.size() >= 2 && ((body[0] == '\xFF' && body[1] == '\xFE') ||
                                    (body[0] == '\xFE' && body[1] == '\xFF'));
  if (utf16) {
    encoding = nullptr;
  } else if (!valid_utf8_bytes(body)) {
    std::string declared = declared_encoding(body);
    if (declared.empty() || declared == "utf-8" || declared == "utf8") {
      declared = lower_ascii(charset);
    }
    if (declared.empty() || declared == "utf-8" || declared == "utf8" || declared == "iso-8859-1" ||
        declared == "latin1" || declared == "us-ascii" || declared == "windows-1252" ||
        declared == "cp1252") {
      converted = from_cp1252(body);
      body = converted;
    } else {
      encoding = nullptr;  // e.g. ISO-8859-15 declared and meant: libxml2 converts
    }
  }

  std::string repaired;
  if (encoding != nullptr && repair_well_formedness(body, repaired)) body = repaired;

  std::unique_ptr<xmlParserCtxt, CtxtFree> ctxt(xmlNewParserCtxt());
  if (!ctxt) return make_error("malformed", "out of memory");
  int options = XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                XML_PARSE_NOBLANKS | XML_PARSE_COMPACT;
  if (encoding != nullptr) options |= XML_PARSE_IGNORE_ENC;
  std::string url(base_url);
  std::unique_ptr<xmlDoc, DocFree> doc(
      xmlCtxtReadMemory(ctxt.get(), body.data(), static_cast<int>(body.size()),
                        url.empty() ? nullptr : url.c_str(), encoding, options));
  if (!doc) return make_error("malformed", "not an XML document");
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr) return make_error("malformed", "no root element");

  Feed feed;
  if (rss(root, "rss") || named(root, "rss")) {
    feed.format = "rss2";
    read_rss(doc.get(), root, base_url, feed);
  } else if (in_ns(root, kRdf, "RDF")) {
    feed.format = "rss1";
    read_rdf(doc.get(), root, base_url, feed);
  } else if (atom(root, "feed")) {
    feed.format = "atom";
    read_atom(doc.get(), root, base_url, feed);
  } else if (named(root, "html") || named(root, "HTML")) {
    return make_error("not_feed", "an HTML page, not a feed");
  } else {
    return make_error("not_feed", "an XML document that is no RSS or Atom feed");
  }
  return feed;
}

}  // namespace verbund::feeds
