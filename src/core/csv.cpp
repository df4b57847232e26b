#include "core/csv.hpp"

namespace verbund::csv {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool is_line_end(char c) { return c == '\n' || c == '\r'; }

// Walks the input byte by byte, counting physical lines: CRLF, LF and a lone CR each end
// one line, inside quotes as well as outside.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}
  bool done() const { return pos_ >= text_.size(); }
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  bool at_line_end() const { return !done() && is_line_end(text_[pos_]); }
  void advance() { ++pos_; }
  // Consumes one line end (CRLF counts once).
  void skip_line_end() {
    if (peek() == '\r' && peek(1) == '\n') ++pos_;
    ++pos_;
    ++line_;
  }
  std::size_t line() const { return line_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

}  // namespace

char detect_separator(std::string_view text) {
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  std::size_t semicolons = 0, commas = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') {
      quoted = !quoted;  // a doubled quote toggles twice: no change
    } else if (!quoted) {
      if (is_line_end(c)) break;
      if (c == ';') ++semicolons;
      if (c == ',') ++commas;
    }
  }
  if (semicolons == 0 && commas == 0) return ',';
  return semicolons >= commas ? ';' : ',';
}

Result<Document> parse(std::string_view text, const Limits& limits) {
  if (text.size() > limits.max_bytes)
    return make_error("too_large",
                      "csv: input larger than " + std::to_string(limits.max_bytes) + " bytes");
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  Document doc;
  doc.separator = detect_separator(text);
  const char sep = doc.separator;
  Reader in(text);
  while (!in.done()) {
    if (in.at_line_end()) {  // an empty line is no record
      in.skip_line_end();
      continue;
    }
    Record rec;
    rec.line = in.line();
    auto fail = [&rec](RecordError e) {
      if (rec.error == RecordError::none) rec.error = e;
    };
    bool end_of_input_in_quotes = false;
    for (;;) {  // one field per round
      std::string field;
      auto append = [&](char c) {
        if (field.size() < limits.max_field_bytes)
          field += c;
        else
          fail(RecordError::field_too_long);
      };
      if (in.peek() == '"') {
        in.advance();
        bool closed = false;
        while (!in.done()) {
          char c = in.peek();
          if (c == '"') {
            in.advance();
            if (in.peek() == '"') {
              append('"');
              in.advance();
              continue;
            }
            closed = true;
            break;
          }
          if (is_line_end(c)) {
            in.skip_line_end();
            append('\n');
            continue;
          }
          append(c);
          in.advance();
        }
        if (!closed) {
          fail(RecordError::unclosed_quote);
          end_of_input_in_quotes = true;
        } else if (!in.done() && in.peek() != sep && !in.at_line_end()) {
          fail(RecordError::text_after_quote);  // the rest is read as unquoted text
        }
      }
      while (!in.done() && in.peek() != sep && !in.at_line_end()) {
        append(in.peek());
        in.advance();
      }
      if (rec.fields.size() < limits.max_fields)
        rec.fields.push_back(std::move(field));
      else
        fail(RecordError::too_many_fields);
      if (!in.done() && in.peek() == sep) {
        in.advance();
        continue;  // a separator at the very end leaves one more, empty field
      }
      if (!in.done()) in.skip_line_end();
      break;
    }
    if (doc.records.size() >= limits.max_records)
      return make_error("too_many_records",
                        "csv: more than " + std::to_string(limits.max_records) + " records");
    doc.records.push_back(std::move(rec));
    if (end_of_input_in_quotes) break;
  }
  if (doc.records.empty()) return make_error("empty", "csv: no records");
  return doc;
}

std::size_t invalid_utf8_at(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return i;  // a continuation byte, C0/C1 (overlong) or F5..FF
    }
    if (i + n >= s.size()) return i;  // cut short
    if (byte(i + 1) < lo || byte(i + 1) > hi) return i;
    for (std::size_t k = 2; k <= n; ++k)
      if ((byte(i + k) & 0xC0) != 0x80) return i;
    i += n + 1;
  }
  return std::string_view::npos;
}

std::string field(std::string_view value) {
  std::string v(value);
  if (!v.empty() &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
    v.insert(0, "'");
  if (v.find_first_of(";\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace verbund::csv
