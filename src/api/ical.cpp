#include "api/ical.hpp"

#include "core/content_line.hpp"
#include "core/time.hpp"

namespace verbund::api {

namespace {

// The rules of Europe/Berlin since 1996 (the EU rule timefmt::berlin_offset follows).
constexpr const char* kBerlin =
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Berlin\r\n"
    "X-LIC-LOCATION:Europe/Berlin\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\n"
    "TZNAME:CEST\r\n"
    "DTSTART:19700329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:CET\r\n"
    "DTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n";

void line(std::string& out, std::string_view text) { content_line::append_folded(out, text); }

std::string local(int64_t t) { return timefmt::berlin(t, "%Y%m%dT%H%M%S"); }
std::string utc(int64_t t) { return timefmt::utc(t, "%Y%m%dT%H%M%SZ"); }

}  // namespace

std::string ical_text(std::string_view s) { return content_line::escape_text(s); }

std::string ical(const CalendarInfo& info, const std::vector<store::Event>& events) {
  std::string out;
  line(out, "BEGIN:VCALENDAR");
  line(out, "VERSION:2.0");
  line(out, "PRODID:-//Verbund//Veranstaltungen//DE");
  line(out, "CALSCALE:GREGORIAN");
  line(out, "METHOD:" + info.method);
  if (!info.name.empty()) line(out, "X-WR-CALNAME:" + ical_text(info.name));
  line(out, "X-WR-TIMEZONE:Europe/Berlin");
  out += kBerlin;
  for (const auto& e : events) {
    std::string url = info.base_url + "/veranstaltungen/" + e.slug;
    for (const auto& s : e.sessions) {
      line(out, "BEGIN:VEVENT");
      line(out, "UID:" + s.uid);
      line(out, "DTSTAMP:" + utc(std::max(s.updated_at, e.updated_at)));
      line(out, "DTSTART;TZID=Europe/Berlin:" + local(s.starts_at));
      line(out, "DTEND;TZID=Europe/Berlin:" + local(s.ends_at));
      line(out, "SEQUENCE:" + std::to_string(s.sequence));
      std::string summary = e.title;
      if (!s.title.empty() && e.sessions.size() > 1) summary += ": " + s.title;
      line(out, "SUMMARY:" + ical_text(summary));
      std::string description = e.summary.empty() ? std::string() : e.summary + "\n\n";
      bool link = info.online_link && e.format != "in_person" && !e.online_url.empty();
      if (link) description += e.online_url + "\n\n";
      line(out, "DESCRIPTION:" + ical_text(description + url));
      std::string online = link ? e.online_url : "Online";
      std::string where = e.format == "online" ? online : e.place;
      if (e.format == "hybrid") where = e.place + " / " + online;
      if (!where.empty()) line(out, "LOCATION:" + ical_text(where));
      line(out, "URL:" + url);
      if (!info.organizer.empty()) {
        std::string name = info.organizer, address = info.organizer;
        if (auto lt = name.find('<'); lt != std::string::npos) {
          address = name.substr(lt + 1, name.find('>', lt) - lt - 1);
          name = name.substr(0, lt);
          while (!name.empty() && name.back() == ' ') name.pop_back();
        }
        // A quoted parameter value holds no DQUOTE or control character (§3.1).
        std::string cn;
        for (char ch : name)
          if (ch != '"' && static_cast<unsigned char>(ch) >= 0x20) cn += ch;
        line(out, "ORGANIZER" + (cn.empty() || name == address ? "" : ";CN=\"" + cn + "\"") +
                      ":mailto:" + address);
      }
      bool cancelled = s.status == "cancelled" || e.status == "cancelled";
      line(out, std::string("STATUS:") + (cancelled ? "CANCELLED" : "CONFIRMED"));
      line(out, "END:VEVENT");
    }
  }
  line(out, "END:VCALENDAR");
  return out;
}

}  // namespace verbund::api
