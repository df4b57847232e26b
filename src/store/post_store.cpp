#include "store/post_store.hpp"

#include <algorithm>

#include "core/random.hpp"
#include "store/wall_moderation_store.hpp"

namespace verbund::store {

namespace {

constexpr const char* kColumns = R"sql(
  SELECT p.id, p.organisation_id, o.slug AS organisation_slug, o.name AS organisation_name,
         o.logo_key AS organisation_logo, COALESCE(s.kind, 'direct') AS kind, p.url, p.title,
         p.body, p.image_key, p.image_alt, p.tags, p.status, p.published_at, p.sort_at
    FROM posts p
    JOIN organisations o ON o.id = p.organisation_id
    LEFT JOIN sources s ON s.id = p.source_id)sql";

WallPost post_from(const db::Row& r) {
  WallPost p;
  p.id = r.int64("id");
  p.organisation_id = r.int64("organisation_id");
  p.organisation_slug = r.text("organisation_slug");
  p.organisation_name = r.text("organisation_name");
  p.organisation_logo = r.text("organisation_logo");
  p.kind = r.text("kind");
  p.url = r.text("url");
  p.title = r.text("title");
  p.body = r.text("body");
  p.image_key = r.text("image_key");
  p.image_alt = r.text("image_alt");
  p.tags = r.text("tags");
  p.status = r.text("status");
  p.published_at = r.opt_int64("published_at");
  p.sort_at = r.int64("sort_at");
  return p;
}

// The SELECT of wall posts, joining the tag rows when the filter names a hashtag.
std::string wall_select(const WallFilter& f) {
  std::string sql = kColumns;
  if (!f.tag.empty()) sql += "\n    JOIN post_tags pt ON pt.post_id = p.id";
  return sql;
}

// The WHERE clause of the visible wall under a filter; parameters appended to `ps`.
std::string visible_where(const WallFilter& f, db::Params& ps) {
  std::string w = R"sql(
   WHERE p.status = 'visible' AND o.status = 'published'
     AND (p.source_id IS NULL OR s.blocked_reason IS NULL))sql";
  if (!f.organisation.empty()) {
    w += " AND o.slug = " + ps.next();
    ps.add(f.organisation);
  }
  if (!f.region.empty()) {
    w += " AND o.region_id = (SELECT id FROM regions WHERE code = " + ps.next() + ")";
    ps.add(f.region);
  }
  if (!f.field.empty()) {
    w += " AND EXISTS (SELECT 1 FROM organisation_fields ff WHERE ff.organisation_id = o.id "
         "AND ff.field_key = " +
         ps.next() + ")";
    ps.add(f.field);
  }
  if (!f.tag.empty()) {  // the query joins post_tags pt (tag_join)
    w += " AND pt.tag = " + ps.next();
    ps.add(f.tag);
  }
  if (f.kind == "direct") {
    w += " AND p.source_id IS NULL";
  } else if (!f.kind.empty()) {
    w += " AND s.kind = " + ps.next();
    ps.add(f.kind);
  }
  return w;
}

}  // namespace

WallPage Posts::wall(const WallFilter& f, const std::optional<WallCursor>& before, int limit) {
  return db_.read([&](db::Connection& c) {
    db::Params ps;
    std::string sql = wall_select(f) + visible_where(f, ps);
    // With a hashtag the tag's index (tag, sort_at, post_id) gives the order, so a rare
    // tag does not walk the whole wall; post_tags.sort_at is the post's sort_at.
    const char* order = f.tag.empty() ? "(p.sort_at, p.id)" : "(pt.sort_at, pt.post_id)";
    if (before) {
      sql += std::string(" AND ") + order + " < (" + ps.next();
      ps.add(before->sort_at);
      sql += ", " + ps.next() + ")";
      ps.add(before->id);
    }
    sql += f.tag.empty() ? " ORDER BY p.sort_at DESC, p.id DESC LIMIT "
                         : " ORDER BY pt.sort_at DESC, pt.post_id DESC LIMIT ";
    sql += ps.next();
    ps.add(limit + 1);
    WallPage page;
    for (const auto& r : c.query(sql, ps)) page.posts.push_back(post_from(r));
    if (static_cast<int>(page.posts.size()) > limit) {
      page.posts.resize(static_cast<std::size_t>(limit));
      page.next = WallCursor{page.posts.back().sort_at, page.posts.back().id};
    }
    return page;
  });
}

std::vector<WallPost> Posts::newer(const WallFilter& f, int64_t after_id, int limit) {
  return db_.read([&](db::Connection& c) {
    db::Params ps;
    std::string sql = wall_select(f) + visible_where(f, ps);
    // Newer on the wall: sorted above the post the visitor saw first.
    if (after_id > 0) {  // 0: the screen showed nothing yet, every post is new
      sql +=
          " AND (p.sort_at, p.id) > (SELECT sort_at, id FROM posts WHERE id = " + ps.next() + ")";
      ps.add(after_id);
    }
    sql += " ORDER BY p.sort_at DESC, p.id DESC LIMIT " + ps.next();
    ps.add(limit);
    std::vector<WallPost> out;
    for (const auto& r : c.query(sql, ps)) out.push_back(post_from(r));
    return out;
  });
}

