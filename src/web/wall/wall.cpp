// The Social Wall: newest posts first, filtered by regional association, field of work,
// source, hashtag and organisation (every filter a shareable URL), older posts by keyset
// paging, new ones announced by a small script that asks /social-wall/neu (without
// JavaScript a "Neue Beiträge" link reloads), and the same list as Atom and JSON Feed.
#include <algorithm>

#include "api/feed_writer.hpp"
#include "core/i18n.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "feeds/html_text.hpp"
#include "http/message.hpp"
#include "web/view.hpp"
#include "web/wall/handlers.hpp"

namespace verbund::web::wall {

namespace {

constexpr const char* kKinds[] = {"feed",    "wordpress", "mastodon", "mastodon_tag", "bluesky",
                                  "youtube", "peertube",  "pixelfed", "direct"};

struct Query {
  store::WallFilter filter;
  std::optional<store::WallCursor> before;
  std::vector<std::string> ignored;  // filter values that name nothing (shown as a notice)
  std::string organisation_name;     // of the organisation filter
};

// The filter as typed into the URL; values that name nothing are dropped and reported.
Query read_query(Context& ctx, const store::FormChoices& choices) {
  Query q;
  std::string region = ctx.query_value("landesverband");
  if (!region.empty()) {
    bool known = std::any_of(choices.regions.begin(), choices.regions.end(),
                             [&](const model::Region& r) { return r.code == region; });
    if (known)
      q.filter.region = region;
    else
      q.ignored.push_back("landesverband");
  }
  std::string field = ctx.query_value("arbeitsfeld");
  if (!field.empty()) {
    const auto& fields = choices.taxonomy.fields;
    if (std::find(fields.begin(), fields.end(), field) != fields.end())
      q.filter.field = field;
    else
      q.ignored.push_back("arbeitsfeld");
  }
  std::string kind = ctx.query_value("quelle");
  if (!kind.empty()) {
    if (std::find(std::begin(kKinds), std::end(kKinds), kind) != std::end(kKinds))
      q.filter.kind = kind;
    else
      q.ignored.push_back("quelle");
  }
  std::string tag = feeds::normalise_tag(ctx.query_value("tag").substr(0, 200));
  if (tag.size() > 100)
    q.ignored.push_back("tag");
  else
    q.filter.tag = tag;
  std::string org = ctx.query_value("organisation");
  if (!org.empty()) {
    bool slug = org.size() <= 200 && std::all_of(org.begin(), org.end(), [](char c) {
                  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                });
    auto found = slug ? ctx.app.stores().organisations.published(org) : std::nullopt;
    if (found) {
      q.filter.organisation = org;
      q.organisation_name = found->name;
    } else {
      q.ignored.push_back("organisation");
    }
  }
  // "vor=SORT_ID": the last post of the previous page.
  std::string before = ctx.query_value("vor");
  auto dash = before.find('-');
  if (dash != std::string::npos && dash > 0 && dash < 12 && before.size() - dash - 1 <= 19 &&
      before.size() > dash + 1 &&
      std::all_of(before.begin(), before.end(),
                  [](char c) { return (c >= '0' && c <= '9') || c == '-'; }) &&
      std::count(before.begin(), before.end(), '-') == 1) {
    q.before =
        store::WallCursor{std::stoll(before.substr(0, dash)), std::stoll(before.substr(dash + 1))};
  }
  return q;
}

std::string filter_query(const store::WallFilter& f) {
  std::string q;
  auto add = [&](const char* name, const std::string& v) {
    if (v.empty()) return;
    q += q.empty() ? "?" : "&";
    q += name;
    q += '=';
    http::url_encode_append(q, v);
  };
  add("landesverband", f.region);
  add("arbeitsfeld", f.field);
  add("quelle", f.kind);
  add("tag", f.tag);
  add("organisation", f.organisation);
  return q;
}

std::string with_param(const std::string& url, const std::string& pair) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + pair;
}

std::string kind_label(const std::string& locale, const std::string& kind) {
  return i18n::t(locale, "wall.kind." + kind);
}

// Plain text into paragraphs and lines for the template (no markup in the text).
void fill_text(ctemplate::TemplateDictionary& d, const std::string& text) {
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find("\n\n", start);
    std::string para =
        text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!para.empty()) {
      auto* p = d.AddSectionDictionary("PARA");
      std::size_t ls = 0;
      while (ls <= para.size()) {
        auto le = para.find('\n', ls);
        auto* line = p->AddSectionDictionary("LINE");
        line->SetValue("L", para.substr(ls, le == std::string::npos ? std::string::npos : le - ls));
        if (le == std::string::npos) break;
        line->ShowSection("BR");
        ls = le + 1;
      }
    }
    if (end == std::string::npos) break;
    start = end + 2;
  }
}

