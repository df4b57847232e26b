#include "store/source_store.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "../db/test_db.hpp"
#include "core/random.hpp"
#include "store/post_store.hpp"
#include "store/user_store.hpp"
#include "store/wall_moderation_store.hpp"

using namespace verbund;

class SourceStoreTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    random::init();
    t.migrate();
    t.db().write([&](db::Connection& c) {
      anna = *store::create_user(c, "anna@example.org", "Anna", "x", "de");
      bert = *store::create_user(c, "bert@example.org", "Bert", "x", "de");
    });
    model::OrgBasics b;
    b.name = "Quellen e.V.";
    b.legal_form = "e.V.";
    b.city = "Kassel";
    store::Organisations orgs(t.db(), 3);
    org = orgs.apply(anna, b, orgs.form_choices().regions.front().id, 1000,
                     [](const store::Addressee& a) {
                       return store::Mail{a.email, "s", "b", "m"};
                     });
  }
  store::NewSource source(const std::string& url) {
    store::NewSource s;
    s.organisation_id = org;
    s.input = url;
    s.feed_url = url;
    s.kind = "feed";
    s.next_fetch_at = 0;
    return s;
  }
  feeds::Post post(const std::string& guid, const std::string& url, const std::string& text) {
    feeds::Post p;
    p.guid = guid;
    p.url = url;
    p.text = text;
    p.published = 5000;
    p.tags = {"ehrenamt"};
    return p;
  }
  int64_t count(const std::string& where) {
    return t.db().read([&](db::Connection& c) {
      return c.query_int("SELECT count(*) FROM posts WHERE " + where);
    });
  }
  test::TempDatabase t{GetParam()};
  int64_t anna = 0, bert = 0, org = 0;
  store::Actor admin{0, false};
};

TEST_P(SourceStoreTest, OnlyTheOrganisationsAdminsAddSources) {
  store::Sources sources(t.db());
  auto refused = sources.add({bert, false}, org, source("https://a.example/feed"), {}, 1000);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "not_found");
  auto added = sources.add({anna, false}, org, source("https://a.example/feed"), {}, 1000);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(added->moderation, "hold");  // a pending organisation is not verified yet
  EXPECT_EQ(
      sources.add({anna, false}, org, source("https://a.example/feed"), {}, 1000).error().code,
      "duplicate");
  EXPECT_TRUE(sources.of_organisation({bert, false}, org).empty());
  EXPECT_EQ(sources.of_organisation({anna, false}, org).size(), 1u);
  EXPECT_EQ(sources.remove({bert, false}, org, added->id).error().code, "not_found");
}

TEST_P(SourceStoreTest, ParallelAddsKeepTheLimit) {
  for (int i = 0; i < store::kMaxSourcesPerOrg - 2; ++i) {
    ASSERT_TRUE(
        store::Sources(t.db())
            .add({anna, false}, org, source("https://a.example/f" + std::to_string(i)), {}, 1000)
            .ok());
  }
  std::vector<std::unique_ptr<db::Database>> nodes;
  for (int i = 0; i < 6; ++i) nodes.push_back(t.open_again());
  std::atomic<int> ok{0}, limit{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      store::Sources s(*nodes[i]);
      auto r =
          s.add({anna, false}, org, source("https://b.example/g" + std::to_string(i)), {}, 1000);
      if (r.ok())
        ok++;
      else if (r.error().code == "limit")
        limit++;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok, 2);
  EXPECT_EQ(limit, 4);
}

TEST_P(SourceStoreTest, TwoNodesNeverLeaseMoreThanPerHostOrTheSameSource) {
  store::Sources sources(t.db());
  // More sources of one host than a claim looks at, so that the nodes' candidates differ.
  for (int i = 0; i < store::kMaxSourcesPerOrg - 6; ++i) {
    ASSERT_TRUE(
        sources
            .add({anna, false}, org, source("https://busy.example/f" + std::to_string(i)), {}, 1000)
            .ok());
  }
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(sources
                    .add({anna, false}, org, source("https://h" + std::to_string(i) + ".example/f"),
                         {}, 1000)
                    .ok());
  }
  constexpr int kNodes = 4;
  std::vector<std::unique_ptr<db::Database>> nodes;
  for (int i = 0; i < kNodes; ++i) nodes.push_back(t.open_again());
  for (int round = 0; round < 40; ++round) {
    t.db().write([](db::Connection& c) {
      c.execute("UPDATE sources SET lease_until = NULL, leased_by = NULL");
    });
    std::vector<std::vector<store::Source>> got(kNodes);
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int n = 0; n < kNodes; ++n) {
      threads.emplace_back([&, n] {
        ready++;
        while (ready < kNodes) std::this_thread::yield();
        got[n] = store::Sources(*nodes[n]).claim_due("node-" + std::to_string(n), 2000, 1, 2, 300);
      });
    }
    for (auto& th : threads) th.join();
    std::set<int64_t> ids;
    int busy = 0;
    for (const auto& g : got) {
      for (const auto& s : g) {
        EXPECT_TRUE(ids.insert(s.id).second) << "source " << s.id << " leased twice";
        if (s.host == "busy.example") ++busy;
      }
    }
    ASSERT_LE(busy, 2) << "round " << round;
  }
}

