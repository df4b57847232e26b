#include "store/event_store.hpp"

#include <algorithm>

#include "core/random.hpp"
#include "core/time.hpp"
#include "model/organisation.hpp"
#include "store/event_rows.hpp"
#include "store/settings_store.hpp"

namespace verbund::store {

namespace event_rows {

const char* const kEventColumns = R"sql(
  SELECT e.id, e.slug, e.series_id, COALESCE(es.slug, '') AS series_slug,
         COALESCE(es.title, '') AS series_title, e.festival_id,
         COALESCE(fe.slug, '') AS festival_slug, COALESCE(fe.title, '') AS festival_title, e.title, e.summary, e.description,
         e.organiser_kind, e.organisation_id, e.region_id,
         COALESCE(o.name, r.name, '') AS organiser_name, COALESCE(o.slug, '') AS organisation_slug,
         e.format, e.place, e.online_url, e.audience, e.access_code_hash, e.topics, e.language,
         e.accessibility, e.contact, e.starts_at, e.ends_at, e.registration_opens_at,
         e.registration_closes_at, e.status, e.created_by, e.created_at, e.updated_at
    FROM events e
    LEFT JOIN event_series es ON es.id = e.series_id
    LEFT JOIN festivals fe ON fe.id = e.festival_id
    LEFT JOIN organisations o ON o.id = e.organisation_id
    LEFT JOIN regions r ON r.id = COALESCE(e.region_id, o.region_id))sql";

Event event_from(const db::Row& r) {
  Event e;
  e.id = r.int64("id");
  e.slug = r.text("slug");
  e.series_id = r.opt_int64("series_id");
  e.series_slug = r.text("series_slug");
  e.series_title = r.text("series_title");
  e.festival_id = r.opt_int64("festival_id");
  e.festival_slug = r.text("festival_slug");
  e.festival_title = r.text("festival_title");
  e.title = r.text("title");
  e.summary = r.text("summary");
  e.description = r.text("description");
  e.organiser_kind = r.text("organiser_kind");
  e.organisation_id = r.opt_int64("organisation_id");
  e.region_id = r.opt_int64("region_id");
  // An organisation's event names the organisation; the association's name is only its place.
  e.organiser_name = e.organiser_kind == "federation" ? "" : r.text("organiser_name");
  e.organisation_slug = r.text("organisation_slug");
  e.format = r.text("format");
  e.place = r.text("place");
  e.online_url = r.text("online_url");
  e.audience = r.text("audience");
  e.has_access_code = !r.text("access_code_hash").empty();
  e.topics = r.text("topics");
  e.language = r.text("language");
  e.accessibility = r.text("accessibility");
  e.contact = r.text("contact");
  e.starts_at = r.int64("starts_at");
  e.ends_at = r.int64("ends_at");
  e.registration_opens_at = r.opt_int64("registration_opens_at");
  e.registration_closes_at = r.opt_int64("registration_closes_at");
  e.status = r.text("status");
  e.created_by = r.opt_int64("created_by");
  e.created_at = r.int64("created_at");
  e.updated_at = r.int64("updated_at");
  return e;
}

const char* const kSessionColumns = R"sql(
  SELECT s.id, s.event_id, s.uid, s.title, s.status, s.starts_at, s.ends_at, s.capacity,
         s.confirmed, s.sequence, s.updated_at,
         (SELECT count(*) FROM registrations w
           WHERE w.session_id = s.id AND w.status = 'waitlisted') AS waiting
    FROM event_sessions s)sql";

EventSession session_from(const db::Row& r) {
  EventSession s;
  s.id = r.int64("id");
  s.event_id = r.int64("event_id");
  s.uid = r.text("uid");
  s.title = r.text("title");
  s.status = r.text("status");
  s.starts_at = r.int64("starts_at");
  s.ends_at = r.int64("ends_at");
  s.capacity = r.opt_int64("capacity");
  s.confirmed = r.int64("confirmed");
  s.waiting = r.int64("waiting");
  s.sequence = r.int64("sequence");
  s.updated_at = r.int64("updated_at");
  return s;
}

