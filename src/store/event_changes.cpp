#include "store/event_changes.hpp"

#include "core/random.hpp"
#include "store/event_rows.hpp"

namespace verbund::store {

namespace {

using namespace event_rows;

bool one_of(const std::string& v, std::initializer_list<const char*> options) {
  for (const char* o : options)
    if (v == o) return true;
  return false;
}

// The event spans its scheduled sessions (all of them once none is left).
void refresh_span(db::Connection& c, int64_t event_id, int64_t now) {
  c.execute(R"sql(
    UPDATE events
       SET starts_at = COALESCE((SELECT min(starts_at) FROM event_sessions
                                  WHERE event_id = $1 AND status = 'scheduled'),
                                (SELECT min(starts_at) FROM event_sessions WHERE event_id = $1)),
           ends_at = COALESCE((SELECT max(ends_at) FROM event_sessions
                                WHERE event_id = $1 AND status = 'scheduled'),
                              (SELECT max(ends_at) FROM event_sessions WHERE event_id = $1)),
           updated_at = $2
     WHERE id = $1)sql",
            {event_id, now});
}

// The live registrations of a session (places, waitlist, guests yet to confirm).
std::vector<int64_t> registered(db::Connection& c, int64_t session_id) {
  std::vector<int64_t> ids;
  for (const auto& r :
       c.query("SELECT id FROM registrations WHERE session_id = $1 AND status <> 'cancelled' "
               "AND email NOT LIKE '%@invalid' ORDER BY id",
               {session_id}))
    ids.push_back(r.int64("id"));
  return ids;
}

// The event's status, locking its row; none when there is no such event.
std::optional<std::string> lock_event(db::Connection& c, int64_t event_id, int64_t now) {
  auto r = c.query_one("UPDATE events SET updated_at = $2 WHERE id = $1 RETURNING status",
                       {event_id, now});
  if (!r) return std::nullopt;
  return r->text("status");
}

}  // namespace

Result<int64_t> EventChanges::update(int64_t event_id, const EventFields& f, int64_t now,
                                     const RegistrationComposer& news) {
  if (f.title.empty() || !one_of(f.format, {"online", "in_person", "hybrid"}) ||
      !one_of(f.audience, {"public", "members", "scouts", "staff", "invitation"}) ||
      !one_of(f.status, {"draft", "published"}))
    return make_error("invalid", "title, format, audience or status");
  registrations_.secret();  // outside the transaction (see Registrations::book)
  return db_.write(db::Isolation::read_committed, [&](db::Connection& c) -> Result<int64_t> {
    auto status = lock_event(c, event_id, now);
    if (!status) return make_error("not_found", "no such event");
    if (*status == "cancelled") return make_error("cancelled", "the event is cancelled");
    auto old =
        event_from(*c.query_one(std::string(kEventColumns) + " WHERE e.id = $1", {event_id}));
    std::string hash = c.query_one("SELECT access_code_hash FROM events WHERE id = $1", {event_id})
                           ->text("access_code_hash");
    if (f.access_code) hash = f.access_code->empty() ? "" : random::sha256_hex(*f.access_code);
    if (f.audience == "invitation" && hash.empty())
      return make_error("invalid", "an invitation needs a code");
    c.execute(R"sql(
      UPDATE events SET title = $2, summary = $3, description = $4, format = $5, place = $6,
                        online_url = $7, audience = $8, access_code_hash = $9, topics = $10,
                        language = $11, accessibility = $12, contact = $13,
                        registration_opens_at = $14, registration_closes_at = $15,
                        status = $16, updated_at = $17
       WHERE id = $1)sql",
              {event_id, f.title, f.summary, f.description, f.format, f.place, f.online_url,
               f.audience, hash, f.topics, f.language, f.accessibility, f.contact,
               f.registration_opens_at, f.registration_closes_at, f.status, now});
    bool where_changed =
        old.place != f.place || old.format != f.format || old.online_url != f.online_url;
    bool calendar_changed = where_changed || old.title != f.title || old.summary != f.summary;
    if (calendar_changed)
      c.execute(
          "UPDATE event_sessions SET sequence = sequence + 1, updated_at = $2 "
          "WHERE event_id = $1 AND status = 'scheduled'",
          {event_id, now});
    int64_t told = 0;
    if (where_changed && f.status == "published") {
      for (const auto& s :
           c.query("SELECT id FROM event_sessions WHERE event_id = $1 AND status = 'scheduled' "
                   "AND ends_at > $2",
                   {event_id, now}))
        for (int64_t id : registered(c, s.int64("id"))) {
          registrations_.queue_news(c, id, "session_changed", news, now);
          ++told;
        }
    }
    return told;
  });
}

