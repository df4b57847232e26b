#include "http/router.hpp"

#include <cctype>

namespace verbund::http::detail {

std::vector<Segment> parse_pattern(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/')
    throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  std::vector<Segment> out;
  std::string_view rest = pattern.substr(1);
  while (true) {
    auto slash = rest.find('/');
    auto seg = rest.substr(0, slash);
    if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}') {
      auto inner = seg.substr(1, seg.size() - 2);
      auto colon = inner.find(':');
      std::string name(inner.substr(0, colon));
      std::string_view type = colon == std::string_view::npos ? "" : inner.substr(colon + 1);
      SegKind kind;
      if (type.empty())
        kind = SegKind::any;
      else if (type == "int")
        kind = SegKind::integer;
      else if (type == "slug")
        kind = SegKind::slug;
      else if (type == "path")
        kind = SegKind::rest;
      else
        throw std::invalid_argument("unknown parameter type in " + std::string(pattern));
      if (kind == SegKind::rest && slash != std::string_view::npos)
        throw std::invalid_argument("{name:path} must be last in " + std::string(pattern));
      out.push_back({kind, name});
    } else {
      out.push_back({SegKind::literal, std::string(seg)});
    }
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  return out;
}

static bool all_of(std::string_view s, bool (*pred)(unsigned char)) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (!pred(c)) return false;
  return true;
}

bool match_path(const std::vector<Segment>& segments, std::string_view path,
                std::vector<std::string>& params) {
  if (path.empty() || path.front() != '/') return false;
  std::string_view rest = path.substr(1);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& s = segments[i];
    if (s.kind == SegKind::rest) {
      if (rest.empty()) return false;
      params.emplace_back(rest);
      return true;
    }
    auto slash = rest.find('/');
    bool last_in_path = slash == std::string_view::npos;
    auto seg = rest.substr(0, slash);
    switch (s.kind) {
      case SegKind::literal:
        if (seg != s.text) return false;
        break;
      case SegKind::any:
        if (seg.empty()) return false;
        params.emplace_back(seg);
        break;
      case SegKind::integer:
        if (seg.size() > 18 || !all_of(seg, [](unsigned char c) { return std::isdigit(c) != 0; }))
          return false;
        params.emplace_back(seg);
        break;
      case SegKind::slug:
        if (!all_of(seg, [](unsigned char c) {
              return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            }))
          return false;
        params.emplace_back(seg);
        break;
      case SegKind::rest:
        break;
    }
    bool last_in_pattern = i + 1 == segments.size();
    if (last_in_pattern != last_in_path) return false;
    if (!last_in_path) rest = rest.substr(slash + 1);
  }
  return true;
}

}  // namespace verbund::http::detail
