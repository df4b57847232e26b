// Moderation of the Social Wall: the queue of held and reported posts for platform
// admins and regional editors, hiding and showing posts and blocking sources (each
// with its reason, reversible, logged), the word list, reports by signed-in people,
// and organisation admins hiding their own posts.
#include <algorithm>
#include <sstream>

#include "core/i18n.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "feeds/html_text.hpp"
#include "model/user.hpp"
#include "web/view.hpp"
#include "web/wall/handlers.hpp"

namespace verbund::web::wall {

namespace {

store::Actor actor(const Context& ctx) {
  return store::Actor{ctx.user->id, ctx.user->is_platform_admin()};
}

constexpr const char* kQueue = "/redaktion/social-wall";

std::string trimmed(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(0, 1);
  return s;
}

void fill_item(Context& ctx, ctemplate::TemplateDictionary& row, const store::ModerationItem& m) {
  const std::string base = std::string(kQueue) + "/beitrag/" + std::to_string(m.post.id);
  row.SetIntValue("ID", static_cast<long>(m.post.id));
  row.SetValue("ORG_NAME", m.post.organisation_name);
  row.SetValue("ORG_URL", "/organisationen/" + m.post.organisation_slug);
  row.SetValue("WHEN", relative_time(ctx.locale, m.post.sort_at, ctx.now));
  row.SetValue("KIND", i18n::t(ctx.locale, "wall.kind." + m.post.kind));
  row.SetValue("STATUS", i18n::t(ctx.locale, "wall.status." + m.post.status));
  if (!m.post.title.empty()) row.SetValueAndShowSection("TITLE", m.post.title, "HAS_TITLE");
  row.SetValue("TEXT", m.post.body);
  if (!m.post.url.empty()) row.SetValueAndShowSection("URL", m.post.url, "HAS_LINK");
  if (!m.post.image_key.empty()) {
    auto* img = row.AddSectionDictionary("HAS_IMAGE");
    img->SetValue("IMAGE_KEY", m.post.image_key);
    img->SetValue("IMAGE_ALT", m.post.image_alt);
  }
  if (m.status_reason.rfind("word:", 0) == 0) {
    row.SetValueAndShowSection("WORD", m.status_reason.substr(5), "HELD_BY_WORD");
  } else if (!m.status_reason.empty()) {
    row.SetValueAndShowSection("REASON", m.status_reason, "HAS_REASON");
  }
  if (m.open_reports > 0) {
    auto* rep = row.AddSectionDictionary("HAS_REPORTS");
    rep->SetIntValue("REPORTS", static_cast<long>(m.open_reports));
    std::string reasons;
    for (const auto& r : m.report_reasons) {
      if (!reasons.empty()) reasons += ", ";
      reasons += i18n::t(ctx.locale, "wall.report.reason." + r);
    }
    rep->SetValue("REPORT_REASONS", reasons);
    rep->SetValue("DISMISS_ACTION", base + "/meldungen-verwerfen");
  }
  if (m.post.status == "held") row.ShowSection("IS_HELD");
  if (m.post.status == "hidden") row.ShowSection("IS_HIDDEN");
  if (m.post.status == "visible") row.ShowSection("IS_VISIBLE");
  row.SetValue("SHOW_ACTION", base + "/anzeigen");
  row.SetValue("HIDE_ACTION", base + "/ausblenden");
  if (m.source_id > 0) {
    auto* src = row.AddSectionDictionary("HAS_SOURCE");
    src->SetValue("SOURCE_TITLE", m.source_title);
    const std::string s = std::string(kQueue) + "/quelle/" + std::to_string(m.source_id);
    if (m.source_blocked)
      src->SetValueAndShowSection("UNBLOCK_ACTION", s + "/entsperren", "BLOCKED");
    else
      src->SetValueAndShowSection("BLOCK_ACTION", s + "/sperren", "NOT_BLOCKED");
  }
}

// The queue; after a refused hiding or blocking, the reason as typed and the message
// stay at that post's field.
http::Response queue_page(Context& ctx, const std::vector<model::FieldError>& errors, int status,
                          int64_t error_post = 0, const std::string& typed_reason = "") {
  auto& moderation = ctx.app.stores().wall_moderation;
  auto items = moderation.queue(actor(ctx));
  Page page(ctx, "wall/moderation.html", i18n::t(ctx.locale, "wall.moderation.title"));
  auto& d = page.dict();
  if (items.empty()) d.ShowSection("EMPTY");
  for (const auto& m : items) {
    auto* row = d.AddSectionDictionary("ITEM");
    fill_item(ctx, *row, m);
    if (m.post.id != error_post) continue;
    const std::string id = std::to_string(m.post.id);
    for (const auto& e : errors) {
      if (e.field == "grund-" + id) {
        row->SetValue("V_reason", typed_reason);
        row->SetValueAndShowSection("MSG", i18n::t(ctx.locale, e.message_key), "ERR_HIDE");
      } else if (e.field == "sperrgrund-" + id) {
        row->SetValue("V_block_reason", typed_reason);
        row->SetValueAndShowSection("MSG", i18n::t(ctx.locale, e.message_key), "ERR_BLOCK");
        row->ShowSection("BLOCK_OPEN");
      }
    }
  }
  // What moderators hid and blocked, each with its way back.
  auto hidden = moderation.hidden(actor(ctx), 30);
  auto blocked = moderation.blocked_sources(actor(ctx), 30);
  if (hidden.empty() && blocked.empty()) d.ShowSection("NOTHING_HIDDEN");
  for (const auto& m : hidden) {
    auto* row = d.AddSectionDictionary("HIDDEN_ITEM");
    row->SetIntValue("ID", static_cast<long>(m.post.id));
    row->SetValue("ORG_NAME", m.post.organisation_name);
    row->SetValue("TEXT", feeds::excerpt(m.post.title.empty() ? m.post.body : m.post.title, 160));
    row->SetValue("REASON", m.status_reason);
    row->SetValue("SHOW_ACTION",
                  std::string(kQueue) + "/beitrag/" + std::to_string(m.post.id) + "/anzeigen");
  }
  for (const auto& b : blocked) {
    auto* row = d.AddSectionDictionary("BLOCKED_SOURCE");
    row->SetValue("SOURCE_TITLE", b.title.empty() ? b.feed_url : b.title);
    row->SetValue("ORG_NAME", b.organisation_name);
    row->SetValue("REASON", b.reason);
    row->SetValue("UNBLOCK_ACTION",
                  std::string(kQueue) + "/quelle/" + std::to_string(b.id) + "/entsperren");
  }
  if (ctx.user->is_platform_admin()) {
    auto* words = d.AddSectionDictionary("CAN_EDIT_WORDS");
    std::string list;
    for (const auto& w : moderation.words()) list += w + "\n";
    words->SetValue("WORDS", list);
  }
  auto log = moderation.log(actor(ctx), 30);
  if (log.empty()) d.ShowSection("NO_LOG");
  for (const auto& e : log) {
    auto* row = d.AddSectionDictionary("LOG");
    row->SetValue("LOG_WHEN", timefmt::berlin(e.created_at, "%d.%m.%Y, %H:%M"));
    row->SetValue("LOG_ACTION", i18n::t(ctx.locale, "wall.log." + e.action));
    row->SetValue("LOG_ORG", e.organisation_name);
    row->SetValue("LOG_ACTOR", e.actor_name);
    if (!e.reason.empty()) row->SetValueAndShowSection("LOG_REASON", e.reason, "HAS_LOG_REASON");
  }
  add_field_errors(d, ctx.locale, errors);
  return page.render(status);
}

bool moderator(Context& ctx) { return ctx.app.stores().wall_moderation.is_moderator(actor(ctx)); }

http::Response back_to_queue(const std::string& notice) {
  return http::Response::redirect(std::string(kQueue) + "?hinweis=" + notice);
}

}  // namespace

http::Response moderation_queue(Context& ctx) {
  if (!moderator(ctx)) return ctx.app.error_page(ctx, 403);
  return queue_page(ctx, {}, 200);
}

http::Response moderation_hide(Context& ctx) {
  if (!moderator(ctx)) return ctx.app.error_page(ctx, 403);
  int64_t id = std::stoll(ctx.param(0));
  std::string reason = trimmed(ctx.field("grund"));
  if (reason.empty())
    return queue_page(ctx, {{"grund-" + std::to_string(id), "wall.moderation.reason_missing"}}, 422,
                      id);
  if (!model::valid_utf8(reason) || model::utf8_length(reason) > 500)
    return queue_page(ctx, {{"grund-" + std::to_string(id), "wall.moderation.reason_too_long"}},
                      422, id, reason.substr(0, 2000));
  auto st = ctx.app.stores().wall_moderation.hide(actor(ctx), id, reason, ctx.now);
  if (!st) return ctx.app.error_page(ctx, 404);
  log::info("wall_post_hidden", {{"post", std::to_string(id)}});
  return back_to_queue("beitrag_ausgeblendet");
}

http::Response moderation_show(Context& ctx) {
  if (!moderator(ctx)) return ctx.app.error_page(ctx, 403);
  auto st = ctx.app.stores().wall_moderation.show(actor(ctx), std::stoll(ctx.param(0)), ctx.now);
  if (!st) return ctx.app.error_page(ctx, 404);
  return back_to_queue("beitrag_freigegeben");
}

http::Response moderation_dismiss(Context& ctx) {
  if (!moderator(ctx)) return ctx.app.error_page(ctx, 403);
  auto st = ctx.app.stores().wall_moderation.dismiss_reports(actor(ctx), std::stoll(ctx.param(0)),
                                                             ctx.now);
  if (!st) return ctx.app.error_page(ctx, 404);
  return back_to_queue("meldungen_verworfen");
}

http::Response moderation_block(Context& ctx) {
  if (!moderator(ctx)) return ctx.app.error_page(ctx, 403);
  int64_t id = std::stoll(ctx.param(0));
  std::string reason = trimmed(ctx.field("grund"));
  // The form sits at a post of the source: its message goes there.
  std::string at = ctx.field("beitrag");
  int64_t post = !at.empty() && at.size() < 19 && std::all_of(at.begin(), at.end(), ::isdigit)
                     ? std::stoll(at)
                     : 0;
  const std::string field = "sperrgrund-" + std::to_string(post);
  if (reason.empty())
    return queue_page(ctx, {{field, "wall.moderation.reason_missing"}}, 422, post);
  if (!model::valid_utf8(reason) || model::utf8_length(reason) > 500)
    return queue_page(ctx, {{field, "wall.moderation.reason_too_long"}}, 422, post,
                      reason.substr(0, 2000));
  auto st = ctx.app.stores().wall_moderation.block_source(actor(ctx), id, reason, ctx.now);
  if (!st) return ctx.app.error_page(ctx, 404);
  return back_to_queue("quelle_gesperrt");
}

http::Response moderation_unblock(Context& ctx) {
  if (!moderator(ctx)) return ctx.app.error_page(ctx, 403);
  auto st = ctx.app.stores().wall_moderation.unblock_source(actor(ctx), std::stoll(ctx.param(0)),
                                                            ctx.now);
  if (!st) return ctx.app.error_page(ctx, 404);
  return back_to_queue("quelle_entsperrt");
}

http::Response moderation_words(Context& ctx) {
  if (!ctx.user->is_platform_admin()) return ctx.app.error_page(ctx, 403);
  std::vector<std::string> words;
  std::istringstream in(ctx.field("woerter").substr(0, 20000));
  std::string line;
  while (std::getline(in, line)) {
    line = trimmed(line);
    if (!line.empty() && model::valid_utf8(line)) words.push_back(line);
  }
  if (words.size() > 500)
    return queue_page(ctx, {{"woerter", "wall.moderation.too_many_words"}}, 422);
  auto st = ctx.app.stores().wall_moderation.set_words(actor(ctx), words, ctx.now);
  if (!st) return ctx.app.error_page(ctx, 403);
  return back_to_queue("wortliste_gespeichert");
}

// The report form: a page of its own, so that the (cached) wall needs no form per post.
http::Response report_show(Context& ctx, const std::vector<model::FieldError>& errors, int status) {
  int64_t id = std::stoll(ctx.param(0));
  auto post = ctx.app.stores().posts.find_visible(id);
  if (!post) return ctx.app.error_page(ctx, 404);
  Page page(ctx, "wall/report.html", i18n::t(ctx.locale, "wall.report.title"));
  auto& d = page.dict();
  auto* list = d.AddIncludeDictionary("POST");
  list->SetFilename(ctx.locale + "/wall/posts.html");
  fill_posts(ctx, *list, {*post});
  d.SetValue("ACTION", "/social-wall/beitrag/" + std::to_string(id) + "/melden");
  for (const char* r : store::kReportReasons) {
    auto* o = d.AddSectionDictionary("REASON");
    o->SetValue("VALUE", r);
    o->SetValue("LABEL", i18n::t(ctx.locale, std::string("wall.report.reason.") + r));
    if (ctx.field("grund") == r) o->ShowSection("CHECKED");
  }
  d.SetValue("V_note", ctx.field("hinweis_text"));
  add_field_errors(d, ctx.locale, errors);
  return page.render(status);
}

http::Response report_form(Context& ctx) { return report_show(ctx, {}, 200); }

http::Response report_submit(Context& ctx) {
  int64_t id = std::stoll(ctx.param(0));
  std::string reason = ctx.field("grund");
  std::string note = trimmed(ctx.field("hinweis_text"));
  if (reason.empty()) return report_show(ctx, {{"grund", "wall.report.reason_missing"}}, 422);
  if (!model::valid_utf8(note) || model::utf8_length(note) > 1000)
    return report_show(ctx, {{"hinweis_text", "wall.report.note_too_long"}}, 422);
  auto st = ctx.app.stores().wall_moderation.report(ctx.user->id, id, reason, note, ctx.now);
  if (!st) {
    if (st.error().code == "not_found") return ctx.app.error_page(ctx, 404);
    if (st.error().code == "invalid")
      return report_show(ctx, {{"grund", "wall.report.reason_missing"}}, 422);
    return http::Response::redirect("/social-wall?hinweis=schon_gemeldet");
  }
  log::info("wall_post_reported", {{"post", std::to_string(id)}});
  return http::Response::redirect("/social-wall?hinweis=gemeldet");
}

// An organisation's admins hide or show their own posts (from the channels page).
http::Response own_post_visibility(Context& ctx) {
  int64_t org = std::stoll(ctx.param(0));
  int64_t post = std::stoll(ctx.param(1));
  auto& moderation = ctx.app.stores().wall_moderation;
  bool hide = ctx.field("sichtbar") == "nein";
  auto st = hide ? moderation.hide(actor(ctx), post, "", ctx.now)
                 : moderation.show(actor(ctx), post, ctx.now);
  if (!st) return ctx.app.error_page(ctx, 404);
  return http::Response::redirect(
      "/meine-organisationen/" + std::to_string(org) + "/kanaele?hinweis=" +
      (hide ? "beitrag_ausgeblendet" : "beitrag_wieder_sichtbar") + "#beitraege");
}

}  // namespace verbund::web::wall
