// The home page, the placeholder pages of areas still being built, the legal pages
// (Impressum, Datenschutz: texts from the admin settings or the config) and the
// organisation listing.
#include "core/i18n.hpp"
#include "web/app.hpp"
#include "web/view.hpp"

namespace verbund::web::pages {

namespace {

http::Response home(Context& ctx) {
  auto count = ctx.app.stores().organisations.count_published();
  Page page(ctx, "pages/home.html", i18n::t(ctx.locale, "home.title"));
  page.dict().SetValue("ORG_COUNT", std::to_string(count));
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
    return page.render();
  };
}

// A fixed page whose text is all in the template (statement, easy language).
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
  for (auto [path, area] : {std::pair{"/social-wall", "wall"},
                            {"/webzeugkoffer", "toolkit"},
                            {"/veranstaltungen", "events"},
                            {"/austausch", "exchange"},
                            {"/kampagnen", "campaigns"}})
    app.add(Method::get, path, {placeholder(area)});
  app.add(Method::get, "/impressum", {legal("impressum")});
  app.add(Method::get, "/datenschutz", {legal("datenschutz")});
  app.add(Method::get, "/barrierefreiheit",
          {fixed("pages/accessibility.html", "a11y.title"), Access::anyone, 0, false, 60});
  app.add(Method::get, "/leichte-sprache",
          {fixed("pages/easy_language.html", "easy.title"), Access::anyone, 0, false, 60});
}

}  // namespace verbund::web::pages
