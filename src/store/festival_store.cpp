#include "store/festival_store.hpp"

#include <algorithm>

#include "core/time.hpp"
#include "model/organisation.hpp"
#include "store/event_rows.hpp"

namespace verbund::store {

namespace {

constexpr const char* kFestivalColumns = R"sql(
  SELECT id, slug, title, summary, description, starts_at, ends_at, submission_opens_at,
         submission_closes_at, review_closes_at, decisions_by, anonymous_review
    FROM festivals)sql";

Festival festival_from(db::Connection& c, const db::Row& r) {
  Festival f;
  f.id = r.int64("id");
  f.slug = r.text("slug");
  f.title = r.text("title");
  f.summary = r.text("summary");
  f.description = r.text("description");
  f.starts_at = r.int64("starts_at");
  f.ends_at = r.int64("ends_at");
  f.submission_opens_at = r.int64("submission_opens_at");
  f.submission_closes_at = r.int64("submission_closes_at");
  f.review_closes_at = r.int64("review_closes_at");
  f.decisions_by = r.int64("decisions_by");
  f.anonymous_review = r.int64("anonymous_review") != 0;
  for (const auto& k : c.query(
           "SELECT id, name FROM festival_categories WHERE festival_id = $1 ORDER BY position, id",
           {f.id}))
    f.categories.push_back({k.int64("id"), k.text("name")});
  return f;
}

// The proposal's columns; `$U` in `mine` is the asking reviewer.
std::string proposal_select(const std::string& mine = "0") {
  return R"sql(
  SELECT p.id, p.festival_id, p.organisation_id, o.name AS organisation_name,
         o.slug AS organisation_slug, p.region_id, COALESCE(rg.name, '') AS region_name,
         p.submitted_by, COALESCE(u.display_name, '') AS submitter_name,
         COALESCE(u.email, '') AS submitter_email, COALESCE(u.locale, 'de') AS submitter_locale,
         p.title, p.abstract, p.kind, p.format, p.topic, p.speakers, p.notes,
         p.duration_minutes, p.status, p.decision_reason, p.decision_comments, p.decided_at,
         p.event_id, COALESCE(ev.slug, '') AS event_slug, p.created_at, p.updated_at,
         (SELECT count(*) FROM proposal_reviews pr WHERE pr.proposal_id = p.id) AS reviews,
         (SELECT avg(CAST(s.score AS REAL)) FROM proposal_reviews pr
            JOIN review_scores s ON s.review_id = pr.id WHERE pr.proposal_id = p.id) AS average,
         )sql" +
         mine + R"sql( AS mine
    FROM proposals p
    JOIN organisations o ON o.id = p.organisation_id
    LEFT JOIN regions rg ON rg.id = p.region_id
    LEFT JOIN users u ON u.id = p.submitted_by
    LEFT JOIN events ev ON ev.id = p.event_id)sql";
}

Proposal proposal_from(const db::Row& r) {
  Proposal p;
  p.id = r.int64("id");
  p.festival_id = r.int64("festival_id");
  p.organisation_id = r.int64("organisation_id");
  p.organisation_name = r.text("organisation_name");
  p.organisation_slug = r.text("organisation_slug");
  p.region_id = r.opt_int64("region_id");
  p.region_name = r.text("region_name");
  p.submitted_by = r.opt_int64("submitted_by");
  p.submitter_name = r.text("submitter_name");
  p.submitter_email = r.text("submitter_email");
  p.submitter_locale = r.text("submitter_locale");
  p.title = r.text("title");
  p.abstract = r.text("abstract");
  p.kind = r.text("kind");
  p.format = r.text("format");
  p.topic = r.text("topic");
  p.speakers = r.text("speakers");
  p.notes = r.text("notes");
  p.duration_minutes = r.int64("duration_minutes");
  p.status = r.text("status");
  p.decision_reason = r.text("decision_reason");
  p.decision_comments = r.text("decision_comments");
  p.decided_at = r.opt_int64("decided_at");
  p.event_id = r.opt_int64("event_id");
  p.event_slug = r.text("event_slug");
  p.created_at = r.int64("created_at");
  p.updated_at = r.int64("updated_at");
  p.reviews = r.int64("reviews");
  p.average = r.opt_double("average");
  p.reviewed_by_me = r.int64("mine") != 0;
  return p;
}

