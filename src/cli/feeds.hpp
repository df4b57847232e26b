// The command line's feed commands (verbund feeds ..., verbund sources ...), kept out
// of main.cpp so that each feature's commands read as one file.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace verbund::cli {

struct Command {
  std::vector<std::string> positional;  // after the command word
  std::map<std::string, std::string> options;
};

// Opens (and migrates) the configured database.
using OpenDatabase = std::function<Result<std::unique_ptr<db::Database>>()>;

// verbund feeds parse FILE [--base URL] | check URL | fetch --once
int feeds(const Command& c, const core::Config& config, const OpenDatabase& open);
// verbund sources add ORG_SLUG URL | list ORG_SLUG
int sources(const Command& c, const core::Config& config, const OpenDatabase& open);

}  // namespace verbund::cli