TEST_P(SourceStoreTest, PostsAreStoredOnceEditedAndDeleted) {
  store::Sources sources(t.db());
  auto one = *sources.add({anna, false}, org, source("https://a.example/feed"), {}, 1000);
  auto two = *sources.add({anna, false}, org, source("https://a.example/other"), {}, 1000);
  ASSERT_TRUE(sources.set_moderation({anna, false}, org, one.id, "publish").ok());
  auto claimed = sources.claim_due("n1", 2000, 10, 2, 300);
  ASSERT_EQ(claimed.size(), 2u);

  store::FetchOutcome o;
  o.result = "ok";
  o.posts = {post("g1", "https://a.example/1?utm_source=x", "eins"),
             post("g2", "https://a.example/2", "zwei"),
             post("g1", "https://a.example/1", "doppelt")};
  o.next_fetch_at = 9000;
  auto r = sources.record_fetch(one.id, "n1", o, 2000);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->inserted, 2);
  EXPECT_EQ(count("status = 'visible'"), 2);
  // The same post by its link from the organisation's other source is skipped.
  store::FetchOutcome o2;
  o2.result = "ok";
  o2.posts = {post("x1", "https://a.example/1#top", "eins")};
  o2.next_fetch_at = 9000;
  EXPECT_EQ(sources.record_fetch(two.id, "n1", o2, 2000)->inserted, 0);
  // A lease that ran out belongs to another node: nothing is stored.
  EXPECT_FALSE(sources.record_fetch(two.id, "n1", o2, 2000).has_value());

  t.db().write([](db::Connection& c) { c.execute("UPDATE sources SET leased_by = 'n1'"); });
  store::FetchOutcome edit;
  edit.result = "ok";
  edit.posts = {post("g1", "https://a.example/1", "eins, korrigiert")};
  edit.deleted = {"g2"};
  edit.next_fetch_at = 9000;
  r = sources.record_fetch(one.id, "n1", edit, 3000);
  EXPECT_EQ(r->updated, 1);
  EXPECT_EQ(r->deleted, 1);
  EXPECT_EQ(count("body = 'eins, korrigiert'"), 1);
  EXPECT_EQ(count("status = 'deleted' AND guid = 'g2'"), 1);
}

TEST_P(SourceStoreTest, OneMailAfterRepeatedFailuresUntilASuccess) {
  store::Sources sources(t.db());
  auto s = *sources.add({anna, false}, org, source("https://down.example/feed"), {}, 1000);
  std::vector<bool> due;
  store::FetchOutcome fail;
  fail.result = "timeout";
  fail.next_fetch_at = 0;
  store::SourceComposer compose = [](const store::Addressee& to, const store::Source& src,
                                     const store::FetchOutcome& o) {
    return store::Mail{to.email, "Kanal " + src.feed_url, o.result, "m"};
  };
  auto mails = [&] {
    return t.db().read([](db::Connection& c) {
      return c.query_int("SELECT count(*) FROM outbox WHERE subject LIKE 'Kanal %'");
    });
  };
  for (int i = 0; i < 7; ++i) {
    ASSERT_EQ(sources.claim_due("n", 2000 + i, 5, 2, 300).size(), 1u);
    due.push_back(sources.record_fetch(s.id, "n", fail, 2000 + i, compose)->failure_mail_due);
  }
  EXPECT_EQ(due, (std::vector<bool>{false, false, false, false, true, false, false}));
  EXPECT_EQ(mails(), 1);  // to Anna, the organisation's one admin
  auto now = *sources.find({anna, false}, org, s.id);
  EXPECT_EQ(now.failures, 7);
  EXPECT_EQ(now.last_result, "timeout");
  store::FetchOutcome ok;
  ok.result = "not_modified";
  sources.claim_due("n", 3000, 5, 2, 300);
  sources.record_fetch(s.id, "n", ok, 3000);
  EXPECT_EQ(sources.find({anna, false}, org, s.id)->failures, 0);
  for (int i = 0; i < 5; ++i) {
    sources.claim_due("n", 4000 + i, 5, 2, 300);
    due[i] = sources.record_fetch(s.id, "n", fail, 4000 + i)->failure_mail_due;
  }
  EXPECT_TRUE(due[4]);  // a new run of failures is told about again
}

