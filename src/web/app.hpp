// The web application: routes, the middleware every request passes (session, locale,
// role check, CSRF, error pages), and helpers that feature handlers share (pages,
// sign-in, mail). Feature folders register their routes in routes.cpp.
#pragma once

#include <ctemplate/template.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/config.hpp"
#include "db/database.hpp"
#include "http/metrics.hpp"
#include "http/multipart.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "media/files.hpp"
#include "model/user.hpp"
#include "search/directory.hpp"
#include "store/session_store.hpp"
#include "store/stores.hpp"
#include "web/page_cache.hpp"

namespace verbund::web {

class App;
class ViewDict;

// Who may call a route. Objects of other organisations are checked in the handler's
// queries (they answer 404), not here.
enum class Access { anyone, signed_in, platform_admin, dev_mode, loopback_or_admin };

struct Context {
  Context(App& a, http::Request& r) : app(a), req(r) {}
  App& app;
  http::Request& req;
  std::string locale = "de";
  std::optional<model::User> user;
  std::optional<store::Session> session;
  int64_t now = 0;
  std::multimap<std::string, std::string> form;  // POST body (urlencoded)
  std::multimap<std::string, std::string> query;
  std::vector<http::FormPart> files;  // multipart file inputs (routes with uploads)

  // The CSRF token to put into forms: the session's, or a signed visitor token.
  std::string csrf_token() const;
  const std::string& param(std::size_t i) const { return req.params.at(i); }
  std::string field(const std::string& name) const { return http::form_value(form, name); }
  std::string query_value(const std::string& name) const { return http::form_value(query, name); }
};

using Handler = std::function<http::Response(Context&)>;

struct RouteSpec {
  Handler handler;
  Access access = Access::anyone;
  std::size_t body_limit = 0;  // 0: the configured default
  bool run_inline = false;     // never blocks (no database): may run on the I/O thread
  int cache_seconds = 0;       // >0: visitors without a session get a copy this old at most
  bool uploads = false;        // accepts multipart/form-data (then set body_limit too)
};

// A page: the layout around one feature template. Handlers fill dict() and render(), or
// fill a ViewDict (pages with many sections, see web/view_dict.hpp) and render(body).
class Page {
 public:
  Page(Context& ctx, std::string body_template, std::string title);
  ctemplate::TemplateDictionary& dict();
  // Extra elements for <head> (meta tags, JSON-LD) from templates/<head_template>.
  ctemplate::TemplateDictionary& head(const std::string& head_template);
  http::Response render(int status = 200);
  http::Response render(ViewDict& body, int status = 200);

 private:
  http::Response render_layout(const ctemplate::TemplateDictionaryInterface& body,
                               const std::string& csrf, int status);

  Context& ctx_;
  std::string body_template_;
  std::string title_;
  std::optional<ctemplate::TemplateDictionary> body_;  // created by the first dict()
  std::optional<ctemplate::TemplateDictionary> head_;  // created by head()
  std::string head_template_;
};

// templates/mail/NAME.txt for `locale` with `values` (plus SITE_NAME and SITE_URL), and
// its subject "mail.NAME.subject" from the catalog; for handlers and background jobs.
store::Mail render_mail(const core::Config& config, const std::string& to, const std::string& locale,
                        const std::string& name, const std::map<std::string, std::string>& values);

class App {
 public:
  App(core::Config config, db::Database& db);

  http::Dispatch dispatch();
  const core::Config& config() const { return config_; }
  // The stores: every read and change of data goes through them.
  store::Stores& stores() { return stores_; }
  db::Database& db() { return db_; }  // pool statistics and the like, never transactions
  const std::string& secret() const { return secret_; }
  http::Metrics& metrics() { return metrics_; }
  search::Directory& directory() { return *directory_; }
  media::Files& media() { return media_; }

  void add(http::Method method, std::string_view pattern, RouteSpec spec);

  // The session cookie's name: __Host-verbund over TLS (the prefix requires Secure),
  // verbund on plain HTTP during development.
  std::string cookie_name(const http::Request& req) const;
  bool is_secure(const http::Request& req) const;

  // Starts a fresh session (rotating any old one) and redirects to `to`.
  http::Response sign_in(Context& ctx, int64_t user_id, const std::string& to);
  http::Response sign_out(Context& ctx, const std::string& to);

  http::Response error_page(Context& ctx, int status, const std::string& message_key = "");

  // A mail rendered from templates/mail/<name>.txt in the recipient's locale, for a
  // store to queue in the transaction of the change it announces.
  store::Mail mail(const std::string& to, const std::string& locale, const std::string& name,
                   const std::map<std::string, std::string>& values) const;

  std::string absolute_url(const std::string& path) const;

 private:
  http::RoutePlan plan(http::Method method, std::string_view path) const;
  bool cached(http::Request& req, http::Response& out);
  void remember(const http::Request& req, const RouteSpec& spec, const Context& ctx,
                const http::Response& res);
  std::string visitor_locale(const http::Request& req) const;
  http::Response handle(http::Request& req);
  http::Response handle_route(http::Request& req, const RouteSpec& spec);
  void load_visitor(Context& ctx);

  core::Config config_;
  db::Database& db_;
  store::Stores stores_;
  std::string secret_;
  http::Metrics metrics_;
  http::Router<RouteSpec> router_;
  PageCache cache_;
  std::unique_ptr<search::Directory> directory_;
  media::Files media_;
};

// Registers every feature's routes (src/web/routes.cpp).
void register_routes(App& app);

}  // namespace verbund::web