std::vector<WallPost> Posts::of_source(int64_t source_id, int limit) {
  return db_.read([&](db::Connection& c) {
    std::vector<WallPost> out;
    for (const auto& r : c.query(std::string(kColumns) + R"sql(
         WHERE p.source_id = $1 AND p.status IN ('visible', 'held')
         ORDER BY p.sort_at DESC, p.id DESC LIMIT $2)sql",
                                 {source_id, limit}))
      out.push_back(post_from(r));
    return out;
  });
}

std::optional<WallPost> Posts::find_visible(int64_t id) {
  return db_.read([&](db::Connection& c) -> std::optional<WallPost> {
    db::Params ps;
    std::string sql = std::string(kColumns) + visible_where({}, ps) + " AND p.id = " + ps.next();
    ps.add(id);
    auto r = c.query_one(sql, ps);
    if (!r) return std::nullopt;
    return post_from(*r);
  });
}

std::vector<std::pair<std::string, int64_t>> Posts::popular_tags(int limit) {
  return db_.read([&](db::Connection& c) {
    std::vector<std::pair<std::string, int64_t>> out;
    for (const auto& r : c.query(
             "SELECT tag, posts FROM wall_tag_counts ORDER BY posts DESC, tag LIMIT $1", {limit}))
      out.emplace_back(r.text("tag"), r.int64("posts"));
    return out;
  });
}

int Posts::refresh_tag_counts(int64_t now) {
  // Counted in a read transaction (seconds on a wall of a million posts), written in a
  // short one: SQLite's single writer is never held while counting.
  auto counts = db_.read([&](db::Connection& c) {
    db::Params ps;
    std::string sql = R"sql(
      SELECT pt.tag, count(*) AS n
        FROM posts p
        JOIN organisations o ON o.id = p.organisation_id
        LEFT JOIN sources s ON s.id = p.source_id
        JOIN post_tags pt ON pt.post_id = p.id)sql" +
                      visible_where({}, ps) + " AND p.sort_at >= " + ps.next() +
                      " GROUP BY pt.tag ORDER BY n DESC, pt.tag LIMIT 50";
    ps.add(now - kTagWindowSeconds);
    std::vector<std::pair<std::string, int64_t>> out;
    for (const auto& r : c.query(sql, ps)) out.emplace_back(r.text("tag"), r.int64("n"));
    return out;
  });
  db_.write([&](db::Connection& c) {
    c.execute("DELETE FROM wall_tag_counts");
    for (const auto& [tag, n] : counts) {
      c.execute("INSERT INTO wall_tag_counts (tag, posts, computed_at) VALUES ($1, $2, $3)",
                {tag, n, now});
    }
  });
  return static_cast<int>(counts.size());
}

Result<int64_t> Posts::submit(const Actor& a, int64_t org_id, const NewDirectPost& p, int64_t now) {
  return db_.write([&](db::Connection& c) -> Result<int64_t> {
    auto org = c.query_one(R"sql(
      SELECT o.status FROM organisations o
       WHERE o.id = $2
         AND ($3 = 1 OR EXISTS (SELECT 1 FROM user_roles ur
                                 WHERE ur.organisation_id = o.id AND ur.user_id = $1
                                   AND ur.role = 'org_admin')))sql",
                           {a.user_id, org_id, a.platform_admin ? 1 : 0});
    if (!org) return make_error("not_found", "no such organisation");
    std::string tags;
    for (const auto& t : p.tags) tags += (tags.empty() ? "" : " ") + t;
    std::string status = org->text("status") == "published" ? "visible" : "held";
    std::vector<std::string> words;
    for (const auto& r : c.query("SELECT word FROM wall_words")) words.push_back(r.text("word"));
    std::string word = matching_word(words, p.text);
    if (!word.empty()) status = "held";
    auto row = c.query_one(R"sql(
      INSERT INTO posts (organisation_id, source_id, guid, url, body, image_key, image_state,
                         image_alt, tags, published_at, sort_at, content_hash, status,
                         status_reason, created_by, fetched_at, updated_at)
      VALUES ($1, NULL, $2, $3, $4, $5, $6, $7, $8, $9, $9, '', $10, $12, $11, $9, $9) RETURNING id)sql",
                           {org_id, "direct:" + random::token(12), p.link, p.text, p.image_key,
                            std::string(p.image_key.empty() ? "none" : "done"), p.image_alt, tags,
                            now, status, a.user_id, word.empty() ? std::string() : "word:" + word});
    int64_t id = row->int64("id");
    for (const auto& t : p.tags) {
      c.execute(
          "INSERT INTO post_tags (post_id, tag, sort_at) VALUES ($1, $2, $3) ON CONFLICT DO "
          "NOTHING",
          {id, t, now});
    }
    return id;
  });
}

}  // namespace verbund::store