// The wall's hashtag counts come from the visible posts of the last 90 days; a hidden
// post queues a new count; a hashtag's pages follow each other without gaps or repeats.
TEST_P(SourceStoreTest, HashtagCountsAndHashtagPages) {
  store::Sources sources(t.db());
  auto src = *sources.add({anna, false}, org, source("https://a.example/feed"), {}, 1000);
  ASSERT_TRUE(sources.set_moderation({anna, false}, org, src.id, "publish").ok());
  t.db().write([&](db::Connection& c) {
    c.execute("UPDATE organisations SET status = 'published' WHERE id = $1", {org});
  });
  const int64_t now = 200 * 86400;
  store::FetchOutcome o;
  o.result = "ok";
  for (int i = 0; i < 25; ++i) {
    auto p = post("g" + std::to_string(i), "https://a.example/" + std::to_string(i), "Text");
    p.published = now - 1000 + (i % 5);  // equal times: the id breaks the tie
    p.tags = i % 2 == 0 ? std::vector<std::string>{"ehrenamt", "kassel"}
                        : std::vector<std::string>{"ehrenamt"};
    o.posts.push_back(p);
  }
  auto old = post("alt", "https://a.example/alt", "Alt");
  old.published = now - 100 * 86400;  // outside the window
  old.tags = {"archiv"};
  o.posts.push_back(old);
  o.next_fetch_at = now + 600;
  sources.claim_due("n1", now, 10, 2, 300);
  ASSERT_EQ(sources.record_fetch(src.id, "n1", o, now)->inserted, 26);

  store::Posts posts(t.db());
  EXPECT_TRUE(posts.popular_tags(12).empty());  // nothing counted yet
  EXPECT_EQ(posts.refresh_tag_counts(now), 2);
  using Counts = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(posts.popular_tags(12), (Counts{{"ehrenamt", 25}, {"kassel", 13}}));
  EXPECT_EQ(posts.popular_tags(1), (Counts{{"ehrenamt", 25}}));

  // Pages of #kassel, 5 at a time: 13 posts, newest first, each once.
  store::WallFilter f;
  f.tag = "kassel";
  std::vector<int64_t> seen;
  std::optional<store::WallCursor> cursor;
  for (int page = 0; page < 5; ++page) {
    auto w = posts.wall(f, cursor, 5);
    for (const auto& p : w.posts) seen.push_back(p.id);
    if (!w.next) break;
    cursor = w.next;
  }
  EXPECT_EQ(seen.size(), 13u);
  EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()).size(), 13u);
  auto all = posts.wall({}, std::nullopt, 100).posts;
  std::vector<int64_t> kassel_order;
  for (const auto& p : all)
    if (p.tags.find("kassel") != std::string::npos) kassel_order.push_back(p.id);
  EXPECT_EQ(seen, kassel_order);  // the same order as the whole wall

  // A moderator hides a post: a count is queued (once, however many steps follow).
  store::WallModeration mod(t.db());
  auto queued = [&] {
    return t.db().read([&](db::Connection& c) {
      return c.query_int("SELECT count(*) FROM jobs WHERE kind = 'wall.tag_counts'");
    });
  };
  ASSERT_TRUE(mod.hide({anna, true}, seen.front(), "Test", now).ok());
  ASSERT_TRUE(mod.hide({anna, true}, seen.back(), "Test", now).ok());
  EXPECT_EQ(queued(), 1);
  posts.refresh_tag_counts(now);
  EXPECT_EQ(posts.popular_tags(12), (Counts{{"ehrenamt", 23}, {"kassel", 11}}));
}

INSTANTIATE_TEST_SUITE_P(Drivers, SourceStoreTest, ::testing::ValuesIn(test::kDrivers));