Result<int64_t> EventChanges::add_session(int64_t event_id, const NewEventSession& s, int64_t now) {
  if (s.ends_at <= s.starts_at || (s.capacity && *s.capacity < 0))
    return make_error("invalid", "a session ends before it starts");
  return db_.write(db::Isolation::read_committed, [&](db::Connection& c) -> Result<int64_t> {
    auto status = lock_event(c, event_id, now);
    if (!status) return make_error("not_found", "no such event");
    if (*status == "cancelled") return make_error("cancelled", "the event is cancelled");
    int64_t id = c.query_one(R"sql(
      INSERT INTO event_sessions (event_id, uid, title, starts_at, ends_at, capacity, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id)sql",
                             {event_id, random::hex(16) + "@verbund", s.title, s.starts_at,
                              s.ends_at, s.capacity, now})
                     ->int64("id");
    refresh_span(c, event_id, now);
    return id;
  });
}

Result<SessionChange> EventChanges::change_session(int64_t event_id, int64_t session_id,
                                                   const NewEventSession& s, int64_t now,
                                                   const RegistrationComposer& news) {
  if (s.ends_at <= s.starts_at || (s.capacity && *s.capacity < 0))
    return make_error("invalid", "a session ends before it starts");
  registrations_.secret();
  return db_.write(db::Isolation::read_committed, [&](db::Connection& c) -> Result<SessionChange> {
    lock_session(c, session_id);
    auto row = c.query_one(std::string(kSessionColumns) + " WHERE s.id = $1 AND s.event_id = $2",
                           {session_id, event_id});
    if (!row) return make_error("not_found", "no such session");
    auto cur = session_from(*row);
    auto event_status =
        c.query_one("SELECT status FROM events WHERE id = $1", {event_id})->text("status");
    if (cur.status == "cancelled" || event_status == "cancelled")
      return make_error("cancelled", "the session is cancelled");
    if (s.capacity && *s.capacity < cur.confirmed)
      return make_error("below_confirmed", std::to_string(cur.confirmed));
    SessionChange ch;
    ch.moved = cur.starts_at != s.starts_at || cur.ends_at != s.ends_at;
    if (!ch.moved && cur.title == s.title && cur.capacity == s.capacity) return ch;
    c.execute(R"sql(
      UPDATE event_sessions SET title = $2, starts_at = $3, ends_at = $4, capacity = $5,
                                sequence = sequence + 1, updated_at = $6
       WHERE id = $1)sql",
              {session_id, s.title, s.starts_at, s.ends_at, s.capacity, now});
    refresh_span(c, event_id, now);
    if (ch.moved) {
      // The reminders are due again at the new time.
      c.execute(
          "DELETE FROM registration_reminders WHERE registration_id IN "
          "(SELECT id FROM registrations WHERE session_id = $1)",
          {session_id});
      if (event_status == "published")
        for (int64_t id : registered(c, session_id)) {
          registrations_.queue_news(c, id, "session_changed", news, now);
          ++ch.told;
        }
    }
    bool more_places = !s.capacity || (cur.capacity && *s.capacity > *cur.capacity);
    if (more_places) ch.promoted = registrations_.promote_waiting(c, session_id, now, news);
    return ch;
  });
}

