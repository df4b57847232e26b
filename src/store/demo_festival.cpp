#include "store/demo_festival.hpp"

#include <ctime>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "store/festival_store.hpp"

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

struct DemoProposal {
  const char* title;
  const char* kind;
  const char* format;
  const char* topic;
  int64_t minutes;
  std::size_t org;      // index into the demo organisations
  const char* outcome;  // accepted, changes_requested, declined, withdrawn, "" (undecided)
  int slot_day;         // accepted: 0 = Monday … 4 = Friday; -1: not yet scheduled
  unsigned slot_hour;
  int reviews;  // how many of the reviewers have scored it
  const char* abstract;
};

const DemoProposal kProposals[] = {
    {"Videoberatung datenschutzfreundlich einrichten", "workshop", "online", "datenschutz", 90, 0,
     "accepted", 0, 10, 3,
     "Wir richten gemeinsam eine Videoberatung ein, die Ratsuchende ohne Konto nutzen können: "
     "Auswahl des Dienstes, Auftragsverarbeitung, Einwilligung und der erste Termin.\n\n"
     "- Welche Dienste in Frage kommen\n- Was in den Vertrag gehört\n- Wie Sie Ratsuchende "
     "gut durch den ersten Termin führen"},
    {"Canva für Vereinsplakate: in 45 Minuten zum ersten Post", "tool_intro", "online",
     "social_media", 45, 1, "accepted", 0, 14, 3,
     "Vorlagen, Farben und das eigene Logo: Wir zeigen, wie ein Plakat und ein Instagram-Post "
     "in einem Rutsch entstehen – mit dem kostenlosen Angebot für gemeinnützige Organisationen."},
    {"Hate Speech auf Instagram: Moderation im Team", "workshop", "online", "hate_speech", 90, 2,
     "accepted", 1, 10, 3,
     "Wer antwortet, wer löscht, wer zeigt an? Wir üben an echten (anonymisierten) Beispielen "
     "und schreiben gemeinsam eine Netiquette, die Ihr Team sofort nutzen kann."},
    {"Ehrenamtliche digital einarbeiten", "talk", "hybrid", "austausch", 60, 3, "accepted", 2, 16,
     2,
     "Ein kurzer Impuls aus unserer Freiwilligenagentur, dann Austausch: Wie kommen neue "
     "Ehrenamtliche an Zugänge, Dateien und Termine, ohne dass jemand den Überblick verliert?"},
    {"Barrierefreie PDFs mit LibreOffice", "webinar", "online", "barrierefreiheit", 60, 4,
     "accepted", 3, 10, 2,
     "Überschriften, Alternativtexte, Lesereihenfolge: So entsteht aus einem Flyer ein PDF, das "
     "auch mit Screenreader lesbar ist. Mit Checkliste zum Mitnehmen."},
    {"KI-Textwerkzeuge im Beratungsalltag – Chancen und Grenzen", "webinar", "online", "ki", 60, 5,
     "accepted", -1, 0, 2,
     "Was dürfen wir in ein KI-Werkzeug eingeben, was nicht? Beispiele aus der "
     "Schuldnerberatung und eine einfache Regel für das ganze Team."},
    {"Spendenaktionen online: Erfahrungen aus dem Familienzentrum", "talk", "online", "fundraising",
     45, 0, "changes_requested", -1, 0, 2,
     "Wir erzählen von unserer ersten Online-Spendenaktion: was geklappt hat und was nicht."},
    {"Unsere neue Website in drei Wochen", "talk", "online", "digitalisierung", 30, 1, "declined",
     -1, 0, 2, "Wie wir mit einem Baukasten in drei Wochen eine neue Website gebaut haben."},
    {"Nextcloud im Verein: Dateien teilen ohne Chaos", "tool_intro", "online", "tools", 60, 2, "",
     -1, 0, 3,
     "Ordner, Freigaben, Rechte: Wir zeigen unsere Nextcloud beim Verbandsrechenzentrum und wie "
     "zwölf Ehrenamtliche damit ihre Unterlagen teilen."},
    {"Online-Sitzungen gut moderieren", "workshop", "online", "moderation", 90, 3, "", -1, 0, 1,
     "Ankommen, Redeliste, Ergebnisse sichern: kleine Methoden, die Online-Sitzungen des "
     "Vorstands kürzer und angenehmer machen."},
    {"Messenger im Verein: Signal, Threema oder …?", "webinar", "online", "datenschutz", 45, 4, "",
     -1, 0, 0,
     "Ein Vergleich der Messenger, die Vereine nutzen, mit Blick auf Datenschutz, Kosten und "
     "darauf, was Ehrenamtliche schon auf dem Handy haben."},
    {"Social-Media-Redaktionsplan für kleine Teams", "workshop", "in_person", "social_media", 120,
     5, "withdrawn", -1, 0, 0,
     "Ein Vormittag, an dem jede Organisation mit einem Plan für drei Monate nach Hause geht."},
};

}  // namespace

