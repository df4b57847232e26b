// The content lines that vCard (RFC 6350 §3.2, §3.4) and iCalendar (RFC 5545 §3.1,
// §3.3.11) share: TEXT values escaped, lines folded at 75 octets and ended by CRLF.
#pragma once

#include <string>
#include <string_view>

namespace verbund::content_line {

// Backslash, semicolon, comma and line breaks escaped; other control characters
// (not allowed in TEXT) dropped.
std::string escape_text(std::string_view s);

// Appends `line` and CRLF, folded at 75 octets (a continuation starts with a space,
// which counts); a fold never splits a UTF-8 sequence.
void append_folded(std::string& out, std::string_view line);

}  // namespace verbund::content_line
