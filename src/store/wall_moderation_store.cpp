#include "store/wall_moderation_store.hpp"

#include <algorithm>

#include "feeds/html_text.hpp"
#include "store/job_store.hpp"
#include "store/post_store.hpp"

namespace verbund::store {

namespace {

// Moderates the organisation `o`: platform admins, or editors of its association.
constexpr const char* kModerates = R"sql(
  ($2 = 1 OR EXISTS (SELECT 1 FROM user_roles ur
                      WHERE ur.user_id = $1 AND ur.role = 'regional_editor'
                        AND ur.region_id = o.region_id)))sql";

constexpr const char* kAdministers = R"sql(
  EXISTS (SELECT 1 FROM user_roles ua
           WHERE ua.user_id = $1 AND ua.role = 'org_admin' AND ua.organisation_id = o.id))sql";

constexpr const char* kItemColumns = R"sql(
  SELECT p.id, p.organisation_id, o.slug AS organisation_slug, o.name AS organisation_name,
         o.logo_key AS organisation_logo, COALESCE(s.kind, 'direct') AS kind, p.url, p.title,
         p.body, p.image_key, p.image_alt, p.tags, p.status, p.published_at, p.sort_at,
         p.status_reason, COALESCE(p.source_id, 0) AS source_id, COALESCE(s.title, '') AS source_title,
         (s.blocked_reason IS NOT NULL) AS source_blocked,
         (SELECT count(*) FROM post_reports r WHERE r.post_id = p.id AND r.resolved_at IS NULL) AS open_reports
    FROM posts p
    JOIN organisations o ON o.id = p.organisation_id
    LEFT JOIN sources s ON s.id = p.source_id)sql";

ModerationItem item_from(db::Connection& c, const db::Row& r) {
  ModerationItem m;
  m.post.id = r.int64("id");
  m.post.organisation_id = r.int64("organisation_id");
  m.post.organisation_slug = r.text("organisation_slug");
  m.post.organisation_name = r.text("organisation_name");
  m.post.organisation_logo = r.text("organisation_logo");
  m.post.kind = r.text("kind");
  m.post.url = r.text("url");
  m.post.title = r.text("title");
  m.post.body = r.text("body");
  m.post.image_key = r.text("image_key");
  m.post.image_alt = r.text("image_alt");
  m.post.tags = r.text("tags");
  m.post.status = r.text("status");
  m.post.published_at = r.opt_int64("published_at");
  m.post.sort_at = r.int64("sort_at");
  m.status_reason = r.text("status_reason");
  m.source_id = r.int64("source_id");
  m.source_title = r.text("source_title");
  m.source_blocked = r.boolean("source_blocked");
  m.open_reports = r.int64("open_reports");
  if (m.open_reports > 0) {
    for (const auto& rr : c.query("SELECT reason FROM post_reports WHERE post_id = $1 AND "
                                  "resolved_at IS NULL ORDER BY id",
                                  {m.post.id}))
      m.report_reasons.push_back(rr.text("reason"));
  }
  return m;
}

void log_step(db::Connection& c, std::optional<int64_t> post_id, std::optional<int64_t> source_id,
              int64_t org_id, const char* action, const std::string& reason, int64_t actor,
              int64_t now) {
  c.execute(R"sql(
    INSERT INTO wall_moderation_log (post_id, source_id, organisation_id, action, reason, actor_id,
                                     created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7))sql",
            {post_id, source_id, org_id, std::string(action), reason.substr(0, 1000),
             actor > 0 ? std::optional<int64_t>(actor) : std::nullopt, now});
  // What the wall shows changed: count its hashtags again soon (one queued count is
  // enough; a second one from a race only counts twice).
  std::string_view a(action);
  if (a == "hide" || a == "unhide" || a == "approve" || a == "block" || a == "unblock") {
    bool queued = c.query_one(
                       "SELECT 1 FROM jobs WHERE kind = $1 AND state = 'queued' AND "
                       "locked_by IS NULL",
                       {std::string(Posts::kTagCountsJob)})
                      .has_value();
    if (!queued) enqueue_job(c, Posts::kTagCountsJob, "", now, 3);
  }
}

// Who the actor is for the post's organisation: "moderation", "organisation" or "".
std::string role_for_post(db::Connection& c, const Actor& a, int64_t post_id, int64_t& org_id) {
  auto r = c.query_one(std::string(R"sql(
    SELECT o.id, )sql") + kModerates +
                           " AS moderates, " + kAdministers + R"sql( AS administers
      FROM posts p JOIN organisations o ON o.id = p.organisation_id
     WHERE p.id = $3)sql",
                       {a.user_id, a.platform_admin ? 1 : 0, post_id});
  if (!r) return "";
  org_id = r->int64("id");
  if (r->boolean("moderates")) return "moderation";
  if (r->boolean("administers")) return "organisation";
  return "";
}

