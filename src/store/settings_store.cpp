#include "store/settings_store.hpp"

#include <ctime>

namespace verbund::store {

std::optional<std::string> get_setting(db::Connection& c, const std::string& key) {
  auto row = c.query_one("SELECT value FROM settings WHERE key = $1", {key});
  if (!row) return std::nullopt;
  return row->text("value");
}

void put_setting(db::Connection& c, const std::string& key, const std::string& value) {
  c.execute(R"sql(
    INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at)sql",
            {key, value, static_cast<int64_t>(std::time(nullptr))});
}

std::string get_or_create_setting(db::Connection& c, const std::string& key,
                                  const std::string& initial) {
  c.execute(
      "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) "
      "ON CONFLICT (key) DO NOTHING",
      {key, initial, static_cast<int64_t>(std::time(nullptr))});
  return get_setting(c, key).value_or(initial);
}

}  // namespace verbund::store
