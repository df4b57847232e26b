#include "model/vcard.hpp"

namespace verbund::model {

namespace {

// RFC 6350 §3.4: backslash, comma, semicolon and newlines in text values.
std::string escape(std::string_view s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '\\':
        out += "\\\\";
        break;
      case ',':
        out += "\\,";
        break;
      case ';':
        out += "\\;";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      default:
        out += ch;
    }
  }
  return out;
}

// §3.2: lines longer than 75 octets continue on the next line after CRLF + space.
void append_folded(std::string& out, const std::string& line) {
  std::size_t start = 0;
  std::size_t limit = 75;
  while (line.size() - start > limit) {
    std::size_t cut = start + limit;
    while (cut > start && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line, start, cut - start);
    out += "\r\n ";
    start = cut;
    limit = 74;  // the leading space counts
  }
  out.append(line, start, std::string::npos);
  out += "\r\n";
}

}  // namespace

std::string vcard(const Organisation& o, std::string_view profile_url) {
  std::string out;
  auto line = [&](const std::string& l) { append_folded(out, l); };
  line("BEGIN:VCARD");
  line("VERSION:4.0");
  line("KIND:org");
  line("FN:" + escape(o.name));
  line("ORG:" + escape(o.name));
  if (!o.street.empty() || !o.city.empty())
    line("ADR;TYPE=work:;;" + escape(o.street) + ";" + escape(o.city) + ";" + escape(o.state) +
         ";" + escape(o.postcode) + ";Deutschland");
  if (!o.phone.empty()) line("TEL;TYPE=work,voice;VALUE=text:" + escape(o.phone));
  if (!o.email.empty()) line("EMAIL;TYPE=work:" + escape(o.email));
  if (o.website.starts_with("https://") || o.website.starts_with("http://"))
    line("URL;TYPE=work:" + o.website);
  line("SOURCE:" + std::string(profile_url));
  if (!o.short_description.empty()) line("NOTE:" + escape(o.short_description));
  line("END:VCARD");
  return out;
}

}  // namespace verbund::model
