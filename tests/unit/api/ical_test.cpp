#include "api/ical.hpp"

#include <gtest/gtest.h>

namespace verbund::api {
namespace {

store::Event event_at(int64_t start, int64_t end) {
  store::Event e;
  e.slug = "digi-dienstag";
  e.title = "Digi-Dienstag: KI, Datenschutz; und mehr";
  e.summary = "Zeile eins\nZeile zwei";
  e.format = "hybrid";
  e.place = "Haus der Vereine, Saal 2";
  e.online_url = "https://meet.example.org/geheim";
  e.status = "published";
  e.updated_at = start - 86400;
  store::EventSession s;
  s.uid = "abc@verbund";
  s.starts_at = start;
  s.ends_at = end;
  s.sequence = 3;
  s.status = "scheduled";
  s.updated_at = start - 86400;
  e.sessions.push_back(s);
  return e;
}

std::vector<std::string> lines(const std::string& ics) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < ics.size()) {
    auto end = ics.find("\r\n", at);
    EXPECT_NE(end, std::string::npos) << "a line without CRLF";
    if (end == std::string::npos) break;
    out.push_back(ics.substr(at, end - at));
    at = end + 2;
  }
  return out;
}

bool has(const std::vector<std::string>& ls, const std::string& l) {
  return std::find(ls.begin(), ls.end(), l) != ls.end();
}

TEST(Ical, GermanTimesWithTheirZoneAcrossTheChange) {
  // 2026-10-24 16:00 UTC is 18:00 CEST; 2026-10-26 17:00 UTC is 18:00 CET.
  auto summer = lines(ical({"Test", "https://v.example"}, {event_at(1792857600, 1792863000)}));
  EXPECT_TRUE(has(summer, "DTSTART;TZID=Europe/Berlin:20261024T180000"));
  EXPECT_TRUE(has(summer, "DTEND;TZID=Europe/Berlin:20261024T193000"));
  auto winter = lines(ical({"Test", "https://v.example"}, {event_at(1793034000, 1793039400)}));
  EXPECT_TRUE(has(winter, "DTSTART;TZID=Europe/Berlin:20261026T180000"));
  EXPECT_TRUE(has(winter, "BEGIN:VTIMEZONE"));
  EXPECT_TRUE(has(winter, "TZID:Europe/Berlin"));
  EXPECT_TRUE(has(winter, "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"));
  EXPECT_TRUE(has(winter, "UID:abc@verbund"));
  EXPECT_TRUE(has(winter, "SEQUENCE:3"));
  EXPECT_TRUE(has(winter, "STATUS:CONFIRMED"));
}

TEST(Ical, TextIsEscapedFoldedAndKeepsTheOnlineLinkOut) {
  auto e = event_at(1793034000, 1793039400);
  e.summary = std::string(100, 'x') + " Ärger über Öl – äöü " + std::string(60, 'y');
  std::string ics = ical({"Test", "https://v.example"}, {e});
  EXPECT_EQ(ics.find("meet.example.org"), std::string::npos);
  auto ls = lines(ics);
  EXPECT_TRUE(has(ls, "SUMMARY:Digi-Dienstag: KI\\, Datenschutz\\; und mehr"));
  EXPECT_TRUE(has(ls, "LOCATION:Haus der Vereine\\, Saal 2 / Online"));
  for (const auto& l : ls) {
    EXPECT_LE(l.size(), 75u) << l;
    // A fold never splits a UTF-8 sequence: no line starts with a continuation byte
    // after its leading space.
    if (l.size() > 1 && l[0] == ' ') {
      EXPECT_NE(static_cast<unsigned char>(l[1]) & 0xC0, 0x80);
    }
  }
  // Unfolded, the description is whole.
  std::string unfolded;
  for (std::size_t i = 0; i < ics.size(); ++i) {
    if (ics.compare(i, 3, "\r\n ") == 0) {
      i += 2;
      continue;
    }
    unfolded += ics[i];
  }
  EXPECT_NE(unfolded.find("Ärger über Öl – äöü " + std::string(60, 'y')), std::string::npos);
  EXPECT_EQ(ical_text("a\\b\nc;d,e\r"), "a\\\\b\\nc\\;d\\,e");
}

TEST(Ical, ACancelledSessionSaysSo) {
  auto e = event_at(1793034000, 1793039400);
  e.sessions[0].status = "cancelled";
  auto ls = lines(ical({"Test", "https://v.example"}, {e}));
  EXPECT_TRUE(has(ls, "STATUS:CANCELLED"));
}

}  // namespace
}  // namespace verbund::api

namespace verbund::api {
namespace {

TEST(Ical, ACancellationMailNamesMethodAndOrganizer) {
  auto e = event_at(1793034000, 1793039400);
  e.sessions[0].status = "cancelled";
  e.sessions[0].sequence = 4;
  CalendarInfo info{"Test", "https://v.example"};
  info.method = "CANCEL";
  info.organizer = "Verbund \"Team\" <veranstaltungen@v.example>";
  auto ls = lines(ical(info, {e}));
  EXPECT_TRUE(has(ls, "METHOD:CANCEL"));
  EXPECT_TRUE(has(ls, "UID:abc@verbund"));
  EXPECT_TRUE(has(ls, "SEQUENCE:4"));
  EXPECT_TRUE(has(ls, "ORGANIZER;CN=\"Verbund Team\":mailto:veranstaltungen@v.example"));
}

TEST(Ical, TheOnlineLinkOnlyWhenAskedFor) {
  auto e = event_at(1793034000, 1793039400);
  CalendarInfo info{"Meine Anmeldungen", "https://v.example"};
  EXPECT_EQ(ical(info, {e}).find("geheim"), std::string::npos);
  info.online_link = true;
  auto ls = lines(ical(info, {e}));
  EXPECT_TRUE(has(ls, "LOCATION:Haus der Vereine\\, Saal 2 / https://meet.example.org/geheim"));
  e.format = "in_person";
  EXPECT_EQ(ical(info, {e}).find("geheim"), std::string::npos);
}

}  // namespace
}  // namespace verbund::api
