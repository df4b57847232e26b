#include "store/source_store.hpp"

#include <algorithm>
#include <map>

#include "feeds/url.hpp"
#include "store/wall_moderation_store.hpp"

namespace verbund::store {

namespace {

constexpr const char* kColumns = R"sql(
  s.id, s.organisation_id, o.slug AS organisation_slug, o.name AS organisation_name, s.input,
  s.feed_url, s.host, s.kind, s.title, s.moderation, s.blocked_reason, s.etag, s.last_modified,
  s.next_fetch_at, s.interval_seconds, s.last_fetch_at, s.last_status, s.last_success_at,
  s.last_result, s.last_detail, s.failures, s.posts_found, s.created_at, s.paused_at)sql";

Source source_from(const db::Row& r) {
  Source s;
  s.id = r.int64("id");
  s.organisation_id = r.int64("organisation_id");
  s.organisation_slug = r.text("organisation_slug");
  s.organisation_name = r.text("organisation_name");
  s.input = r.text("input");
  s.feed_url = r.text("feed_url");
  s.host = r.text("host");
  s.kind = r.text("kind");
  s.title = r.text("title");
  s.moderation = r.text("moderation");
  s.blocked_reason = r.opt_text("blocked_reason");
  s.etag = r.text("etag");
  s.last_modified = r.text("last_modified");
  s.next_fetch_at = r.int64("next_fetch_at");
  s.interval_seconds = r.int64("interval_seconds");
  s.last_fetch_at = r.opt_int64("last_fetch_at");
  s.last_status = r.opt_int64("last_status");
  s.last_success_at = r.opt_int64("last_success_at");
  s.last_result = r.text("last_result");
  s.last_detail = r.text("last_detail");
  s.failures = r.int64("failures");
  s.posts_found = r.int64("posts_found");
  s.created_at = r.int64("created_at");
  s.paused = !r.is_null("paused_at");
  return s;
}

// The organisation when the actor administers it (or is a platform admin).
bool manages(db::Connection& c, const Actor& a, int64_t org_id) {
  return c
      .query_one(R"sql(
    SELECT 1 FROM organisations o
     WHERE o.id = $2
       AND ($3 = 1 OR EXISTS (SELECT 1 FROM user_roles ur
                               WHERE ur.organisation_id = o.id AND ur.user_id = $1
                                 AND ur.role = 'org_admin')))sql",
                 {a.user_id, org_id, a.platform_admin ? 1 : 0})
      .has_value();
}

// FNV-1a over the fields a reader sees: an edit at the source changes it.
std::string content_hash(const feeds::Post& p) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&](std::string_view s) {
    for (unsigned char ch : s) h = (h ^ ch) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL;
  };
  mix(p.title);
  mix(p.text);
  mix(p.url);
  mix(p.image);
  mix(p.image_alt);
  for (const auto& t : p.tags) mix(t);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string joined_tags(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& t : tags) {
    std::string one = t;
    std::replace(one.begin(), one.end(), ' ', '_');  // "kinder und jugend" stays one word
    if (!out.empty()) out += ' ';
    out += one;
  }
  return out;
}

void write_tags(db::Connection& c, int64_t post_id, const std::vector<std::string>& tags,
                int64_t sort_at) {
  c.execute("DELETE FROM post_tags WHERE post_id = $1", {post_id});
  std::vector<std::string> seen;
  for (const auto& t : tags) {
    if (t.empty() || t.size() > 100 || std::find(seen.begin(), seen.end(), t) != seen.end())
      continue;
    seen.push_back(t);
    if (seen.size() > 30) break;
    c.execute("INSERT INTO post_tags (post_id, tag, sort_at) VALUES ($1, $2, $3)",
              {post_id, t, sort_at});
  }
}

}  // namespace

