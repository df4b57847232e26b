#include "model/social_links.hpp"

#include <gtest/gtest.h>

using namespace verbund::model;

namespace {
std::string ok(std::optional<std::string> v) { return v ? *v : "<refused>"; }
}  // namespace

TEST(SocialLinks, EmptyInputIsValidAndStaysEmpty) {
  for (auto f : {normalize_web_url, normalize_mastodon, normalize_instagram, normalize_facebook,
                 normalize_linkedin, normalize_youtube})
    EXPECT_EQ(ok(f("")), "");
}

TEST(SocialLinks, MastodonHandleBecomesTheProfileLink) {
  EXPECT_EQ(ok(normalize_mastodon("@familienzentrum@social.example")),
            "https://social.example/@familienzentrum");
  EXPECT_EQ(ok(normalize_mastodon("familienzentrum@Social.Example")),
            "https://social.example/@familienzentrum");
  EXPECT_EQ(ok(normalize_mastodon("https://bonn.social/@fz_bonn")), "https://bonn.social/@fz_bonn");
  EXPECT_EQ(ok(normalize_mastodon("https://bonn.social/@fz_bonn/")),
            "https://bonn.social/@fz_bonn");
  EXPECT_EQ(ok(normalize_mastodon("http://bonn.social/@fz.bonn")), "https://bonn.social/@fz.bonn");
  EXPECT_EQ(ok(normalize_mastodon("bonn.social/@fz_bonn")), "https://bonn.social/@fz_bonn");
}

TEST(SocialLinks, MastodonRefusesWhatIsNoAccount) {
  EXPECT_FALSE(normalize_mastodon("@familienzentrum"));  // which server?
  EXPECT_FALSE(normalize_mastodon("@fz@localhost"));
  EXPECT_FALSE(normalize_mastodon("@fz@192.168.0.1"));
  EXPECT_FALSE(normalize_mastodon("@f z@social.example"));
  EXPECT_FALSE(normalize_mastodon("@.fz@social.example"));
  EXPECT_FALSE(normalize_mastodon("https://social.example/users/fz"));
  EXPECT_FALSE(normalize_mastodon("https://social.example/@fz/123456"));
  EXPECT_FALSE(normalize_mastodon("https://evil@social.example/@fz"));
  EXPECT_FALSE(normalize_mastodon("javascript:alert(1)//@x@social.example"));
  EXPECT_FALSE(normalize_mastodon("https://social.example:8443/@fz"));
  EXPECT_FALSE(normalize_mastodon("https://social.example/@fz\"onmouseover=x"));
}

TEST(SocialLinks, InstagramNameOrLink) {
  EXPECT_EQ(ok(normalize_instagram("@fz.regenbogen_kassel")),
            "https://www.instagram.com/fz.regenbogen_kassel");
  EXPECT_EQ(ok(normalize_instagram("https://www.instagram.com/fz.regenbogen/")),
            "https://www.instagram.com/fz.regenbogen");
  EXPECT_EQ(ok(normalize_instagram("https://instagram.com/fz?igsh=abc123")),
            "https://www.instagram.com/fz");
  EXPECT_EQ(ok(normalize_instagram("instagram.com/fz")), "https://www.instagram.com/fz");
  EXPECT_FALSE(normalize_instagram("@" + std::string(31, 'a')));
  EXPECT_FALSE(normalize_instagram("@fz-kassel"));
  EXPECT_FALSE(normalize_instagram("@"));
  EXPECT_FALSE(normalize_instagram("https://www.instagram.com/p/Cx1234/"));
  EXPECT_FALSE(normalize_instagram("https://www.instagram.com/explore"));
  EXPECT_FALSE(normalize_instagram("https://www.instagram.com.evil.example/fz"));
  EXPECT_FALSE(normalize_instagram("https://www.facebook.com/fz"));
}

TEST(SocialLinks, FacebookPagesOnly) {
  EXPECT_EQ(ok(normalize_facebook("https://www.facebook.com/FamilienzentrumKassel/")),
            "https://www.facebook.com/FamilienzentrumKassel");
  EXPECT_EQ(ok(normalize_facebook("www.facebook.com/fzkassel?mibextid=ZbWKwL")),
            "https://www.facebook.com/fzkassel");
  EXPECT_EQ(ok(normalize_facebook("https://m.facebook.com/profile.php?id=100064&ref=x")),
            "https://www.facebook.com/profile.php?id=100064");
  EXPECT_FALSE(normalize_facebook("https://www.facebook.com/"));
  EXPECT_FALSE(normalize_facebook("https://www.facebook.com/profile.php?id=abc"));
  EXPECT_FALSE(normalize_facebook("https://l.facebook.com/l.php?u=https://evil.example"));
  EXPECT_FALSE(normalize_facebook("https://www.facebook.com/l.php?u=https://evil.example"));
  EXPECT_FALSE(normalize_facebook("https://facebook.evil.example/fz"));
  EXPECT_FALSE(normalize_facebook("@fzkassel"));
}

