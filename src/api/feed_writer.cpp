#include "api/feed_writer.hpp"

#include "core/json.hpp"
#include "core/time.hpp"

namespace verbund::api {

namespace {

std::string iso(int64_t t) { return timefmt::utc(t, "%Y-%m-%dT%H:%M:%SZ"); }

// The title readers show when an entry has none (Mastodon and Bluesky posts): the
// text's first line, cut at a word.
std::string title_of(const FeedEntry& e) {
  if (!e.title.empty()) return e.title;
  std::string line = e.text.substr(0, e.text.find('\n'));
  if (line.size() <= 80) return line;
  auto cut = line.rfind(' ', 80);
  if (cut == std::string::npos || cut < 40) cut = 80;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  return line.substr(0, cut) + "\xE2\x80\xA6";
}

// The text as HTML paragraphs, then the image: what feed readers render.
std::string html_of(const FeedEntry& e) {
  std::string html;
  std::size_t start = 0;
  while (start <= e.text.size()) {
    auto end = e.text.find("\n\n", start);
    std::string para =
        e.text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!para.empty()) {
      std::string escaped = xml_escape(para);
      std::string with_breaks;
      for (char c : escaped) with_breaks += c == '\n' ? std::string("<br>") : std::string(1, c);
      html += "<p>" + with_breaks + "</p>";
    }
    if (end == std::string::npos) break;
    start = end + 2;
  }
  if (!e.image_url.empty()) {
    html += "<p><img src=\"" + xml_escape(e.image_url) + "\" alt=\"" + xml_escape(e.image_alt) +
            "\"></p>";
  }
  return html;
}

}  // namespace

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') break;  // not allowed in XML 1.0
        out += ch;
    }
  }
  return out;
}

std::string atom(const FeedInfo& info, const std::vector<FeedEntry>& entries) {
  std::string x =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" "
      "xml:lang=\"" +
      xml_escape(info.language) + "\">\n";
  x += "<id>" + xml_escape(info.id) + "</id>\n<title>" + xml_escape(info.title) + "</title>\n";
  if (!info.subtitle.empty()) x += "<subtitle>" + xml_escape(info.subtitle) + "</subtitle>\n";
  x += "<updated>" + iso(info.updated) + "</updated>\n";
  x += "<link rel=\"self\" type=\"application/atom+xml\" href=\"" + xml_escape(info.self_url) +
       "\"/>\n";
  x += "<link rel=\"alternate\" type=\"text/html\" href=\"" + xml_escape(info.html_url) + "\"/>\n";
  x += "<generator uri=\"" + xml_escape(info.html_url) + "\">Verbund</generator>\n";
  for (const auto& e : entries) {
    x += "<entry>\n<id>" + xml_escape(e.id) + "</id>\n<title>" + xml_escape(title_of(e)) +
         "</title>\n";
    if (!e.url.empty())
      x += "<link rel=\"alternate\" type=\"text/html\" href=\"" + xml_escape(e.url) + "\"/>\n";
    x += "<published>" + iso(e.published) + "</published>\n<updated>" +
         iso(e.updated > 0 ? e.updated : e.published) + "</updated>\n";
    x += "<author><name>" + xml_escape(e.author_name) + "</name>";
    if (!e.author_url.empty()) x += "<uri>" + xml_escape(e.author_url) + "</uri>";
    x += "</author>\n";
    for (const auto& t : e.tags) x += "<category term=\"" + xml_escape(t) + "\"/>\n";
    x += "<content type=\"html\">" + xml_escape(html_of(e)) + "</content>\n</entry>\n";
  }
  x += "</feed>\n";
  return x;
}

std::string json_feed(const FeedInfo& info, const std::vector<FeedEntry>& entries) {
  json::Writer w;
  w.begin_object();
  w.key("version").value("https://jsonfeed.org/version/1.1");
  w.key("title").value(info.title);
  w.field("description", info.subtitle);
  w.key("home_page_url").value(info.html_url);
  w.key("feed_url").value(info.self_url);
  w.key("language").value(info.language);
  w.begin_array("items");
  for (const auto& e : entries) {
    w.begin_object();
    w.key("id").value(e.id);
    w.field("url", e.url);
    w.field("title", e.title);
    w.key("content_text").value(e.text);
    w.field("image", e.image_url);
    w.key("date_published").value(iso(e.published));
    if (e.updated > 0) w.key("date_modified").value(iso(e.updated));
    w.begin_array("authors");
    w.begin_object();
    w.key("name").value(e.author_name);
    w.field("url", e.author_url);
    w.end_object();
    w.end_array();
    if (!e.tags.empty()) {
      w.begin_array("tags");
      for (const auto& t : e.tags) w.value(t);
      w.end_array();
    }
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.str();
}

}  // namespace verbund::api
