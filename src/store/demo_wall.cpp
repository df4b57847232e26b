#include "store/demo_wall.hpp"

#include <sstream>

#include "core/resources.hpp"
#include "feeds/html_text.hpp"
#include "store/post_store.hpp"
#include "store/source_store.hpp"

namespace verbund::store {

namespace {

struct Channel {
  const char* kind;
  const char* url;  // {s}: the organisation's short name
  const char* title;
};

// The channels small organisations really use, in turn.
constexpr Channel kChannels[] = {
    {"wordpress", "https://www.{s}.example/feed/", "Blog"},
    {"mastodon", "https://social.example.org/@{s}.rss", "Mastodon"},
    {"bluesky", "https://bsky.app/profile/{s}.bsky.social/rss", "Bluesky"},
    {"wordpress", "https://{s}.example/feed/", "Website"},
    {"youtube", "https://www.youtube.com/feeds/videos.xml?channel_id=UC{s}", "YouTube"},
    {"mastodon", "https://sozial.example.net/@{s}.rss", "Mastodon"},
    {"feed", "https://www.{s}.example/aktuelles.rss", "Aktuelles"},
    {"peertube", "https://tube.example.org/feeds/videos.xml?videoChannelName={s}", "PeerTube"},
    {"pixelfed", "https://pixelfed.example.org/users/{s}.atom", "Pixelfed"},
    {"direct", "", ""},
};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// "familienzentrum-regenbogen-kassel-e-v" → "familienzentrumregenbogen"
std::string short_name(const std::string& slug) {
  std::string out;
  for (char c : slug) {
    if (c != '-') out += c;
    if (out.size() >= 24) break;
  }
  return out;
}

}  // namespace

Result<std::vector<DemoWallText>> demo_wall_texts() {
  auto tsv = resources::find("demo/wall_posts.tsv");
  if (!tsv) return make_error("demo", "demo/wall_posts.tsv is not embedded");
  std::vector<DemoWallText> out;
  std::istringstream lines{std::string(*tsv)};
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::string cur;
    std::istringstream in(line);
    while (std::getline(in, cur, '\t')) f.push_back(cur);
    while (f.size() < 3) f.emplace_back();
    out.push_back({f[0], f[1], f[2]});
  }
  return out;
}

int load_demo_wall(db::Database& db, const std::vector<DemoWallText>& texts,
                   const std::vector<std::string>& image_keys, int64_t now, int max_orgs) {
  if (texts.empty()) return 0;
  int loaded = db.write([&](db::Connection& c) {
    int posts = 0;
    auto orgs = c.query(
        "SELECT id, slug, city FROM organisations WHERE status = 'published' ORDER BY id LIMIT $1",
        {max_orgs});
    for (std::size_t k = 0; k < orgs.size(); ++k) {
      int64_t org_id = orgs[k].int64("id");
      std::string s = short_name(orgs[k].text("slug"));
      const Channel& ch = kChannels[k % (sizeof kChannels / sizeof *kChannels)];
      std::optional<int64_t> source_id;
      std::string base;
      if (std::string(ch.kind) != "direct") {
        std::string url = replace_all(ch.url, "{s}", s);
        base = url.substr(0, url.find('/', 8));
        std::string host = base.substr(base.find("://") + 3);
        c.execute("INSERT INTO feed_hosts (host) VALUES ($1) ON CONFLICT DO NOTHING", {host});
        auto row = c.query_one(R"sql(
          INSERT INTO sources (organisation_id, input, feed_url, host, kind, title, moderation,
                               next_fetch_at, interval_seconds, paused_at, last_fetch_at,
                               last_result, last_status, last_success_at, created_at)
          VALUES ($1, $2, $2, $3, $4, $5, 'publish', $6, 3600, $6, $6, 'ok', 200, $6, $7)
          RETURNING id)sql",
                               {org_id, url, host, std::string(ch.kind), std::string(ch.title),
                                now - 600, now - 40 * 86400});
        source_id = row->int64("id");
      }
      int n = 3 + static_cast<int>((k * 7) % 5);
      std::vector<feeds::Post> batch;
      std::vector<std::pair<std::string, std::size_t>> images;  // guid → text index
      for (int j = 0; j < n; ++j) {
        std::size_t t = (k * 5 + static_cast<std::size_t>(j) * 11) % texts.size();
        const auto& text = texts[t];
        feeds::Post p;
        p.guid = "demo:" + std::to_string(org_id) + ":" + std::to_string(j);
        p.title = std::string(ch.kind) == "mastodon" || std::string(ch.kind) == "bluesky"
                      ? ""
                      : text.title;
        p.text = replace_all(text.text, "{ort}", orgs[k].text("city"));
        if (!base.empty()) p.url = base + "/beitrag/" + std::to_string(1000 + k * 10 + j);
        p.tags = feeds::hashtags(p.text);
        // Spread over four weeks, busier in the last days.
        int64_t age =
            ((static_cast<int64_t>(k) * 7919 + j * 104729) % (28 * 86400)) / (1 + (j == 0));
        p.published = now - 300 - age;
        if (t < image_keys.size() && !image_keys[t].empty()) {
          p.image = "https://bilder.example.org/" + p.guid;  // as if fetched from there
          p.image_alt = text.image_caption;
          images.emplace_back(p.guid, t);
        }
        batch.push_back(std::move(p));
      }
      if (source_id) {
        posts +=
            static_cast<int>(store_posts(c, org_id, *source_id, "publish", batch, now).inserted);
      } else {
        for (const auto& p : batch) {
          auto row = c.query_one(R"sql(
            INSERT INTO posts (organisation_id, source_id, guid, url, body, image_alt, tags,
                               published_at, sort_at, content_hash, status, fetched_at, updated_at)
            VALUES ($1, NULL, $2, '', $3, $4, $5, $6, $6, '', 'visible', $6, $6) RETURNING id)sql",
                                 {org_id, p.guid, p.text, p.image_alt, std::string(), p.published});
          int64_t id = row->int64("id");
          std::string joined;
          for (const auto& tag : p.tags) {
            c.execute(
                "INSERT INTO post_tags (post_id, tag, sort_at) VALUES ($1, $2, $3) "
                "ON CONFLICT DO NOTHING",
                {id, tag, *p.published});
            joined += (joined.empty() ? "" : " ") + tag;
          }
          c.execute("UPDATE posts SET tags = $2 WHERE id = $1", {id, joined});
          ++posts;
        }
      }
      for (const auto& [guid, t] : images) {
        c.execute(
            "UPDATE posts SET image_key = $3, image_state = 'done' WHERE organisation_id = $1 AND "
            "guid = $2",
            {org_id, guid, image_keys[t]});
      }
      if (source_id) {
        c.execute(
            "UPDATE sources SET posts_found = (SELECT count(*) FROM posts WHERE source_id = $1) "
            "WHERE id = $1",
            {*source_id});
      }
    }
    return posts;
  });
  Posts(db).refresh_tag_counts(now);  // the wall's hashtags before the first job runs
  return loaded;
}

}  // namespace verbund::store
