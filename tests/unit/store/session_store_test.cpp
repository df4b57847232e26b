#include "store/session_store.hpp"

#include <gtest/gtest.h>

#include "../db/test_db.hpp"
#include "core/random.hpp"
#include "store/throttle_store.hpp"
#include "store/user_store.hpp"

#include <atomic>
#include <thread>

using namespace verbund;

class SessionStoreTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    random::init();
    t.migrate();
    user = t.db().write([](db::Connection& c) {
      return *store::create_user(c, "anna@example.org", "Anna", "x", "de");
    });
  }
  test::TempDatabase t{GetParam()};
  store::Sessions sessions{t.db()};
  int64_t user = 0;
};

TEST_P(SessionStoreTest, SessionExpiresAfterIdleTimeout) {
  const int64_t idle = 14 * 86400;
  auto s = sessions.start(user, 1000);
  EXPECT_TRUE(sessions.find(s.token, 1000 + idle - 1, idle));
  EXPECT_FALSE(sessions.find(s.token, 1000 + idle, idle));
}

TEST_P(SessionStoreTest, TouchExtendsTheSession) {
  const int64_t idle = 100;
  auto s = sessions.start(user, 1000);
  auto found = sessions.find(s.token, 1050, idle);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user.email, "anna@example.org");
  sessions.touch(found->session.id_hash, 1050);
  EXPECT_TRUE(sessions.find(s.token, 1140, idle));
}

TEST_P(SessionStoreTest, StoresOnlyTheHashOfTheCookie) {
  auto s = sessions.start(user, 1000);
  t.db().read([&](db::Connection& c) {
    EXPECT_EQ(c.query_int("SELECT count(*) FROM sessions WHERE id_hash = $1", {s.token}), 0);
    EXPECT_EQ(c.query_int("SELECT count(*) FROM sessions WHERE id_hash = $1",
                          {random::sha256_hex(s.token)}),
              1);
  });
}

TEST_P(SessionStoreTest, EndedAndRotatedSessionsAreGone) {
  auto s = sessions.start(user, 1000);
  sessions.end(s.token);
  EXPECT_FALSE(sessions.find(s.token, 1001, 100));
  auto first = sessions.start(user, 1000);
  auto second = sessions.start(user, 1000, first.token);
  EXPECT_FALSE(sessions.find(first.token, 1001, 100));
  EXPECT_TRUE(sessions.find(second.token, 1001, 100));
}

TEST_P(SessionStoreTest, TokensAreSingleUseAndExpire) {
  const std::string tok = random::token(32);
  t.db().write([&](db::Connection& c) {
    store::issue_token(c, tok, user, store::TokenPurpose::reset_password, 1000, 3600);
  });
  t.db().write([&](db::Connection& c) {
    EXPECT_FALSE(store::consume_token(c, tok, store::TokenPurpose::confirm_email, 1001));
    EXPECT_FALSE(store::consume_token(c, tok, store::TokenPurpose::reset_password, 4600));
    auto use = store::consume_token(c, tok, store::TokenPurpose::reset_password, 4599);
    ASSERT_TRUE(use);
    EXPECT_EQ(use->user_id, user);
    EXPECT_FALSE(store::consume_token(c, tok, store::TokenPurpose::reset_password, 4599));
  });
}

TEST_P(SessionStoreTest, ThrottleAllowsMaxAttemptsPerWindow) {
  store::Throttle throttle(t.db());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(throttle.attempt("ip:1.2.3.4", 3, 60, 1000 + i), 0);
  EXPECT_EQ(throttle.attempt("ip:1.2.3.4", 3, 60, 1010), 50);  // window 1000..1060
  EXPECT_EQ(throttle.attempt("ip:5.6.7.8", 3, 60, 1010), 0);   // another scope
  EXPECT_EQ(throttle.attempt("ip:1.2.3.4", 3, 60, 1060), 0);   // a new window
}

TEST_P(SessionStoreTest, LoginCountsAccountAndAddressTogether) {
  store::Throttle throttle(t.db());
  for (int i = 0; i < 2; ++i) EXPECT_EQ(throttle.begin_login("account:a", "ip:x", 2, 60, 1000), 0);
  EXPECT_GT(throttle.begin_login("account:a", "ip:x", 2, 60, 1001), 0);
  // the address is full too: another account from it waits, and is not counted
  EXPECT_GT(throttle.begin_login("account:b", "ip:x", 2, 60, 1001), 0);
  throttle.login_succeeded("account:a", "ip:x");  // one of the two was no failure
  EXPECT_EQ(throttle.begin_login("account:b", "ip:x", 2, 60, 1002), 0);
}

// 60 attempts at once on one scope, from 6 threads on 3 database handles (nodes):
// exactly `max` are allowed.
TEST_P(SessionStoreTest, ParallelAttemptsNeverPassTheLimit) {
  std::vector<std::unique_ptr<db::Database>> nodes;
  for (int i = 0; i < 3; ++i) nodes.push_back(t.open_again());
  std::atomic<int> allowed{0}, ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&, i] {
      store::Throttle throttle(*nodes[i % 3]);
      ready++;
      while (ready < 6) std::this_thread::yield();
      for (int k = 0; k < 10; ++k)
        if (throttle.begin_login("account:v", "ip:y", 10, 900, 5000) == 0) allowed++;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(allowed, 10);
}

INSTANTIATE_TEST_SUITE_P(Drivers, SessionStoreTest, ::testing::ValuesIn(test::kDrivers));