TEST(SocialLinks, LinkedInCompanyOrPerson) {
  EXPECT_EQ(ok(normalize_linkedin("https://www.linkedin.com/company/jugendhilfe-hochfeld/about/")),
            "https://www.linkedin.com/company/jugendhilfe-hochfeld");
  EXPECT_EQ(ok(normalize_linkedin("https://de.linkedin.com/in/anna-beispiel-123")),
            "https://www.linkedin.com/in/anna-beispiel-123");
  EXPECT_FALSE(normalize_linkedin("https://www.linkedin.com/feed/"));
  EXPECT_FALSE(normalize_linkedin("https://www.linkedin.com/company/"));
  EXPECT_FALSE(normalize_linkedin("https://linkedin.evil.example/company/x"));
}

TEST(SocialLinks, YouTubeHandleOrChannel) {
  EXPECT_EQ(ok(normalize_youtube("@JugendhilfeHochfeld")),
            "https://www.youtube.com/@JugendhilfeHochfeld");
  EXPECT_EQ(ok(normalize_youtube("https://www.youtube.com/@jh-hochfeld/videos")),
            "https://www.youtube.com/@jh-hochfeld");
  EXPECT_EQ(ok(normalize_youtube("https://youtube.com/channel/UCabcdefghijklmnopqrstuv")),
            "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv");
  EXPECT_FALSE(normalize_youtube("https://www.youtube.com/channel/UCshort"));
  EXPECT_FALSE(normalize_youtube("https://www.youtube.com/watch?v=dQw4w9WgXcQ"));
  EXPECT_FALSE(normalize_youtube("@ab"));
  EXPECT_FALSE(normalize_youtube("https://youtu.be/dQw4w9WgXcQ"));
}

TEST(SocialLinks, WebUrlsAreHttpOrHttpsWithoutCredentials) {
  EXPECT_EQ(ok(normalize_web_url("https://www.regenbogen-kassel.example/feed")),
            "https://www.regenbogen-kassel.example/feed");
  EXPECT_EQ(ok(normalize_web_url("HTTP://Spenden.Example/?projekt=7#formular")),
            "http://spenden.example/?projekt=7#formular");
  EXPECT_EQ(ok(normalize_web_url("https://www.bürgerhilfe.example/spenden")),
            "https://www.bürgerhilfe.example/spenden");
  EXPECT_FALSE(normalize_web_url("javascript:alert(1)"));
  EXPECT_FALSE(normalize_web_url("JavaScript://x.example/%0aalert(1)"));
  EXPECT_FALSE(normalize_web_url("data:text/html,hallo"));
  EXPECT_FALSE(normalize_web_url("ftp://spenden.example/"));
  EXPECT_FALSE(normalize_web_url("www.spenden.example"));
  EXPECT_FALSE(normalize_web_url("https://user:geheim@spenden.example/"));
  EXPECT_FALSE(normalize_web_url("https://spenden.example@evil.example/"));
  EXPECT_FALSE(normalize_web_url("https://localhost/spenden"));
  EXPECT_FALSE(normalize_web_url("https://127.0.0.1/spenden"));
  EXPECT_FALSE(normalize_web_url("https://spenden.example/a b"));
  EXPECT_FALSE(normalize_web_url("https://spenden.example/\"><script>"));
  EXPECT_FALSE(normalize_web_url("https://spenden.example\\@evil.example/"));
  EXPECT_FALSE(normalize_web_url("https://spenden..example/"));
  EXPECT_FALSE(normalize_web_url("https://-spenden.example/"));
  EXPECT_FALSE(normalize_web_url("https://spenden.example/\xff"));
  std::string longest = "https://spenden.example/" + std::string(276, 'a');
  ASSERT_EQ(longest.size(), kLinkMax);
  EXPECT_TRUE(normalize_web_url(longest));
  EXPECT_FALSE(normalize_web_url(longest + "a"));
}
