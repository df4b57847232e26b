#include "feeds/discover.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "feeds/url.hpp"

namespace verbund::feeds {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// A DNS name as people type it: letters, digits, '-' and at least one inner '.'
// (international names in their xn-- form).
bool host_name_like(std::string_view s) {
  return s.size() <= 253 && s.find('.') != std::string_view::npos && s.front() != '.' &&
         s.back() != '.' && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
         });
}

bool user_name_like(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  });
}

// The path of `url` split into segments, without empty ones.
std::vector<std::string> segments(std::string_view url) {
  std::vector<std::string> out;
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return out;
  auto path = url.find('/', scheme + 3);
  if (path == std::string_view::npos) return out;
  std::string_view p = url.substr(path);
  p = p.substr(0, p.find_first_of("?#"));
  std::size_t i = 0;
  while (i < p.size()) {
    auto next = p.find('/', i + 1);
    std::string_view seg =
        p.substr(i + 1, next == std::string_view::npos ? std::string_view::npos : next - i - 1);
    if (!seg.empty()) out.emplace_back(seg);
    if (next == std::string_view::npos) break;
    i = next;
  }
  return out;
}

std::string origin(std::string_view url) {
  auto scheme = url.find("://");
  auto path = url.find('/', scheme + 3);
  return std::string(url.substr(0, path));
}

std::string query_param(std::string_view url, std::string_view name) {
  auto q = url.find('?');
  if (q == std::string_view::npos) return "";
  std::string_view query = url.substr(q + 1);
  query = query.substr(0, query.find('#'));
  std::size_t i = 0;
  while (i <= query.size()) {
    auto amp = query.find('&', i);
    std::string_view pair =
        query.substr(i, amp == std::string_view::npos ? std::string_view::npos : amp - i);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
        pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
    if (amp == std::string_view::npos) break;
    i = amp + 1;
  }
  return "";
}

bool host_is(const std::string& host, std::string_view domain) {
  return host == domain || (host.size() > domain.size() && host.ends_with(domain) &&
                            host[host.size() - domain.size() - 1] == '.');
}

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

std::string attr(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (v == nullptr) return "";
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}

}  // namespace

Target target_for(std::string_view raw) {
  Target t;
  std::string_view input = trim(raw);
  if (input.empty() || input.size() > 2000) {
    t.error = "invalid";
    return t;
  }
  // Fediverse handles: @name@server or name@server (Mastodon; its profile feed is .rss).
  if (input.find("://") == std::string_view::npos) {
    std::string_view h = input;
    if (h.front() == '@') h.remove_prefix(1);
    auto at = h.find('@');
    if (at != std::string_view::npos) {
      std::string_view name = h.substr(0, at);
      std::string_view server = h.substr(at + 1);
      if (user_name_like(name) && host_name_like(server)) {
        t.url = "https://" + lower(server) + "/@" + std::string(name) + ".rss";
        t.kind = "mastodon";
        return t;
      }
      t.error = "invalid";
      return t;
    }
    // A Bluesky handle typed with its @: @verein.bsky.social
    if (input.front() == '@' && host_name_like(h)) {
      t.url = "https://bsky.app/profile/" + lower(h) + "/rss";
      t.kind = "bluesky";
      return t;
    }
    // Any other "@..." is a handle typed wrong, not a website.
    if (input.front() == '@') {
      t.error = "invalid";
      return t;
    }
  }
  // A scheme other than http(s) is refused by name; "host:8080/..." is no scheme.
  std::string url(input);
  auto colon = url.find(':');
  bool has_scheme =
      colon != std::string::npos && colon > 0 && std::isalpha(static_cast<unsigned char>(url[0])) &&
      std::all_of(url.begin(), url.begin() + static_cast<long>(colon),
                  [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' ||
                           c == '.';
                  }) &&
      !(colon + 1 < url.size() && std::isdigit(static_cast<unsigned char>(url[colon + 1])));
  if (has_scheme) {
    std::string scheme = lower(url.substr(0, colon));
    if (scheme != "http" && scheme != "https") {
      t.error = "forbidden_scheme";
      return t;
    }
  } else {
    url = "https://" + url;
  }
  url = http_url(url);
  std::string name = url_host(url);
  bool host_ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':';
  });
  if (url.empty() || !host_ok || (!has_scheme && name.find('.') == std::string::npos)) {
    t.error = "invalid";
    return t;
  }
  std::string host = url_host(url);
  auto segs = segments(url);
  t.url = url;

  if (host_is(host, "instagram.com")) t.closed_network = "instagram";
  if (host_is(host, "facebook.com") || host_is(host, "fb.com") || host_is(host, "fb.me")) {
    t.closed_network = "facebook";
  }
  if (host_is(host, "threads.net") || host_is(host, "threads.com")) t.closed_network = "threads";
  if (host_is(host, "x.com") || host_is(host, "twitter.com")) t.closed_network = "x";
  if (!t.closed_network.empty()) return t;

  if (host_is(host, "bsky.app") && segs.size() >= 2 && segs[0] == "profile") {
    t.url = "https://bsky.app/profile/" + segs[1] + "/rss";
    t.kind = "bluesky";
    return t;
  }
  if (host_is(host, "youtube.com")) {
    t.kind = "youtube";
    if (segs.size() >= 2 && segs[0] == "channel") {
      t.url = "https://www.youtube.com/feeds/videos.xml?channel_id=" + segs[1];
    } else if (!segs.empty() && segs[0] == "feeds") {
      // a feed URL already
    } else if (std::string list = query_param(url, "list"); !list.empty()) {
      t.url = "https://www.youtube.com/feeds/videos.xml?playlist_id=" + list;
    }
    // @handle and /c/name pages: the page names its feed (discovery).
    return t;
  }
  if (segs.size() == 1 && segs[0].size() > 1 && segs[0][0] == '@' &&
      user_name_like(std::string_view(segs[0]).substr(1)) && url.find('?') == std::string::npos) {
    t.url = origin(url) + "/" + segs[0] + ".rss";  // Mastodon profile URL
    t.kind = "mastodon";
    return t;
  }
  if (segs.size() == 1 && segs[0].size() > 5 && segs[0].front() == '@' &&
      segs[0].ends_with(".rss")) {
    t.kind = "mastodon";
    return t;
  }
  if (segs.size() == 2 && segs[0] == "tags") {
    std::string tag = segs[1];
    if (!tag.ends_with(".rss")) tag += ".rss";
    t.url = origin(url) + "/tags/" + tag;
    t.kind = "mastodon_tag";
    return t;
  }
  if (segs.size() >= 2 && (segs[0] == "c" || segs[0] == "video-channels")) {
    t.url = origin(url) + "/feeds/videos.xml?videoChannelName=" + segs[1];
    t.kind = "peertube";
    return t;
  }
  if (segs.size() >= 2 && (segs[0] == "a" || segs[0] == "accounts")) {
    t.url = origin(url) + "/feeds/videos.xml?accountName=" + segs[1];
    t.kind = "peertube";
    return t;
  }
  if (segs.size() == 2 && segs[0] == "users" && segs[1].ends_with(".atom")) {
    t.kind = "pixelfed";
    return t;
  }
  t.kind = kind_of_feed_url(url);
  return t;
}

