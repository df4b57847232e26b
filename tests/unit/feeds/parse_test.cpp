#include "feeds/parse.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "feeds/dates.hpp"

namespace verbund::feeds {
namespace {

constexpr const char* kBase = "https://www.example.org/feed/";

std::string rss_with(std::string_view prolog, std::string_view title) {
  return std::string(prolog) + "<rss version=\"2.0\"><channel><title>T</title><item><title>" +
         std::string(title) +
         "</title><link>https://www.example.org/a</link></item></channel></rss>";
}

TEST(FeedParse, RefusesBillionLaughsFast) {
  std::string prolog = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY lol \"lol\">";
  for (int i = 1; i <= 9; ++i) {
    prolog += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k)
      prolog += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    prolog += "\">";
  }
  prolog += "]>";
  auto start = std::chrono::steady_clock::now();
  auto feed = parse(rss_with(prolog, "&lol9;"), kBase);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(feed.ok());
  EXPECT_EQ(feed.error().code, "entities");
  EXPECT_LT(took, std::chrono::milliseconds(100));
}

TEST(FeedParse, RefusesExternalEntities) {
  for (const char* prolog :
       {"<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
        "<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"http://127.0.0.1:9/x\">]>",
        "<!DOCTYPE rss [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/x.dtd\"> %p;]>",
        "<?xml version=\"1.0\"?>\n<!-- c -->\n<!DOCTYPE rss [\n <!ENTITY  xxe SYSTEM "
        "\"file:///etc/hostname\" >\n]>"}) {
    auto feed = parse(rss_with(prolog, "&xxe;"), kBase);
    ASSERT_FALSE(feed.ok()) << prolog;
    EXPECT_EQ(feed.error().code, "entities");
  }
}

TEST(FeedParse, ReadsRss091WithItsDoctypeAndHtmlEntities) {
  auto feed = parse(
      rss_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE rss PUBLIC \"-//Netscape "
               "Communications//DTD RSS 0.91//EN\" "
               "\"http://my.netscape.com/publish/formats/rss-0.91.dtd\">",
               "Caf&eacute; f&uuml;r alle &amp; jeden"),
      kBase);
  ASSERT_TRUE(feed.ok()) << feed.error().message;
  ASSERT_EQ(feed->posts.size(), 1u);
  EXPECT_EQ(feed->posts[0].title, "Caf\xc3\xa9 f\xc3\xbcr alle & jeden");
}

TEST(FeedParse, Utf8DeclaredAsLatin1IsReadAsUtf8) {
  auto feed = parse(rss_with("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
                             "Gr\xc3\xbc\xc3\x9f"
                             "e aus K\xc3\xb6ln"),
                    kBase);
  ASSERT_TRUE(feed.ok());
  EXPECT_EQ(feed->posts[0].title,
            "Gr\xc3\xbc\xc3\x9f"
            "e aus K\xc3\xb6ln");
}

TEST(FeedParse, Windows1252DeclaredAsUtf8IsConverted) {
  auto feed = parse(rss_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                             "\x84Gr\xfc\xdf"
                             "e\x93 f\xfcr 5 \x80"),
                    kBase);
  ASSERT_TRUE(feed.ok());
  EXPECT_EQ(feed->posts[0].title,
            "\xe2\x80\x9eGr\xc3\xbc\xc3\x9f"
            "e\xe2\x80\x9c f\xc3\xbcr 5 \xe2\x82\xac");
}

TEST(FeedParse, RecoversBrokenDocuments) {
  auto feed = parse(
      "<rss version=\"2.0\"><channel><title>Kinder & Jugend</title>"
      "<item><title>Erster & bester</title><link>https://www.example.org/1</link></item>"
      "<item><title>Zweiter</title><link>https://www.example.org/2</link></item>"
      "<item><title>Abgeschnit",
      kBase);
  ASSERT_TRUE(feed.ok()) << feed.error().message;
  ASSERT_GE(feed->posts.size(), 2u);
  EXPECT_EQ(feed->posts[1].url, "https://www.example.org/2");
}

// After the first bare '&' libxml2's recover mode drops later references, so the
// repair before parsing must keep every reference and every CDATA section as it is.
TEST(FeedParse, BareAmpersandsAndUndeclaredEntitiesLoseNoCharacters) {
  auto feed = parse(
      "<rss version=\"2.0\"><channel><title>A & B</title>"
      "<item><title>Hilfe & Rat &amp; mehr &auml;&nbsp;&#228;&#xE4;&#0;&bogus; \x0B!</title>"
      "<description><![CDATA[<p>Tom &amp; Jerry & &nbsp;co</p>]]></description>"
      "<link>https://www.example.org/1?a=1&b=2</link></item></channel></rss>",
      kBase);
  ASSERT_TRUE(feed.ok()) << feed.error().message;
  ASSERT_EQ(feed->posts.size(), 1u);
  EXPECT_EQ(feed->title, "A & B");
  EXPECT_EQ(feed->posts[0].title, "Hilfe & Rat & mehr \u00e4 \u00e4\u00e4\uFFFD&bogus; !");
  EXPECT_EQ(feed->posts[0].text, "Tom & Jerry & co");
  EXPECT_EQ(feed->posts[0].url, "https://www.example.org/1?a=1&b=2");
}