RecordedFetch store_posts(db::Connection& c, int64_t org_id, int64_t source_id,
                          const std::string& moderation, const std::vector<feeds::Post>& posts,
                          int64_t now) {
  RecordedFetch out;
  const std::string initial_status = moderation == "hold" ? "held" : "visible";
  std::vector<std::string> words;
  for (const auto& r : c.query("SELECT word FROM wall_words")) words.push_back(r.text("word"));
  for (const auto& p : posts) {
    if (p.guid.empty()) continue;
    std::string hash = content_hash(p);
    // A word of the list holds the post for review, whatever the source's setting.
    std::string word = matching_word(words, p.title + "\n" + p.text);
    std::string image_state = p.image.empty() ? "none" : "pending";
    auto existing = c.query_one(
        "SELECT id, content_hash, image_source, status FROM posts WHERE source_id = $1 AND guid = "
        "$2",
        {source_id, p.guid});
    if (existing) {
      if (existing->text("content_hash") == hash) continue;
      // An edit at the source: the text follows; a moderator's decision stays.
      bool new_image = existing->text("image_source") != p.image;
      int64_t id = existing->int64("id");
      c.execute(R"sql(
        UPDATE posts SET url = $2, title = $3, body = $4, image_alt = $5, tags = $6, author = $7,
                         published_at = $8, content_hash = $9, updated_at = $10,
                         image_source = $11,
                         image_state = CASE WHEN $12 = 1 THEN $13 ELSE image_state END,
                         image_key = CASE WHEN $12 = 1 THEN '' ELSE image_key END,
                         status = CASE WHEN status = 'deleted' THEN $14
                                       WHEN status = 'visible' AND $15 <> '' THEN 'held'
                                       ELSE status END,
                         status_reason = CASE WHEN status = 'visible' AND $15 <> ''
                                              THEN $16 ELSE status_reason END
         WHERE id = $1)sql",
                {id, p.url, p.title, p.text, p.image_alt, joined_tags(p.tags), p.author,
                 p.published, hash, now, p.image, new_image ? 1 : 0, image_state,
                 word.empty() ? initial_status : std::string("held"), word, "word:" + word});
      auto sort_at = c.query_int("SELECT sort_at FROM posts WHERE id = $1", {id});
      write_tags(c, id, p.tags, sort_at);
      if (new_image && !p.image.empty()) out.posts_needing_images.emplace_back(id, p.image);
      ++out.updated;
      continue;
    }
    // Never later than first seen: a post dated in the future does not stick on top.
    int64_t sort_at = p.published ? std::min(*p.published, now) : now;
    auto row =
        c.query_one(R"sql(
      INSERT INTO posts (organisation_id, source_id, guid, url, canonical_url, title, body,
                         image_source, image_state, image_alt, tags, author, published_at,
                         sort_at, content_hash, status, status_reason, fetched_at, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $18, $17, $17)
      ON CONFLICT DO NOTHING RETURNING id)sql",
                    {org_id, source_id, p.guid, p.url, feeds::canonical_url(p.url), p.title, p.text,
                     p.image, image_state, p.image_alt, joined_tags(p.tags), p.author, p.published,
                     sort_at, hash, word.empty() ? initial_status : std::string("held"), now,
                     word.empty() ? std::string() : "word:" + word});
    if (!row) continue;  // the same post by its link, from another source of the organisation
    write_tags(c, row->int64("id"), p.tags, sort_at);
    if (!p.image.empty()) out.posts_needing_images.emplace_back(row->int64("id"), p.image);
    ++out.inserted;
  }
  return out;
}

Result<Source> Sources::add(const Actor& a, int64_t org_id, const NewSource& s,
                            const std::vector<feeds::Post>& first_posts, int64_t now) {
  std::string host = feeds::url_host(s.feed_url);
  try {
    return db_.write([&](db::Connection& c) -> Result<Source> {
      if (!manages(c, a, org_id)) return make_error("not_found", "no such organisation");
      // The organisation's row serialises its adds, so the limit holds under races.
      c.query("SELECT id FROM organisations WHERE id = $1" +
                  std::string(c.dialect() == db::Dialect::postgres ? " FOR UPDATE" : ""),
              {org_id});
      if (c.query_int("SELECT count(*) FROM sources WHERE organisation_id = $1", {org_id}) >=
          kMaxSourcesPerOrg) {
        return make_error("limit", "too many sources");
      }
      c.execute("INSERT INTO feed_hosts (host) VALUES ($1) ON CONFLICT DO NOTHING", {host});
      auto row = db::with_savepoint(c, [&] {
        return c.query_one(R"sql(
          INSERT INTO sources (organisation_id, input, feed_url, host, kind, title, moderation,
                               etag, last_modified, next_fetch_at, last_fetch_at, last_result,
                               last_status, last_success_at, created_by, created_at)
          SELECT $1, $2, $3, $4, $5, $6,
                 CASE WHEN $7 <> '' THEN $7 WHEN o.status = 'published' THEN 'publish'
                      ELSE 'hold' END,
                 $8, $9, $10, $11, 'ok', 200, $11, $12, $11
            FROM organisations o WHERE o.id = $1
          RETURNING id, moderation)sql",
                           {org_id, s.input, s.feed_url, host, s.kind, s.title, s.moderation,
                            s.etag, s.last_modified, s.next_fetch_at, now,
                            a.user_id > 0 ? std::optional<int64_t>(a.user_id) : std::nullopt});
      });
      int64_t id = row->int64("id");
      auto stored = store_posts(c, org_id, id, row->text("moderation"), first_posts, now);
      c.execute("UPDATE sources SET posts_found = $2 WHERE id = $1", {id, stored.inserted});
      return source_from(*c.query_one(std::string("SELECT ") + kColumns +
                                          " FROM sources s JOIN organisations o ON o.id = "
                                          "s.organisation_id WHERE s.id = $1",
                                      {id}));
    });
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::unique) return make_error("duplicate", "source exists");
    throw;
  }
}

