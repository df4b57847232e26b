#include "core/json.hpp"

#include <cmath>
#include <cstdio>

namespace verbund::json {

std::string quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char ch = static_cast<unsigned char>(s[i]);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        // U+2028 and U+2029 end lines in JavaScript; escape them as well.
        if (ch == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
            (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
             static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
          out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
          i += 2;
        } else if (ch < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", ch);
          out += buf;
        } else {
          out += static_cast<char>(ch);
        }
    }
  }
  out += '"';
  return out;
}

void Writer::separate() {
  if (need_comma_) out_ += ',';
  need_comma_ = false;
}

Writer& Writer::begin_object() {
  separate();
  out_ += '{';
  return *this;
}

Writer& Writer::end_object() {
  out_ += '}';
  need_comma_ = true;
  return *this;
}

Writer& Writer::begin_array(std::string_view k) {
  if (!k.empty()) key(k);
  separate();
  out_ += '[';
  return *this;
}

Writer& Writer::end_array() {
  out_ += ']';
  need_comma_ = true;
  return *this;
}

Writer& Writer::key(std::string_view k) {
  separate();
  out_ += quote(k);
  out_ += ':';
  return *this;
}

Writer& Writer::value(std::string_view v) {
  separate();
  out_ += quote(v);
  need_comma_ = true;
  return *this;
}

Writer& Writer::value(long long v) {
  separate();
  out_ += std::to_string(v);
  need_comma_ = true;
  return *this;
}

Writer& Writer::value_number(double v) {
  separate();
  if (!std::isfinite(v)) {
    out_ += "null";
  } else {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", v);
    out_ += buf;
  }
  need_comma_ = true;
  return *this;
}

Writer& Writer::field(std::string_view k, std::string_view v) {
  if (v.empty()) return *this;
  key(k);
  return value(v);
}

}  // namespace verbund::json
