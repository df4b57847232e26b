// Every route of the application, by feature. Each feature's own register_routes()
// lists its paths with their access rules in one place.
#include "web/app.hpp"

namespace verbund::web {

namespace pages {
void register_routes(App& app);
}
namespace accounts {
void register_routes(App& app);
}
namespace admin {
void register_routes(App& app);
}
namespace ops {
void register_routes(App& app);
}
namespace orgs {
void register_routes(App& app);
}
namespace wall {
void register_routes(App& app);
}
namespace events {
void register_routes(App& app);
}
namespace festival {
void register_routes(App& app);
}

void register_routes(App& app) {
  pages::register_routes(app);
  accounts::register_routes(app);
  admin::register_routes(app);
  ops::register_routes(app);
  orgs::register_routes(app);
  wall::register_routes(app);
  events::register_routes(app);
  festival::register_routes(app);
}

}  // namespace verbund::web