TEST(FeedParse, SaysWhatIsNoFeed) {
  EXPECT_EQ(parse("", kBase).error().code, "empty");
  EXPECT_EQ(parse("  \n ", kBase).error().code, "empty");
  EXPECT_EQ(
      parse("<html><head><title>x</title></head><body>Hallo</body></html>", kBase).error().code,
      "not_feed");
  EXPECT_EQ(parse("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", kBase).error().code, "not_feed");
  EXPECT_EQ(parse("{\"title\": \"kein Feed\"}", kBase).error().code, "not_feed");
  EXPECT_EQ(
      parse("{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [", kBase).error().code,
      "json");
  EXPECT_FALSE(parse("\x89PNG\r\n\x1a\n\0\0\0", kBase).ok());
}

TEST(FeedParse, AtomResolvesAgainstXmlBase) {
  auto feed = parse(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"https://blog.example.org/de/\">"
      "<title>Blog</title><entry xml:base=\"beitraege/\"><id>tag:x,2026:1</id><title>Eins</title>"
      "<link href=\"eins.html\"/><updated>2026-11-30T09:15:00+01:00</updated>"
      "<content type=\"html\">&lt;a href=\"../kontakt\"&gt;Kontakt&lt;/a&gt;</content></entry>"
      "</feed>",
      kBase);
  ASSERT_TRUE(feed.ok());
  ASSERT_EQ(feed->posts.size(), 1u);
  const auto& p = feed->posts[0];
  EXPECT_EQ(p.url, "https://blog.example.org/de/beitraege/eins.html");
  ASSERT_EQ(p.links.size(), 1u);
  EXPECT_EQ(p.links[0], "https://blog.example.org/de/kontakt");
  EXPECT_EQ(iso8601(*p.published), "2026-11-30T08:15:00Z");  // updated stands in
}

TEST(FeedParse, AtomTombstonesAreDeletions) {
  auto feed = parse(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
      "xmlns:at=\"http://purl.org/atompub/tombstones/1.0\">"
      "<title>B</title><at:deleted-entry ref=\"tag:x,2026:7\" when=\"2026-11-30T10:00:00Z\"/>"
      "<entry><id>tag:x,2026:8</id><title>Bleibt</title><link "
      "href=\"https://x.example/8\"/></entry></feed>",
      kBase);
  ASSERT_TRUE(feed.ok());
  ASSERT_EQ(feed->deleted.size(), 1u);
  EXPECT_EQ(feed->deleted[0], "tag:x,2026:7");
}

TEST(FeedParse, JsonFeedItems) {
  auto feed = parse(R"({"version": "https://jsonfeed.org/version/1.1", "title": "Tafel",
    "home_page_url": "https://tafel.example.org/",
    "items": [{"id": "1", "url": "/2026/ausgabe", "title": "Neue Ausgabezeiten",
      "content_html": "<p>Ab Montag <b>neu</b>! #Tafel</p><img src=\"/bild.jpg\" alt=\"Regal\">",
      "date_published": "2026-11-30T09:15:00+01:00", "tags": ["Ernährung"]},
      {"id": 2, "content_text": "Nur Text", "external_url": "https://ext.example/x"},
      "kein Objekt"]})",
                    "https://tafel.example.org/feed.json");
  ASSERT_TRUE(feed.ok()) << feed.error().message;
  EXPECT_EQ(feed->title, "Tafel");
  ASSERT_EQ(feed->posts.size(), 2u);
  const auto& p = feed->posts[0];
  EXPECT_EQ(p.url, "https://tafel.example.org/2026/ausgabe");
  EXPECT_EQ(p.text, "Ab Montag neu! #Tafel");
  EXPECT_EQ(p.image, "https://tafel.example.org/bild.jpg");
  EXPECT_EQ(p.tags, (std::vector<std::string>{"ernährung", "tafel"}));
  EXPECT_EQ(feed->posts[1].guid, "2");
  EXPECT_EQ(feed->posts[1].url, "https://ext.example/x");
}

TEST(FeedParse, DeepJsonIsRefused) {
  std::string deep(10000, '[');
  EXPECT_FALSE(parse(deep, kBase).ok());
}

TEST(FeedParse, ManyItemsAreCapped) {
  std::string body = "<rss version=\"2.0\"><channel><title>T</title>";
  for (int i = 0; i < 1000; ++i) body += "<item><guid>g" + std::to_string(i) + "</guid></item>";
  body += "</channel></rss>";
  auto feed = parse(body, kBase);
  ASSERT_TRUE(feed.ok());
  EXPECT_EQ(feed->posts.size(), kMaxPosts);
}

}  // namespace
}  // namespace verbund::feeds