// The reviewer $U may review proposal p: in an assignment's region and topic, and not
// of an organisation the reviewer belongs to.
std::string in_scope(const std::string& u) {
  return "EXISTS (SELECT 1 FROM festival_reviewers fr WHERE fr.festival_id = p.festival_id "
         "AND fr.user_id = " +
         u +
         " AND (fr.region_id IS NULL OR fr.region_id = p.region_id) "
         "AND (fr.topic = '' OR fr.topic = p.topic)) "
         "AND NOT EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = " +
         u + " AND ur.organisation_id = p.organisation_id)";
}

std::string mine_column(const std::string& u) {
  return "(SELECT count(*) FROM proposal_reviews m WHERE m.proposal_id = p.id AND m.reviewer_id "
         "= " +
         u + ")";
}

// Each proposal's average per category.
void load_averages(db::Connection& c, std::vector<Proposal>& ps) {
  if (ps.empty()) return;
  std::vector<int64_t> ids;
  for (const auto& p : ps) ids.push_back(p.id);
  for (const auto& r :
       c.query("SELECT pr.proposal_id, s.category_id, avg(CAST(s.score AS REAL)) AS a "
               "FROM proposal_reviews pr JOIN review_scores s ON s.review_id = pr.id "
               "WHERE pr.proposal_id " +
                   db::in_ints(c, 1) + " GROUP BY pr.proposal_id, s.category_id",
               {db::IntList(ids)})) {
    for (auto& p : ps)
      if (p.id == r.int64("proposal_id")) p.averages[r.int64("category_id")] = r.real("a");
  }
}

std::vector<Review> reviews_where(db::Connection& c, const std::string& where,
                                  const db::Params& ps) {
  std::vector<Review> out;
  for (const auto& r :
       c.query("SELECT pr.id, pr.proposal_id, pr.reviewer_id, u.display_name, pr.comment, "
               "pr.updated_at FROM proposal_reviews pr JOIN users u ON u.id = pr.reviewer_id "
               "WHERE " +
                   where + " ORDER BY pr.id",
               ps)) {
    Review v{r.int64("id"),          r.int64("proposal_id"), r.int64("reviewer_id"),
             r.text("display_name"), r.text("comment"),      {},
             r.int64("updated_at")};
    for (const auto& s :
         c.query("SELECT category_id, score FROM review_scores WHERE review_id = $1", {v.id}))
      v.scores[s.int64("category_id")] = static_cast<int>(s.int64("score"));
    out.push_back(std::move(v));
  }
  return out;
}

bool valid_choice(const std::string& v, std::initializer_list<const char*> allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return v == a; });
}

}  // namespace

std::string festival_phase(const Festival& f, int64_t now) {
  if (now < f.submission_opens_at) return "announced";
  if (now < f.submission_closes_at) return "submission";
  if (now < f.review_closes_at) return "review";
  if (now < f.starts_at) return "decision";
  if (now < f.ends_at) return "running";
  return "over";
}

Result<int64_t> Festivals::create(const NewFestival& f, int64_t now) {
  if (f.title.empty() || f.slug.empty()) return make_error("invalid", "title and slug");
  if (f.categories.empty() || f.categories.size() > 8)
    return make_error("invalid", "1 to 8 categories");
  if (!(f.submission_opens_at < f.submission_closes_at &&
        f.submission_closes_at <= f.review_closes_at && f.review_closes_at <= f.decisions_by &&
        f.decisions_by <= f.starts_at && f.starts_at < f.ends_at))
    return make_error("invalid", "phases out of order");
  try {
    return db_.write([&](db::Connection& c) -> Result<int64_t> {
      int64_t id = c.query_one(R"sql(
        INSERT INTO festivals (slug, title, summary, description, starts_at, ends_at,
                               submission_opens_at, submission_closes_at, review_closes_at,
                               decisions_by, anonymous_review, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id)sql",
                               {f.slug, f.title, f.summary, f.description, f.starts_at, f.ends_at,
                                f.submission_opens_at, f.submission_closes_at, f.review_closes_at,
                                f.decisions_by, static_cast<int64_t>(f.anonymous_review), now})
                       ->int64("id");
      int64_t position = 0;
      for (const auto& name : f.categories)
        c.execute(
            "INSERT INTO festival_categories (festival_id, name, position) VALUES ($1, $2, $3)",
            {id, name, ++position});
      return id;
    });
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::unique) return make_error("duplicate", "slug or category");
    throw;
  }
}

