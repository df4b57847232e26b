#include "core/log.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>
#include <thread>

namespace verbund::log {
namespace {

std::atomic<Level> g_level{Level::info};

const char* name(Level l) {
  switch (l) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
  }
  return "?";
}

void append_value(std::string& out, std::string_view v) {
  bool quote = v.empty() || v.find_first_of(" \"=\t\n") != std::string_view::npos;
  if (!quote) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += '"';
}

// Lines are collected and written by one thread in batches (every 20 ms or 64 KiB), so
// that a busy server does not pay a write(2) per request. Warnings and errors, and
// everything at exit, are flushed at once.
class Sink {
 public:
  Sink() : thread_([this] { run(); }) {}
  ~Sink() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  void add(std::string&& line, bool urgent) {
    std::unique_lock lock(mu_);
    buffer_ += line;
    if (urgent || buffer_.size() > 64 * 1024) {
      std::string out;
      out.swap(buffer_);
      lock.unlock();
      emit(out);
    }
  }
  void flush() {
    std::string out;
    {
      std::lock_guard lock(mu_);
      out.swap(buffer_);
    }
    emit(out);
  }

 private:
  static void emit(const std::string& s) {
    std::size_t done = 0;
    while (done < s.size()) {
      auto n = ::write(2, s.data() + done, s.size() - done);
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
  }
  void run() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, std::chrono::milliseconds(20));
      std::string out;
      out.swap(buffer_);
      lock.unlock();
      emit(out);
      lock.lock();
    }
    std::string out;
    out.swap(buffer_);
    lock.unlock();
    emit(out);
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::string buffer_;
  bool stop_ = false;
  std::thread thread_;
};

Sink& sink() {
  static Sink s;
  return s;
}

}  // namespace

void flush() { sink().flush(); }

void set_level(Level level) { g_level = level; }

void write(Level level, std::string_view event, std::initializer_list<Field> fields) {
  if (level < g_level.load()) return;
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  // The date and time up to the second change once a second: format them only then.
  thread_local std::time_t last = -1;
  thread_local char prefix[40];
  if (secs != last) {
    std::tm tm{};
    gmtime_r(&secs, &tm);
    std::snprintf(prefix, sizeof prefix, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    last = secs;
  }
  char ts[64];
  std::snprintf(ts, sizeof ts, "%s.%03dZ", prefix, static_cast<int>(ms.count()));
  std::string line;
  line.reserve(160);
  line += ts;
  line += " level=";
  line += name(level);
  line += " event=";
  line += event;
  for (const auto& [k, v] : fields) {
    line += ' ';
    line += k;
    line += '=';
    append_value(line, v);
  }
  line += '\n';
  sink().add(std::move(line), level >= Level::warn);
}

}  // namespace verbund::log
