// What organisers change on an event after it is published: its text and settings,
// a session's time, title or capacity, new sessions, cancellations, and a message to
// everyone registered.
//
// Every change to a session raises its SEQUENCE (RFC 5545 §3.8.7.4), so calendars
// that imported or subscribed to it replace the old entry. People registered for a
// session that moves or is cancelled get a mail at once (subscribed calendars refresh
// only every 12 to 24 hours), written in the same transaction as the change. A raised
// capacity hands the new places to the waitlist in its order; a capacity below the
// places already given is refused. Changes take the session's row lock, the same one
// bookings take, so none is lost between them.
//
// Thread-safe; every method runs in a transaction of its own.
#pragma once

#include <optional>
#include <string>

#include "core/result.hpp"
#include "db/database.hpp"
#include "store/event_store.hpp"
#include "store/outbox_store.hpp"

namespace verbund::store {

// An event's own fields, as the organisers' form sends them.
struct EventFields {
  std::string title, summary, description;
  std::string format = "online", place, online_url, audience = "public";
  std::optional<std::string> access_code;  // none: keep the one there is
  std::string topics, language = "de", accessibility, contact;
  std::optional<int64_t> registration_opens_at, registration_closes_at;
  std::string status = "published";  // draft, published (cancel_event() cancels)
};

struct SessionChange {
  bool moved = false;    // its time changed
  int64_t promoted = 0;  // people who moved up from the waitlist
  int64_t told = 0;      // mails about the move
};

class EventChanges {
 public:
  EventChanges(db::Database& db, Registrations& registrations, int mail_attempts = 8)
      : db_(db), registrations_(registrations), mail_attempts_(mail_attempts) {}

  // Errors: "not_found", "invalid" (an empty title, an unknown format or audience, an
  // invitation without a code), "cancelled" (a cancelled event stays so). A changed
  // title, summary, place or format raises every session's SEQUENCE; a changed place,
  // format or online link is mailed ("session_changed") to everyone registered.
  Result<int64_t> update(int64_t event_id, const EventFields& f, int64_t now,
                         const RegistrationComposer& news);
  // Errors: "not_found", "invalid" (ends before it starts), "cancelled".
  Result<int64_t> add_session(int64_t event_id, const NewEventSession& s, int64_t now);
  // Errors: "not_found" (not a session of this event), "invalid", "cancelled",
  // "below_confirmed" (a capacity below the places already given).
  Result<SessionChange> change_session(int64_t event_id, int64_t session_id,
                                       const NewEventSession& s, int64_t now,
                                       const RegistrationComposer& news);
  // The session is off: everyone registered gets "session_cancelled". Returns how many.
  // Errors: "not_found", "cancelled" (already).
  Result<int64_t> cancel_session(int64_t event_id, int64_t session_id, int64_t now,
                                 const RegistrationComposer& news);
  // The whole event is off, every session of it. Returns how many were told.
  Result<int64_t> cancel_event(int64_t event_id, int64_t now, const RegistrationComposer& news);
  // A message from the organisers to everyone with a place (and, if asked, the
  // waitlist) in the event's scheduled sessions, one mail per address. Returns how many.
  int64_t write_to_all(int64_t event_id, bool waitlist_too, const Composer& compose, int64_t now);

 private:
  db::Database& db_;
  Registrations& registrations_;
  int mail_attempts_;
};

}  // namespace verbund::store