std::optional<Festival> Festivals::find(std::string_view slug) {
  return db_.read([&](db::Connection& c) -> std::optional<Festival> {
    auto r = c.query_one(std::string(kFestivalColumns) + " WHERE slug = $1", {std::string(slug)});
    if (!r) return std::nullopt;
    return festival_from(c, *r);
  });
}

std::vector<Festival> Festivals::current(int64_t now) {
  return db_.read([&](db::Connection& c) {
    std::vector<Festival> out;
    for (const auto& r : c.query(
             std::string(kFestivalColumns) + " WHERE ends_at > $1 ORDER BY starts_at, id LIMIT 10",
             {now}))
      out.push_back(festival_from(c, r));
    if (out.empty()) {
      if (auto r = c.query_one(std::string(kFestivalColumns) + " ORDER BY ends_at DESC LIMIT 1"))
        out.push_back(festival_from(c, *r));
    }
    return out;
  });
}

Status Festivals::add_reviewer(int64_t festival_id, const std::string& email,
                               std::optional<int64_t> region_id, const std::string& topic,
                               int64_t now) {
  try {
    return db_.write([&](db::Connection& c) -> Status {
      auto u = c.query_one("SELECT id FROM users WHERE lower(email) = lower($1)", {email});
      if (!u) return make_error("no_user", "no account with this address");
      if (region_id && !c.query_one("SELECT 1 FROM regions WHERE id = $1", {*region_id}))
        return make_error("invalid", "unknown region");
      c.execute(
          "INSERT INTO festival_reviewers (festival_id, user_id, region_id, topic, created_at) "
          "VALUES ($1, $2, $3, $4, $5)",
          {festival_id, u->int64("id"), region_id, topic, now});
      return Ok{};
    });
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::unique) return make_error("duplicate", "already");
    throw;
  }
}

Status Festivals::remove_reviewer(int64_t festival_id, int64_t reviewer_id) {
  return db_.write([&](db::Connection& c) -> Status {
    if (c.execute("DELETE FROM festival_reviewers WHERE id = $1 AND festival_id = $2",
                  {reviewer_id, festival_id}) == 0)
      return make_error("not_found", "no such reviewer");
    return Ok{};
  });
}

std::vector<Reviewer> Festivals::reviewers(int64_t festival_id) {
  return db_.read([&](db::Connection& c) {
    std::vector<Reviewer> out;
    for (const auto& r : c.query(R"sql(
      SELECT fr.id, fr.user_id, u.display_name, u.email, fr.region_id,
             COALESCE(rg.name, '') AS region_name, fr.topic
        FROM festival_reviewers fr JOIN users u ON u.id = fr.user_id
        LEFT JOIN regions rg ON rg.id = fr.region_id
       WHERE fr.festival_id = $1 ORDER BY u.display_name, fr.id)sql",
                                 {festival_id}))
      out.push_back({r.int64("id"), r.int64("user_id"), r.text("display_name"), r.text("email"),
                     r.opt_int64("region_id"), r.text("region_name"), r.text("topic")});
    return out;
  });
}

bool Festivals::is_reviewer(int64_t festival_id, int64_t user_id) {
  return db_.read([&](db::Connection& c) {
    return c
        .query_one("SELECT 1 FROM festival_reviewers WHERE festival_id = $1 AND user_id = $2",
                   {festival_id, user_id})
        .has_value();
  });
}

Result<int64_t> Festivals::submit(int64_t festival_id, std::optional<int64_t> user_id,
                                  const ProposalInput& in, int64_t now,
                                  const std::function<Mail(int64_t proposal_id)>& receipt) {
  if (in.title.empty() || in.abstract.empty() || in.topic.empty() ||
      !valid_choice(in.kind, {"workshop", "webinar", "tool_intro", "talk"}) ||
      !valid_choice(in.format, {"online", "in_person", "hybrid"}))
    return make_error("invalid", "a field");
  try {
    return db_.write([&](db::Connection& c) -> Result<int64_t> {
      auto row =
          c.query_one(R"sql(
        INSERT INTO proposals (festival_id, organisation_id, region_id, submitted_by, title,
                               abstract, kind, format, topic, duration_minutes, speakers, notes,
                               created_at, updated_at)
        SELECT f.id, o.id, o.region_id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12
          FROM festivals f JOIN organisations o ON o.id = $2
         WHERE f.id = $1 AND f.submission_opens_at <= $12 AND $12 < f.submission_closes_at
        RETURNING id)sql",
                      {festival_id, in.organisation_id, user_id, in.title, in.abstract, in.kind,
                       in.format, in.topic, in.duration_minutes, in.speakers, in.notes, now});
      if (!row) return make_error("closed", "submission is not open");
      int64_t id = row->int64("id");
      if (receipt) queue_mail(c, receipt(id), now, mail_attempts_);
      return id;
    });
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::constraint) return make_error("invalid", e.what());
    throw;
  }
}