void load_sessions(db::Connection& c, std::vector<Event>& events) {
  if (events.empty()) return;
  std::vector<int64_t> ids;
  for (const auto& e : events) ids.push_back(e.id);
  for (const auto& r : c.query(std::string(kSessionColumns) + " WHERE s.event_id " +
                                   db::in_ints(c, 1) + " ORDER BY s.starts_at, s.id",
                               {db::IntList(ids)})) {
    auto s = session_from(r);
    for (auto& e : events)
      if (e.id == s.event_id) e.sessions.push_back(std::move(s));
  }
}

const char* const kRegistrationColumns = R"sql(
  SELECT g.id, g.session_id, s.event_id, g.user_id, g.name, g.email, g.status,
         g.organisation_id, g.registered_by, g.created_at, g.attended, g.confirm_by,
         CASE WHEN g.status = 'waitlisted' THEN
           (SELECT count(*) FROM registrations w WHERE w.session_id = g.session_id
               AND w.status = 'waitlisted' AND w.waitlist_position <= g.waitlist_position)
         END AS position
    FROM registrations g JOIN event_sessions s ON s.id = g.session_id)sql";

Registration registration_from(const db::Row& r) {
  Registration g;
  g.id = r.int64("id");
  g.session_id = r.int64("session_id");
  g.event_id = r.int64("event_id");
  g.user_id = r.opt_int64("user_id");
  g.name = r.text("name");
  g.email = r.text("email");
  g.status = r.text("status");
  g.position = r.opt_int64("position");
  g.organisation_id = r.opt_int64("organisation_id");
  g.registered_by = r.opt_int64("registered_by");
  g.created_at = r.int64("created_at");
  g.attended = r.int64("attended") != 0;
  g.confirm_by = r.opt_int64("confirm_by");
  return g;
}

void lock_session(db::Connection& c, int64_t session_id) {
  if (c.dialect() == db::Dialect::postgres)
    c.query("SELECT id FROM event_sessions WHERE id = $1 FOR UPDATE", {session_id});
}

Result<int64_t> insert_event(db::Connection& c, const NewEvent& e, int64_t now) {
  if (e.title.empty() || e.sessions.empty()) return make_error("invalid", "title and a session");
  int64_t starts = e.sessions.front().starts_at, ends = e.sessions.front().ends_at;
  for (const auto& s : e.sessions) {
    if (s.ends_at <= s.starts_at) return make_error("invalid", "a session ends before it starts");
    if (s.capacity && *s.capacity < 0) return make_error("invalid", "negative capacity");
    starts = std::min(starts, s.starts_at);
    ends = std::max(ends, s.ends_at);
  }
  std::string slug =
      e.slug.empty() ? model::slugify(e.title) + "-" + timefmt::berlin(starts, "%Y-%m-%d") : e.slug;
  auto row = c.query_one(R"sql(
        INSERT INTO events (slug, series_id, festival_id, title, summary, description, organiser_kind,
                            organisation_id, region_id, format, place, online_url, audience,
                            access_code_hash, topics, language, accessibility, contact,
                            starts_at, ends_at, registration_opens_at, registration_closes_at,
                            status, created_by, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                $18, $19, $20, $21, $22, $23, $24, $25, $25)
        RETURNING id)sql",
                         {slug,
                          e.series_id,
                          e.festival_id,
                          e.title,
                          e.summary,
                          e.description,
                          e.organiser_kind,
                          e.organisation_id,
                          e.region_id,
                          e.format,
                          e.place,
                          e.online_url,
                          e.audience,
                          e.access_code.empty() ? std::string() : random::sha256_hex(e.access_code),
                          e.topics,
                          e.language,
                          e.accessibility,
                          e.contact,
                          starts,
                          ends,
                          e.registration_opens_at,
                          e.registration_closes_at,
                          e.status,
                          e.created_by,
                          now});
  int64_t id = row->int64("id");
  for (const auto& s : e.sessions) {
    c.execute(
        R"sql(
          INSERT INTO event_sessions (event_id, uid, title, starts_at, ends_at, capacity,
                                      updated_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7))sql",
        {id, random::hex(16) + "@verbund", s.title, s.starts_at, s.ends_at, s.capacity, now});
  }
  return id;
}

}  // namespace event_rows

