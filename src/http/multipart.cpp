#include "http/multipart.hpp"

#include <algorithm>
#include <cctype>

namespace verbund::http {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 2046 §5.1.1 bcharsnospace plus space (not as the last character).
bool valid_boundary(std::string_view b) {
  if (b.empty() || b.size() > 70 || b.back() == ' ') return false;
  return std::all_of(b.begin(), b.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) ||
           std::string_view("'()+_,-./:=? ").find(ch) != std::string_view::npos;
  });
}

// Parameters of a header value such as `form-data; name="a"; filename="b.png"`:
// returns the value of `key` (lower-case) and whether it was present.
bool header_param(std::string_view value, std::string_view key, std::string& out) {
  std::size_t i = value.find(';');
  while (i != std::string_view::npos && i < value.size()) {
    ++i;
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    std::size_t eq = value.find('=', i);
    if (eq == std::string_view::npos) return false;
    std::string name = lower(trim(value.substr(i, eq - i)));
    std::size_t j = eq + 1;
    std::string v;
    if (j < value.size() && value[j] == '"') {
      ++j;
      while (j < value.size() && value[j] != '"') {
        if (value[j] == '\\' && j + 1 < value.size()) ++j;
        v += value[j++];
      }
      if (j >= value.size()) return false;  // unterminated quoted string
      ++j;
      std::size_t semi = value.find(';', j);
      i = semi;
    } else {
      std::size_t semi = value.find(';', j);
      v = std::string(trim(value.substr(j, semi == std::string_view::npos ? semi : semi - j)));
      i = semi;
    }
    if (name == key) {
      out = std::move(v);
      return true;
    }
  }
  return false;
}

Error invalid(std::string message) { return make_error("invalid", std::move(message)); }

}  // namespace

Result<std::string> multipart_boundary(std::string_view content_type) {
  std::size_t semi = content_type.find(';');
  if (lower(trim(content_type.substr(0, semi))) != "multipart/form-data")
    return invalid("not multipart/form-data");
  std::string boundary;
  if (!header_param(content_type, "boundary", boundary)) return invalid("no boundary");
  if (!valid_boundary(boundary)) return invalid("invalid boundary");
  return boundary;
}

Result<std::vector<FormPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                              const MultipartLimits& limits) {
  if (!valid_boundary(boundary)) return invalid("invalid boundary");
  const std::string delimiter = "\r\n--" + std::string(boundary);
  std::vector<FormPart> parts;

  // The first delimiter may open the body directly (no preamble, no leading CRLF).
  std::size_t pos;
  if (body.substr(0, delimiter.size() - 2) == std::string_view(delimiter).substr(2)) {
    pos = delimiter.size() - 2;
  } else {
    std::size_t d = body.find(delimiter);
    if (d == std::string_view::npos) return invalid("no opening boundary");
    pos = d + delimiter.size();
  }

  for (;;) {
    // After a delimiter: "--" closes the body; otherwise optional padding and CRLF.
    if (body.substr(pos, 2) == "--") return parts;
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") return invalid("boundary not followed by CRLF");
    pos += 2;
    if (parts.size() >= limits.max_parts) return invalid("too many parts");

    std::size_t header_end = body.find("\r\n\r\n", pos);
    // A part without headers starts with the blank line directly.
    std::string_view headers;
    std::size_t content_start;
    if (body.substr(pos, 2) == "\r\n") {
      content_start = pos + 2;
    } else {
      if (header_end == std::string_view::npos) return invalid("unterminated part headers");
      if (header_end - pos > limits.max_part_header_bytes) return invalid("part headers too large");
      headers = body.substr(pos, header_end + 2 - pos);
      content_start = header_end + 4;
    }

    FormPart part;
    bool has_disposition = false;
    while (!headers.empty()) {
      std::size_t eol = headers.find("\r\n");
      std::string_view line = headers.substr(0, eol);
      headers.remove_prefix(eol == std::string_view::npos ? headers.size() : eol + 2);
      std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) return invalid("malformed part header");
      std::string name = lower(trim(line.substr(0, colon)));
      std::string_view value = trim(line.substr(colon + 1));
      if (name == "content-disposition") {
        if (lower(trim(value.substr(0, value.find(';')))) != "form-data")
          return invalid("part is not form-data");
        if (!header_param(value, "name", part.name)) return invalid("part without a name");
        std::string filename;
        if (header_param(value, "filename", filename)) {
          part.has_filename = true;
          // Old browsers sent the full client path; keep only the last component.
          std::size_t slash = filename.find_last_of("/\\");
          part.filename = slash == std::string::npos ? filename : filename.substr(slash + 1);
        }
        has_disposition = true;
      } else if (name == "content-type") {
        part.content_type = std::string(value);
      }
    }
    if (!has_disposition) return invalid("part without Content-Disposition");

    std::size_t end = body.find(delimiter, content_start);
    if (end == std::string_view::npos) return invalid("no closing boundary");
    part.data = body.substr(content_start, end - content_start);
    parts.push_back(std::move(part));
    pos = end + delimiter.size();
  }
}

}  // namespace verbund::http
