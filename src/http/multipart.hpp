// multipart/form-data (RFC 7578) for file uploads. Beast has no parser and none from
// Debian fits (ARCHITECTURE.md), so this is a small one with strict limits: it reads
// the whole body already held in memory (the route's body limit bounds it) and returns
// views into that body, never copies of file contents.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace verbund::http {

struct FormPart {
  std::string name;          // form field name
  std::string filename;      // as the browser sent it; empty for a plain field
  std::string content_type;  // as sent; informational only, never trusted
  std::string_view data;     // into the request body
  bool is_file() const { return has_filename; }
  bool has_filename = false;
};

struct MultipartLimits {
  std::size_t max_parts = 64;
  std::size_t max_part_header_bytes = 4096;
};

// The boundary parameter of a multipart/form-data Content-Type, or an error if the
// type is something else or the boundary is missing or invalid (RFC 2046 §5.1.1).
Result<std::string> multipart_boundary(std::string_view content_type);

// Splits `body` into its parts. Errors (code "invalid") for anything malformed: no
// opening boundary, no closing boundary, a part without Content-Disposition form-data
// name, oversized part headers, too many parts.
Result<std::vector<FormPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                              const MultipartLimits& limits = {});

}  // namespace verbund::http