namespace {

using namespace event_rows;

std::string lower_email(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// The place or the next waitlist position, decided on the session's row (see the
// header). Returns the status and, on the waitlist, the position number.
std::pair<std::string, std::optional<int64_t>> take_place(db::Connection& c, int64_t session_id) {
  auto placed = c.query_one(R"sql(
    UPDATE event_sessions SET confirmed = confirmed + 1
     WHERE id = $1 AND (capacity IS NULL OR confirmed < capacity)
    RETURNING confirmed)sql",
                            {session_id});
  if (placed) return {"confirmed", std::nullopt};
  auto queued = c.query_one(
      "UPDATE event_sessions SET waitlist_next = waitlist_next + 1 WHERE id = $1 "
      "RETURNING waitlist_next",
      {session_id});
  return {"waitlisted", queued->int64("waitlist_next")};
}

// The place in the queue of the waitlist number `number`: 1 = next.
int64_t position_of(db::Connection& c, int64_t session_id, int64_t number) {
  return c.query_int(
      "SELECT count(*) FROM registrations WHERE session_id = $1 AND status = 'waitlisted' "
      "AND waitlist_position <= $2",
      {session_id, number});
}

// Why `session_id` takes no booking now, or "" when it does.
std::string closed_reason(db::Connection& c, int64_t session_id, int64_t now) {
  auto r = c.query_one(R"sql(
    SELECT s.status AS session_status, s.starts_at, e.status AS event_status,
           e.registration_opens_at, e.registration_closes_at
      FROM event_sessions s JOIN events e ON e.id = s.event_id
     WHERE s.id = $1)sql",
                       {session_id});
  if (!r || r->text("event_status") == "draft") return "not_found";
  if (r->text("event_status") == "cancelled" || r->text("session_status") == "cancelled")
    return "cancelled";
  if (auto opens = r->opt_int64("registration_opens_at"); opens && now < *opens) return "not_open";
  if (auto closes = r->opt_int64("registration_closes_at"); closes && now >= *closes)
    return "closed";
  if (now >= r->int64("starts_at")) return "ended";
  return "";
}

}  // namespace

bool audience_admits(const std::string& audience, const EventViewer& v) {
  if (audience == "public" || audience == "invitation") return true;
  if (v.platform_admin) return true;
  if (audience == "members") return v.member || v.staff || v.scout;
  if (audience == "scouts") return v.scout || v.staff;
  if (audience == "staff") return v.staff;
  return false;
}

Result<int64_t> Events::create(const NewEvent& e, int64_t now) {
  try {
    return db_.write([&](db::Connection& c) { return insert_event(c, e, now); });
  } catch (const db::DbError& err) {
    if (err.kind() == db::DbError::Kind::unique) return make_error("duplicate", "slug taken");
    if (err.kind() == db::DbError::Kind::constraint) return make_error("invalid", err.what());
    throw;
  }
}

std::optional<Event> Events::find(std::string_view slug) {
  return db_.read([&](db::Connection& c) -> std::optional<Event> {
    auto r = c.query_one(std::string(kEventColumns) + " WHERE e.slug = $1", {std::string(slug)});
    if (!r) return std::nullopt;
    std::vector<Event> one{event_from(*r)};
    load_sessions(c, one);
    return one.front();
  });
}

std::optional<Event> Events::find_by_id(int64_t id) {
  return db_.read([&](db::Connection& c) -> std::optional<Event> {
    auto r = c.query_one(std::string(kEventColumns) + " WHERE e.id = $1", {id});
    if (!r) return std::nullopt;
    std::vector<Event> one{event_from(*r)};
    load_sessions(c, one);
    return one.front();
  });
}

