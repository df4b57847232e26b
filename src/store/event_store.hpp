// Events, their sessions and the registrations for them.
//
// Registrations are the platform's hardest concurrent writes: a thousand people may
// press "Anmelden" for the same session at once, on two nodes. book() decides place or
// waitlist with single UPDATE statements on the session row (read committed): on
// PostgreSQL the row lock queues the bookings, on SQLite the writer lock does, and the
// table's CHECK refuses any count above capacity whatever the code does. The waitlist's
// order is the order in which the bookings took that lock. cancel() takes the same lock
// before it frees a place, so two cancellations at once promote two different people,
// each exactly once.
//
// Thread-safe; every method runs in a transaction of its own.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "store/outbox_store.hpp"

namespace verbund::store {

// Who looks at or registers for an event, as far as audiences are concerned.
struct EventViewer {
  int64_t user_id = 0;  // 0: a visitor
  bool platform_admin = false;
  bool staff = false;   // federation staff: platform admins and regional editors
  bool scout = false;   // online scouts
  bool member = false;  // admin or member of an organisation
};

// Whether `viewer` may see and register for an event of `audience` ('public',
// 'members', 'scouts', 'staff', 'invitation'; invitation events need the access code
// as well, which the caller checks).
bool audience_admits(const std::string& audience, const EventViewer& viewer);

struct EventSession {
  int64_t id = 0;
  int64_t event_id = 0;
  std::string uid, title, status;
  int64_t starts_at = 0, ends_at = 0;
  std::optional<int64_t> capacity;  // none: no limit
  int64_t confirmed = 0;
  int64_t waiting = 0;  // people on the waitlist now
  int64_t sequence = 0;
  int64_t updated_at = 0;
  // Free places, or none when there is no limit.
  std::optional<int64_t> free() const {
    if (!capacity) return std::nullopt;
    return *capacity > confirmed ? *capacity - confirmed : 0;
  }
};

struct Event {
  int64_t id = 0;
  std::string slug, title, summary, description;
  std::optional<int64_t> series_id;
  std::string series_slug, series_title;
  std::optional<int64_t> festival_id;  // a session of the festival's programme
  std::string festival_slug, festival_title;
  std::string organiser_kind;  // federation, region, organisation
  std::optional<int64_t> organisation_id, region_id;
  std::string organiser_name;  // the organisation's or association's name; "" for the federation
  std::string organisation_slug;
  std::string format, place, online_url, audience, topics, language, accessibility, contact;
  bool has_access_code = false;
  int64_t starts_at = 0, ends_at = 0;
  std::optional<int64_t> registration_opens_at, registration_closes_at;
  std::string status;
  std::optional<int64_t> created_by;
  int64_t created_at = 0, updated_at = 0;
  std::vector<EventSession> sessions;
};

struct EventSeries {
  int64_t id = 0;
  std::string slug, title, description, recurrence;
  std::vector<Event> events;  // by start, with their sessions
};

struct NewEventSession {
  std::string title;
  int64_t starts_at = 0, ends_at = 0;
  std::optional<int64_t> capacity;
};

struct NewEvent {
  std::string slug;  // "" → from the title and the date
  std::string title, summary, description;
  std::optional<int64_t> series_id, festival_id;
  std::string organiser_kind = "federation";
  std::optional<int64_t> organisation_id, region_id;
  std::string format = "online", place, online_url, audience = "public", access_code;
  std::string topics, language = "de", accessibility, contact;
  std::optional<int64_t> registration_opens_at, registration_closes_at;
  std::string status = "published";
  std::optional<int64_t> created_by;
  std::vector<NewEventSession> sessions;  // at least one
};

struct EventFilter {
  std::string format, topic, organiser;  // organiser: organisation slug, region code or "verband"
  std::string region;                    // region code: the association's and its members' events
  std::string audience;
  std::optional<int64_t> festival_id;  // the festival's programme only
  // UTC. Upcoming: events that end after `from` (now) and start before `until`.
  // Past: events that ended by `from` (now) and by `until`, starting at `after` or later.
  std::optional<int64_t> from, until, after;
  bool past = false;  // ended events, newest first
};

struct EventPage {
  std::vector<Event> events;  // with their sessions
  bool more = false;
};

// A person taking a place: a signed-in user (user_id) or a guest (name and e-mail).
struct Registrant {
  std::optional<int64_t> user_id;
  std::string name, email;
  std::optional<int64_t> organisation_id;  // the colleague's organisation
};

struct Registration {
  int64_t id = 0;
  int64_t session_id = 0, event_id = 0;
  std::optional<int64_t> user_id;
  std::string name, email, status;  // unconfirmed, confirmed, waitlisted, cancelled
  std::optional<int64_t> position;  // on the waitlist now (1 = next), for waitlisted ones
  std::optional<int64_t> organisation_id, registered_by;
  int64_t created_at = 0;
  bool attended = false;
  // A place from the waitlist shortly before the start: to be confirmed by then.
  std::optional<int64_t> confirm_by;
};

struct Booking {
  int64_t registration_id = 0;
  std::string status;  // confirmed, waitlisted, unconfirmed (a guest: the link decides)
  std::optional<int64_t> position;
  std::string token;  // the personal link's token (token_for)
};

// The mail to a person about their registration: "confirmed" (a place), "waitlisted",
// "unconfirmed" (a guest's link to confirm), "promoted" (from the waitlist to a place),
// "reminder" (`hours` before the session), "released" (a promoted place not confirmed
// in time went on), "session_changed" (moved, or a new place), "session_cancelled".
struct RegistrationNews {
  std::string kind;
  int hours = 0;
  Addressee to;
  Event event;  // with the one session concerned
  Registration registration;
  std::string token;  // the personal link's token
};
using RegistrationComposer = std::function<Mail(const RegistrationNews&)>;

class Events {
 public:
  explicit Events(db::Database& db) : db_(db) {}