std::vector<Source> Sources::of_organisation(const Actor& a, int64_t org_id) {
  return db_.read([&](db::Connection& c) {
    std::vector<Source> out;
    if (!manages(c, a, org_id)) return out;
    for (const auto& r : c.query(std::string("SELECT ") + kColumns +
                                     " FROM sources s JOIN organisations o ON o.id = "
                                     "s.organisation_id WHERE s.organisation_id = $1 ORDER BY s.id",
                                 {org_id}))
      out.push_back(source_from(r));
    return out;
  });
}

std::optional<Source> Sources::find(const Actor& a, int64_t org_id, int64_t source_id) {
  return db_.read([&](db::Connection& c) -> std::optional<Source> {
    if (!manages(c, a, org_id)) return std::nullopt;
    auto r = c.query_one(std::string("SELECT ") + kColumns +
                             " FROM sources s JOIN organisations o ON o.id = s.organisation_id "
                             "WHERE s.organisation_id = $1 AND s.id = $2",
                         {org_id, source_id});
    if (!r) return std::nullopt;
    return source_from(*r);
  });
}

Status Sources::remove(const Actor& a, int64_t org_id, int64_t source_id) {
  return db_.write([&](db::Connection& c) -> Status {
    if (!manages(c, a, org_id)) return make_error("not_found", "no such source");
    if (c.execute("DELETE FROM sources WHERE organisation_id = $1 AND id = $2",
                  {org_id, source_id}) == 0)
      return make_error("not_found", "no such source");
    return Ok{};
  });
}

Status Sources::set_moderation(const Actor& a, int64_t org_id, int64_t source_id,
                               const std::string& moderation) {
  if (moderation != "publish" && moderation != "hold") return make_error("invalid", "moderation");
  return db_.write([&](db::Connection& c) -> Status {
    if (!manages(c, a, org_id)) return make_error("not_found", "no such source");
    if (c.execute("UPDATE sources SET moderation = $3 WHERE organisation_id = $1 AND id = $2",
                  {org_id, source_id, moderation}) == 0)
      return make_error("not_found", "no such source");
    return Ok{};
  });
}

std::vector<Source> Sources::claim_due(const std::string& node, int64_t now, int limit,
                                       int per_host, int64_t lease_seconds) {
  return db_.write(db::Isolation::read_committed, [&](db::Connection& c) {
    bool pg = c.dialect() == db::Dialect::postgres;
    std::vector<Source> out;
    // Candidates: due, unblocked, not leased; other claimers skip rows we hold.
    auto due = c.query(std::string(R"sql(
      SELECT id, host FROM sources
       WHERE next_fetch_at <= $1 AND blocked_reason IS NULL AND paused_at IS NULL
         AND (lease_until IS NULL OR lease_until < $1)
       ORDER BY next_fetch_at, id LIMIT $2)sql") +
                           (pg ? " FOR UPDATE SKIP LOCKED" : ""),
                       {now, limit * 4});
    if (due.empty()) return out;
    std::map<std::string, std::vector<int64_t>> by_host;
    for (const auto& r : due) by_host[r.text("host")].push_back(r.int64("id"));
    std::vector<int64_t> chosen;
    for (auto& [host, ids] : by_host) {
      // The host's row is the lock under which its leases are counted (see header).
      if (pg) c.query("SELECT host FROM feed_hosts WHERE host = $1 FOR UPDATE", {host});
      int64_t busy = c.query_int(
          "SELECT count(*) FROM sources WHERE host = $1 AND lease_until >= $2", {host, now});
      for (int64_t id : ids) {
        if (busy >= per_host || static_cast<int>(chosen.size()) >= limit) break;
        chosen.push_back(id);
        ++busy;
      }
      if (static_cast<int>(chosen.size()) >= limit) break;
    }
    if (chosen.empty()) return out;
    c.execute("UPDATE sources SET lease_until = $1, leased_by = $2 WHERE id " + db::in_ints(c, 3),
              {now + lease_seconds, node, db::IntList(chosen)});
    for (const auto& r : c.query(std::string("SELECT ") + kColumns +
                                     " FROM sources s JOIN organisations o ON o.id = "
                                     "s.organisation_id WHERE s.id " +
                                     db::in_ints(c, 1) + " ORDER BY s.next_fetch_at, s.id",
                                 {db::IntList(chosen)}))
      out.push_back(source_from(r));
    return out;
  });
}

