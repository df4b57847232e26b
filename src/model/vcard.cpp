#include "model/vcard.hpp"

#include "core/content_line.hpp"

namespace verbund::model {

namespace {

// RFC 6350 §3.4 (iCalendar escapes TEXT the same way).
std::string escape(std::string_view s) { return content_line::escape_text(s); }

}  // namespace

std::string vcard(const Organisation& o, std::string_view profile_url) {
  std::string out;
  auto line = [&](const std::string& l) { content_line::append_folded(out, l); };
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
