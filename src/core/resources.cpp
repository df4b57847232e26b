#include "core/resources.hpp"

#include <algorithm>

namespace verbund::resources {

std::optional<std::string_view> find(std::string_view path) {
  const auto& table = all();
  auto it = std::lower_bound(table.begin(), table.end(), path,
                             [](const Resource& r, std::string_view p) { return r.path < p; });
  if (it == table.end() || it->path != path) return std::nullopt;
  return it->data;
}

std::vector<Resource> under(std::string_view prefix) {
  std::vector<Resource> out;
  for (const auto& r : all())
    if (r.path.starts_with(prefix)) out.push_back(r);
  return out;
}

}  // namespace verbund::resources
