// Operations: /healthz, /metrics (Prometheus), static files, and the development mail
// folder at /dev/mail (only with dev_mode = true).

#include "core/i18n.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "web/app.hpp"
#include "web/static_files.hpp"

namespace verbund::web::ops {

namespace {

// Health for load balancers: "ok" only when this node reaches its database (one
// trivial query on a worker thread); 503 otherwise, so nginx or a balancer can route
// around a node that lost its database.
http::Response healthz(Context& ctx) {
  auto problem = ctx.app.db().ping();
  bool up = problem.empty();
  if (!up) log::warn("healthz_database_unavailable", {{"error", problem}});
  auto r =
      up ? http::Response::text(200, "ok\n") : http::Response::text(503, "database unavailable\n");
  r.set_header("Cache-Control", "no-store");
  return r;
}

http::Response metrics(Context& ctx) {
  auto pool = ctx.app.db().stats();
  auto depth = ctx.app.stores().jobs.depth();
  auto failed = ctx.app.stores().jobs.failed(1000).size();
  auto r = http::Response::text(
      200,
      ctx.app.metrics().render({{"verbund_db_connections_open", pool.open},
                                {"verbund_db_connections_in_use", pool.in_use},
                                {"verbund_db_writes_total", static_cast<double>(pool.writes)},
                                {"verbund_db_retries_total", static_cast<double>(pool.retries)},
                                {"verbund_jobs_queued", static_cast<double>(depth)},
                                {"verbund_jobs_failed", static_cast<double>(failed)}}));
  r.set_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  r.set_header("Cache-Control", "no-store");
  return r;
}

http::Response static_file(Context& ctx) { return static_files::serve(ctx.req, ctx.param(0)); }

http::Response dev_mail_list(Context& ctx) {
  auto mails = ctx.app.stores().outbox.recent(100);
  Page page(ctx, "dev/mail.html", i18n::t(ctx.locale, "dev.mail.title"));
  auto& d = page.dict();
  d.SetValue("FOLDER", ctx.app.config().data_dir + "/mail");
  if (mails.empty()) d.ShowSection("EMPTY");
  for (const auto& m : mails) {
    auto* row = d.AddSectionDictionary("MAIL");
    row->SetValue("ID", std::to_string(m.id));
    row->SetValue("TO", m.recipient);
    row->SetValue("SUBJECT", m.subject);
    row->SetValue("CREATED", timefmt::utc(m.created_at, "%Y-%m-%d %H:%M UTC"));
    row->SetValue("STATE", i18n::t(ctx.locale, m.sent_at ? "dev.mail.sent" : "dev.mail.queued"));
  }
  return page.render();
}

http::Response dev_mail_show(Context& ctx) {
  int64_t id = std::stoll(ctx.param(0));
  auto m = ctx.app.stores().outbox.find(id);
  if (!m) return ctx.app.error_page(ctx, 404);
  Page page(ctx, "dev/mail_show.html", m->subject);
  page.dict().SetValue("TO", m->recipient);
  page.dict().SetValue("SUBJECT", m->subject);
  page.dict().SetValue("BODY", m->body);
  return page.render();
}

}  // namespace

void register_routes(App& app) {
  using http::Method;
  app.add(Method::get, "/healthz", {healthz, Access::anyone});
  app.add(Method::get, "/metrics", {metrics, Access::loopback_or_admin});
  app.add(Method::get, "/static/{file:path}", {static_file, Access::anyone, 0, true});
  app.add(Method::get, "/dev/mail", {dev_mail_list, Access::dev_mode});
  app.add(Method::get, "/dev/mail/{id:int}", {dev_mail_show, Access::dev_mode});
}

}  // namespace verbund::web::ops