std::optional<RecordedFetch> Sources::record_fetch(int64_t source_id, const std::string& node,
                                                   const FetchOutcome& o, int64_t now,
                                                   const SourceComposer& failure_mail) {
  return db_.write(
      db::Isolation::read_committed, [&](db::Connection& c) -> std::optional<RecordedFetch> {
        auto src = c.query_one(std::string(R"sql(
      SELECT organisation_id, moderation, failures, failure_mailed_at FROM sources
       WHERE id = $1 AND leased_by = $2)sql") +
                                   (c.dialect() == db::Dialect::postgres ? " FOR UPDATE" : ""),
                               {source_id, node});
        if (!src) return std::nullopt;  // the lease ran out and another node took it
        RecordedFetch out;
        bool success = o.result == "ok" || o.result == "not_modified";
        if (o.result == "ok") {
          out = store_posts(c, src->int64("organisation_id"), source_id, src->text("moderation"),
                            o.posts, now);
          for (const auto& guid : o.deleted) {
            out.deleted += c.execute(
                "UPDATE posts SET status = 'deleted', status_at = $3, updated_at = $3 "
                "WHERE source_id = $1 AND guid = $2 AND status <> 'deleted'",
                {source_id, guid, now});
          }
        }
        // Images still to fetch: new ones, and those of posts stored when the source was added.
        out.posts_needing_images.clear();
        for (const auto& r : c.query("SELECT id, image_source FROM posts WHERE source_id = $1 AND "
                                     "image_state = 'pending' "
                                     "ORDER BY id LIMIT 20",
                                     {source_id}))
          out.posts_needing_images.emplace_back(r.int64("id"), r.text("image_source"));
        int64_t failures = success ? 0 : src->int64("failures") + 1;
        out.failure_mail_due =
            !success && failures >= kFailuresBeforeMail && src->is_null("failure_mailed_at");
        c.execute(
            R"sql(
      UPDATE sources SET lease_until = NULL, leased_by = NULL, last_fetch_at = $2,
                         last_result = $3, last_detail = $4, last_status = $5,
                         etag = CASE WHEN $6 = 1 THEN $7 ELSE etag END,
                         last_modified = CASE WHEN $6 = 1 THEN $8 ELSE last_modified END,
                         next_fetch_at = $9, interval_seconds = $10, failures = $11,
                         last_success_at = CASE WHEN $12 = 1 THEN $2 ELSE last_success_at END,
                         failure_mailed_at = CASE WHEN $12 = 1 THEN NULL
                                                  WHEN $13 = 1 THEN $2 ELSE failure_mailed_at END,
                         posts_found = posts_found + $14
       WHERE id = $1)sql",
            {source_id, now, o.result, o.detail.substr(0, 500), o.http_status,
             o.result == "ok" ? 1 : 0, o.etag, o.last_modified, o.next_fetch_at, o.interval_seconds,
             failures, success ? 1 : 0, out.failure_mail_due ? 1 : 0, out.inserted});
        if (out.failure_mail_due && failure_mail) {
          Source source =
              source_from(*c.query_one(std::string("SELECT ") + kColumns +
                                           " FROM sources s JOIN organisations o ON o.id = "
                                           "s.organisation_id WHERE s.id = $1",
                                       {source_id}));
          for (const auto& r : c.query(R"sql(
          SELECT u.email, u.locale, u.display_name FROM users u
            JOIN user_roles ur ON ur.user_id = u.id
           WHERE ur.role = 'org_admin' AND ur.organisation_id = $1 AND u.disabled_at IS NULL
           ORDER BY u.id)sql",
                                       {source.organisation_id})) {
            Addressee to{r.text("email"), r.text("locale"), r.text("display_name")};
            queue_mail(c, failure_mail(to, source, o), now, mail_attempts_);
          }
        }
        return out;
      });
}

void Sources::set_post_image(int64_t post_id, const std::string& key) {
  db_.write([&](db::Connection& c) {
    c.execute("UPDATE posts SET image_key = $2, image_state = $3 WHERE id = $1",
              {post_id, key, std::string(key.empty() ? "failed" : "done")});
  });
}

void Sources::make_all_due(int64_t now) {
  db_.write([&](db::Connection& c) { c.execute("UPDATE sources SET next_fetch_at = $1", {now}); });
}

int64_t Sources::due_count(int64_t now) {
  return db_.read([&](db::Connection& c) {
    return c.query_int(
        "SELECT count(*) FROM sources WHERE next_fetch_at <= $1 AND blocked_reason IS NULL "
        "AND paused_at IS NULL",
        {now});
  });
}

}  // namespace verbund::store
