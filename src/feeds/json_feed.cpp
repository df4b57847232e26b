// JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/) through Boost.JSON.
#include <boost/json.hpp>

#include <algorithm>

#include "feeds/dates.hpp"
#include "feeds/html_text.hpp"
#include "feeds/parse.hpp"
#include "feeds/url.hpp"

namespace verbund::feeds {

namespace {

namespace bj = boost::json;

std::string string_at(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return "";
  return std::string(it->value().get_string());
}

std::string one_line(std::string_view text) {
  std::string t = tidy_text(text);
  std::replace(t.begin(), t.end(), '\n', ' ');
  return t;
}

void add_tag(Post& post, std::string_view raw) {
  std::string tag = normalise_tag(raw);
  if (!tag.empty() && std::find(post.tags.begin(), post.tags.end(), tag) == post.tags.end()) {
    post.tags.push_back(tag);
  }
}

Post item_of(const bj::object& item, const std::string& base) {
  Post post;
  if (auto it = item.find("id"); it != item.end()) {
    // Version 1.0 allowed numbers as ids.
    if (it->value().is_string()) post.guid = std::string(it->value().get_string());
    if (it->value().is_int64()) post.guid = std::to_string(it->value().get_int64());
  }
  post.url = resolve_url(base, string_at(item, "url"));
  if (post.url.empty()) post.url = resolve_url(base, string_at(item, "external_url"));
  post.title = one_line(string_at(item, "title"));
  post.published = parse_date(string_at(item, "date_published"));
  post.updated = parse_date(string_at(item, "date_modified"));
  if (!post.published) post.published = post.updated;

  Reduced body;
  if (std::string html = string_at(item, "content_html"); !html.empty()) {
    body = reduce_html(html, base);
  }
  if (body.text.empty()) {
    std::string text = string_at(item, "content_text");
    if (text.empty()) text = string_at(item, "summary");
    body.text = tidy_text(text);
  }
  for (const char* key : {"image", "banner_image"}) {
    if (post.image.empty()) post.image = resolve_url(base, string_at(item, key));
  }
  if (auto it = item.find("attachments");
      post.image.empty() && it != item.end() && it->value().is_array()) {
    for (const auto& a : it->value().get_array()) {
      if (!a.is_object()) continue;
      if (string_at(a.get_object(), "mime_type").rfind("image/", 0) == 0) {
        post.image = resolve_url(base, string_at(a.get_object(), "url"));
        post.image_alt = one_line(string_at(a.get_object(), "title"));
        if (!post.image.empty()) break;
      }
    }
  }
  if (post.image.empty()) {
    post.image = body.image;
    post.image_alt = body.image_alt;
  }
  if (auto it = item.find("tags"); it != item.end() && it->value().is_array()) {
    for (const auto& t : it->value().get_array()) {
      if (t.is_string()) add_tag(post, t.get_string());
    }
  }
  if (auto it = item.find("authors"); it != item.end() && it->value().is_array() &&
                                      !it->value().get_array().empty() &&
                                      it->value().get_array()[0].is_object()) {
    post.author = one_line(string_at(it->value().get_array()[0].get_object(), "name"));
  } else if (auto a = item.find("author"); a != item.end() && a->value().is_object()) {
    post.author = one_line(string_at(a->value().get_object(), "name"));
  }
  for (const auto& tag : hashtags(post.title)) add_tag(post, tag);
  for (const auto& tag : hashtags(body.text)) add_tag(post, tag);
  post.text = excerpt(body.text);
  body.links.resize(std::min<std::size_t>(body.links.size(), 20));
  post.links = std::move(body.links);
  if (post.guid.empty()) post.guid = post.url;
  return post;
}

}  // namespace

Result<Feed> parse_json(std::string_view body, std::string_view base_url) {
  bj::parse_options options;
  options.max_depth = 32;
  bj::error_code ec;
  bj::monotonic_resource mr;
  bj::value doc = bj::parse(body, ec, &mr, options);
  if (ec) return make_error("json", "invalid JSON: " + ec.message());
  if (!doc.is_object()) return make_error("json", "a JSON Feed is an object");
  const auto& root = doc.get_object();
  std::string version = string_at(root, "version");
  if (version.rfind("https://jsonfeed.org/version/", 0) != 0 &&
      version.rfind("http://jsonfeed.org/version/", 0) != 0) {
    return make_error("not_feed", "JSON without a JSON Feed version");
  }
  Feed feed;
  feed.format = "json";
  std::string base(base_url);
  if (std::string own = resolve_url(base, string_at(root, "feed_url")); base.empty()) base = own;
  feed.title = one_line(string_at(root, "title"));
  feed.site_url = resolve_url(base, string_at(root, "home_page_url"));
  auto items = root.find("items");
  if (items == root.end() || !items->value().is_array()) {
    return make_error("json", "a JSON Feed has an items array");
  }
  for (const auto& item : items->value().get_array()) {
    if (feed.posts.size() >= kMaxPosts) break;
    if (item.is_object()) feed.posts.push_back(item_of(item.get_object(), base));
  }
  return feed;
}

Result<Feed> parse(std::string_view body, std::string_view base_url,
                   std::string_view content_type) {
  std::string_view rest = body;
  if (rest.size() >= 3 && rest.compare(0, 3, "\xEF\xBB\xBF") == 0) rest.remove_prefix(3);
  auto first = rest.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return make_error("empty", "the document is empty");
  if (rest[first] == '{' || rest[first] == '[') return parse_json(rest.substr(first), base_url);
  std::string charset;
  if (auto at = content_type.find("charset="); at != std::string_view::npos) {
    charset = std::string(content_type.substr(at + 8));
    charset.erase(std::remove(charset.begin(), charset.end(), '"'), charset.end());
    if (auto semi = charset.find(';'); semi != std::string::npos) charset.resize(semi);
  }
  return parse_xml(body, base_url, charset);
}

}  // namespace verbund::feeds
