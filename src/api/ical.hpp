// iCalendar (RFC 5545) files of events: one VEVENT per session with its stable UID,
// SEQUENCE raised on every change, STATUS:CANCELLED for a cancelled session, times in
// Europe/Berlin with the VTIMEZONE that says what that is (Outlook needs it; Google and
// Apple read it too). Lines end in CRLF and are folded at 75 octets without splitting a
// UTF-8 sequence (§3.1). The online link is part of a file only for one confirmed
// participant (their mail, their personal feed), never of the public files.
#pragma once

#include <string>
#include <vector>

#include "store/event_store.hpp"

namespace verbund::api {

struct CalendarInfo {
  std::string name;      // X-WR-CALNAME, e.g. "Digi-Dienstag"
  std::string base_url;  // the site's public URL, for each event's URL
  // PUBLISH (files, feeds, changes) or CANCEL (a mail saying a session is off: the same
  // UID, a raised SEQUENCE; RFC 5546 §3.2.5 wants the ORGANIZER then).
  std::string method = "PUBLISH";
  std::string organizer = {};  // "Name <address>" for ORGANIZER, or ""
  bool online_link = false;    // put the online link into LOCATION/DESCRIPTION
};

// One calendar with the sessions of `events` (each with its sessions loaded).
std::string ical(const CalendarInfo& info, const std::vector<store::Event>& events);

// TEXT escaping (§3.3.11): backslash, semicolon, comma and line breaks.
std::string ical_text(std::string_view s);

}  // namespace verbund::api
