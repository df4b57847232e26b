#include "core/markdown.hpp"

#include <gtest/gtest.h>

using verbund::markdown::to_safe_html;

TEST(Markdown, RendersParagraphsEmphasisAndLists) {
  auto html = to_safe_html("Wir helfen **Familien**.\n\n- Beratung\n- Café\n");
  EXPECT_NE(html.find("<strong>Familien</strong>"), std::string::npos);
  EXPECT_NE(html.find("<li>Beratung</li>"), std::string::npos);
}

TEST(Markdown, RawHtmlAndScriptsComeOutInert) {
  auto html = to_safe_html(
      "Hallo <script>alert(1)</script> <b onclick=x>fett</b>\n\n<iframe src=x></iframe>");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<iframe"), std::string::npos);
  EXPECT_EQ(html.find("onclick"), std::string::npos);
}

TEST(Markdown, OnlyWebAndMailLinksSurviveAndAreMarkedUgc) {
  auto html = to_safe_html(
      "[gut](https://beispiel.de) [post](mailto:a@b.de) [böse](javascript:alert(1)) "
      "[daten](data:text/html,x) [relativ](/admin)");
  EXPECT_NE(html.find("<a rel=\"nofollow ugc\" href=\"https://beispiel.de\">"), std::string::npos);
  EXPECT_NE(html.find("href=\"mailto:a@b.de\""), std::string::npos);
  EXPECT_EQ(html.find("javascript:"), std::string::npos);
  EXPECT_EQ(html.find("data:text"), std::string::npos);
  EXPECT_EQ(html.find("href=\"/admin\""), std::string::npos);
}

TEST(Markdown, ImagesBecomeLinksSoNoThirdPartyIsCalled) {
  auto html = to_safe_html("![Logo](https://tracker.example/pixel.gif)");
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("href=\"https://tracker.example/pixel.gif\""), std::string::npos);
}
