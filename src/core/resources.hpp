// Files embedded into the binary at build time (cmake/embed.cmake): migrations,
// templates, message catalogs, static assets and demo data. Read-only, thread-safe.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace verbund::resources {

struct Resource {
  std::string_view path;  // relative to the source tree, e.g. "templates/layout.html"
  std::string_view data;
};

// Every embedded file, sorted by path.
const std::vector<Resource>& all();

// The file at `path`, if embedded.
std::optional<std::string_view> find(std::string_view path);

// Every embedded file whose path starts with `prefix`, in path order.
std::vector<Resource> under(std::string_view prefix);

}  // namespace verbund::resources
