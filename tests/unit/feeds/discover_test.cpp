#include "feeds/discover.hpp"

#include <gtest/gtest.h>

namespace verbund::feeds {
namespace {

TEST(FeedTargets, FediverseHandlesAndProfiles) {
  EXPECT_EQ(target_for("@anna@Social.Example.org").url, "https://social.example.org/@anna.rss");
  EXPECT_EQ(target_for("@anna@social.example.org").kind, "mastodon");
  EXPECT_EQ(target_for("anna@social.example.org").url, "https://social.example.org/@anna.rss");
  EXPECT_EQ(target_for("https://social.example.org/@anna").url,
            "https://social.example.org/@anna.rss");
  EXPECT_EQ(target_for("https://social.example.org/tags/Ehrenamt").url,
            "https://social.example.org/tags/Ehrenamt.rss");
  EXPECT_EQ(target_for("https://social.example.org/tags/Ehrenamt").kind, "mastodon_tag");
  EXPECT_EQ(target_for("@kjr.bsky.social").url, "https://bsky.app/profile/kjr.bsky.social/rss");
  EXPECT_EQ(target_for("https://bsky.app/profile/kjr.bsky.social").url,
            "https://bsky.app/profile/kjr.bsky.social/rss");
  // What is no host name is no handle (found by the fuzzer: "@74<.lq" became a URL).
  for (const char* bad : {"@74<.lq", "@a\"b.de", "@.bsky.social", "@verein.", "anna@soc<ial.de"})
    EXPECT_EQ(target_for(bad).error, "invalid") << bad;
}

TEST(FeedTargets, VideoPlatforms) {
  EXPECT_EQ(target_for("https://www.youtube.com/channel/UC1234567890abcdefghijkl").url,
            "https://www.youtube.com/feeds/videos.xml?channel_id=UC1234567890abcdefghijkl");
  auto handle = target_for("https://www.youtube.com/@familienzentrum");
  EXPECT_EQ(handle.url, "https://www.youtube.com/@familienzentrum");  // the page names it
  EXPECT_EQ(handle.kind, "youtube");
  EXPECT_EQ(target_for("https://tube.example.org/c/paritaet_kanal/videos").url,
            "https://tube.example.org/feeds/videos.xml?videoChannelName=paritaet_kanal");
  EXPECT_EQ(target_for("https://tube.example.org/c/paritaet_kanal").kind, "peertube");
}

TEST(FeedTargets, WebsitesAndClosedNetworks) {
  EXPECT_EQ(target_for("www.familienzentrum.example").url, "https://www.familienzentrum.example/");
  EXPECT_EQ(target_for("https://verein.example/feed/").kind, "wordpress");
  EXPECT_EQ(target_for("https://www.instagram.com/verein/").closed_network, "instagram");
  EXPECT_EQ(target_for("https://de-de.facebook.com/verein").closed_network, "facebook");
  EXPECT_EQ(target_for("https://www.threads.net/@verein").closed_network, "threads");
  EXPECT_EQ(target_for("ftp://files.example/feed.xml").error, "forbidden_scheme");
  EXPECT_EQ(target_for("javascript:alert(1)").error, "forbidden_scheme");
  EXPECT_EQ(target_for("").error, "invalid");
  EXPECT_EQ(target_for("einfach text").error, "invalid");
  EXPECT_EQ(target_for("@nur@").error, "invalid");
}

TEST(FeedDiscovery, FindsAlternateLinksPostsBeforeComments) {
  auto links = discover_feeds(
      "<!doctype html><html><head><base href=\"https://verein.example/de/\">"
      "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Kommentare\" "
      "href=\"comments/feed/\">"
      "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Beiträge\" href=\"feed/\">"
      "<link rel=\"Alternate\" type=\"application/atom+xml\" href=\"/atom.xml\">"
      "<link rel=\"stylesheet\" href=\"/s.css\"></head><body></body></html>",
      "https://verein.example/");
  ASSERT_EQ(links.size(), 3u);
  EXPECT_EQ(links[0].url, "https://verein.example/de/feed/");
  EXPECT_EQ(links[0].title, "Beiträge");
  EXPECT_EQ(links[1].url, "https://verein.example/atom.xml");
  EXPECT_EQ(links[2].url, "https://verein.example/de/comments/feed/");
  EXPECT_TRUE(
      discover_feeds("<html><body>Keine Feeds</body></html>", "https://x.example/").empty());
}

TEST(FeedDiscovery, TellsPagesFromFeeds) {
  EXPECT_TRUE(looks_like_html_page("<!DOCTYPE html><html>", ""));
  EXPECT_TRUE(looks_like_html_page("<?xml version=\"1.0\"?><rss>", "text/html; charset=utf-8"));
  EXPECT_FALSE(
      looks_like_html_page("<?xml version=\"1.0\"?><rss version=\"2.0\">", "application/rss+xml"));
  EXPECT_FALSE(looks_like_html_page("<feed xmlns=\"http://www.w3.org/2005/Atom\">", "text/xml"));
}

}  // namespace
}  // namespace verbund::feeds