std::string lower(std::string_view s) { return feeds::normalise_tag(s); }

}  // namespace

std::string matching_word(const std::vector<std::string>& words, std::string_view text) {
  if (words.empty()) return "";
  // Lower case with umlauts, then whole-word search: "Hass" holds "hass" but not "Hasso".
  std::string t;
  t.reserve(text.size());
  std::string low = feeds::normalise_tag(text.substr(0, 20000));
  for (const auto& w : words) {
    if (w.empty()) continue;
    for (auto at = low.find(w); at != std::string::npos; at = low.find(w, at + 1)) {
      auto letter = [](unsigned char ch) { return std::isalnum(ch) || ch >= 0x80; };
      bool start = at == 0 || !letter(static_cast<unsigned char>(low[at - 1]));
      bool end =
          at + w.size() >= low.size() || !letter(static_cast<unsigned char>(low[at + w.size()]));
      if (start && end) return w;
    }
  }
  return "";
}

bool WallModeration::is_moderator(const Actor& a) {
  if (a.platform_admin) return true;
  return db_.read([&](db::Connection& c) {
    return c.query_int(
               "SELECT count(*) FROM user_roles WHERE user_id = $1 AND role = 'regional_editor'",
               {a.user_id}) > 0;
  });
}

std::vector<ModerationItem> WallModeration::queue(const Actor& a, int limit) {
  return db_.read([&](db::Connection& c) {
    std::vector<ModerationItem> out;
    for (const auto& r : c.query(std::string(kItemColumns) + " WHERE " + kModerates + R"sql(
         AND (p.status = 'held'
              OR (p.status = 'visible' AND EXISTS (SELECT 1 FROM post_reports r
                                                     WHERE r.post_id = p.id AND r.resolved_at IS NULL)))
       ORDER BY p.sort_at, p.id LIMIT $3)sql",
                                 {a.user_id, a.platform_admin ? 1 : 0, limit}))
      out.push_back(item_from(c, r));
    return out;
  });
}

std::vector<ModerationItem> WallModeration::hidden(const Actor& a, int limit) {
  return db_.read([&](db::Connection& c) {
    std::vector<ModerationItem> out;
    for (const auto& r : c.query(std::string(kItemColumns) + " WHERE " + kModerates + R"sql(
         AND p.status = 'hidden' AND p.hidden_by_role = 'moderation'
       ORDER BY p.status_at DESC, p.id DESC LIMIT $3)sql",
                                 {a.user_id, a.platform_admin ? 1 : 0, limit}))
      out.push_back(item_from(c, r));
    return out;
  });
}

std::vector<BlockedSource> WallModeration::blocked_sources(const Actor& a, int limit) {
  return db_.read([&](db::Connection& c) {
    std::vector<BlockedSource> out;
    for (const auto& r : c.query(std::string(R"sql(
      SELECT s.id, s.title, s.feed_url, o.name, s.blocked_reason, s.blocked_at
        FROM sources s JOIN organisations o ON o.id = s.organisation_id
       WHERE s.blocked_reason IS NOT NULL AND )sql") +
                                     kModerates + " ORDER BY s.blocked_at DESC, s.id DESC LIMIT $3",
                                 {a.user_id, a.platform_admin ? 1 : 0, limit})) {
      BlockedSource b;
      b.id = r.int64("id");
      b.title = r.text("title");
      b.feed_url = r.text("feed_url");
      b.organisation_name = r.text("name");
      b.reason = r.text("blocked_reason");
      b.blocked_at = r.opt_int64("blocked_at").value_or(0);
      out.push_back(std::move(b));
    }
    return out;
  });
}

std::vector<ModerationItem> WallModeration::organisation_posts(const Actor& a, int64_t org_id,
                                                               int limit) {
  return db_.read([&](db::Connection& c) {
    std::vector<ModerationItem> out;
    for (const auto& r :
         c.query(std::string(kItemColumns) + " WHERE p.organisation_id = $3 AND ($2 = 1 OR " +
                     kAdministers +
                     ") AND p.status <> 'deleted' ORDER BY p.sort_at DESC, p.id DESC LIMIT $4",
                 {a.user_id, a.platform_admin ? 1 : 0, org_id, limit}))
      out.push_back(item_from(c, r));
    return out;
  });
}