Status Festivals::revise(int64_t proposal_id, const ProposalInput& in, int64_t now) {
  if (in.title.empty() || in.abstract.empty() || in.topic.empty() ||
      !valid_choice(in.kind, {"workshop", "webinar", "tool_intro", "talk"}) ||
      !valid_choice(in.format, {"online", "in_person", "hybrid"}))
    return make_error("invalid", "a field");
  try {
    return db_.write([&](db::Connection& c) -> Status {
      int64_t changed = c.execute(R"sql(
        UPDATE proposals
           SET title = $2, abstract = $3, kind = $4, format = $5, topic = $6,
               duration_minutes = $7, speakers = $8, notes = $9, status = 'submitted',
               updated_at = $10
         WHERE id = $1 AND event_id IS NULL AND (
               (status = 'submitted' AND festival_id IN (
                  SELECT id FROM festivals
                   WHERE submission_opens_at <= $10 AND $10 < submission_closes_at))
            OR (status = 'changes_requested' AND festival_id IN (
                  SELECT id FROM festivals WHERE $10 < decisions_by))))sql",
                                  {proposal_id, in.title, in.abstract, in.kind, in.format, in.topic,
                                   in.duration_minutes, in.speakers, in.notes, now});
      if (changed) return Ok{};
      if (!c.query_one("SELECT 1 FROM proposals WHERE id = $1", {proposal_id}))
        return make_error("not_found", "no such proposal");
      return make_error("locked", "not open for changes");
    });
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::constraint) return make_error("invalid", e.what());
    throw;
  }
}

Status Festivals::withdraw(int64_t proposal_id, int64_t now) {
  return db_.write([&](db::Connection& c) -> Status {
    if (c.execute("UPDATE proposals SET status = 'withdrawn', updated_at = $2 WHERE id = $1 "
                  "AND status IN ('submitted', 'changes_requested', 'accepted') "
                  "AND event_id IS NULL",
                  {proposal_id, now}))
      return Ok{};
    if (!c.query_one("SELECT 1 FROM proposals WHERE id = $1", {proposal_id}))
      return make_error("not_found", "no such proposal");
    return make_error("locked", "decided or in the programme");
  });
}

std::optional<Proposal> Festivals::find_proposal(int64_t proposal_id) {
  return db_.read([&](db::Connection& c) -> std::optional<Proposal> {
    auto r = c.query_one(proposal_select() + " WHERE p.id = $1", {proposal_id});
    if (!r) return std::nullopt;
    std::vector<Proposal> one{proposal_from(*r)};
    load_averages(c, one);
    return one.front();
  });
}

std::vector<Proposal> Festivals::of_organisations(int64_t festival_id,
                                                  const std::vector<int64_t>& orgs) {
  if (orgs.empty()) return {};
  return db_.read([&](db::Connection& c) {
    std::vector<Proposal> out;
    for (const auto& r :
         c.query(proposal_select() + " WHERE p.festival_id = $1 AND " + "p.organisation_id " +
                     db::in_ints(c, 2) + " ORDER BY p.created_at DESC, p.id DESC",
                 {festival_id, db::IntList(orgs)}))
      out.push_back(proposal_from(r));
    return out;
  });
}

std::vector<Proposal> Festivals::to_review(int64_t festival_id, int64_t reviewer_user_id) {
  return db_.read([&](db::Connection& c) {
    std::vector<Proposal> out;
    for (const auto& r :
         c.query(proposal_select(mine_column("$2")) +
                     " WHERE p.festival_id = $1 AND p.status <> 'withdrawn' AND " + in_scope("$2") +
                     " ORDER BY (p.status = 'submitted') DESC, reviews, p.id",
                 {festival_id, reviewer_user_id}))
      out.push_back(proposal_from(r));
    return out;
  });
}

