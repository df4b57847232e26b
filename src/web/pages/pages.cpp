// The home page, the placeholder pages of areas still being built, the legal pages
// (Impressum, Datenschutz: texts from the admin settings or the config) and the
// organisation listing.
#include "core/i18n.hpp"
#include "web/app.hpp"
#include "web/events/handlers.hpp"
#include "web/view.hpp"
#include "web/wall/handlers.hpp"

namespace verbund::web::pages {

http::Response barrier_show(Context& ctx);  // pages/barrier.cpp
http::Response barrier_submit(Context& ctx);
http::Response theme_css(Context& ctx);  // pages/branding.cpp
http::Response logo(Context& ctx);

namespace {

// A statement shortened for the home page at a word, marked with "…" (the profile has
// it whole).
std::string excerpt(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  auto cut = text.rfind(' ', max_bytes);
  if (cut == std::string::npos || cut < max_bytes / 2) cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

// Life on the home page: a search box, how many take part, a few of their own words
// (changing every hour) and the newest organisations. Areas still being built are
// listed as coming, not linked as if they were there.
http::Response home(Context& ctx) {
  auto facts = ctx.app.stores().organisations.home_facts(5, 3, ctx.now / 3600);
  Page page(ctx, "pages/home.html", i18n::t(ctx.locale, "home.title"));
  auto& d = page.dict();
  d.SetValue("COUNT_TEXT",
             i18n::format(ctx.locale, facts.organisations == 1 ? "home.count_one" : "home.count",
                          {{"n", std::to_string(facts.organisations)},
                           {"r", std::to_string(facts.regions)}}));
  if (facts.organisations == 0) d.ShowSection("NO_ORGS");
  if (!facts.statements.empty()) d.ShowSection("HAS_STATEMENTS");
  for (const auto& o : facts.statements) {
    auto* row = d.AddSectionDictionary("STATEMENT");
    row->SetValue("WHY", excerpt(o.why, 240));
    row->SetValue("NAME", o.name);
    row->SetValue("SLUG", o.slug);
    row->SetValue("CITY", o.city);
  }
  if (!facts.newest.empty()) d.ShowSection("HAS_NEWEST");
  for (const auto& o : facts.newest) {
    auto* row = d.AddSectionDictionary("NEW");
    row->SetValue("NAME", o.name);
    row->SetValue("SLUG", o.slug);
    row->SetValue("CITY", o.city);
  }
  store::EventFilter upcoming;
  upcoming.from = ctx.now;
  auto next = ctx.app.stores().events.list(upcoming, events::viewer_of(ctx), 3, 0).events;
  if (!next.empty()) events::fill_cards(ctx, *d.AddSectionDictionary("HAS_EVENTS"), next);
  auto posts = ctx.app.stores().posts.wall({}, std::nullopt, 3).posts;
  if (!posts.empty()) {
    auto* wall = d.AddSectionDictionary("HAS_WALL");
    auto* list = wall->AddIncludeDictionary("WALL_POSTS");
    list->SetFilename(ctx.locale + "/wall/posts.html");
    wall::fill_posts(ctx, *list, posts);
  }
  return page.render();
}

// Each area announces what will be there until its feature lands.
Handler placeholder(std::string area) {
  return [area](Context& ctx) {
    Page page(ctx, "pages/placeholder.html", i18n::t(ctx.locale, "area." + area + ".title"));
    page.dict().SetValue("HEADING", i18n::t(ctx.locale, "area." + area + ".title"));
    page.dict().SetValue("TEXT", i18n::t(ctx.locale, "area." + area + ".text"));
    return page.render();
  };
}

// Paragraphs separated by blank lines; escaping stays with the template.
void add_paragraphs(ctemplate::TemplateDictionary& d, const std::string& text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find("\n\n", pos);
    std::string para = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    while (!para.empty() && (para.back() == '\n' || para.back() == '\r')) para.pop_back();
    if (!para.empty()) d.AddSectionDictionary("PARA")->SetValue("TEXT", para);
    if (end == std::string::npos) break;
    pos = end + 2;
  }
}

Handler legal(std::string key) {
  return [key](Context& ctx) {
    auto text = ctx.app.stores().settings.get(key);
    const auto& cfg = ctx.app.config();
    std::string body = text ? *text : (key == "impressum" ? cfg.impressum : cfg.datenschutz);
    Page page(ctx, "pages/legal.html", i18n::t(ctx.locale, "legal." + key));
    page.dict().SetValue("HEADING", i18n::t(ctx.locale, "legal." + key));
    if (body.empty())
      page.dict().ShowSection("EMPTY");
    else
      add_paragraphs(page.dict(), body);
    // What the platform itself keeps and for how long, from its configuration, so the
    // page cannot say something else than the jobs do.
    if (key == "datenschutz")
      page.dict().SetValueAndShowSection(
          "RETENTION",
          i18n::format(ctx.locale, "legal.events_retention",
                       {{"days", std::to_string(cfg.events_retention_days)}}),
          "HAS_RETENTION");
    return page.render();
  };
}

// A fixed page whose text is all in the template (statement, easy language).
// Leichte Sprache: one sentence per line (the catalog separates them with "|"), short
// sections with plain headings and a picture each.
http::Response easy_language(Context& ctx) {
  Page page(ctx, "pages/easy_language.html", i18n::t(ctx.locale, "easy.title"));
  auto& d = page.dict();
  for (int n = 1; n <= 6; ++n) {
    const std::string key = "easy.s" + std::to_string(n);
    auto* section = d.AddSectionDictionary("SECTION");
    section->SetIntValue("N", n);
    section->SetValue("HEADING", i18n::t(ctx.locale, key + "_h"));
    // A picture beside each section helps readers find and remember it (DIN SPEC
    // 33429); the heading says the same, so screen readers skip it (alt="").
    section->SetValue("PICTURE", static_url("img/easy/s" + std::to_string(n) + ".svg"));
    const std::string& text = i18n::t(ctx.locale, key);
    std::size_t b = 0;
    for (std::size_t e;; b = e + 1) {
      e = text.find('|', b);
      section->AddSectionDictionary("LINE")->SetValue("TEXT", text.substr(b, e - b));
      if (e == std::string::npos) break;
    }
  }
  return page.render();
}

Handler fixed(std::string tmpl, std::string title_key) {
  return [tmpl, title_key](Context& ctx) {
    Page page(ctx, tmpl, i18n::t(ctx.locale, title_key));
    return page.render();
  };
}

}  // namespace

void register_routes(App& app) {
  using http::Method;
  // The home page changes rarely: visitors get a copy at most 10 seconds old.
  app.add(Method::get, "/", {home, Access::anyone, 0, false, 10});
  for (auto [path, area] : {std::pair{"/webzeugkoffer", "toolkit"},
                            {"/austausch", "exchange"},
                            {"/kampagnen", "campaigns"}})
    app.add(Method::get, path, {placeholder(area)});
  app.add(Method::get, "/impressum", {legal("impressum")});
  app.add(Method::get, "/datenschutz", {legal("datenschutz")});
  app.add(Method::get, "/barrierefreiheit",
          {fixed("pages/accessibility.html", "a11y.title"), Access::anyone, 0, false, 60});
  app.add(Method::get, "/farben.css", {theme_css});
  app.add(Method::get, "/logo", {logo});
  app.add(Method::get, "/barriere-melden", {barrier_show});
  app.add(Method::post, "/barriere-melden", {barrier_submit});
  app.add(Method::get, "/leichte-sprache", {easy_language, Access::anyone, 0, false, 60});
}

}  // namespace verbund::web::pages
