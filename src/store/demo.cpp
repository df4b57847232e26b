#include "store/demo.hpp"

#include <ctime>
#include <map>
#include <sstream>

#include "core/resources.hpp"
#include "store/directory_store.hpp"
#include "store/org_store.hpp"
#include "store/user_store.hpp"

namespace verbund::store {
namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

std::string unescape_newlines(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == 'n') {
      out += '\n';
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Two applications waiting for the NRW editors, one fresh and one that went through a
// Rückfrage, so that the review queue and its history show what editors meet.
template <typename AddUser>
int add_applications(db::Connection& c, int64_t region_id, const AddUser& add, int64_t now) {
  constexpr int64_t day = 86400;
  auto application = [&](model::Organisation o, const std::string& email, const std::string& person,
                         int64_t submitted) {
    o.region_id = region_id;
    o.state = "Nordrhein-Westfalen";
    o.status = "pending";
    o.target_groups = {"familien"};
    int64_t id = insert_organisation(c, o, submitted);
    c.execute("UPDATE organisations SET submitted_at = $2 WHERE id = $1", {id, submitted});
    add(email, person, model::Role::org_admin, std::nullopt, id, o.name);
    c.execute(R"sql(
      INSERT INTO organisation_reviews (organisation_id, kind, actor_id, created_at)
      SELECT $1, 'submitted', user_id, $2 FROM user_roles
       WHERE organisation_id = $1 AND role = 'org_admin')sql",
              {id, submitted});
    return id;
  };
  model::Organisation fresh;
  fresh.name = "Nachbarschaftstreff Ehrenfeld e.V.";
  fresh.legal_form = "e.V.";
  fresh.street = "Venloer Straße 210";
  fresh.postcode = "50823";
  fresh.city = "Köln";
  fresh.fields = {"familie", "bildung"};
  fresh.short_description =
      "Offener Treff im Veedel: Frühstück, Hausaufgabenhilfe und Beratung für Nachbarinnen "
      "und Nachbarn.";
  fresh.about =
      "Wir sind ein kleiner Verein in Ehrenfeld.\n\nJeden Mittwoch gibt es ein "
      "offenes Frühstück, dienstags und donnerstags Hausaufgabenhilfe.";
  fresh.email = "kontakt@treff-ehrenfeld.example";
  application(fresh, "anmeldung@org4.example", "Dilara Şahin", now - 2 * day);

  model::Organisation asked;
  asked.name = "Sprachcafé Brückenschlag Bochum e.V.";
  asked.legal_form = "e.V.";
  asked.street = "Alleestraße 40";
  asked.postcode = "44793";
  asked.city = "Bochum";
  asked.fields = {"migration"};
  asked.short_description =
      "Deutsch üben bei Kaffee und Kuchen: ein Sprachcafé für Zugewanderte und Einheimische.";
  asked.about = "Ehrenamtliche treffen sich mit Menschen, die Deutsch lernen. Jeden Freitag.";
  int64_t id = application(asked, "anmeldung@org5.example", "Peter Nowak", now - 9 * day);
  const std::string note = "Bitte nennen Sie Ihre Mitgliedsnummer beim Landesverband.";
  const std::string reply = "Unsere Mitgliedsnummer ist NW-2291.";
  c.execute(R"sql(
    UPDATE organisations SET review_note = $2, applicant_reply = $3, reviewed_at = $4,
           reviewed_by = (SELECT user_id FROM user_roles WHERE role = 'regional_editor'
                           AND region_id = $5 ORDER BY id LIMIT 1)
     WHERE id = $1)sql",
            {id, note, reply, now - 8 * day, region_id});
  c.execute(R"sql(
    INSERT INTO organisation_reviews (organisation_id, kind, note, actor_id, created_at)
    SELECT $1, 'returned', $2, reviewed_by, $3 FROM organisations WHERE id = $1)sql",
            {id, note, now - 8 * day});
  c.execute(R"sql(
    INSERT INTO organisation_reviews (organisation_id, kind, note, actor_id, created_at)
    SELECT $1, 'resubmitted', $2, user_id, $3 FROM user_roles
     WHERE organisation_id = $1 AND role = 'org_admin')sql",
            {id, reply, now - day});
  return 2;
}

}  // namespace

