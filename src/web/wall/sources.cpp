// An organisation's channels for the Social Wall: its admins add feeds, websites and
// accounts (checked at once: what was found, or exactly why not), see how each one is
// doing (last fetch, result, next try, posts found), choose "publish at once" or "hold
// for review", remove them, and post directly for the networks without feeds.
#include <algorithm>

#include "core/i18n.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "feeds/html_text.hpp"
#include "feeds/ingest.hpp"
#include "feeds/url.hpp"
#include "media/image.hpp"
#include "model/user.hpp"
#include "web/view.hpp"
#include "web/wall/handlers.hpp"

namespace verbund::web::wall {

namespace {

store::Actor actor(const Context& ctx) {
  return store::Actor{ctx.user->id, ctx.user->is_platform_admin()};
}

std::string channels_url(int64_t id) {
  return "/meine-organisationen/" + std::to_string(id) + "/kanaele";
}

std::optional<store::ManagedOrg> managed(Context& ctx) {
  return ctx.app.stores().organisations.managed(actor(ctx), std::stoll(ctx.param(0)));
}

struct PostForm {
  std::string text, link, alt;
};

std::string check_message(Context& ctx, const feeds::CheckResult& check, const std::string& error) {
  return source_problem(ctx.locale, error, check.fetch.status, check.closed_network);
}

std::string result_text(Context& ctx, const store::Source& s) {
  if (s.last_result.empty()) return i18n::t(ctx.locale, "wall.result.none");
  if (s.last_result == "ok" || s.last_result == "not_modified")
    return i18n::t(ctx.locale, "wall.result.ok");
  return source_problem(ctx.locale, s.last_result, static_cast<int>(s.last_status.value_or(0)), "");
}

http::Response channels_page(Context& ctx, const store::ManagedOrg& org, const std::string& typed,
                             const std::vector<model::FieldError>& errors, const PostForm& post,
                             int status) {
  Page page(ctx, "wall/sources.html", i18n::t(ctx.locale, "wall.sources.title"));
  auto& d = page.dict();
  const std::string base = channels_url(org.id);
  d.SetValue("NAME", org.name);
  d.SetValue("EDIT_URL", "/meine-organisationen/" + std::to_string(org.id));
  d.SetValue("ACTION", base);
  d.SetValue("POST_ACTION", base + "/beitrag");
  d.SetValue("WALL_URL", "/social-wall?organisation=" + org.slug);
  d.SetValue("V_quelle", typed);
  d.SetValue("V_text", post.text);
  d.SetValue("V_link", post.link);
  d.SetValue("V_alt", post.alt);
  if (org.status != "published") d.ShowSection("HELD_NOTE");
  auto sources = ctx.app.stores().sources.of_organisation(actor(ctx), org.id);
  if (sources.empty()) d.ShowSection("NO_SOURCES");
  int64_t fresh = 0;
  if (auto n = ctx.query_value("neu");
      !n.empty() && n.size() < 19 && std::all_of(n.begin(), n.end(), ::isdigit))
    fresh = std::stoll(n);
  // Only a channel of this organisation shows what it found.
  if (std::none_of(sources.begin(), sources.end(), [&](const auto& s) { return s.id == fresh; }))
    fresh = 0;
  for (const auto& s : sources) {
    auto* row = d.AddSectionDictionary("SOURCE");
    row->SetIntValue("SOURCE_ID", static_cast<long>(s.id));
    row->SetValue("SOURCE_TITLE", s.title.empty() ? s.feed_url : s.title);
    row->SetValue("SOURCE_URL", s.feed_url);
    row->SetValue("SOURCE_KIND", i18n::t(ctx.locale, "wall.kind." + s.kind));
    row->SetValue("RESULT", result_text(ctx, s));
    if (s.last_result != "ok" && s.last_result != "not_modified" && !s.last_result.empty())
      row->ShowSection("FAILING");
    if (s.failures > 1)
      row->SetValueAndShowSection(
          "FAILURES",
          i18n::format(ctx.locale, "wall.sources.failures", {{"n", std::to_string(s.failures)}}),
          "HAS_FAILURES");
    if (s.last_fetch_at)
      row->SetValueAndShowSection(
          "LAST_FETCH", timefmt::berlin(*s.last_fetch_at, "%d.%m.%Y, %H:%M"), "HAS_LAST_FETCH");
    row->SetValue("NEXT_FETCH",
                  timefmt::berlin(std::max(s.next_fetch_at, ctx.now), "%d.%m.%Y, %H:%M"));
    row->SetIntValue("POSTS_FOUND", static_cast<long>(s.posts_found));
    if (s.blocked_reason)
      row->SetValueAndShowSection("BLOCKED_REASON", *s.blocked_reason, "BLOCKED");
    row->SetValue("REMOVE_ACTION", base + "/" + std::to_string(s.id) + "/entfernen");
    row->SetValue("MODERATION_ACTION", base + "/" + std::to_string(s.id) + "/pruefung");
    row->ShowSection(s.moderation == "hold" ? "HOLDING" : "PUBLISHING");
    if (s.id == fresh) row->ShowSection("FRESH");
  }
  // The newest posts of a source just added: what the check found.
  if (fresh > 0) {
    auto found = ctx.app.stores().posts.of_source(fresh, 3);
    if (!found.empty()) {
      auto* list = d.AddIncludeDictionary("FOUND_POSTS");
      list->SetFilename(ctx.locale + "/wall/posts.html");
      fill_posts(ctx, *list, found);
      d.ShowSection("HAS_FOUND");
    }
  }
  // The organisation's own posts: its admins hide or show each one.
  auto own = ctx.app.stores().wall_moderation.organisation_posts(actor(ctx), org.id, 20);
  if (own.empty()) d.ShowSection("NO_POSTS");
  for (const auto& m : own) {
    auto* row = d.AddSectionDictionary("OWN_POST");
    row->SetValue("OWN_TEXT",
                  feeds::excerpt(m.post.title.empty() ? m.post.body : m.post.title, 140));
    row->SetValue("OWN_WHEN", relative_time(ctx.locale, m.post.sort_at, ctx.now));
    row->SetValue("OWN_STATUS", i18n::t(ctx.locale, "wall.status." + m.post.status));
    row->SetValue("OWN_ACTION", base + "/beitraege/" + std::to_string(m.post.id) + "/sichtbarkeit");
    if (m.post.status == "visible")
      row->ShowSection("CAN_HIDE");
    else if (m.post.status == "hidden" && m.status_reason.empty())
      row->ShowSection("CAN_SHOW");
    else if (m.post.status == "hidden")
      row->SetValueAndShowSection("OWN_REASON", m.status_reason, "BY_MODERATION");
  }
  add_field_errors(d, ctx.locale, errors);
  return page.render(status);
}

}  // namespace

std::string source_problem(const std::string& locale, const std::string& error, int status,
                           const std::string& closed_network) {
  if (error == "closed_network") {
    return i18n::format(locale, "wall.source_error.closed_network",
                        {{"network", i18n::t(locale, "wall.network." + closed_network)}});
  }
  if (error == "http_status") {
    return i18n::format(locale, "wall.source_error.http_status",
                        {{"status", std::to_string(status)}});
  }
  if (error == "rate_limited" || error == "gone") return i18n::t(locale, "wall.result." + error);
  static const char* known[] = {"invalid",   "forbidden_scheme",
                                "no_feed",   "timeout",
                                "dns",       "connect",
                                "tls",       "forbidden_address",
                                "too_big",   "too_many_redirects",
                                "network",   "not_feed",
                                "malformed", "entities",
                                "json",      "empty",
                                "duplicate", "limit"};
  bool is_known = std::find_if(std::begin(known), std::end(known),
                               [&](const char* k) { return error == k; }) != std::end(known);
  return i18n::t(locale, "wall.source_error." + (is_known ? error : std::string("network")));
}

store::SourceComposer source_failure_mail(const core::Config& config) {
  return [config](const store::Addressee& to, const store::Source& s,
                  const store::FetchOutcome& o) {
    std::string locale = to.locale == "en" ? "en" : "de";
    return render_mail(config, to.email, locale, "source_failing",
                       {{"NAME", to.name},
                        {"SOURCE", s.title.empty() ? s.feed_url : s.title},
                        {"URL", s.feed_url},
                        {"ORG", s.organisation_name},
                        {"FAILURES", std::to_string(s.failures)},
                        {"REASON", source_problem(locale, o.result,
                                                  static_cast<int>(o.http_status.value_or(0)), "")},
                        {"LINK", config.public_url() + "/meine-organisationen/" +
                                     std::to_string(s.organisation_id) + "/kanaele#kanal-" +
                                     std::to_string(s.id)}});
  };
}

http::Response sources_show(Context& ctx) {
  auto org = managed(ctx);
  if (!org) return ctx.app.error_page(ctx, 404);
  return channels_page(ctx, *org, "", {}, {}, 200);
}

http::Response sources_add(Context& ctx) {
  auto org = managed(ctx);
  if (!org) return ctx.app.error_page(ctx, 404);
  std::string typed = ctx.field("quelle");
  while (!typed.empty() && std::isspace(static_cast<unsigned char>(typed.back()))) typed.pop_back();
  while (!typed.empty() && std::isspace(static_cast<unsigned char>(typed.front())))
    typed.erase(0, 1);
  if (typed.empty())
    return channels_page(ctx, *org, typed, {{"quelle", "wall.source_error.missing"}}, {}, 422);
  if (typed.size() > 2000 || !model::valid_utf8(typed))
    return channels_page(ctx, *org, typed.substr(0, 2000),
                         {{"quelle", "wall.source_error.invalid"}}, {}, 422);
  auto added = feeds::add_source(ctx.app.stores().sources, actor(ctx), org->id, typed,
                                 feeds::fetch_options(ctx.app.config()), ctx.now);
  if (added.error == "not_found") return ctx.app.error_page(ctx, 404);
  if (!added.error.empty()) {
    log::info(
        "source_refused",
        {{"org", std::to_string(org->id)}, {"why", added.error}, {"detail", added.check.detail}});
    // The message at the field names the reason; the summary links to it.
    std::string message = check_message(ctx, added.check, added.error);
    return channels_page(ctx, *org, typed, {{"quelle", "", message}}, {}, 422);
  }
  log::info("source_added",
            {{"org", std::to_string(org->id)}, {"source", std::to_string(added.source->id)}});
  return http::Response::redirect(
      channels_url(org->id) + "?neu=" + std::to_string(added.source->id) +
      "&hinweis=kanal_hinzugefuegt#kanal-" + std::to_string(added.source->id));
}

http::Response sources_remove(Context& ctx) {
  auto org = managed(ctx);
  if (!org) return ctx.app.error_page(ctx, 404);
  auto st = ctx.app.stores().sources.remove(actor(ctx), org->id, std::stoll(ctx.param(1)));
  if (!st) return ctx.app.error_page(ctx, 404);
  return http::Response::redirect(channels_url(org->id) + "?hinweis=kanal_entfernt");
}

http::Response sources_moderation(Context& ctx) {
  auto org = managed(ctx);
  if (!org) return ctx.app.error_page(ctx, 404);
  std::string choice = ctx.field("pruefung") == "vorher" ? "hold" : "publish";
  auto st = ctx.app.stores().sources.set_moderation(actor(ctx), org->id, std::stoll(ctx.param(1)),
                                                    choice);
  if (!st) return ctx.app.error_page(ctx, 404);
  return http::Response::redirect(channels_url(org->id) + "?hinweis=kanal_geaendert#kanal-" +
                                  ctx.param(1));
}

http::Response direct_post(Context& ctx) {
  auto org = managed(ctx);
  if (!org) return ctx.app.error_page(ctx, 404);
  PostForm form{ctx.field("text"), ctx.field("link"), ctx.field("alt")};
  for (auto* s : {&form.text, &form.link, &form.alt}) {
    while (!s->empty() && std::isspace(static_cast<unsigned char>(s->back()))) s->pop_back();
  }
  std::vector<model::FieldError> errors;
  if (form.text.empty())
    errors.push_back({"text", "wall.post_error.text_missing"});
  else if (!model::valid_utf8(form.text) || model::utf8_length(form.text) > 2000)
    errors.push_back({"text", "wall.post_error.text_too_long"});
  std::string link;
  if (!form.link.empty()) {
    std::string candidate =
        form.link.find("://") == std::string::npos ? "https://" + form.link : form.link;
    link = feeds::http_url(candidate);
    if (link.empty() || form.link.size() > 2000)
      errors.push_back({"link", "wall.post_error.link_invalid"});
  }
  const http::FormPart* file = nullptr;
  for (const auto& f : ctx.files)
    if (f.name == "bild" && !f.data.empty()) file = &f;
  std::optional<media::Processed> image;
  if (file) {
    if (form.alt.empty())
      errors.push_back({"alt", "images.error.alt_missing"});
    else if (!model::valid_utf8(form.alt) || model::utf8_length(form.alt) > 200)
      errors.push_back({"alt", "images.error.alt_too_long"});
    auto processed = media::process_image(file->data, media::Purpose::gallery);
    if (!processed)
      errors.push_back({"bild", "images.error." + processed.error().code});
    else
      image = std::move(*processed);
  }
  if (!errors.empty()) return channels_page(ctx, *org, "", errors, form, 422);
  store::NewDirectPost p;
  p.text = feeds::excerpt(feeds::tidy_text(form.text), 2000);
  p.link = link;
  p.tags = feeds::hashtags(p.text);
  if (image) {
    auto key = ctx.app.media().save(*image);
    if (!key) throw std::runtime_error("storing an image failed: " + key.error().message);
    p.image_key = *key;
    p.image_alt = feeds::tidy_text(form.alt);
  }
  auto id = ctx.app.stores().posts.submit(actor(ctx), org->id, p, ctx.now);
  if (!id) {
    if (!p.image_key.empty()) ctx.app.media().remove(p.image_key, media::Purpose::gallery);
    return ctx.app.error_page(ctx, 404);
  }
  return http::Response::redirect(
      channels_url(org->id) +
      "?hinweis=" + (org->status == "published" ? "beitrag_veroeffentlicht" : "beitrag_wartet"));
}

}  // namespace verbund::web::wall
