// Static assets (embedded from static/) under content-hashed names: a changed file
// gets a new URL, so every response can be cached for a year as immutable.
#pragma once

#include <string>
#include <string_view>

#include "http/message.hpp"

namespace verbund::web::static_files {

void load();
// "/static/css/site.<hash>.css" for "css/site.css"; throws for an unknown file.
std::string url_for(std::string_view path);
// Serves GET /static/<hashed path>, honouring If-None-Match.
http::Response serve(const http::Request& req, std::string_view hashed_path);

}  // namespace verbund::web::static_files
