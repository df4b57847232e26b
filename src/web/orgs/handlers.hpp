// Organisation pages: the directory and the public profile.
#pragma once

#include "web/app.hpp"

namespace verbund::web::orgs {

http::Response directory(Context& ctx);
http::Response profile(Context& ctx);
void register_routes(App& app);

}  // namespace verbund::web::orgs