EventPage Events::list(const EventFilter& f, const EventViewer& viewer, int limit, int offset) {
  return db_.read([&](db::Connection& c) {
    db::Params ps;
    std::string sql = std::string(kEventColumns) + " WHERE e.status IN ('published', 'cancelled')";
    int64_t now = f.from.value_or(0);
    if (f.past) {
      sql += " AND e.ends_at <= " + ps.next();
      ps.add(std::min(f.until.value_or(now), now));
      if (f.after) {
        sql += " AND e.starts_at >= " + ps.next();
        ps.add(*f.after);
      }
    } else {
      sql += " AND e.ends_at > " + ps.next();
      ps.add(now);
      if (f.until) {
        sql += " AND e.starts_at < " + ps.next();
        ps.add(*f.until);
      }
    }
    if (!f.format.empty()) {
      // A hybrid event is also online and also in person.
      sql += f.format == "hybrid" ? " AND e.format = 'hybrid'"
                                  : " AND e.format IN (" + ps.next() + ", 'hybrid')";
      if (f.format != "hybrid") ps.add(f.format);
    }
    if (!f.topic.empty()) {
      sql += " AND (',' || e.topics || ',') LIKE " + ps.next();
      ps.add("%," + f.topic + ",%");
    }
    if (!f.audience.empty()) {
      sql += " AND e.audience = " + ps.next();
      ps.add(f.audience);
    }
    if (f.festival_id) {
      sql += " AND e.festival_id = " + ps.next();
      ps.add(*f.festival_id);
    }
    if (!f.region.empty()) {
      sql += " AND r.code = " + ps.next();
      ps.add(f.region);
    }
    if (f.organiser == "verband") {
      sql += " AND e.organiser_kind = 'federation'";
    } else if (!f.organiser.empty()) {
      sql += " AND o.slug = " + ps.next();
      ps.add(f.organiser);
    }
    // Audiences the viewer may not see stay out of the list (and of its count).
    std::vector<std::string> admitted;
    for (const char* a : {"public", "members", "scouts", "staff", "invitation"})
      if (audience_admits(a, viewer)) admitted.emplace_back(a);
    sql += " AND e.audience IN (";
    for (std::size_t i = 0; i < admitted.size(); ++i) {
      sql += (i ? ", " : "") + ps.next();
      ps.add(admitted[i]);
    }
    sql += ")";
    sql += f.past ? " ORDER BY e.starts_at DESC, e.id DESC" : " ORDER BY e.starts_at, e.id";
    sql += " LIMIT " + ps.next();
    ps.add(limit + 1);
    sql += " OFFSET " + ps.next();
    ps.add(offset);
    EventPage page;
    for (const auto& r : c.query(sql, ps)) page.events.push_back(event_from(r));
    if (static_cast<int>(page.events.size()) > limit) {
      page.events.resize(static_cast<std::size_t>(limit));
      page.more = true;
    }
    load_sessions(c, page.events);
    return page;
  });
}

Result<int64_t> Events::create_series(const std::string& slug, const std::string& title,
                                      const std::string& description, const std::string& recurrence,
                                      int64_t now) {
  try {
    return db_.write([&](db::Connection& c) -> Result<int64_t> {
      return c
          .query_one(
              "INSERT INTO event_series (slug, title, description, recurrence, created_at) "
              "VALUES ($1, $2, $3, $4, $5) RETURNING id",
              {slug, title, description, recurrence, now})
          ->int64("id");
    });
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::unique) return make_error("duplicate", "slug taken");
    throw;
  }
}

std::optional<EventSeries> Events::of_series_slug(std::string_view slug) {
  return db_.read([&](db::Connection& c) -> std::optional<EventSeries> {
    auto r = c.query_one(
        "SELECT id, slug, title, description, recurrence FROM event_series WHERE slug = $1",
        {std::string(slug)});
    if (!r) return std::nullopt;
    EventSeries out{r->int64("id"),         r->text("slug"),       r->text("title"),
                    r->text("description"), r->text("recurrence"), {}};
    for (const auto& e :
         c.query(std::string(kEventColumns) +
                     " WHERE e.series_id = $1 AND e.status IN ('published', 'cancelled') "
                     "ORDER BY e.starts_at, e.id",
                 {out.id}))
      out.events.push_back(event_from(e));
    load_sessions(c, out.events);
    return out;
  });
}

bool Events::access_code_matches(int64_t event_id, std::string_view code) {
  if (code.empty()) return false;
  auto stored = db_.read([&](db::Connection& c) {
    auto r = c.query_one("SELECT access_code_hash FROM events WHERE id = $1", {event_id});
    return r ? r->text("access_code_hash") : std::string();
  });
  return !stored.empty() && random::equal(stored, random::sha256_hex(code));
}

