// Operator settings kept in the database (texts edited in the admin area, the signing
// secret shared by all nodes).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "db/database.hpp"

namespace verbund::store {

// Thread-safe; every method runs in a transaction of its own.
class Settings {
 public:
  explicit Settings(db::Database& db) : db_(db) {}
  std::optional<std::string> get(const std::string& key);
  // Stores every key and value, all or none.
  void put(const std::map<std::string, std::string>& values);
  // The value of `key`, stored as `initial` first when absent (one statement decides
  // which node's value wins).
  std::string get_or_create(const std::string& key, const std::string& initial);

 private:
  db::Database& db_;
};

}  // namespace verbund::store
