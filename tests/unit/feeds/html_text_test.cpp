#include "feeds/html_text.hpp"

#include <gtest/gtest.h>

namespace verbund::feeds {
namespace {

TEST(HtmlText, KeepsParagraphsAndDropsMarkup) {
  auto r = reduce_html("<p>Wir <b>feiern</b>&nbsp;am Samstag.</p><p>Alle  sind\n willkommen!</p>",
                       "https://fz.example.org/");
  EXPECT_EQ(r.text, "Wir feiern am Samstag.\n\nAlle sind willkommen!");
}

TEST(HtmlText, LineBreaksAndListItems) {
  auto r = reduce_html("Zeile eins<br>Zeile zwei<ul><li>A</li><li>B</li></ul>Ende", "");
  EXPECT_EQ(r.text, "Zeile eins\nZeile zwei\n\nA\nB\n\nEnde");
}

TEST(HtmlText, ScriptsStylesAndFramesContributeNothing) {
  auto r = reduce_html(
      "<style>p{color:red}</style><p onclick=\"evil()\">Hallo<script>alert('x')</script>"
      "<iframe src=\"https://evil.example/\">Rahmen</iframe><noscript>nojs</noscript></p>",
      "");
  EXPECT_EQ(r.text, "Hallo");
}

TEST(HtmlText, LinksAreAbsoluteHttpOnly) {
  auto r = reduce_html(
      "<a href=\"/termine\">Termine</a> <a href=\"javascript:alert(1)\">x</a> "
      "<a href=\"mailto:info@example.org\">Mail</a> <a href=\"https://example.net/a b\">b</a> "
      "<a href=\"/termine\">wieder</a>",
      "https://fz.example.org/blog/eintrag");
  ASSERT_EQ(r.links.size(), 2u);
  EXPECT_EQ(r.links[0], "https://fz.example.org/termine");
  EXPECT_EQ(r.links[1], "https://example.net/a%20b");
}

TEST(HtmlText, FirstRealImageWithItsDescription) {
  auto r = reduce_html(
      "<img src=\"https://t.example/pixel.gif\" width=\"1\" height=\"1\">"
      "<img src=\"data:image/png;base64,AAAA\" data-src=\"/lazy.jpg\" alt=\"Kinder beim Malen\">"
      "<img src=\"/second.jpg\">",
      "https://fz.example.org/");
  EXPECT_EQ(r.image, "https://fz.example.org/lazy.jpg");
  EXPECT_EQ(r.image_alt, "Kinder beim Malen");
}

TEST(HtmlText, TextThatLooksLikeMarkupIsDefanged) {
  auto r = reduce_html("&lt;script&gt;alert(1)&lt;/script&gt; und JavaScript:void(0)", "");
  EXPECT_EQ(r.text.find("<script"), std::string::npos);
  EXPECT_EQ(r.text.find("JavaScript:"), std::string::npos);
  EXPECT_NE(r.text.find("alert(1)"), std::string::npos);    // the words stay readable
  EXPECT_EQ(tidy_text("a < b und 3<4").find("a < b"), 0u);  // comparisons stay as they are
}

TEST(HtmlText, DeepNestingCostsNoStack) {
  std::string html;
  for (int i = 0; i < 200; ++i) html += "<div>";
  EXPECT_EQ(reduce_html(html + "tief", "").text, "tief");
  // Past libxml2's depth limit (256) the parser stops; the walk is iterative either way.
  for (int i = 0; i < 100000; ++i) html += "<div>";
  EXPECT_NO_THROW(reduce_html(html + "tief", ""));
}

TEST(HtmlText, ExcerptCutsAfterAWord) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "Wort\xc3\xa4 ";
  std::string e = excerpt(text, 500);
  EXPECT_LE(e.size(), 500u * 2 + 3);
  EXPECT_TRUE(e.ends_with("Wort\xc3\xa4\xe2\x80\xa6")) << e;
  EXPECT_EQ(excerpt("kurz", 500), "kurz");
}

TEST(HtmlText, HashtagsWithUmlautsNotInUrlsOrEntities) {
  auto tags = hashtags(
      "#Ehrenamt und #Übergänge, #ehrenamt nochmal; https://x.example/#anker &#123; #2026 "
      "(#Inklusion) Preis#5 #Kinder_Jugend.");
  std::vector<std::string> want = {"ehrenamt", "übergänge", "inklusion", "kinder_jugend"};
  EXPECT_EQ(tags, want);
}

TEST(HtmlText, TagsAreLowerCase) {
  EXPECT_EQ(normalise_tag("  #Kinder und   Jugend "), "kinder und jugend");
  EXPECT_EQ(normalise_tag("ÄÖÜ"), "äöü");
  EXPECT_EQ(normalise_tag("Łódź"), "łódź");
  EXPECT_EQ(normalise_tag("ČEŠTINA İstanbul Ÿ"), "čeština istanbul ÿ");
  EXPECT_EQ(normalise_tag("ΑΘΗΝΑ"), "αθηνα");
  EXPECT_EQ(normalise_tag("КИЇВ Ёлка"), "київ ёлка");
  EXPECT_EQ(normalise_tag("×÷"), "×÷");
}

TEST(HtmlText, InvalidUtf8IsReplaced) {
  EXPECT_EQ(valid_utf8("a\xff"
                       "b\x01"
                       "c"),
            "a\xEF\xBF\xBD"
            "bc");
}

}  // namespace
}  // namespace verbund::feeds