Result<Booking> Registrations::book(int64_t session_id, const Registrant& who,
                                    std::optional<int64_t> registered_by, int64_t now,
                                    const RegistrationComposer& mail) {
  std::string email = lower_email(who.email);
  if (email.empty() || who.name.empty()) return make_error("invalid", "name and e-mail");
  secret();  // read before the transaction: it may write the secret in one of its own
  try {
    return db_.write(db::Isolation::read_committed, [&](db::Connection& c) -> Result<Booking> {
      if (auto why = closed_reason(c, session_id, now); !why.empty()) return make_error(why, why);
      Booking b;
      // The address's one live registration is the unique index's to guard; asking
      // first gives the usual case its message without an exception.
      if (c.query_one("SELECT 1 FROM registrations WHERE session_id = $1 AND email = $2 AND "
                      "status <> 'cancelled'",
                      {session_id, email})) {
        return make_error("duplicate", "already registered");
      }
      // What the mail needs is read first: from take_place's UPDATE to the commit,
      // every other booking of this session waits for this one.
      RegistrationNews n;
      if (mail) n = news_context(c, session_id, who.user_id);
      std::optional<int64_t> position;
      if (who.user_id) {
        auto [status, pos] = take_place(c, session_id);
        b.status = status;
        position = pos;
      } else {
        b.status = "unconfirmed";  // a guest: the place is taken when the link is opened
      }
      auto row = db::with_savepoint(c, [&] {
        return c.query_one(
            R"sql(
          INSERT INTO registrations (session_id, user_id, email, name, organisation_id,
                                     registered_by, status, waitlist_position, created_at,
                                     confirmed_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
          RETURNING id)sql",
            {session_id, who.user_id, email, who.name.substr(0, 200), who.organisation_id,
             registered_by, b.status, position, now,
             b.status == "confirmed" ? std::optional<int64_t>(now) : std::nullopt});
      });
      b.registration_id = row->int64("id");
      b.token = token_for(b.registration_id);
      if (position) b.position = position_of(c, session_id, *position);
      if (mail) {
        n.kind = b.status;
        n.to.email = email;
        n.to.name = who.name.substr(0, 200);
        n.registration = {b.registration_id,   session_id,    n.event.id, who.user_id,
                          n.to.name,           email,         b.status,   b.position,
                          who.organisation_id, registered_by, now,        false,
                          std::nullopt};
        n.token = b.token;
        queue_mail(c, mail(n), now, mail_attempts_);
      }
      return b;
    });
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::unique) return make_error("duplicate", "already registered");
    throw;
  }
}

Result<Booking> Registrations::confirm(std::string_view token, int64_t now,
                                       const RegistrationComposer& mail) {
  auto id = id_of(token);
  if (!id) return make_error("not_found", "unknown link");
  return db_.write(db::Isolation::read_committed, [&](db::Connection& c) -> Result<Booking> {
    auto found = c.query_one("SELECT id, session_id FROM registrations WHERE id = $1", {*id});
    if (!found) return make_error("not_found", "unknown link");
    int64_t session_id = found->int64("session_id");
    lock_session(c, session_id);
    Booking b;
    b.registration_id = found->int64("id");
    b.token = std::string(token);
    b.status = c.query_one("SELECT status FROM registrations WHERE id = $1", {b.registration_id})
                   ->text("status");
    if (b.status == "cancelled") return make_error("not_found", "cancelled");
    if (b.status == "confirmed") {
      // A place from the waitlist that asked for confirmation keeps it now, if in time.
      auto open =
          c.query_one("SELECT confirm_by FROM registrations WHERE id = $1", {b.registration_id})
              ->opt_int64("confirm_by");
      if (open && *open < now) return make_error("expired", "too late to confirm");
      if (open)
        c.execute("UPDATE registrations SET confirm_by = NULL WHERE id = $1", {b.registration_id});
      return b;
    }
    if (b.status != "unconfirmed") return b;  // opened twice: says what holds
    if (auto why = closed_reason(c, session_id, now); !why.empty()) return make_error(why, why);
    auto [status, position] = take_place(c, session_id);
    b.status = status;
    c.execute(
        "UPDATE registrations SET status = $2, waitlist_position = $3, confirmed_at = $4 "
        "WHERE id = $1",
        {b.registration_id, status, position,
         status == "confirmed" ? std::optional<int64_t>(now) : std::nullopt});
    if (position) b.position = position_of(c, session_id, *position);
    queue_news(c, b.registration_id, b.status.c_str(), mail, now);
    return b;
  });
}

