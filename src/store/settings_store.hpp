// Operator settings kept in the database (texts edited in the admin area, the signing
// secret shared by all nodes).
#pragma once

#include <optional>
#include <string>

#include "db/database.hpp"

namespace verbund::store {

std::optional<std::string> get_setting(db::Connection& c, const std::string& key);
void put_setting(db::Connection& c, const std::string& key, const std::string& value);
// The value of `key`, stored as `initial` first when absent.
std::string get_or_create_setting(db::Connection& c, const std::string& key,
                                  const std::string& initial);

}  // namespace verbund::store
