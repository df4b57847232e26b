// The organisers' view of an event (/veranstaltungen/SLUG/teilnehmende): per session
// the confirmed participants with their attendance and the waitlist in its order, and
// the same as a CSV file. Organisers: platform admins, the organisation's admins for an
// organisation's event, the association's regional editors for its event, and whoever
// created it. Everyone else gets 404: the page does not say that it exists.
#include "core/csv.hpp"
#include "core/i18n.hpp"
#include "core/time.hpp"
#include "http/message.hpp"
#include "web/events/handlers.hpp"
#include "web/view.hpp"

namespace verbund::web::events {

bool organises(const Context& ctx, const store::Event& e) {
  if (!ctx.user) return false;
  if (ctx.user->is_platform_admin()) return true;
  if (e.created_by && *e.created_by == ctx.user->id) return true;
  for (const auto& g : ctx.user->roles) {
    if (g.role == model::Role::org_admin && e.organisation_id && g.organisation_id &&
        *g.organisation_id == *e.organisation_id)
      return true;
    if (g.role == model::Role::regional_editor && e.organiser_kind == "region" && e.region_id &&
        g.region_id && *g.region_id == *e.region_id)
      return true;
  }
  return false;
}

namespace {

std::optional<store::Event> organised(Context& ctx) {
  auto e = ctx.app.stores().events.find(ctx.param(0));
  if (!e || !organises(ctx, *e)) return std::nullopt;
  return e;
}

}  // namespace

http::Response participants_page(Context& ctx) {
  auto e = organised(ctx);
  if (!e) return ctx.app.error_page(ctx, 404);
  Page page(ctx, "events/participants.html",
            i18n::format(ctx.locale, "events.participants.title", {{"event", e->title}}));
  auto& d = page.dict();
  d.SetValue("TITLE", e->title);
  d.SetValue("EVENT_URL", "/veranstaltungen/" + e->slug);
  d.SetValue("CSV_URL", "/veranstaltungen/" + e->slug + "/teilnehmende.csv");
  d.SetValue("CSRF", ctx.csrf_token());
  auto& regs = ctx.app.stores().registrations;
  for (const auto& s : e->sessions) {
    auto* sd = add_session(ctx, d, *e, s);
    int confirmed = 0, waiting = 0;
    for (const auto& r : regs.of_session(s.id)) {
      bool placed = r.status == "confirmed";
      auto* row = sd->AddSectionDictionary(placed ? "CONFIRMED" : "WAITING");
      row->SetIntValue("REG_ID", static_cast<long>(r.id));
      row->SetValue("NAME",
                    r.name.empty() ? i18n::t(ctx.locale, "events.participants.removed") : r.name);
      row->SetValue("EMAIL", r.email.ends_with("@invalid") ? "" : r.email);
      row->SetValue("SINCE", timefmt::berlin(r.created_at, "%d.%m.%Y, %H:%M"));
      if (!r.user_id) row->ShowSection("GUEST");
      if (placed) {
        ++confirmed;
        row->SetValue("ACTION", "/veranstaltungen/" + e->slug + "/teilnehmende/" +
                                    std::to_string(r.id) + "/anwesend");
        row->SetValue("NEXT", r.attended ? "nein" : "ja");
        row->SetValue("BUTTON", i18n::t(ctx.locale, r.attended ? "events.participants.unmark"
                                                               : "events.participants.mark"));
        if (r.attended) row->ShowSection("ATTENDED");
      } else {
        ++waiting;
        row->SetIntValue("POSITION", static_cast<long>(r.position.value_or(0)));
      }
    }
    if (confirmed == 0) sd->ShowSection("NONE_CONFIRMED");
    if (waiting > 0) sd->ShowSection("HAS_WAITING");
  }
  return page.render();
}

http::Response participants_csv(Context& ctx) {
  auto e = organised(ctx);
  if (!e) return ctx.app.error_page(ctx, 404);
  const auto& L = ctx.locale;
  std::string out = "\xEF\xBB\xBF";  // Excel reads UTF-8 only with the mark
  for (const char* h : {"session", "start", "status", "position", "name", "email", "guest",
                        "registered", "attended"}) {
    if (out.size() > 3) out += ';';
    out += csv::field(i18n::t(L, std::string("events.csv.") + h));
  }
  out += "\r\n";
  auto& regs = ctx.app.stores().registrations;
  for (const auto& s : e->sessions) {
    for (const auto& r : regs.of_session(s.id)) {
      std::vector<std::string> f = {s.title.empty() ? e->title : s.title,
                                    timefmt::berlin(s.starts_at, "%d.%m.%Y %H:%M"),
                                    i18n::t(L, "events.csv.status_" + r.status),
                                    r.position ? std::to_string(*r.position) : "",
                                    r.name,
                                    r.email.ends_with("@invalid") ? "" : r.email,
                                    i18n::t(L, r.user_id ? "events.csv.no" : "events.csv.yes"),
                                    timefmt::berlin(r.created_at, "%d.%m.%Y %H:%M"),
                                    i18n::t(L, r.attended ? "events.csv.yes" : "events.csv.no")};
      for (std::size_t i = 0; i < f.size(); ++i) out += (i ? ";" : "") + csv::field(f[i]);
      out += "\r\n";
    }
  }
  auto res = http::Response::text(200, std::move(out));
  res.set_header("Content-Type", "text/csv; charset=utf-8");
  res.set_header("Content-Disposition",
                 "attachment; filename=\"teilnehmende-" + e->slug + ".csv\"");
  res.set_header("Cache-Control", "no-store");
  return res;
}

http::Response participant_attended(Context& ctx) {
  auto e = organised(ctx);
  if (!e) return ctx.app.error_page(ctx, 404);
  std::string reg = ctx.param(1);
  auto st = ctx.app.stores().registrations.set_attended(e->id, std::stoll(reg),
                                                        ctx.field("anwesend") == "ja");
  if (!st) return ctx.app.error_page(ctx, 404);
  return http::Response::redirect("/veranstaltungen/" + e->slug + "/teilnehmende#anmeldung-" + reg);
}

}  // namespace verbund::web::events