bool Festivals::may_review(int64_t proposal_id, int64_t reviewer_user_id) {
  return db_.read([&](db::Connection& c) {
    return c
        .query_one("SELECT 1 FROM proposals p WHERE p.id = $1 AND p.status <> 'withdrawn' AND " +
                       in_scope("$2"),
                   {proposal_id, reviewer_user_id})
        .has_value();
  });
}

std::optional<int64_t> Festivals::next_to_review(int64_t festival_id, int64_t reviewer_user_id,
                                                 int64_t except) {
  return db_.read([&](db::Connection& c) -> std::optional<int64_t> {
    // Ties go by a number mixed from proposal and reviewer, so two reviewers who start
    // at once are sent to different proposals.
    auto r = c.query_one(
        "SELECT p.id FROM proposals p WHERE p.festival_id = $1 AND p.status = 'submitted' "
        "AND p.id <> $3 AND " +
            in_scope("$2") +
            " AND NOT EXISTS (SELECT 1 FROM proposal_reviews m WHERE m.proposal_id = p.id "
            "AND m.reviewer_id = $2) "
            "ORDER BY (SELECT count(*) FROM proposal_reviews pr WHERE pr.proposal_id = p.id), "
            "(p.id * 7919 + $2 * 104729) % 1009, p.id LIMIT 1",
        {festival_id, reviewer_user_id, except});
    if (!r) return std::nullopt;
    return r->int64("id");
  });
}

Status Festivals::save_review(int64_t proposal_id, int64_t reviewer_user_id,
                              const std::map<int64_t, int>& scores, const std::string& comment,
                              int64_t now) {
  return db_.write([&](db::Connection& c) -> Status {
    auto p = c.query_one(
        "SELECT p.festival_id, f.submission_closes_at, f.review_closes_at FROM proposals p "
        "JOIN festivals f ON f.id = p.festival_id "
        "WHERE p.id = $1 AND p.status <> 'withdrawn' AND " +
            in_scope("$2"),
        {proposal_id, reviewer_user_id});
    if (!p) return make_error("forbidden", "not a proposal of this reviewer");
    if (now < p->int64("submission_closes_at") || now >= p->int64("review_closes_at"))
      return make_error("closed", "review is not open");
    auto categories = c.query("SELECT id FROM festival_categories WHERE festival_id = $1",
                              {p->int64("festival_id")});
    if (categories.size() != scores.size()) return make_error("invalid", "a score per category");
    for (const auto& k : categories) {
      auto s = scores.find(k.int64("id"));
      if (s == scores.end() || s->second < 1 || s->second > 5)
        return make_error("invalid", "scores 1 to 5");
    }
    int64_t review_id = c.query_one(R"sql(
      INSERT INTO proposal_reviews (proposal_id, reviewer_id, comment, created_at, updated_at)
      VALUES ($1, $2, $3, $4, $4)
      ON CONFLICT (proposal_id, reviewer_id)
      DO UPDATE SET comment = excluded.comment, updated_at = excluded.updated_at
      RETURNING id)sql",
                                    {proposal_id, reviewer_user_id, comment, now})
                            ->int64("id");
    c.execute("DELETE FROM review_scores WHERE review_id = $1", {review_id});
    for (const auto& [category, score] : scores)
      c.execute("INSERT INTO review_scores (review_id, category_id, score) VALUES ($1, $2, $3)",
                {review_id, category, static_cast<int64_t>(score)});
    return Ok{};
  });
}

std::optional<Review> Festivals::review_of(int64_t proposal_id, int64_t reviewer_user_id) {
  return db_.read([&](db::Connection& c) -> std::optional<Review> {
    auto found = reviews_where(c, "pr.proposal_id = $1 AND pr.reviewer_id = $2",
                               {proposal_id, reviewer_user_id});
    if (found.empty()) return std::nullopt;
    return found.front();
  });
}

std::vector<Review> Festivals::reviews(int64_t proposal_id) {
  return db_.read(
      [&](db::Connection& c) { return reviews_where(c, "pr.proposal_id = $1", {proposal_id}); });
}

std::vector<Proposal> Festivals::all(int64_t festival_id) {
  return db_.read([&](db::Connection& c) {
    std::vector<Proposal> out;
    for (const auto& r :
         c.query(proposal_select() + " WHERE p.festival_id = $1 ORDER BY p.id", {festival_id}))
      out.push_back(proposal_from(r));
    load_averages(c, out);
    return out;
  });
}