Result<int64_t> EventChanges::cancel_session(int64_t event_id, int64_t session_id, int64_t now,
                                             const RegistrationComposer& news) {
  registrations_.secret();
  return db_.write(db::Isolation::read_committed, [&](db::Connection& c) -> Result<int64_t> {
    auto status = lock_event(c, event_id, now);
    if (!status) return make_error("not_found", "no such event");
    lock_session(c, session_id);
    auto row = c.query_one("SELECT status FROM event_sessions WHERE id = $1 AND event_id = $2",
                           {session_id, event_id});
    if (!row) return make_error("not_found", "no such session");
    if (row->text("status") == "cancelled" || *status == "cancelled")
      return make_error("cancelled", "already cancelled");
    c.execute(
        "UPDATE event_sessions SET status = 'cancelled', sequence = sequence + 1, "
        "updated_at = $2 WHERE id = $1",
        {session_id, now});
    int64_t told = 0;
    if (*status == "published")
      for (int64_t id : registered(c, session_id)) {
        registrations_.queue_news(c, id, "session_cancelled", news, now);
        ++told;
      }
    // An event without a session left is off as a whole.
    if (c.query_int("SELECT count(*) FROM event_sessions WHERE event_id = $1 AND status = "
                    "'scheduled'",
                    {event_id}) == 0)
      c.execute("UPDATE events SET status = 'cancelled' WHERE id = $1 AND status = 'published'",
                {event_id});
    refresh_span(c, event_id, now);
    return told;
  });
}

Result<int64_t> EventChanges::cancel_event(int64_t event_id, int64_t now,
                                           const RegistrationComposer& news) {
  registrations_.secret();
  return db_.write(db::Isolation::read_committed, [&](db::Connection& c) -> Result<int64_t> {
    auto status = lock_event(c, event_id, now);
    if (!status) return make_error("not_found", "no such event");
    if (*status == "cancelled") return make_error("cancelled", "already cancelled");
    int64_t told = 0;
    for (const auto& s :
         c.query("SELECT id FROM event_sessions WHERE event_id = $1 AND status = 'scheduled' "
                 "ORDER BY id",
                 {event_id})) {
      int64_t session_id = s.int64("id");
      lock_session(c, session_id);
      c.execute(
          "UPDATE event_sessions SET status = 'cancelled', sequence = sequence + 1, "
          "updated_at = $2 WHERE id = $1",
          {session_id, now});
      if (*status == "published")
        for (int64_t id : registered(c, session_id)) {
          registrations_.queue_news(c, id, "session_cancelled", news, now);
          ++told;
        }
    }
    c.execute("UPDATE events SET status = 'cancelled' WHERE id = $1", {event_id});
    return told;
  });
}

int64_t EventChanges::write_to_all(int64_t event_id, bool waitlist_too, const Composer& compose,
                                   int64_t now) {
  return db_.write([&](db::Connection& c) {
    auto rows =
        c.query(std::string(R"sql(
      SELECT g.email, min(g.name) AS name, min(COALESCE(u.locale, 'de')) AS locale
        FROM registrations g
        JOIN event_sessions s ON s.id = g.session_id
        LEFT JOIN users u ON u.id = g.user_id
       WHERE s.event_id = $1 AND s.status = 'scheduled' AND g.email NOT LIKE '%@invalid'
         AND g.status IN ('confirmed')sql") +
                    (waitlist_too ? ", 'waitlisted')" : ")") + " GROUP BY g.email ORDER BY g.email",
                {event_id});
    for (const auto& r : rows)
      queue_mail(c, compose({r.text("email"), r.text("locale"), r.text("name")}), now,
                 mail_attempts_);
    return static_cast<int64_t>(rows.size());
  });
}

}  // namespace verbund::store