int load_demo_festival(db::Database& db, int64_t now) {
  Festivals festivals(db, 1);
  auto data = db.read([](db::Connection& c) {
    std::vector<int64_t> orgs;
    for (const auto& r :
         c.query("SELECT id FROM organisations WHERE status = 'published' ORDER BY id LIMIT 6"))
      orgs.push_back(r.int64("id"));
    auto user = [&](const char* email) -> std::optional<int64_t> {
      auto r = c.query_one("SELECT id FROM users WHERE email = $1", {email});
      return r ? std::optional<int64_t>(r->int64("id")) : std::nullopt;
    };
    // The submitter of each organisation's proposals, where the demo has one.
    std::vector<std::optional<int64_t>> submitters(orgs.size());
    for (std::size_t i = 0; i < orgs.size(); ++i) {
      auto r = c.query_one(
          "SELECT user_id FROM user_roles WHERE organisation_id = $1 ORDER BY id LIMIT 1",
          {orgs[i]});
      if (r) submitters[i] = r->int64("user_id");
    }
    return std::tuple(orgs, submitters, user("admin@verbund.example"),
                      std::vector<std::optional<int64_t>>{user("scout.jana@verbund.example"),
                                                          user("scout.emre@verbund.example"),
                                                          user("redaktion.nrw@verbund.example")});
  });
  auto [orgs, submitters, admin, reviewers] = data;
  if (orgs.size() < 6 || !admin) return 0;

  // The Monday five to six weeks ahead (German days).
  int64_t today = (now + timefmt::berlin_offset(now)) / 86400;
  int64_t monday = today + 35;
  while ((monday + 3) % 7 != 0) ++monday;  // 1970-01-01 was a Thursday
  NewFestival f;
  f.title = "Digital-Festival " + timefmt::berlin(at(monday, 10, 0), "%Y");
  f.slug = "digital-festival-" + timefmt::berlin(at(monday, 10, 0), "%Y");
  f.summary =
      "Eine Aktionswoche, in der Mitgliedsorganisationen Workshops, Webinare und "
      "Tool-Vorstellungen anbieten – von Mitgliedern für Mitglieder.";
  f.description =
      "Beim Digital-Festival zeigen Organisationen, was bei ihnen digital funktioniert, und "
      "lernen voneinander. Alle Angebote sind kostenlos und offen für alle "
      "Mitgliedsorganisationen.\n\n**So kommen Angebote ins Programm:** Mitglieder reichen "
      "Vorschläge ein, Online-Scouts und Landesverbände begutachten sie, das Festivalteam "
      "entscheidet und stellt das Programm zusammen.";
  f.starts_at = at(monday, 0, 0);
  f.ends_at = at(monday + 5, 0, 0);
  f.submission_opens_at = now - 40 * 86400;
  f.submission_closes_at = now - 5 * 86400;
  f.review_closes_at = now + 9 * 86400;
  f.decisions_by = now + 16 * 86400;
  f.anonymous_review = true;
  f.categories = {"Nutzen für Mitgliedsorganisationen", "Praxisnähe", "Verständlichkeit"};
  auto festival_id = festivals.create(f, now);
  if (!festival_id) return 0;
  for (std::size_t i = 0; i < reviewers.size(); ++i) {
    if (!reviewers[i]) continue;
    auto email = db.read([&](db::Connection& c) {
      return c.query_one("SELECT email FROM users WHERE id = $1", {*reviewers[i]})->text("email");
    });
    std::optional<int64_t> region;
    if (i == 2)
      region = db.read([](db::Connection& c) {
        auto r = c.query_one("SELECT id FROM regions WHERE code = 'nw'");
        return r ? std::optional<int64_t>(r->int64("id")) : std::nullopt;
      });
    (void)festivals.add_reviewer(*festival_id, email, region, "", now);
  }
  auto categories = festivals.find(f.slug)->categories;
  int made = 0;
  int n = 0;
  for (const auto& d : kProposals) {
    ++n;
    ProposalInput in;
    in.organisation_id = orgs[d.org];
    in.title = d.title;
    in.abstract = d.abstract;
    in.kind = d.kind;
    in.format = d.format;
    in.topic = d.topic;
    in.duration_minutes = d.minutes;
    in.speakers = n % 2 ? "Zwei Kolleginnen aus dem Team" : "";
    int64_t submitted_at = f.submission_opens_at + n * 2 * 86400;
    auto id = festivals.submit(*festival_id, submitters[d.org], in, submitted_at);
    if (!id) continue;
    ++made;
    int given = 0;
    for (std::size_t r = 0; r < reviewers.size() && given < d.reviews; ++r) {
      if (!reviewers[r] || !festivals.may_review(*id, *reviewers[r])) continue;
      std::map<int64_t, int> scores;
      for (std::size_t k = 0; k < categories.size(); ++k)
        scores[categories[k].id] =
            std::string(d.outcome) == "declined" ? 2 : static_cast<int>(3 + (n + r + k) % 3);
      std::string comment =
          r == 0 ? "Sehr praxisnah; bitte im Programm die Zielgruppe deutlicher nennen."
                 : (r == 1 ? "Gutes Thema für kleine Organisationen." : "");
      (void)festivals.save_review(*id, *reviewers[r], scores, comment, now - 2 * 86400 + r);
      ++given;
    }
    std::string outcome = d.outcome;
    if (outcome == "withdrawn") {
      (void)festivals.withdraw(*id, now - 3 * 86400);
    } else if (!outcome.empty()) {
      Decision dec{outcome, "", false};
      if (outcome == "changes_requested")
        dec.reason =
            "Das Thema passt gut. Bitte beschreiben Sie genauer, was die Teilnehmenden "
            "mitnehmen, und nennen Sie ein Beispiel aus Ihrer Aktion.";
      if (outcome == "declined")
        dec.reason =
            "Danke für Ihren Vorschlag! Zu Websites haben wir in diesem Jahr schon zwei "
            "Angebote im Programm. Reichen Sie ihn gern beim nächsten Festival wieder ein.";
      (void)festivals.decide(*festival_id, {*id}, dec, *admin, now - 86400, {});
      if (outcome == "accepted" && d.slot_day >= 0)
        (void)festivals.schedule(*id, at(monday + d.slot_day, d.slot_hour, 0), 30, *admin, now);
    }
  }
  return made;
}

}  // namespace verbund::store