std::vector<std::string> split_tags(const std::string& tags) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < tags.size()) {
    auto sp = tags.find(' ', i);
    std::string t = tags.substr(i, sp == std::string::npos ? std::string::npos : sp - i);
    std::replace(t.begin(), t.end(), '_', ' ');
    if (!t.empty()) out.push_back(t);
    if (sp == std::string::npos) break;
    i = sp + 1;
  }
  return out;
}

std::string wall_title(Context& ctx, const store::WallFilter& f) {
  std::string title = i18n::t(ctx.locale, "nav.wall");
  if (!f.tag.empty()) title += " – #" + f.tag;
  return title;
}

std::vector<api::FeedEntry> entries_of(Context& ctx, const std::vector<store::WallPost>& posts) {
  std::vector<api::FeedEntry> out;
  for (const auto& p : posts) {
    api::FeedEntry e;
    e.id = ctx.app.absolute_url("/social-wall#beitrag-" + std::to_string(p.id));
    e.url = p.url.empty() ? ctx.app.absolute_url("/organisationen/" + p.organisation_slug) : p.url;
    e.title = p.title;
    e.text = p.body;
    e.author_name = p.organisation_name;
    e.author_url = ctx.app.absolute_url("/organisationen/" + p.organisation_slug);
    if (!p.image_key.empty()) {
      e.image_url = ctx.app.absolute_url("/media/" + p.image_key + "-1200.jpg");
      e.image_alt = p.image_alt;
    }
    e.tags = split_tags(p.tags);
    e.published = p.sort_at;
    out.push_back(std::move(e));
  }
  return out;
}

api::FeedInfo info_of(Context& ctx, const store::WallFilter& f, const char* self) {
  api::FeedInfo info;
  std::string q = filter_query(f);
  info.id = ctx.app.absolute_url("/social-wall" + q);
  info.title = wall_title(ctx, f) + " – " + ctx.app.config().site_name;
  info.subtitle = i18n::t(ctx.locale, "wall.lead");
  info.self_url = ctx.app.absolute_url(std::string("/social-wall/") + self + q);
  info.html_url = ctx.app.absolute_url("/social-wall" + q);
  info.language = ctx.locale;
  info.updated = ctx.now;
  return info;
}

}  // namespace

std::string relative_time(const std::string& locale, int64_t t, int64_t now) {
  int64_t d = std::max<int64_t>(0, now - t);
  if (d < 60) return i18n::t(locale, "time.just_now");
  if (d < 3600) {
    int64_t n = d / 60;
    return i18n::format(locale, n == 1 ? "time.minute_ago" : "time.minutes_ago",
                        {{"n", std::to_string(n)}});
  }
  if (d < 86400) {
    int64_t n = d / 3600;
    return i18n::format(locale, n == 1 ? "time.hour_ago" : "time.hours_ago",
                        {{"n", std::to_string(n)}});
  }
  if (d < 2 * 86400) return i18n::t(locale, "time.yesterday");
  if (d < 7 * 86400)
    return i18n::format(locale, "time.days_ago", {{"n", std::to_string(d / 86400)}});
  return timefmt::berlin(t, "%d.%m.%Y");
}

