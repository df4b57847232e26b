// Structured logging to stderr: one line per event, `key=value` pairs, thread-safe.
// Info lines are written in batches at most 20 ms late; warnings and errors at once.
// Log messages are English and never translated.
#pragma once

#include <initializer_list>
#include <string_view>
#include <utility>

namespace verbund::log {

enum class Level { debug, info, warn, error };

using Field = std::pair<std::string_view, std::string_view>;

void set_level(Level level);
// Writes out buffered lines now (before exit; the sink also flushes at exit).
void flush();
void write(Level level, std::string_view event, std::initializer_list<Field> fields = {});

inline void info(std::string_view e, std::initializer_list<Field> f = {}) {
  write(Level::info, e, f);
}
inline void warn(std::string_view e, std::initializer_list<Field> f = {}) {
  write(Level::warn, e, f);
}
inline void error(std::string_view e, std::initializer_list<Field> f = {}) {
  write(Level::error, e, f);
}

}  // namespace verbund::log