Status Registrations::cancel_by_token(std::string_view token, int64_t now,
                                      const RegistrationComposer& news) {
  db::Params ps;
  auto id = id_of(token);
  if (!id) return make_error("not_found", "unknown link");
  ps.add(*id);
  return cancel_where("id = $1", ps, now, news, nullptr);
}

Status Registrations::cancel(int64_t user_id, int64_t registration_id, int64_t now,
                             const RegistrationComposer& news) {
  db::Params ps;
  ps.add(registration_id);
  ps.add(user_id);
  return cancel_where("id = $1 AND (user_id = $2 OR registered_by = $2)", ps, now, news, nullptr);
}

Status Registrations::cancel_where(const std::string& where, const db::Params& ps, int64_t now,
                                   const RegistrationComposer& news, const char* own_news) {
  secret();  // outside the transaction (see book)
  return db_.write(db::Isolation::read_committed, [&](db::Connection& c) -> Status {
    auto found = c.query_one(
        "SELECT id, session_id FROM registrations WHERE " + where + " AND status <> 'cancelled'",
        ps);
    if (!found) return make_error("not_found", "no such registration");
    int64_t id = found->int64("id"), session_id = found->int64("session_id");
    lock_session(c, session_id);
    // Read again under the lock: another request may have changed it meanwhile.
    auto again = c.query_one(
        "SELECT status FROM registrations WHERE " + where + " AND status <> 'cancelled'", ps);
    if (!again) return make_error("not_found", "no such registration");  // raced
    std::string was = again->text("status");
    c.execute(
        "UPDATE registrations SET status = 'cancelled', waitlist_position = NULL, "
        "confirm_by = NULL, cancelled_at = $2 WHERE id = $1",
        {id, now});
    if (own_news) queue_news(c, id, own_news, news, now);
    if (was != "confirmed") return Ok{};
    c.execute("UPDATE event_sessions SET confirmed = confirmed - 1 WHERE id = $1", {session_id});
    promote_waiting(c, session_id, now, news);
    return Ok{};
  });
}

std::optional<int64_t> Registrations::confirm_deadline(int64_t now, int64_t starts_at) {
  if (starts_at - now > kConfirmWithin) return std::nullopt;
  int64_t by = std::min(now + kConfirmTime, starts_at - kConfirmBeforeStart);
  if (by - now < kConfirmBeforeStart) return std::nullopt;  // too late to ask: the place stands
  return by;
}

int64_t Registrations::promote_waiting(db::Connection& c, int64_t session_id, int64_t now,
                                       const RegistrationComposer& news) {
  int64_t promoted = 0;
  for (;;) {
    auto next = c.query_one(R"sql(
      SELECT id FROM registrations
       WHERE session_id = $1 AND status = 'waitlisted'
       ORDER BY waitlist_position LIMIT 1)sql",
                            {session_id});
    if (!next) break;
    auto placed = c.query_one(R"sql(
      UPDATE event_sessions SET confirmed = confirmed + 1
       WHERE id = $1 AND (capacity IS NULL OR confirmed < capacity)
      RETURNING starts_at)sql",
                              {session_id});
    if (!placed) break;
    int64_t id = next->int64("id");
    c.execute(
        "UPDATE registrations SET status = 'confirmed', waitlist_position = NULL, "
        "confirmed_at = $2, promoted_at = $2, confirm_by = $3 WHERE id = $1",
        {id, now, confirm_deadline(now, placed->int64("starts_at"))});
    queue_news(c, id, "promoted", news, now);
    ++promoted;
  }
  return promoted;
}