void fill_posts(Context& ctx, ctemplate::TemplateDictionary& d,
                const std::vector<store::WallPost>& posts) {
  for (const auto& p : posts) {
    auto* post = d.AddSectionDictionary("POST");
    post->SetIntValue("ID", static_cast<long>(p.id));
    post->SetValue("ORG_NAME", p.organisation_name);
    post->SetValue("ORG_URL", "/organisationen/" + p.organisation_slug);
    if (!p.organisation_logo.empty())
      post->SetValueAndShowSection("LOGO_KEY", p.organisation_logo, "HAS_LOGO");
    post->SetValue("WHEN", relative_time(ctx.locale, p.sort_at, ctx.now));
    post->SetValue("WHEN_ISO", timefmt::utc(p.sort_at, "%Y-%m-%dT%H:%M:%SZ"));
    post->SetValue("WHEN_FULL", timefmt::berlin(p.sort_at, "%d.%m.%Y, %H:%M"));
    post->SetValue("KIND", kind_label(ctx.locale, p.kind));
    if (!p.title.empty()) post->SetValueAndShowSection("TITLE", p.title, "HAS_TITLE");
    fill_text(*post, p.body);
    if (!p.image_key.empty()) {
      auto* img = post->AddSectionDictionary("HAS_IMAGE");
      img->SetValue("IMAGE_KEY", p.image_key);
      img->SetValue("IMAGE_ALT", p.image_alt);
    }
    auto tags = split_tags(p.tags);
    if (!tags.empty()) {
      auto* list = post->AddSectionDictionary("HAS_TAGS");
      for (const auto& t : tags) {
        auto* tag = list->AddSectionDictionary("TAG");
        tag->SetValue("TAG_NAME", t);
        tag->SetValue("TAG_URL", "/social-wall?tag=" + http::url_encode(t));
      }
    }
    if (!p.url.empty()) post->SetValueAndShowSection("URL", p.url, "HAS_LINK");
  }
}

http::Response wall_page(Context& ctx) {
  auto choices = ctx.app.stores().organisations.form_choices();
  Query q = read_query(ctx, choices);
  auto page_data = ctx.app.stores().posts.wall(q.filter, q.before);
  Page page(ctx, "wall/wall.html", wall_title(ctx, q.filter));
  auto& d = page.dict();
  const std::string query = filter_query(q.filter);

  for (const auto& r : choices.regions) {
    auto* o = d.AddSectionDictionary("REGION");
    o->SetValue("VALUE", r.code);
    o->SetValue("LABEL", r.name);
    if (r.code == q.filter.region) o->ShowSection("SELECTED");
  }
  for (const auto& f : choices.taxonomy.fields) {
    auto* o = d.AddSectionDictionary("FIELD");
    o->SetValue("VALUE", f);
    o->SetValue("LABEL", i18n::t(ctx.locale, "field." + f));
    if (f == q.filter.field) o->ShowSection("SELECTED");
  }
  for (const char* k : kKinds) {
    auto* o = d.AddSectionDictionary("KIND_OPTION");
    o->SetValue("VALUE", k);
    o->SetValue("LABEL", kind_label(ctx.locale, k));
    if (q.filter.kind == k) o->ShowSection("SELECTED");
  }
  d.SetValue("TAG_VALUE", q.filter.tag);
  if (!q.filter.organisation.empty()) {
    auto* org = d.AddSectionDictionary("ORG_FILTER");
    org->SetValue("ORG_SLUG", q.filter.organisation);
    org->SetValue("ORG_LABEL", q.organisation_name);
    store::WallFilter without = q.filter;
    without.organisation.clear();
    org->SetValue("REMOVE_URL", "/social-wall" + filter_query(without));
  }
  if (!q.filter.empty()) d.ShowSection("HAS_FILTER");
  for (const auto& name : q.ignored) {
    d.AddSectionDictionary("IGNORED")->SetValue("IGNORED_TEXT",
                                                i18n::t(ctx.locale, "wall.ignored." + name));
  }
  auto popular = ctx.app.stores().posts.popular_tags(12);
  auto* popular_list = popular.empty() ? nullptr : d.AddSectionDictionary("HAS_POPULAR");
  for (const auto& [tag, n] : popular) {
    auto* t = popular_list->AddSectionDictionary("POPULAR");
    t->SetValue("TAG_NAME", tag);
    store::WallFilter with = q.filter;
    with.tag = tag;
    t->SetValue("TAG_URL", "/social-wall" + filter_query(with));
    if (tag == q.filter.tag) t->ShowSection("CURRENT");
  }
  d.SetValue("ATOM_URL", "/social-wall/feed.atom" + query);
  d.SetValue("JSON_URL", "/social-wall/feed.json" + query);
  d.SetValue("FIRST_URL", "/social-wall" + query);
  auto& head = page.head("wall/wall_head.html");
  head.SetValue("ATOM_URL", "/social-wall/feed.atom" + query);
  head.SetValue("JSON_URL", "/social-wall/feed.json" + query);
  head.SetValue("FEED_TITLE", wall_title(ctx, q.filter));
  head.SetValue("WALL_JS", static_url("js/wall.js"));

  if (page_data.posts.empty()) {
    d.ShowSection(q.before ? "NO_OLDER" : q.filter.empty() ? "NOTHING_YET" : "NOTHING_HERE");
  } else if (!q.before) {
    // The live update asks for posts above the newest one shown.
    auto* live = d.AddSectionDictionary("LIVE");
    live->SetValue("NEWER_URL", with_param("/social-wall/neu" + query,
                                           "nach=" + std::to_string(page_data.posts.front().id)));
  }
  auto* list = d.AddIncludeDictionary("POSTS");
  list->SetFilename(ctx.locale + "/wall/posts.html");
  fill_posts(ctx, *list, page_data.posts);
  if (q.before) d.SetValueAndShowSection("NEWEST_URL", "/social-wall" + query, "HAS_NEWEST");
  if (page_data.next) {
    d.SetValueAndShowSection(
        "OLDER_URL",
        with_param("/social-wall" + query, "vor=" + std::to_string(page_data.next->sort_at) + "-" +
                                               std::to_string(page_data.next->id)),
        "HAS_OLDER");
  }
  return page.render();
}