Status WallModeration::hide(const Actor& a, int64_t post_id, const std::string& reason,
                            int64_t now) {
  return db_.write([&](db::Connection& c) -> Status {
    int64_t org_id = 0;
    std::string role = role_for_post(c, a, post_id, org_id);
    if (role.empty()) return make_error("not_found", "no such post");
    if (role == "moderation" && reason.empty()) return make_error("reason_missing", "reason");
    c.execute(R"sql(
      UPDATE posts SET status = 'hidden', status_reason = $2, status_by = $3, status_at = $4,
                       hidden_by_role = $5
       WHERE id = $1 AND status <> 'deleted')sql",
              {post_id, reason.substr(0, 1000), a.user_id, now, role});
    c.execute(
        "UPDATE post_reports SET resolved_at = $2, resolved_by = $3 WHERE post_id = $1 AND "
        "resolved_at IS NULL",
        {post_id, now, a.user_id});
    log_step(c, post_id, std::nullopt, org_id, "hide", reason, a.user_id, now);
    return Ok{};
  });
}

Status WallModeration::show(const Actor& a, int64_t post_id, int64_t now) {
  return db_.write([&](db::Connection& c) -> Status {
    int64_t org_id = 0;
    std::string role = role_for_post(c, a, post_id, org_id);
    if (role.empty()) return make_error("not_found", "no such post");
    auto p = c.query_one("SELECT status, hidden_by_role FROM posts WHERE id = $1", {post_id});
    std::string status = p->text("status");
    // What a moderator hid, or what waits for review, only a moderator releases.
    if (role == "organisation" && (status == "held" || p->text("hidden_by_role") == "moderation")) {
      return make_error("not_found", "not yours to show");
    }
    if (status != "hidden" && status != "held") return Ok{};
    c.execute(R"sql(
      UPDATE posts SET status = 'visible', status_reason = '', status_by = $2, status_at = $3,
                       hidden_by_role = '' WHERE id = $1)sql",
              {post_id, a.user_id, now});
    log_step(c, post_id, std::nullopt, org_id, status == "held" ? "approve" : "unhide", "",
             a.user_id, now);
    return Ok{};
  });
}

Status WallModeration::block_source(const Actor& a, int64_t source_id, const std::string& reason,
                                    int64_t now) {
  if (reason.empty()) return make_error("reason_missing", "reason");
  return db_.write([&](db::Connection& c) -> Status {
    auto s = c.query_one(
        std::string("SELECT o.id FROM sources s JOIN organisations o ON o.id = s.organisation_id "
                    "WHERE s.id = $3 AND ") +
            kModerates,
        {a.user_id, a.platform_admin ? 1 : 0, source_id});
    if (!s) return make_error("not_found", "no such source");
    c.execute(
        "UPDATE sources SET blocked_reason = $2, blocked_by = $3, blocked_at = $4 WHERE id = $1",
        {source_id, reason.substr(0, 1000), a.user_id, now});
    log_step(c, std::nullopt, source_id, s->int64("id"), "block", reason, a.user_id, now);
    return Ok{};
  });
}

Status WallModeration::unblock_source(const Actor& a, int64_t source_id, int64_t now) {
  return db_.write([&](db::Connection& c) -> Status {
    auto s = c.query_one(
        std::string("SELECT o.id FROM sources s JOIN organisations o ON o.id = s.organisation_id "
                    "WHERE s.id = $3 AND ") +
            kModerates,
        {a.user_id, a.platform_admin ? 1 : 0, source_id});
    if (!s) return make_error("not_found", "no such source");
    c.execute(
        "UPDATE sources SET blocked_reason = NULL, blocked_by = NULL, blocked_at = NULL, "
        "next_fetch_at = $2 WHERE id = $1",
        {source_id, now});
    log_step(c, std::nullopt, source_id, s->int64("id"), "unblock", "", a.user_id, now);
    return Ok{};
  });
}

Status WallModeration::dismiss_reports(const Actor& a, int64_t post_id, int64_t now) {
  return db_.write([&](db::Connection& c) -> Status {
    int64_t org_id = 0;
    if (role_for_post(c, a, post_id, org_id) != "moderation")
      return make_error("not_found", "no such post");
    c.execute(
        "UPDATE post_reports SET resolved_at = $2, resolved_by = $3 WHERE post_id = $1 AND "
        "resolved_at IS NULL",
        {post_id, now, a.user_id});
    log_step(c, post_id, std::nullopt, org_id, "dismiss", "", a.user_id, now);
    return Ok{};
  });
}

