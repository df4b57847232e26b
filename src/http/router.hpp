// Maps (method, path) to a route value. Patterns are literal segments and typed
// parameters: {name} (one non-empty segment), {name:int} (digits), {name:slug}
// ([a-z0-9-]), {name:path} (the rest of the path, last segment only). HEAD requests
// match GET routes. Thread-safe for lookups once built.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace verbund::http {

namespace detail {

enum class SegKind { literal, any, integer, slug, rest };
struct Segment {
  SegKind kind;
  std::string text;  // the literal, or the parameter name
};

std::vector<Segment> parse_pattern(std::string_view pattern);
// Fills `params` and returns true when `path` matches `segments`.
bool match_path(const std::vector<Segment>& segments, std::string_view path,
                std::vector<std::string>& params);

}  // namespace detail

template <typename T>
class Router {
 public:
  enum class Outcome { found, not_found, method_not_allowed };

  void add(Method method, std::string_view pattern, T value) {
    routes_.push_back(
        Entry{method, std::string(pattern), detail::parse_pattern(pattern), std::move(value)});
  }

  // On `found` sets `*out` and `params`; on `method_not_allowed` fills `allow`.
  Outcome find(Method method, std::string_view path, const T** out,
               std::vector<std::string>& params, std::string* allow = nullptr,
               std::string* pattern = nullptr) const {
    bool path_known = false;
    std::vector<std::string> scratch;
    for (const auto& e : routes_) {
      scratch.clear();
      if (!detail::match_path(e.segments, path, scratch)) continue;
      path_known = true;
      if (e.method == method || (method == Method::head && e.method == Method::get)) {
        *out = &e.value;
        params = std::move(scratch);
        if (pattern) *pattern = e.pattern;
        return Outcome::found;
      }
      if (allow) {
        if (!allow->empty()) *allow += ", ";
        *allow += method_name(e.method);
      }
    }
    return path_known ? Outcome::method_not_allowed : Outcome::not_found;
  }

  // Every pattern with its method, for documentation and tests.
  std::vector<std::pair<Method, std::string>> patterns() const {
    std::vector<std::pair<Method, std::string>> out;
    for (const auto& e : routes_) out.emplace_back(e.method, e.pattern);
    return out;
  }

 private:
  struct Entry {
    Method method;
    std::string pattern;
    std::vector<detail::Segment> segments;
    T value;
  };
  std::vector<Entry> routes_;
};

}  // namespace verbund::http