// {"count": N, "html": "<li>…</li>…", "newest": ID}: the posts above `nach`.
http::Response wall_newer(Context& ctx) {
  auto choices = ctx.app.stores().organisations.form_choices();
  Query q = read_query(ctx, choices);
  std::string after = ctx.query_value("nach");
  if (after.empty() || after.size() > 19 || !std::all_of(after.begin(), after.end(), ::isdigit)) {
    return http::Response::text(400, "nach=ID fehlt\n");
  }
  auto posts = ctx.app.stores().posts.newer(q.filter, std::stoll(after));
  ctemplate::TemplateDictionary d("posts");
  fill_posts(ctx, d, posts);
  json::Writer w;
  w.begin_object();
  w.key("count").value(static_cast<long long>(posts.size()));
  w.key("newest").value(
      static_cast<long long>(posts.empty() ? std::stoll(after) : posts.front().id));
  w.key("text").value(
      posts.empty() ? std::string()
                    : i18n::format(ctx.locale, posts.size() == 1 ? "wall.new_one" : "wall.new_many",
                                   {{"n", std::to_string(posts.size())}}));
  w.key("html").value(posts.empty() ? std::string() : expand(ctx.locale, "wall/posts.html", d));
  w.end_object();
  http::Response res;
  res.body = w.str();
  res.set_header("Content-Type", "application/json; charset=utf-8");
  return res;
}

http::Response wall_atom(Context& ctx) {
  Query q = read_query(ctx, ctx.app.stores().organisations.form_choices());
  auto posts = ctx.app.stores().posts.wall(q.filter, std::nullopt, 50).posts;
  http::Response res;
  res.body = api::atom(info_of(ctx, q.filter, "feed.atom"), entries_of(ctx, posts));
  res.set_header("Content-Type", "application/atom+xml; charset=utf-8");
  return res;
}

http::Response wall_json(Context& ctx) {
  Query q = read_query(ctx, ctx.app.stores().organisations.form_choices());
  auto posts = ctx.app.stores().posts.wall(q.filter, std::nullopt, 50).posts;
  http::Response res;
  res.body = api::json_feed(info_of(ctx, q.filter, "feed.json"), entries_of(ctx, posts));
  res.set_header("Content-Type", "application/feed+json; charset=utf-8");
  return res;
}

}  // namespace verbund::web::wall