  // Errors: "invalid" (no session, a session ending before it starts, unknown
  // organiser), "duplicate" (the slug is taken). Returns the id.
  Result<int64_t> create(const NewEvent& e, int64_t now);
  std::optional<Event> find(std::string_view slug);
  std::optional<Event> find_by_id(int64_t id);
  // Published and cancelled events, upcoming (by start) or past (newest first), that
  // `viewer` may see; `limit` per page, `offset` for the next.
  EventPage list(const EventFilter& f, const EventViewer& viewer, int limit, int offset);
  // Errors: "duplicate" (the slug is taken). Returns the id.
  Result<int64_t> create_series(const std::string& slug, const std::string& title,
                                const std::string& description, const std::string& recurrence,
                                int64_t now);
  // A series with its published and cancelled events.
  std::optional<EventSeries> of_series_slug(std::string_view slug);
  // Whether `code` opens an invitation-only event.
  bool access_code_matches(int64_t event_id, std::string_view code);

 private:
  db::Database& db_;
};

class Registrations {
 public:
  explicit Registrations(db::Database& db, int mail_attempts = 8)
      : db_(db), mail_attempts_(mail_attempts) {}

  // A registration's personal link token: its id, signed with the platform's secret
  // (settings "signing_secret", shared by all nodes), so that every mail about it, now
  // or later, can carry the same link without storing it.
  std::string token_for(int64_t registration_id);

