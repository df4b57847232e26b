// The public page of an organisation: what it does, for whom, where and how to reach it;
// with schema.org JSON-LD and Open Graph tags for search engines and link previews, a
// vCard for address books and a QR code for posters.
#include "core/i18n.hpp"
#include "core/json.hpp"
#include "core/markdown.hpp"
#include "media/qr.hpp"
#include "model/vcard.hpp"
#include "search/analyzer.hpp"
#include "web/events/handlers.hpp"
#include "web/orgs/handlers.hpp"
#include "web/view.hpp"
#include "web/wall/handlers.hpp"

namespace verbund::web::orgs {

namespace {

std::string profile_path(const model::Organisation& o) { return "/organisationen/" + o.slug; }

bool web_link(const std::string& url) {
  return url.starts_with("https://") || url.starts_with("http://");
}

// The organisation's accounts elsewhere, in the order the page lists them. Mastodon
// links carry rel="me" so that Mastodon verifies the profile link on the account.
struct SocialLink {
  const char* label_key;
  std::string model::Organisation::*url;
  bool same_as;  // names the organisation itself (schema.org sameAs)
  bool rel_me;
};
constexpr SocialLink kSocialLinks[] = {
    {"details.mastodon", &model::Organisation::social_mastodon, true, true},
    {"details.instagram", &model::Organisation::social_instagram, true, false},
    {"details.facebook", &model::Organisation::social_facebook, true, false},
    {"details.linkedin", &model::Organisation::social_linkedin, true, false},
    {"details.youtube", &model::Organisation::social_youtube, true, false},
    {"orgs.profile.feed", &model::Organisation::feed_url, false, false},
};

// schema.org Organization (https://schema.org/Organization).
std::string json_ld(Context& ctx, const model::Organisation& o, const std::string& image_url) {
  json::Writer w;
  w.begin_object();
  w.field("@context", "https://schema.org");
  w.field("@type", "Organization");
  w.field("name", o.name);
  w.field("alternateName", o.short_name);
  w.field("description", o.short_description);
  w.field("url", ctx.app.absolute_url(profile_path(o)));
  w.field("logo",
          o.logo_key.empty() ? "" : ctx.app.absolute_url("/media/" + o.logo_key + "-320.jpg"));
  w.field("image", image_url);
  w.field("email", o.email);
  w.field("telephone", o.phone);
  if (o.founded) w.field("foundingDate", std::to_string(*o.founded));
  w.key("address").begin_object();
  w.field("@type", "PostalAddress");
  w.field("streetAddress", o.street);
  w.field("postalCode", o.postcode);
  w.field("addressLocality", o.city);
  w.field("addressRegion", o.state);
  w.field("addressCountry", "DE");
  w.end_object();
  if (o.latitude && o.longitude) {
    w.key("geo").begin_object();
    w.field("@type", "GeoCoordinates");
    w.key("latitude").value_number(*o.latitude);
    w.key("longitude").value_number(*o.longitude);
    w.end_object();
  }
  w.key("memberOf").begin_object();
  w.field("@type", "Organization");
  w.field("name", o.region_name);
  w.end_object();
  std::vector<std::string> same_as;
  if (web_link(o.website)) same_as.push_back(o.website);
  for (const auto& l : kSocialLinks)
    if (l.same_as && web_link(o.*l.url)) same_as.push_back(o.*l.url);
  if (!same_as.empty()) {
    w.begin_array("sameAs");
    for (const auto& url : same_as) w.value(url);
    w.end_array();
  }
  w.end_object();
  return w.str();
}

void fill_head(Context& ctx, Page& page, const model::Organisation& o) {
  auto& h = page.head("orgs/profile_head.html");
  h.SetValue("NAME", o.name);
  h.SetValue("SUMMARY", o.short_description);
  h.SetValue("URL", ctx.app.absolute_url(profile_path(o)));
  h.SetValue("SITE_NAME", ctx.app.config().site_name);
  h.SetValue("OG_LOCALE", ctx.locale == "de" ? "de_DE" : "en_GB");
  std::string image;
  if (!o.cover_key.empty())
    image = ctx.app.absolute_url("/media/" + o.cover_key + "-1600.jpg");
  else if (!o.logo_key.empty())
    image = ctx.app.absolute_url("/media/" + o.logo_key + "-320.jpg");
  if (!image.empty()) h.SetValueAndShowSection("IMAGE_URL", image, "HAS_IMAGE");
  h.SetValue("JSON_LD", json_ld(ctx, o, image));
}

void fill_online(Context& ctx, ctemplate::TemplateDictionary& d, const model::Organisation& o) {
  if (web_link(o.donation_url))
    d.SetValueAndShowSection("DONATION_URL", o.donation_url, "HAS_DONATION");
  ctemplate::TemplateDictionary* online = nullptr;
  for (const auto& l : kSocialLinks) {
    if (!web_link(o.*l.url)) continue;
    if (!online) online = d.AddSectionDictionary("HAS_ONLINE");
    auto* item = online->AddSectionDictionary("ONLINE_LINK");
    item->SetValue("ONLINE_URL", o.*l.url);
    item->SetValue("ONLINE_LABEL", i18n::t(ctx.locale, l.label_key));
    item->SetValue("ONLINE_REL", l.rel_me ? "me nofollow ugc" : "nofollow ugc");
  }
}

// The Impressum (§ 5 DDG) appears once a representative is named; name, legal form,
// address and contact come from the basics.
void fill_impressum(ctemplate::TemplateDictionary& d, const model::Organisation& o) {
  if (o.legal_representative.empty()) return;
  auto* imp = d.AddSectionDictionary("HAS_IMPRESSUM");
  imp->SetValue("IMP_NAME", o.name);
  imp->SetValue("IMP_LEGAL_FORM", o.legal_form);
  if (!o.street.empty()) imp->SetValueAndShowSection("IMP_STREET", o.street, "HAS_IMP_STREET");
  imp->SetValue("IMP_POSTCODE", o.postcode);
  imp->SetValue("IMP_CITY", o.city);
  imp->SetValue("IMP_REPRESENTATIVE", o.legal_representative);
  if (!o.register_entry.empty())
    imp->SetValueAndShowSection("IMP_REGISTER", o.register_entry, "HAS_IMP_REGISTER");
  if (!o.content_responsible.empty())
    imp->SetValueAndShowSection("IMP_RESPONSIBLE", o.content_responsible, "HAS_IMP_RESPONSIBLE");
  if (!o.email.empty()) imp->SetValueAndShowSection("IMP_EMAIL", o.email, "HAS_IMP_EMAIL");
  if (!o.phone.empty()) imp->SetValueAndShowSection("IMP_PHONE", o.phone, "HAS_IMP_PHONE");
}

std::optional<model::Organisation> published(Context& ctx) {
  return ctx.app.stores().organisations.published(ctx.param(0));
}

}  // namespace

void fill_profile(Context& ctx, ctemplate::TemplateDictionary& d, const model::Organisation& o,
                  bool share) {
  d.SetValue("NAME", o.name);
  if (share) d.ShowSection("SHARE");
  d.SetValue("VCARD_URL", profile_path(o) + "/visitenkarte.vcf");
  d.SetValue("QR_URL", profile_path(o) + "/qr.svg");
  if (!o.logo_key.empty()) {
    d.SetValueAndShowSection("LOGO_KEY", o.logo_key, "HAS_LOGO");
    d.SetValue("LOGO_ALT", i18n::format(ctx.locale, "orgs.profile.logo_of", {{"name", o.name}}));
  }
  if (!o.cover_key.empty()) d.SetValueAndShowSection("COVER_KEY", o.cover_key, "HAS_COVER");
  d.SetValue("LEGAL_FORM", o.legal_form);
  d.SetValue("REGION", o.region_name);
  d.SetValue("SUMMARY", o.short_description);
  d.SetValue("ABOUT_HTML", markdown::to_safe_html(o.about));
  if (!o.why.empty()) d.SetValueAndShowSection("WHY", o.why, "HAS_WHY");
  for (const auto& f : o.fields) {
    auto* item = d.AddSectionDictionary("FIELD");
    item->SetValue("LABEL", i18n::t(ctx.locale, "field." + f));
    item->SetValue("URL", "/organisationen?feld=" + f);
  }
  for (const auto& g : o.target_groups)
    d.AddSectionDictionary("TARGET")->SetValue("LABEL", i18n::t(ctx.locale, "target." + g));
  d.SetValue("STREET", o.street);
  d.SetValue("POSTCODE", o.postcode);
  d.SetValue("CITY", o.city);
  d.SetValue("STATE", o.state);
  if (!o.email.empty()) d.SetValueAndShowSection("EMAIL", o.email, "HAS_EMAIL");
  if (!o.phone.empty()) {
    d.SetValueAndShowSection("PHONE", o.phone, "HAS_PHONE");
    // tel: takes digits and a leading "+" only ("0561 / 123-45" → "056112345").
    std::string tel;
    for (char c : o.phone)
      if ((c >= '0' && c <= '9') || (c == '+' && tel.empty())) tel += c;
    d.SetValue("PHONE_TEL", tel);
  }
  if (o.website.starts_with("https://") || o.website.starts_with("http://"))
    d.SetValueAndShowSection("WEBSITE", o.website, "HAS_WEBSITE");
  if (!o.opening_hours.empty()) d.SetValueAndShowSection("HOURS", o.opening_hours, "HAS_HOURS");
  if (!o.accessibility.empty())
    d.SetValueAndShowSection("ACCESSIBILITY", o.accessibility, "HAS_ACCESSIBILITY");
  if (o.founded) d.SetValueAndShowSection("FOUNDED", std::to_string(*o.founded), "HAS_FOUNDED");
  std::string languages;
  for (const auto& code : search::words(o.languages)) {
    if (!languages.empty()) languages += ", ";
    languages +=
        i18n::has(ctx.locale, "language." + code) ? i18n::t(ctx.locale, "language." + code) : code;
  }
  if (!languages.empty()) d.SetValueAndShowSection("LANGUAGES", languages, "HAS_LANGUAGES");
  fill_online(ctx, d, o);
  fill_impressum(d, o);
}

http::Response profile(Context& ctx) {
  auto org = published(ctx);
  if (!org) {
    auto moved = ctx.app.stores().organisations.renamed(ctx.param(0));
    if (moved) return http::Response::redirect("/organisationen/" + *moved, 301);
    return ctx.app.error_page(ctx, 404, "orgs.not_found");
  }
  auto [open_to_claim, gallery] = ctx.app.stores().organisations.profile_extras(org->id);
  Page page(ctx, "orgs/profile.html", org->name);
  fill_head(ctx, page, *org);
  fill_profile(ctx, page.dict(), *org);
  fill_gallery(page.dict(), gallery);
  // The organisation's latest posts from its channels (the Social Wall's filter).
  store::WallFilter own;
  own.organisation = org->slug;
  auto posts = ctx.app.stores().posts.wall(own, std::nullopt, 3).posts;
  if (!posts.empty()) {
    auto* wall = page.dict().AddSectionDictionary("HAS_WALL");
    wall->SetValue("WALL_URL", "/social-wall?organisation=" + org->slug);
    auto* list = wall->AddIncludeDictionary("WALL_POSTS");
    list->SetFilename(ctx.locale + "/wall/posts.html");
    wall::fill_posts(ctx, *list, posts);
  }
  // Its upcoming events (those the reader may see).
  store::EventFilter upcoming;
  upcoming.from = ctx.now;
  upcoming.organiser = org->slug;
  auto next = ctx.app.stores().events.list(upcoming, events::viewer_of(ctx), 5, 0).events;
  if (!next.empty()) {
    auto* ev = page.dict().AddSectionDictionary("HAS_EVENTS");
    ev->SetValue("EVENTS_URL", "/veranstaltungen?veranstalter=" + org->slug);
    ev->SetValue("EVENTS_FEED_URL", "/veranstaltungen/kalender.ics?veranstalter=" + org->slug);
    events::fill_cards(ctx, *ev, next);
  }
  if (open_to_claim)
    page.dict().SetValueAndShowSection("CLAIM_URL", profile_path(*org) + "/beanspruchen",
                                       "CAN_CLAIM");
  return page.render();
}

void fill_gallery(ctemplate::TemplateDictionary& d,
                  const std::vector<store::GalleryImage>& gallery) {
  if (gallery.empty()) return;
  auto* section = d.AddSectionDictionary("HAS_GALLERY");
  for (const auto& g : gallery) {
    auto* item = section->AddSectionDictionary("PHOTO");
    item->SetValue("PHOTO_KEY", g.key);
    item->SetValue("PHOTO_ALT", g.alt);
  }
}

http::Response profile_vcard(Context& ctx) {
  auto org = published(ctx);
  if (!org) return ctx.app.error_page(ctx, 404, "orgs.not_found");
  http::Response res;
  res.body = model::vcard(*org, ctx.app.absolute_url(profile_path(*org)));
  res.set_header("Content-Type", "text/vcard; charset=utf-8");
  res.set_header("Content-Disposition", "attachment; filename=\"" + org->slug + ".vcf\"");
  return res;
}

http::Response profile_qr(Context& ctx) {
  auto org = published(ctx);
  if (!org) return ctx.app.error_page(ctx, 404, "orgs.not_found");
  return qr_response(ctx, ctx.app.absolute_url(profile_path(*org)), "public, max-age=86400");
}

http::Response qr_response(Context& ctx, const std::string& url, const char* cache_control) {
  auto svg = media::qr_svg(url);
  if (!svg) return ctx.app.error_page(ctx, 404);
  http::Response res;
  res.body = std::move(*svg);
  res.set_header("Content-Type", "image/svg+xml");
  res.set_header("Cache-Control", cache_control);
  return res;
}

}  // namespace verbund::web::orgs
