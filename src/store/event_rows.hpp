// The rows of the event tables as the event stores read them (event_store.cpp,
// event_changes.cpp): the SELECTs, their mapping, and the session lock. Internal to
// those stores; nothing else includes this.
#pragma once

#include "db/database.hpp"
#include "store/event_store.hpp"

namespace verbund::store::event_rows {

// "SELECT … FROM events e …": append a WHERE on e.
extern const char* const kEventColumns;
// "SELECT … FROM event_sessions s": append a WHERE on s.
extern const char* const kSessionColumns;
// "SELECT … FROM registrations g JOIN event_sessions s …": append a WHERE on g or s.
extern const char* const kRegistrationColumns;

Event event_from(const db::Row& r);
EventSession session_from(const db::Row& r);
Registration registration_from(const db::Row& r);
// Fills each event's sessions, by start.
void load_sessions(db::Connection& c, std::vector<Event>& events);

// Every change of a session's registrations takes the session's row first (SQLite:
// the writer lock already serialises them), so they queue in one order and never
// deadlock.
void lock_session(db::Connection& c, int64_t session_id);

// Writes a new event with its sessions (the slug from the title and the first date
// when `e.slug` is empty). Errors: "invalid"; a taken slug throws (unique).
Result<int64_t> insert_event(db::Connection& c, const NewEvent& e, int64_t now);

}  // namespace verbund::store::event_rows
