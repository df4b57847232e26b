#include "web/app.hpp"

#include <algorithm>
#include <ctime>

#include "core/i18n.hpp"
#include "core/ip_address.hpp"
#include "core/log.hpp"
#include "core/random.hpp"
#include "mail/mail.hpp"
#include "store/directory_store.hpp"
#include "web/csrf.hpp"
#include "web/static_files.hpp"
#include "web/view.hpp"
#include "web/view_dict.hpp"

namespace verbund::web {

namespace {
constexpr const char* kLocaleCookie = "sprache";
// At most this many fields in a form (x-www-form-urlencoded; multipart bodies have
// MultipartLimits).
constexpr std::ptrdiff_t kMaxFormFields = 1000;
constexpr int64_t kTouchEverySeconds = 300;  // session last-seen writes are batched

bool is_state_changing(http::Method m) {
  return m == http::Method::post || m == http::Method::put || m == http::Method::patch ||
         m == http::Method::del;
}

// `addr` is the resolved client (http/client_addr): behind nginx on the same machine
// the peer is loopback for everyone, the forwarded address is not.
bool is_loopback(const std::string& addr) {
  auto a = core::parse_ip(addr);
  return a && a->is_loopback();
}
}  // namespace

std::string Context::csrf_token() const {
  if (session) return session->csrf_token;
  return issue_anon_csrf(app.secret(), now);
}

// ---- Page ------------------------------------------------------------------------

Page::Page(Context& ctx, std::string body_template, std::string title)
    : ctx_(ctx), body_template_(std::move(body_template)), title_(std::move(title)) {}

ctemplate::TemplateDictionary& Page::dict() {
  if (!body_) body_.emplace("body");
  return *body_;
}

ctemplate::TemplateDictionary& Page::head(const std::string& head_template) {
  if (!head_) head_.emplace("head");
  head_template_ = head_template;
  return *head_;
}

http::Response Page::render(int status) {
  auto& body = dict();
  const std::string csrf = ctx_.csrf_token();
  body.SetTemplateGlobalValue("LANG", ctx_.locale);
  body.SetTemplateGlobalValue("CSRF", csrf);
  body.SetTemplateGlobalValue("SITE_NAME", ctx_.app.config().site_name);
  return render_layout(body, csrf, status);
}

http::Response Page::render(ViewDict& body, int status) {
  const std::string csrf = ctx_.csrf_token();
  body.set_global("LANG", ctx_.locale);
  body.set_global("CSRF", csrf);
  body.set_global("SITE_NAME", ctx_.app.config().site_name);
  return render_layout(body, csrf, status);
}

http::Response Page::render_layout(const ctemplate::TemplateDictionaryInterface& body,
                                   const std::string& csrf, int status) {
  const auto& cfg = ctx_.app.config();
  ViewDict d;
  d.set_global("LANG", ctx_.locale);
  d.set_global("CSRF", csrf);
  d.set_global("SITE_NAME", cfg.site_name);
  d.set("TITLE", title_);
  d.set("CSS_URL", static_url("css/site.css"));
  // The federation's look and address (config site.*).
  if (!cfg.accent_color.empty())
    d.set_and_show("THEME_CSS", "/farben.css?v=" + cfg.accent_color.substr(1), "HAS_THEME");
  if (!cfg.logo_file.empty()) d.show("HAS_LOGO");
  if (!cfg.operator_name.empty() || !cfg.operator_address.empty() || !cfg.operator_email.empty()) {
    auto& op = d.add_section("OPERATOR");
    if (!cfg.operator_name.empty()) op.set_and_show("OPERATOR_NAME", cfg.operator_name, "HAS_NAME");
    std::size_t b = 0;
    const std::string& a = cfg.operator_address;
    while (!a.empty() && b <= a.size()) {
      auto e = a.find('|', b);
      op.add_section("ADDRESS_LINE").set("LINE", a.substr(b, e == std::string::npos ? e : e - b));
      if (e == std::string::npos) break;
      b = e + 1;
    }
    if (!cfg.operator_email.empty())
      op.set_and_show("OPERATOR_EMAIL", cfg.operator_email, "HAS_EMAIL");
  }
  d.set("JS_URL", static_url("js/site.js"));
  d.set("CURRENT_PATH", ctx_.req.target);
  d.set("OTHER_LOCALE", ctx_.locale == "de" ? "en" : "de");
  // The navigation marks the area the visitor is in (aria-current).
  struct Nav {
    std::string_view prefix;
    ViewDict::Name section;
  };
  static constexpr Nav kNav[] = {
      {"/organisationen", "NAV_ORGS_CURRENT"},   {"/social-wall", "NAV_WALL_CURRENT"},
      {"/webzeugkoffer", "NAV_TOOLKIT_CURRENT"}, {"/veranstaltungen", "NAV_EVENTS_CURRENT"},
      {"/austausch", "NAV_EXCHANGE_CURRENT"},    {"/kampagnen", "NAV_CAMPAIGNS_CURRENT"}};
  for (const auto& [prefix, section] : kNav)
    if (ctx_.req.path.starts_with(prefix)) d.show(section);
  if (ctx_.user) {
    auto& u = d.add_section("SIGNED_IN");
    u.set("USER_NAME", ctx_.user->display_name);
    if (ctx_.user->is_platform_admin()) {
      u.show("IS_ADMIN");
      // Until the operator's texts are there, every page reminds the platform admins.
      for (const char* key : {"impressum", "datenschutz"}) {
        auto text = ctx_.app.stores().settings.get(key);
        if (!text || text->empty()) u.show("LEGAL_MISSING");
      }
    }
    if (ctx_.user->is_platform_admin() || ctx_.user->has_role(model::Role::regional_editor))
      u.show("IS_REVIEWER");
  } else {
    d.show("SIGNED_OUT");
  }
  if (cfg.dev_mode) d.show("DEV_MODE");
  auto notice = ctx_.query_value("hinweis");
  if (!notice.empty() && i18n::has(ctx_.locale, "notice." + notice))
    d.set_and_show("NOTICE", i18n::t(ctx_.locale, "notice." + notice), "HAS_NOTICE");
  d.include("BODY", body, ctx_.locale + "/" + body_template_);
  if (head_) d.include("HEAD", *head_, ctx_.locale + "/" + head_template_);
  return http::Response::html(status, expand(ctx_.locale, "layout.html", d));
}

// ---- App -------------------------------------------------------------------------

App::App(core::Config config, db::Database& db)
    : config_(std::move(config)),
      db_(db),
      stores_(db, config_.job_max_attempts),
      directory_(std::make_unique<store::OrgDirectory>(
          db,
          store::OrgDirectory::Options{static_cast<std::size_t>(config_.directory_match_cache)})),
      media_(std::filesystem::path(config_.data_dir) / "media") {
  // One signing secret per installation, shared by every node through the database.
  secret_ = stores_.settings.get_or_create("signing_secret", random::token(32));
  // Map tiles come from the operator's tile server: the CSP lets exactly that origin in.
  if (!config_.map_tile_url.empty()) http::allow_image_origin(config_.map_tile_origin());
  // Served over https only: browsers are told to never try plain HTTP (RFC 6797).
  if (config_.base_url.starts_with("https://")) http::enable_hsts();
  register_routes(*this);
}

void App::add(http::Method method, std::string_view pattern, RouteSpec spec) {
  router_.add(method, pattern, std::move(spec));
}

bool App::is_secure(const http::Request& req) const {
  if (config_.base_url.starts_with("https://")) return true;
  return config_.behind_proxy && req.header("x-forwarded-proto") == "https";
}

std::string App::cookie_name(const http::Request& req) const {
  return is_secure(req) ? "__Host-verbund" : "verbund";
}

std::string App::absolute_url(const std::string& path) const { return config_.public_url() + path; }

http::RoutePlan App::plan(http::Method method, std::string_view path) const {
  http::RoutePlan p;
  p.body_limit = static_cast<std::size_t>(config_.body_limit_bytes);
  const RouteSpec* spec = nullptr;
  std::vector<std::string> params;
  if (router_.find(method, path, &spec, params) == http::Router<RouteSpec>::Outcome::found) {
    if (spec->body_limit) p.body_limit = spec->body_limit;
    p.run_inline = spec->run_inline;
  }
  return p;
}

http::Dispatch App::dispatch() {
  http::Dispatch d;
  d.plan = [this](http::Method m, std::string_view path) { return plan(m, path); };
  d.handle = [this](http::Request& req) { return handle(req); };
  d.cached = [this](http::Request& req, http::Response& out) { return cached(req, out); };
  d.done = [this](const http::Request& req, int status, double seconds) {
    metrics_.observe(req.route.empty() ? "unmatched" : req.route, status, seconds);
  };
  return d;
}

std::string App::visitor_locale(const http::Request& req) const {
  auto cookies = http::parse_cookies(req.header("cookie"));
  auto lc = cookies.find(kLocaleCookie);
  if (lc != cookies.end() && (lc->second == "de" || lc->second == "en")) return lc->second;
  return i18n::negotiate(req.header("accept-language"));
}

// Pages for visitors without a session are the same for everyone with the same locale
// and URL; routes that allow it are answered from a short-lived copy.
bool App::cached(http::Request& req, http::Response& out) {
  if (req.method != http::Method::get && req.method != http::Method::head) return false;
  auto cookie = req.header("cookie");
  if (!cookie.empty() && cookie.find(cookie_name(req) + "=") != std::string_view::npos)
    return false;
  return cache_.find(visitor_locale(req) + " " + req.target, out, req.route);
}

void App::remember(const http::Request& req, const RouteSpec& spec, const Context& ctx,
                   const http::Response& res) {
  if (spec.cache_seconds <= 0 || ctx.session || res.status != 200 ||
      !res.header("Set-Cookie").empty() || req.method != http::Method::get)
    return;
  cache_.put(ctx.locale + " " + req.target, res, req.route, spec.cache_seconds);
}

void App::load_visitor(Context& ctx) {
  auto cookies = http::parse_cookies(ctx.req.header("cookie"));
  auto it = cookies.find(cookie_name(ctx.req));
  if (it != cookies.end()) {
    int64_t idle = int64_t{config_.session_idle_days} * 86400;
    if (auto visitor = stores_.sessions.find(it->second, ctx.now, idle)) {
      ctx.session = std::move(visitor->session);
      ctx.user = std::move(visitor->user);
    }
    if (ctx.session && ctx.now - ctx.session->last_seen_at > kTouchEverySeconds)
      stores_.sessions.touch(ctx.session->id_hash, ctx.now);
  }
  auto lc = cookies.find(kLocaleCookie);
  if (lc != cookies.end() && (lc->second == "de" || lc->second == "en"))
    ctx.locale = lc->second;
  else if (ctx.user)
    ctx.locale = ctx.user->locale;
  else
    ctx.locale = visitor_locale(ctx.req);
}

http::Response App::error_page(Context& ctx, int status, const std::string& message_key) {
  std::string key = message_key.empty() ? "error." + std::to_string(status) : message_key;
  Page page(ctx, "pages/error.html", i18n::t(ctx.locale, "error.title." + std::to_string(status)));
  page.dict().SetValue("HEADING", i18n::t(ctx.locale, "error.title." + std::to_string(status)));
  page.dict().SetValue("MESSAGE", i18n::t(ctx.locale, key));
  page.dict().SetValue("REQUEST_ID", ctx.req.request_id);
  return page.render(status);
}

http::Response App::handle(http::Request& req) {
  const RouteSpec* spec = nullptr;
  std::string allow;
  auto outcome = router_.find(req.method, req.path, &spec, req.params, &allow, &req.route);
  if (outcome == http::Router<RouteSpec>::Outcome::found) {
    return handle_route(req, *spec);
  }
  Context ctx(*this, req);
  ctx.now = std::time(nullptr);
  try {
    load_visitor(ctx);
    if (outcome == http::Router<RouteSpec>::Outcome::method_not_allowed) {
      auto r = error_page(ctx, 405);
      r.set_header("Allow", allow);
      return r;
    }
    return error_page(ctx, 404);
  } catch (const std::exception& e) {
    log::error("request_failed", {{"id", req.request_id}, {"error", e.what()}});
    return http::Response::text(500, "Internal Server Error\nRequest id: " + req.request_id + "\n");
  }
}

http::Response App::handle_route(http::Request& req, const RouteSpec& spec) {
  if (spec.run_inline) {
    Context ctx(*this, req);
    return spec.handler(ctx);
  }
  Context ctx(*this, req);
  ctx.now = std::time(nullptr);
  ctx.query = http::parse_form(req.query);
  try {
    load_visitor(ctx);
    switch (spec.access) {
      case Access::anyone:
        break;
      case Access::signed_in:
      case Access::platform_admin:
        if (!ctx.user)
          return http::Response::redirect("/anmelden?weiter=" + http::url_encode(req.target));
        if (spec.access == Access::platform_admin && !ctx.user->is_platform_admin())
          return error_page(ctx, 403);
        break;
      case Access::dev_mode:
        if (!config_.dev_mode) return error_page(ctx, 404);
        break;
      case Access::loopback_or_admin:
        if (!is_loopback(req.remote_addr) && !(ctx.user && ctx.user->is_platform_admin()))
          return error_page(ctx, 403);
        break;
    }
    if (is_state_changing(req.method)) {
      auto type = req.header("content-type");
      if (type.starts_with("application/x-www-form-urlencoded")) {
        // Counted before anything is decoded: our largest form has a few dozen fields,
        // and half a million took 0.2 s to parse before the CSRF check could refuse it.
        if (std::count(req.body.begin(), req.body.end(), '&') >= kMaxFormFields)
          return error_page(ctx, 400, "error.too_many_fields");
        ctx.form = http::parse_form(req.body);
      } else if (spec.uploads) {
        // Text fields (the CSRF token among them) join ctx.form; files stay views
        // into the request body.
        auto boundary = http::multipart_boundary(type);
        auto parts = boundary ? http::parse_multipart(req.body, *boundary)
                              : Result<std::vector<http::FormPart>>(boundary.error());
        if (!parts) {
          log::info("multipart_refused", {{"id", req.request_id}, {"why", parts.error().message}});
          return error_page(ctx, 400);
        }
        for (auto& part : *parts) {
          if (part.is_file())
            ctx.files.push_back(std::move(part));
          else
            ctx.form.emplace(part.name, std::string(part.data));
        }
      }
      std::string token = ctx.field("csrf");
      bool ok;
      if (ctx.session) {
        ok = !token.empty() && random::equal(token, ctx.session->csrf_token);
      } else {
        ok = check_anon_csrf(secret_, token, ctx.now) &&
             same_origin(req.header("origin"), req.header("referer"), req.header("host"));
      }
      if (!ok) {
        log::info("csrf_refused", {{"id", req.request_id}, {"path", req.path}});
        return error_page(ctx, 403, "error.csrf");
      }
    }
    auto res = spec.handler(ctx);
    if (res.header("Cache-Control").empty())
      res.set_header("Cache-Control", ctx.session ? "private, no-store" : "no-cache");
    if (res.header("Vary").empty()) res.set_header("Vary", "Cookie, Accept-Language");
    remember(req, spec, ctx, res);
    return res;
  } catch (const db::DbError& e) {
    // The database is out of reach (restart, network): say so, and when to come back.
    log::error("request_failed", {{"id", req.request_id}, {"path", req.path}, {"error", e.what()}});
    int status = e.kind() == db::DbError::Kind::connection ? 503 : 500;
    try {
      auto r = error_page(ctx, status);
      if (status == 503) r.set_header("Retry-After", "60");
      return r;
    } catch (...) {
      return http::Response::text(500,
                                  "Internal Server Error\nRequest id: " + req.request_id + "\n");
    }
  } catch (const std::exception& e) {
    log::error("request_failed", {{"id", req.request_id}, {"path", req.path}, {"error", e.what()}});
    try {
      return error_page(ctx, 500);
    } catch (...) {
      return http::Response::text(500,
                                  "Internal Server Error\nRequest id: " + req.request_id + "\n");
    }
  }
}

http::Response App::sign_in(Context& ctx, int64_t user_id, const std::string& to) {
  std::string old;
  auto cookies = http::parse_cookies(ctx.req.header("cookie"));
  if (auto it = cookies.find(cookie_name(ctx.req)); it != cookies.end()) old = it->second;
  auto created = stores_.sessions.start(user_id, ctx.now, old);  // rotates the old id
  auto r = http::Response::redirect(to);
  std::string cookie = cookie_name(ctx.req) + "=" + created.token +
                       "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                       std::to_string(int64_t{config_.session_idle_days} * 86400);
  if (is_secure(ctx.req)) cookie += "; Secure";
  r.set_header("Set-Cookie", cookie);
  r.set_header("Cache-Control", "no-store");
  return r;
}

http::Response App::sign_out(Context& ctx, const std::string& to) {
  auto cookies = http::parse_cookies(ctx.req.header("cookie"));
  if (auto it = cookies.find(cookie_name(ctx.req)); it != cookies.end())
    stores_.sessions.end(it->second);
  auto r = http::Response::redirect(to);
  std::string cookie = cookie_name(ctx.req) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0";
  if (is_secure(ctx.req)) cookie += "; Secure";
  r.set_header("Set-Cookie", cookie);
  return r;
}

store::Mail App::mail(const std::string& to, const std::string& locale, const std::string& name,
                      const std::map<std::string, std::string>& values) const {
  return render_mail(config_, to, locale, name, values);
}

store::Mail render_mail(const core::Config& config, const std::string& to,
                        const std::string& locale, const std::string& name,
                        const std::map<std::string, std::string>& values) {
  ctemplate::TemplateDictionary dict("mail");
  // A value also shows the section HAS_<NAME> when it is not empty, so that a mail can
  // leave out a line that would say nothing.
  for (const auto& [k, v] : values) {
    dict.SetValue(k, v);
    if (!v.empty()) dict.ShowSection("HAS_" + k);
  }
  dict.SetValue("SITE_NAME", config.site_name);
  dict.SetValue("SITE_URL", config.public_url());
  return store::Mail{
      to, i18n::format(locale, "mail." + name + ".subject", {{"site", config.site_name}}),
      expand(locale, "mail/" + name + ".txt", dict), mail::new_message_id(config.public_url())};
}

}  // namespace verbund::web