int64_t Registrations::release_unconfirmed(int64_t now, const RegistrationComposer& news) {
  auto due = db_.read([&](db::Connection& c) {
    std::vector<int64_t> ids;
    for (const auto& r :
         c.query("SELECT id FROM registrations WHERE confirm_by < $1 AND status = 'confirmed' "
                 "ORDER BY confirm_by LIMIT 500",
                 {now}))
      ids.push_back(r.int64("id"));
    return ids;
  });
  int64_t released = 0;
  for (int64_t id : due) {
    db::Params ps;
    ps.add(id);
    ps.add(now);
    // The condition holds again under the session's lock: whoever confirmed in time
    // keeps the place, and of two nodes only one releases it.
    if (cancel_where("id = $1 AND status = 'confirmed' AND confirm_by < $2", ps, now, news,
                     "released"))
      ++released;
  }
  return released;
}

std::vector<Registration> Registrations::of_user(int64_t user_id, int64_t event_id) {
  return db_.read([&](db::Connection& c) {
    std::vector<Registration> out;
    for (const auto& r : c.query(std::string(kRegistrationColumns) +
                                     " WHERE g.user_id = $1 AND s.event_id = $2 AND g.status <> "
                                     "'cancelled' ORDER BY s.starts_at, g.id",
                                 {user_id, event_id}))
      out.push_back(registration_from(r));
    return out;
  });
}

std::vector<Registration> Registrations::upcoming_of_user(int64_t user_id, int64_t since) {
  return db_.read([&](db::Connection& c) {
    std::vector<Registration> out;
    for (const auto& r : c.query(std::string(kRegistrationColumns) + R"sql(
         WHERE g.user_id = $1 AND g.status IN ('confirmed', 'waitlisted') AND s.ends_at > $2
         ORDER BY s.starts_at, g.id LIMIT 200)sql",
                                 {user_id, since}))
      out.push_back(registration_from(r));
    return out;
  });
}

std::string Registrations::calendar_token(int64_t user_id) { return sign(user_id, "calendar"); }

std::optional<int64_t> Registrations::calendar_user(std::string_view token) {
  return verify(token, "calendar");
}

void Registrations::queue_news(db::Connection& c, int64_t registration_id, const char* kind,
                               const RegistrationComposer& mail, int64_t now, int hours) {
  if (!mail) return;
  auto r = registration_from(
      *c.query_one(std::string(kRegistrationColumns) + " WHERE g.id = $1", {registration_id}));
  RegistrationNews n = news_context(c, r.session_id, r.user_id);
  n.kind = kind;
  n.hours = hours;
  n.to.email = r.email;
  n.to.name = r.name;
  n.registration = std::move(r);
  n.token = token_for(registration_id);
  queue_mail(c, mail(n), now, mail_attempts_);
}

RegistrationNews Registrations::news_context(db::Connection& c, int64_t session_id,
                                             std::optional<int64_t> user_id) {
  RegistrationNews n;
  auto u =
      user_id ? c.query_one("SELECT locale FROM users WHERE id = $1", {*user_id}) : std::nullopt;
  n.to.locale = u ? u->text("locale") : "de";
  auto s =
      session_from(*c.query_one(std::string(kSessionColumns) + " WHERE s.id = $1", {session_id}));
  n.event = event_from(*c.query_one(std::string(kEventColumns) + " WHERE e.id = $1", {s.event_id}));
  n.event.sessions.push_back(std::move(s));
  return n;
}

const std::string& Registrations::secret() {
  std::call_once(secret_once_, [&] {
    secret_ = Settings(db_).get_or_create("signing_secret", random::token(32));
  });
  return secret_;
}

std::string Registrations::sign(int64_t id, std::string_view purpose) {
  std::string text = std::to_string(id);
  return text + "." + random::hmac(secret(), std::string(purpose) + ":" + text);
}

std::optional<int64_t> Registrations::verify(std::string_view token, std::string_view purpose) {
  auto dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 18) return std::nullopt;
  std::string id(token.substr(0, dot));
  if (id.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  if (!random::equal(token.substr(dot + 1),
                     random::hmac(secret(), std::string(purpose) + ":" + id)))
    return std::nullopt;
  return std::stoll(id);
}

