#include "store/demo_events.hpp"

#include <ctime>
#include <string>

#include "core/time.hpp"
#include "store/event_store.hpp"

namespace verbund::store {

namespace {

// German wall-clock time on the given day (days since 1970-01-01), as UTC.
int64_t at(int64_t day, unsigned hour, unsigned minute) {
  std::time_t t = day * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  return *timefmt::berlin_to_utc(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                                 static_cast<unsigned>(tm.tm_mday), hour, minute);
}

// The first Tuesday of the month `months_ahead` after the one of `now` (German time).
int64_t first_tuesday(int64_t now, int months_ahead) {
  int64_t local = now + timefmt::berlin_offset(now);
  std::time_t t = local;
  std::tm tm{};
  gmtime_r(&t, &tm);
  int64_t y = tm.tm_year + 1900, m = tm.tm_mon + 1 + months_ahead;
  while (m > 12) {
    m -= 12;
    ++y;
  }
  int64_t day = timefmt::days_from_civil(y, static_cast<unsigned>(m), 1);
  int64_t weekday = (day + 4) % 7;  // 1970-01-01 was a Thursday (4); Tuesday is 2
  return day + (2 - weekday + 7) % 7;
}

}  // namespace

int load_demo_events(db::Database& db, int64_t now) {
  Events events(db);
  Registrations regs(db);
  auto ids = db.read([](db::Connection& c) {
    auto org =
        c.query_one("SELECT id FROM organisations WHERE status = 'published' ORDER BY id LIMIT 1");
    auto region = c.query_one("SELECT id FROM regions ORDER BY id LIMIT 1");
    std::vector<int64_t> users;
    for (const auto& r : c.query("SELECT id FROM users ORDER BY id LIMIT 12"))
      users.push_back(r.int64("id"));
    return std::tuple(org ? org->int64("id") : 0, region ? region->int64("id") : 0, users);
  });
  auto [org_id, region_id, users] = ids;
  int made = 0;
  auto series = events.create_series(
      "digi-dienstag", "Digi-Dienstag",
      "Einmal im Monat treffen sich Mitgliedsorganisationen mit ähnlichen Fragen zu "
      "Austausch und kurzen Schulungen rund um die digitale Arbeit.",
      "Jeden ersten Dienstag im Monat, online", now);
  // The next three first Tuesdays that are still ahead.
  int64_t day = first_tuesday(now, 0);
  int ahead = 0;
  if (at(day, 10, 0) < now) day = first_tuesday(now, ++ahead);
  const char* topics[3][3] = {
      {"Datenschutzfreundliche Videokonferenzen", "Hate Speech moderieren", "Offene Sprechstunde"},
      {"Newsletter mit kleinem Budget", "Barrierefreie PDFs", "Offene Sprechstunde"},
      {"Instagram für Vereine", "Ehrenamtliche online gewinnen", "Offene Sprechstunde"}};
  for (int i = 0; i < 3; ++i) {
    if (i > 0) day = first_tuesday(now, ahead + i);
    NewEvent e;
    e.slug = "digi-dienstag-" + timefmt::berlin(at(day, 10, 0), "%Y-%m");
    e.title = "Digi-Dienstag " + timefmt::berlin(at(day, 10, 0), "%d.%m.%Y");
    e.summary = "Drei Sessions zum Austausch und Lernen: " + std::string(topics[i][0]) + ", " +
                topics[i][1] + " und eine offene Sprechstunde mit den Online-Scouts.";
    e.description =
        "Der Digi-Dienstag bringt Organisationen zusammen, die vor ähnlichen Fragen "
        "stehen.\n\n- **10:00 Uhr:** " +
        std::string(topics[i][0]) + "\n- **14:00 Uhr:** " + topics[i][1] +
        "\n- **16:00 Uhr:** Offene Sprechstunde\n\nSie können sich für jede Session einzeln "
        "anmelden. Den Zugangslink bekommen Sie mit der Bestätigung.";
    if (series) e.series_id = *series;
    e.format = "online";
    e.online_url = "https://meet.example.org/digi-dienstag-" + std::to_string(i + 1);
    e.topics = "digitalisierung,austausch";
    e.accessibility = "captions";
    e.contact = "digitalisierung@verbund.example";
    e.sessions = {{topics[i][0], at(day, 10, 0), at(day, 11, 30), i == 0 ? 3 : 30},
                  {topics[i][1], at(day, 14, 0), at(day, 15, 30), 25},
                  {topics[i][2], at(day, 16, 0), at(day, 17, 0), std::nullopt}};
    auto id = events.create(e, now);
    if (!id) continue;
    ++made;
    // A few registrations; the first morning session is full with a waitlist.
    auto ev = events.find_by_id(*id);
    if (!ev) continue;
    for (std::size_t u = 0; u < users.size() && u < (i == 0 ? 5u : 2u); ++u) {
      Registrant who{users[u], "Demo " + std::to_string(u + 1),
                     "demo" + std::to_string(u + 1) + "@verbund.example", std::nullopt};
      auto email = db.read([&](db::Connection& c) {
        return c.query_one("SELECT email, display_name FROM users WHERE id = $1", {users[u]});
      });
      if (email) {
        who.email = email->text("email");
        who.name = email->text("display_name");
      }
      (void)regs.book(ev->sessions.front().id, who, users[u], now);
    }
  }
  int64_t camp = first_tuesday(now, 4) + 3;  // a Friday to Sunday
  NewEvent scout;
  scout.slug = "scout-camp-" + timefmt::berlin(at(camp, 10, 0), "%Y");
  scout.title = "Scout-Camp " + timefmt::berlin(at(camp, 10, 0), "%Y");
  scout.summary =
      "Drei Tage Workshops, Austausch und Pläne fürs nächste Jahr – nur für die "
      "Online-Scouts des Verbands.";
  scout.description =
      "Das jährliche Treffen der Online-Scouts: Workshops zu neuen Werkzeugen, kollegiale "
      "Beratung und Zeit füreinander. Übernachtung und Verpflegung übernimmt der Verband.";
  scout.format = "in_person";
  scout.place = "Jugendbildungsstätte am See, Seestraße 1, 14467 Potsdam";
  scout.audience = "scouts";
  scout.accessibility = "step_free";
  scout.sessions = {{"Scout-Camp", at(camp, 14, 0), at(camp + 2, 13, 0), 60}};
  if (events.create(scout, now)) ++made;
  const char* trainings[2][2] = {
      {"schulung-online-moderation", "Schulung: Online-Veranstaltungen moderieren"},
      {"schulung-social-media-recht", "Schulung: Social Media und Recht"}};
  for (int i = 0; i < 2; ++i) {
    int64_t d = first_tuesday(now, 1 + i) + 2;  // a Thursday
    NewEvent t;
    t.slug = trainings[i][0];
    t.title = trainings[i][1];
    t.summary = i == 0 ? "Werkzeuge, Rollen und Methoden, damit Online-Treffen gelingen."
                       : "Bildrechte, Impressum, Datenschutz: was Verbandsseiten beachten müssen.";
    t.format = "online";
    t.online_url = "https://meet.example.org/schulung-" + std::to_string(i + 1);
    t.audience = "staff";
    t.sessions = {{"", at(d, 9, 30), at(d, 12, 30), 16}};
    if (events.create(t, now)) ++made;
  }
  if (org_id) {
    int64_t d = first_tuesday(now, 1) + 8;  // a Wednesday
    NewEvent w;
    w.slug = "workshop-canva-fuer-vereine";
    w.title = "Workshop: Plakate und Posts mit Canva";
    w.summary = "Ein Nachmittag zum Ausprobieren – bringen Sie Ihr Logo und ein Foto mit.";
    w.organiser_kind = "organisation";
    w.organisation_id = org_id;
    w.format = "hybrid";
    w.place = "Familienzentrum, Gemeinschaftsraum";
    w.online_url = "https://meet.example.org/canva";
    w.accessibility = "step_free,easy_language";
    w.sessions = {{"", at(d, 15, 0), at(d, 17, 30), 12}};
    if (events.create(w, now)) ++made;
  }
  if (region_id) {
    int64_t d = first_tuesday(now, 2) + 3;
    NewEvent r;
    r.slug = "regionaltag-digitalisierung";
    r.title = "Regionaltag Digitalisierung";
    r.summary = "Mitgliedsorganisationen des Landesverbands zeigen, was bei ihnen funktioniert.";
    r.organiser_kind = "region";
    r.region_id = region_id;
    r.format = "in_person";
    r.place = "Haus der Vereine, Saal 2";
    r.audience = "members";
    r.sessions = {{"", at(d, 10, 0), at(d, 16, 0), 80}};
    if (events.create(r, now)) ++made;
  }
  return made;
}

}  // namespace verbund::store