std::string kind_of_feed_url(std::string_view url) {
  std::string host = url_host(url);
  auto segs = segments(url);
  if (host_is(host, "bsky.app")) return "bluesky";
  if (host_is(host, "youtube.com")) return "youtube";
  if (url.find("/feeds/videos.xml?video") != std::string_view::npos ||
      url.find("/feeds/videos.xml?account") != std::string_view::npos) {
    return "peertube";
  }
  if (segs.size() == 1 && segs[0].front() == '@' && segs[0].ends_with(".rss")) return "mastodon";
  if (segs.size() == 2 && segs[0] == "tags" && segs[1].ends_with(".rss")) return "mastodon_tag";
  if (segs.size() == 2 && segs[0] == "users" && segs[1].ends_with(".atom")) return "pixelfed";
  if (!segs.empty() && segs.back() == "feed" && url.find("/feed/") != std::string_view::npos) {
    return "wordpress";
  }
  return "";
}

bool looks_like_html_page(std::string_view body, std::string_view content_type) {
  std::string ct = lower(content_type);
  if (ct.starts_with("text/html") || ct.starts_with("application/xhtml")) return true;
  std::string head = lower(body.substr(0, 1024));
  auto first = head.find_first_not_of(" \t\r\n\xef\xbb\xbf");
  if (first == std::string::npos) return false;
  std::string_view h = std::string_view(head).substr(first);
  return h.starts_with("<!doctype html") || h.starts_with("<html") ||
         (h.find("<html") != std::string_view::npos && h.find("<rss") == std::string_view::npos &&
          h.find("<feed") == std::string_view::npos &&
          h.find("<rdf:rdf") == std::string_view::npos);
}

std::vector<FeedLink> discover_feeds(std::string_view html, std::string_view base_url) {
  std::vector<FeedLink> out;
  std::string input(html.substr(0, 2 * 1024 * 1024));
  std::unique_ptr<xmlDoc, DocFree> doc(
      htmlReadMemory(input.data(), static_cast<int>(input.size()), nullptr, nullptr,
                     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                         HTML_PARSE_NONET | HTML_PARSE_COMPACT));
  if (!doc) return out;
  std::string base(base_url);
  // Iterative walk over the whole document: some sites put their <link> in <body>.
  xmlNode* root = xmlDocGetRootElement(doc.get());
  xmlNode* n = root;
  bool base_seen = false;
  while (n != nullptr) {
    if (n->type == XML_ELEMENT_NODE) {
      const char* name = reinterpret_cast<const char*>(n->name);
      if (std::strcmp(name, "base") == 0 && !base_seen) {
        base_seen = true;
        if (std::string b = resolve_url(base, attr(n, "href")); !b.empty()) base = b;
      } else if (std::strcmp(name, "link") == 0) {
        std::string rel = " " + lower(attr(n, "rel")) + " ";
        std::string type = lower(std::string(trim(attr(n, "type"))));
        bool feed_type = type == "application/rss+xml" || type == "application/atom+xml" ||
                         type == "application/feed+json" || type == "application/json" ||
                         type == "application/rdf+xml";
        if (rel.find(" alternate ") != std::string::npos && feed_type) {
          std::string href = resolve_url(base, attr(n, "href"));
          bool seen =
              std::any_of(out.begin(), out.end(), [&](const FeedLink& f) { return f.url == href; });
          if (!href.empty() && !seen && out.size() < 20) {
            out.push_back({href, type, std::string(trim(attr(n, "title")))});
          }
        }
      }
      if (n->children != nullptr) {
        n = n->children;
        continue;
      }
    }
    while (n != nullptr && n->next == nullptr) {
      n = n->parent;
      if (n == root || n == reinterpret_cast<xmlNode*>(doc.get())) n = nullptr;
    }
    if (n != nullptr) n = n->next;
  }
  // Comment feeds ("Kommentare zu ...") come after the posts' feed on WordPress sites.
  std::stable_partition(out.begin(), out.end(), [](const FeedLink& f) {
    std::string t = lower(f.title) + " " + lower(f.url);
    return t.find("comment") == std::string::npos && t.find("kommentar") == std::string::npos;
  });
  return out;
}

}  // namespace verbund::feeds