std::string Registrations::token_for(int64_t registration_id) {
  return sign(registration_id, "registration");
}

std::optional<int64_t> Registrations::id_of(std::string_view token) {
  return verify(token, "registration");
}

std::optional<Registration> Registrations::by_token(std::string_view token) {
  auto id = id_of(token);
  if (!id) return std::nullopt;
  return db_.read([&](db::Connection& c) -> std::optional<Registration> {
    auto r = c.query_one(std::string(kRegistrationColumns) + " WHERE g.id = $1", {*id});
    if (!r) return std::nullopt;
    return registration_from(*r);
  });
}

int64_t Registrations::send_reminders(int64_t now, std::vector<int> hours,
                                      const RegistrationComposer& mail) {
  std::sort(hours.begin(), hours.end(), std::greater<>());
  hours.erase(std::unique(hours.begin(), hours.end()), hours.end());
  secret();  // outside the transaction (see book)
  int64_t sent = 0;
  for (std::size_t i = 0; i < hours.size(); ++i) {
    int64_t h = hours[i];
    int64_t inner = i + 1 < hours.size() ? hours[i + 1] : 0;
    sent += db_.write(db::Isolation::read_committed, [&](db::Connection& c) {
      // ON CONFLICT DO NOTHING: a second node that finds the same ones writes nothing.
      auto rows = c.query(R"sql(
        INSERT INTO registration_reminders (registration_id, hours, sent_at)
        SELECT g.id, $1, $2
          FROM registrations g
          JOIN event_sessions s ON s.id = g.session_id
          JOIN events e ON e.id = s.event_id
         WHERE g.status = 'confirmed' AND s.status = 'scheduled' AND e.status = 'published'
           AND s.starts_at > $3 AND s.starts_at <= $4
           AND g.created_at <= s.starts_at - $5
           AND NOT EXISTS (SELECT 1 FROM registration_reminders m
                            WHERE m.registration_id = g.id AND m.hours = $1)
        ON CONFLICT DO NOTHING
        RETURNING registration_id)sql",
                          {h, now, now + inner * 3600, now + h * 3600, h * 3600});
      for (const auto& r : rows)
        queue_news(c, r.int64("registration_id"), "reminder", mail, now, static_cast<int>(h));
      return static_cast<int64_t>(rows.size());
    });
  }
  return sent;
}

Status Registrations::set_attended(int64_t event_id, int64_t registration_id, bool attended) {
  return db_.write([&](db::Connection& c) -> Status {
    auto n = c.execute(R"sql(
      UPDATE registrations SET attended = $3
       WHERE id = $2 AND status = 'confirmed'
         AND session_id IN (SELECT id FROM event_sessions WHERE event_id = $1))sql",
                       {event_id, registration_id, attended ? 1 : 0});
    if (n == 0) return make_error("not_found", "no such participant");
    return Ok{};
  });
}

int64_t Registrations::anonymise_ended(int64_t now, int days) {
  return db_.write([&](db::Connection& c) {
    // The address becomes unique per row again, so the one-live-registration index holds.
    return c.execute(R"sql(
      UPDATE registrations SET name = '', email = 'geloescht-' || id || '@invalid',
                               user_id = NULL, registered_by = NULL, organisation_id = NULL
       WHERE email NOT LIKE 'geloescht-%@invalid'
         AND session_id IN (SELECT id FROM event_sessions WHERE ends_at < $1))sql",
                     {now - int64_t{days} * 86400});
  });
}

std::vector<Registration> Registrations::of_session(int64_t session_id) {
  return db_.read([&](db::Connection& c) {
    std::vector<Registration> out;
    for (const auto& r : c.query(std::string(kRegistrationColumns) + R"sql(
         WHERE g.session_id = $1 AND g.status IN ('confirmed', 'waitlisted')
         ORDER BY CASE g.status WHEN 'confirmed' THEN 0 ELSE 1 END, g.waitlist_position,
                  g.confirmed_at, g.id)sql",
                                 {session_id}))
      out.push_back(registration_from(r));
    return out;
  });
}

}  // namespace verbund::store