  // Takes a place in the session, or the next waitlist position when it is full. A
  // guest (no user_id) gets an "unconfirmed" registration that holds nothing until
  // confirm() (double opt-in). Errors: "not_found" (no such session, event not
  // published), "cancelled" (the session or event is), "not_open" / "closed" (outside
  // the registration window), "ended", "duplicate" (this address is registered).
  // `mail` writes the mail about the outcome, queued in the same transaction.
  Result<Booking> book(int64_t session_id, const Registrant& who,
                       std::optional<int64_t> registered_by, int64_t now,
                       const RegistrationComposer& mail = {});
  // A guest's link: the registration takes its place or waitlist position now; for a
  // place from the waitlist with a deadline (confirm_by), it keeps the place.
  // Errors: "not_found" (unknown or spent link), "expired" (the deadline passed), and
  // book()'s.
  Result<Booking> confirm(std::string_view token, int64_t now,
                          const RegistrationComposer& mail = {});
  // Leaves the session (a place or the waitlist). A freed place goes to the first on
  // the waitlist, whose mail `news` writes. Errors: "not_found".
  Status cancel_by_token(std::string_view token, int64_t now, const RegistrationComposer& news);
  Status cancel(int64_t user_id, int64_t registration_id, int64_t now,
                const RegistrationComposer& news);
  // Places handed on from the waitlist whose deadline passed unconfirmed go to the
  // next person (mail "promoted"); the one who did not confirm gets "released".
  // Returns how many it released. Safe on several nodes at once.
  int64_t release_unconfirmed(int64_t now, const RegistrationComposer& news);
  // The user's live registrations (places and waitlist) for sessions that end after
  // `since`, by start; at most 200.
  std::vector<Registration> upcoming_of_user(int64_t user_id, int64_t since);
  // A person's calendar feed token ("meine Anmeldungen"): the user id, signed like the
  // registration links. calendar_user() returns the id when the signature holds.
  std::string calendar_token(int64_t user_id);
  std::optional<int64_t> calendar_user(std::string_view token);
  // The user's live registrations for the sessions of an event.
  std::vector<Registration> of_user(int64_t user_id, int64_t event_id);
  std::optional<Registration> by_token(std::string_view token);
  // Writes the reminders that are due: for each of `hours` (e.g. {24, 1}), every
  // confirmed registration of a scheduled session that starts within that many hours
  // but not within the next smaller one, made before the reminder's time, gets one
  // mail, once (registration_reminders' key; safe on several nodes at once).
  // Returns how many it wrote.
  int64_t send_reminders(int64_t now, std::vector<int> hours, const RegistrationComposer& mail);
  // Removes names and addresses from the registrations of sessions that ended more
  // than `days` ago (counts stay for the statistics). Returns how many it cleared.
  int64_t anonymise_ended(int64_t now, int days);
  // Marks whether a confirmed participant came (the organisers' list). Scoped by the
  // event: a registration of another event is "not_found".
  Status set_attended(int64_t event_id, int64_t registration_id, bool attended);
  // Everyone registered for a session (organisers' list), confirmed first, then the
  // waitlist in order.
  std::vector<Registration> of_session(int64_t session_id);

  // A place handed on within kConfirmWithin of the start must be confirmed within
  // kConfirmTime, and kConfirmBeforeStart before the start at the latest; when less
  // time than that remains, the place stands without asking.
  static constexpr int64_t kConfirmWithin = 48 * 3600;
  static constexpr int64_t kConfirmTime = 12 * 3600;
  static constexpr int64_t kConfirmBeforeStart = 3600;
  static std::optional<int64_t> confirm_deadline(int64_t now, int64_t starts_at);

  // For the stores that change sessions (EventChanges), inside their transaction with
  // the session's row locked: the free places go to the waitlist in its order, each
  // with a "promoted" mail. Returns how many moved up.
  int64_t promote_waiting(db::Connection& c, int64_t session_id, int64_t now,
                          const RegistrationComposer& news);
  // Writes the mail `kind` about a registration, inside the caller's transaction
  // (which must not be the first to need the signing secret: call secret() before).
  void queue_news(db::Connection& c, int64_t registration_id, const char* kind,
                  const RegistrationComposer& mail, int64_t now, int hours = 0);

  // The signing secret of the personal links (read once, outside any transaction).
  const std::string& secret();

 private:
  // A mail's event with the one session and the recipient's locale; the caller adds
  // the registration, the kind and the address.
  RegistrationNews news_context(db::Connection& c, int64_t session_id,
                                std::optional<int64_t> user_id);
  // `own_news`: the mail to the person whose registration ends, or none.
  Status cancel_where(const std::string& where, const db::Params& ps, int64_t now,
                      const RegistrationComposer& news, const char* own_news);
  // The registration id a token names, when its signature holds.
  std::optional<int64_t> id_of(std::string_view token);
  // "ID.SIGNATURE" for `purpose`, and back (none when the signature does not hold).
  std::string sign(int64_t id, std::string_view purpose);
  std::optional<int64_t> verify(std::string_view token, std::string_view purpose);
  db::Database& db_;
  int mail_attempts_;
  std::once_flag secret_once_;
  std::string secret_;
};

}  // namespace verbund::store