Result<DemoReport> load_demo(db::Database& db, const std::string& password_hash,
                             int organisations) {
  auto tsv = resources::find("demo/organisations.tsv");
  if (!tsv) return make_error("demo", "demo/organisations.tsv is not embedded");
  DemoReport report;
  int64_t now = std::time(nullptr);
  try {
    db.write([&](db::Connection& c) {
      if (c.query_int("SELECT count(*) FROM organisations") > 0)
        throw std::runtime_error("not_empty");
      std::map<std::string, int64_t> region_ids;
      for (const auto& r : list_regions(c)) region_ids[r.code] = r.id;
      std::istringstream lines{std::string(*tsv)};
      std::string line;
      std::getline(lines, line);  // header
      std::vector<std::pair<int64_t, std::string>> orgs;
      std::vector<model::Organisation> templates;
      int line_no = 1;
      while (std::getline(lines, line)) {
        ++line_no;
        if (line.empty()) continue;
        auto f = split(line, '\t');
        if (f.size() < 20)
          throw std::runtime_error("demo/organisations.tsv line " + std::to_string(line_no) +
                                   ": expected 20 columns");
        model::Organisation o;
        o.name = f[0];
        o.short_name = f[1];
        o.legal_form = f[2];
        auto region = region_ids.find(f[3]);
        if (region == region_ids.end())
          throw std::runtime_error("demo/organisations.tsv line " + std::to_string(line_no) +
                                   ": unknown region " + f[3]);
        o.region_id = region->second;
        o.street = f[4];
        o.postcode = f[5];
        o.city = f[6];
        o.state = f[7];
        o.fields = split(f[8], ',');
        o.target_groups = split(f[9], ',');
        o.short_description = f[10];
        o.about = unescape_newlines(f[11]);
        o.why = f[12];
        if (!f[13].empty()) o.founded = std::stoll(f[13]);
        o.email = f[14];
        o.phone = f[15];
        o.website = f[16];
        o.languages = f[17];
        o.accessibility = f[18];
        o.opening_hours = f[19];
        if (f.size() >= 22 && !f[20].empty()) {
          o.latitude = std::stod(f[20]);
          o.longitude = std::stod(f[21]);
        }
        o.status = "published";
        orgs.emplace_back(insert_organisation(c, o, now), o.name);
        templates.push_back(o);
        ++report.organisations;
      }
      // Derived organisations: the demo rows again in other places of the same region.
      static const char* kPlaces[] = {"Nord",     "Süd",      "Ost",    "West",   "Mitte",
                                      "Altstadt", "Neustadt", "am See", "im Tal", "Land"};
      for (int i = report.organisations; i < organisations && !templates.empty(); ++i) {
        model::Organisation o = templates[i % templates.size()];
        int round = i / static_cast<int>(templates.size());
        o.name += " – " + std::string(kPlaces[round % 10]) + " " + std::to_string(round);
        o.short_name.clear();
        if (o.latitude) {  // spread the copies around the original place
          *o.latitude += 0.01 * ((i * 7) % 11 - 5);
          *o.longitude += 0.015 * ((i * 5) % 13 - 6);
        }
        insert_organisation(c, o, now + i);
        ++report.organisations;
      }
      auto add = [&](const std::string& email, const std::string& name, model::Role role,
                     std::optional<int64_t> region, std::optional<int64_t> org,
                     const std::string& scope) {
        auto id = create_user(c, email, name, password_hash, "de");
        if (!id) throw std::runtime_error("demo user exists: " + email);
        mark_email_confirmed(c, *id);
        auto st = grant_role(c, *id, role, region, org);
        if (!st) throw std::runtime_error(st.error().message);
        report.users.push_back({email, std::string(model::role_key(role)), scope});
      };
      add("admin@verbund.example", "Plattform-Team", model::Role::platform_admin, {}, {}, "");
      add("redaktion.nrw@verbund.example", "Miriam Yılmaz", model::Role::regional_editor,
          region_ids["nw"], {}, "Nordrhein-Westfalen");
      add("redaktion.bayern@verbund.example", "Thomas Huber", model::Role::regional_editor,
          region_ids["by"], {}, "Bayern");
      add("redaktion.sachsen@verbund.example", "Katrin Lehmann", model::Role::regional_editor,
          region_ids["sn"], {}, "Sachsen");
      add("scout.jana@verbund.example", "Jana Petersen", model::Role::online_scout, {}, {}, "");
      add("scout.emre@verbund.example", "Emre Demir", model::Role::online_scout, {}, {}, "");
      if (orgs.size() >= 3) {
        add("leitung@org1.example", "Sabine Krüger", model::Role::org_admin, {}, orgs[0].first,
            orgs[0].second);
        add("team@org1.example", "Lukas Wagner", model::Role::org_member, {}, orgs[0].first,
            orgs[0].second);
        add("leitung@org2.example", "Aylin Kaya", model::Role::org_admin, {}, orgs[1].first,
            orgs[1].second);
        add("ehrenamt@org3.example", "Hans-Jürgen Schulz", model::Role::org_member, {},
            orgs[2].first, orgs[2].second);
      }
      report.applications = add_applications(c, region_ids["nw"], add, now);
    });
  } catch (const std::runtime_error& e) {
    if (std::string(e.what()) == "not_empty")
      return make_error("not_empty", "the database already has organisations");
    return make_error("demo", e.what());
  }
  analyze_directory(db);
  return report;
}

}  // namespace verbund::store
