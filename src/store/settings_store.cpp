#include "store/settings_store.hpp"

#include <ctime>

namespace verbund::store {
namespace {
std::optional<std::string> get_setting(db::Connection& c, const std::string& key) {
  auto row = c.query_one("SELECT value FROM settings WHERE key = $1", {key});
  if (!row) return std::nullopt;
  return row->text("value");
}
int64_t now() { return static_cast<int64_t>(std::time(nullptr)); }
}  // namespace

std::optional<std::string> Settings::get(const std::string& key) {
  return db_.read([&](db::Connection& c) { return get_setting(c, key); });
}

void Settings::put(const std::map<std::string, std::string>& values) {
  db_.write([&](db::Connection& c) {
    for (const auto& [key, value] : values)
      c.execute(R"sql(
        INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at)sql",
                {key, value, now()});
  });
}

std::string Settings::get_or_create(const std::string& key, const std::string& initial) {
  return db_.write([&](db::Connection& c) {
    c.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (key) DO NOTHING",
        {key, initial, now()});
    return get_setting(c, key).value_or(initial);
  });
}

}  // namespace verbund::store