Result<int64_t> Festivals::decide(int64_t festival_id, const std::vector<int64_t>& proposal_ids,
                                  const Decision& d, int64_t decided_by, int64_t now,
                                  const ProposalDecisionComposer& mail) {
  if (!valid_choice(d.status, {"accepted", "changes_requested", "declined"}))
    return make_error("invalid", "unknown decision");
  if (d.status != "accepted" && d.reason.find_first_not_of(" \r\n\t") == std::string::npos)
    return make_error("invalid", "a reason");
  return db_.write(db::Isolation::read_committed, [&](db::Connection& c) -> Result<int64_t> {
    int64_t decided = 0;
    for (int64_t id : proposal_ids) {
      std::vector<std::string> comments;
      if (d.include_comments) {
        for (const auto& r : c.query(
                 "SELECT comment FROM proposal_reviews WHERE proposal_id = $1 AND comment <> '' "
                 "ORDER BY id",
                 {id}))
          comments.push_back(r.text("comment"));
      }
      std::string joined;
      for (const auto& text : comments) joined += (joined.empty() ? "" : "\n\n") + text;
      // A withdrawal or a scheduling at the same moment: the row's state decides.
      if (!c.execute(R"sql(
            UPDATE proposals
               SET status = $3, decision_reason = $4, decision_comments = $5, decided_at = $6,
                   decided_by = $7, updated_at = $6
             WHERE id = $1 AND festival_id = $2 AND status <> 'withdrawn'
               AND (event_id IS NULL OR $3 = 'accepted'))sql",
                     {id, festival_id, d.status, d.reason, joined, now, decided_by}))
        continue;
      ++decided;
      if (!mail) continue;
      auto p = proposal_from(*c.query_one(proposal_select() + " WHERE p.id = $1", {id}));
      if (p.submitter_email.empty()) continue;  // the account is gone: nobody to tell
      queue_mail(c, mail(p, d, comments), now, mail_attempts_);
    }
    return decided;
  });
}

Result<std::string> Festivals::schedule(int64_t proposal_id, int64_t starts_at,
                                        std::optional<int64_t> capacity, int64_t created_by,
                                        int64_t now) {
  if (capacity && *capacity < 0) return make_error("invalid", "negative capacity");
  for (int attempt = 0;; ++attempt) {
    try {
      return db_.write([&](db::Connection& c) -> Result<std::string> {
        // Takes the proposal's row: of two schedulings at once, the second sees the event.
        auto locked =
            c.query_one("UPDATE proposals SET updated_at = $2 WHERE id = $1 RETURNING festival_id",
                        {proposal_id, now});
        if (!locked) return make_error("not_found", "no such proposal");
        auto p = proposal_from(*c.query_one(proposal_select() + " WHERE p.id = $1", {proposal_id}));
        if (p.status != "accepted") return make_error("not_accepted", "not accepted");
        if (p.event_id) return make_error("scheduled", "already in the programme");
        auto f =
            c.query_one("SELECT starts_at, ends_at FROM festivals WHERE id = $1", {p.festival_id});
        int64_t ends_at = starts_at + p.duration_minutes * 60;
        if (starts_at < f->int64("starts_at") || ends_at > f->int64("ends_at"))
          return make_error("invalid", "outside the festival");
        NewEvent e;
        e.title = p.title;
        e.description = p.abstract;
        e.festival_id = p.festival_id;
        e.organiser_kind = "organisation";
        e.organisation_id = p.organisation_id;
        e.format = p.format;
        e.topics = p.topic;
        e.created_by = created_by;
        e.sessions = {{"", starts_at, ends_at, capacity}};
        std::string base = model::slugify(p.title) + "-" + timefmt::berlin(starts_at, "%Y-%m-%d");
        e.slug = attempt == 0 ? base : base + "-" + std::to_string(p.id);
        auto event_id = event_rows::insert_event(c, e, now);
        if (!event_id) return make_error(event_id.error().code, event_id.error().message);
        c.execute("UPDATE proposals SET event_id = $2 WHERE id = $1", {proposal_id, *event_id});
        return e.slug;
      });
    } catch (const db::DbError& err) {
      // Another event has this title on this day: the proposal's number tells them apart.
      if (err.kind() == db::DbError::Kind::unique && attempt == 0) continue;
      throw;
    }
  }
}

}  // namespace verbund::store
