// Every HTML template must start with the autoescape pragma: without it ctemplate does
// not escape at all (ARCHITECTURE.md).
#include <gtest/gtest.h>

#include "core/i18n.hpp"
#include "core/resources.hpp"
#include "web/static_files.hpp"
#include "web/view.hpp"

using namespace verbund;

TEST(Templates, EveryHtmlTemplateStartsWithTheAutoescapePragma) {
  int n = 0;
  for (const auto& r : resources::under("templates/")) {
    if (!r.path.ends_with(".html")) continue;
    ++n;
    EXPECT_TRUE(r.data.starts_with("{{%AUTOESCAPE context=\"HTML\"}}")) << r.path;
  }
  EXPECT_GT(n, 10);
}

TEST(Templates, AllLoadWithKnownMessageKeys) {
  ASSERT_TRUE(i18n::load().ok());
  web::static_files::load();
  auto st = web::load_templates();
  EXPECT_TRUE(st.ok()) << st.error().message;
}

TEST(Templates, ValuesAreEscapedInHtmlContext) {
  ASSERT_TRUE(i18n::load().ok());
  web::static_files::load();
  ASSERT_TRUE(web::load_templates().ok());
  ctemplate::TemplateDictionary d("t");
  d.SetValue("HEADING", "<script>alert(1)</script>");
  d.SetValue("TEXT", "\"quoted\" & more");
  auto out = web::expand("de", "pages/placeholder.html", d);
  EXPECT_EQ(out.find("<script>"), std::string::npos);
  EXPECT_NE(out.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(out.find("&quot;quoted&quot; &amp; more"), std::string::npos);
}

TEST(StaticFiles, UrlsCarryAContentHash) {
  web::static_files::load();
  auto url = web::static_files::url_for("css/site.css");
  EXPECT_TRUE(url.starts_with("/static/css/site."));
  EXPECT_TRUE(url.ends_with(".css"));
  EXPECT_GT(url.size(), std::string("/static/css/site..css").size() + 8);
}

// ctemplate's HTML escaping turns line breaks into spaces; multi-line text (textareas,
// opening hours) uses :pre_escape, which escapes the same characters but keeps them.
TEST(Templates, MultiLineTextKeepsLineBreaksAndStaysEscaped) {
  ASSERT_TRUE(i18n::load().ok());
  web::static_files::load();
  ASSERT_TRUE(web::load_templates().ok());
  ctemplate::TemplateDictionary d("t");
  d.SetValue("V_opening_hours", "Mo 9–12 Uhr\n<b>Di</b> \"zu\"");
  auto out = web::expand("de", "orgs/details.html", d);
  EXPECT_NE(out.find(">Mo 9–12 Uhr\n&lt;b&gt;Di&lt;/b&gt; &quot;zu&quot;</textarea>"),
            std::string::npos);
  EXPECT_EQ(out.find("<b>Di"), std::string::npos);
}