Status WallModeration::report(int64_t user_id, int64_t post_id, const std::string& reason,
                              const std::string& note, int64_t now) {
  if (std::find(std::begin(kReportReasons), std::end(kReportReasons), reason) ==
      std::end(kReportReasons))
    return make_error("invalid", "reason");
  try {
    return db_.write([&](db::Connection& c) -> Status {
      if (!c.query_one("SELECT 1 FROM posts WHERE id = $1 AND status = 'visible'", {post_id}))
        return make_error("not_found", "no such post");
      c.execute(
          "INSERT INTO post_reports (post_id, reporter_id, reason, note, created_at) VALUES ($1, "
          "$2, $3, $4, $5)",
          {post_id, user_id, reason, note.substr(0, 1000), now});
      return Ok{};
    });
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::unique) return make_error("already_reported", "reported");
    throw;
  }
}

std::vector<std::string> WallModeration::words() {
  return db_.read([](db::Connection& c) {
    std::vector<std::string> out;
    for (const auto& r : c.query("SELECT word FROM wall_words ORDER BY word"))
      out.push_back(r.text("word"));
    return out;
  });
}

Status WallModeration::set_words(const Actor& a, const std::vector<std::string>& words,
                                 int64_t now) {
  if (!a.platform_admin) return make_error("not_found", "platform admins only");
  return db_.write([&](db::Connection& c) -> Status {
    c.execute("DELETE FROM wall_words");
    for (const auto& w : words) {
      std::string word = lower(w);
      if (word.empty() || word.size() > 100) continue;
      c.execute(
          "INSERT INTO wall_words (word, created_by, created_at) VALUES ($1, $2, $3) ON CONFLICT "
          "DO NOTHING",
          {word, a.user_id, now});
    }
    return Ok{};
  });
}

std::vector<ModerationLogEntry> WallModeration::log(const Actor& a, int limit) {
  return db_.read([&](db::Connection& c) {
    std::vector<ModerationLogEntry> out;
    for (const auto& r : c.query(std::string(R"sql(
        SELECT l.action, l.reason, COALESCE(u.display_name, '') AS actor_name, o.name AS organisation_name,
               COALESCE(l.post_id, 0) AS post_id, COALESCE(l.source_id, 0) AS source_id, l.created_at
          FROM wall_moderation_log l
          JOIN organisations o ON o.id = l.organisation_id
          LEFT JOIN users u ON u.id = l.actor_id
         WHERE )sql") + kModerates + " ORDER BY l.created_at DESC, l.id DESC LIMIT $3",
                                 {a.user_id, a.platform_admin ? 1 : 0, limit})) {
      out.push_back({r.text("action"), r.text("reason"), r.text("actor_name"),
                     r.text("organisation_name"), r.int64("post_id"), r.int64("source_id"),
                     r.int64("created_at")});
    }
    return out;
  });
}

KioskState WallModeration::kiosk(const std::string& name) {
  return db_.read([&](db::Connection& c) {
    KioskState k;
    k.name = name;
    auto r = c.query_one("SELECT speed, paused, blank, version FROM wall_kiosks WHERE name = $1",
                         {name});
    if (r) {
      k.speed = r->text("speed");
      k.paused = r->int64("paused") != 0;
      k.blank = r->int64("blank") != 0;
      k.version = r->int64("version");
    }
    return k;
  });
}

Result<KioskState> WallModeration::control_kiosk(const Actor& a, const std::string& name,
                                                 const std::string& action, int64_t now) {
  static const char* actions[] = {"pause", "play", "slower", "faster", "blank", "show"};
  if (std::find(std::begin(actions), std::end(actions), action) == std::end(actions))
    return make_error("invalid", "action");
  if (!is_moderator(a)) return make_error("not_found", "moderators only");
  db_.write([&](db::Connection& c) {
    c.execute("INSERT INTO wall_kiosks (name, updated_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
              {name, now});
    // One statement per change: two phones pressing at once both count.
    std::string set = action == "pause"   ? "paused = 1"
                      : action == "play"  ? "paused = 0"
                      : action == "blank" ? "blank = 1"
                      : action == "show"  ? "blank = 0"
                      : action == "slower"
                          ? "speed = CASE speed WHEN 'fast' THEN 'normal' ELSE 'slow' END"
                          : "speed = CASE speed WHEN 'slow' THEN 'normal' ELSE 'fast' END";
    c.execute("UPDATE wall_kiosks SET " + set +
                  ", version = version + 1, updated_by = $2, updated_at = $3 WHERE name = $1",
              {name, a.user_id, now});
  });
  return kiosk(name);
}

}  // namespace verbund::store
