#include "store/session_store.hpp"

#include <gtest/gtest.h>

#include "../db/test_db.hpp"
#include "core/random.hpp"
#include "store/user_store.hpp"

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
  int64_t user = 0;
};

TEST_P(SessionStoreTest, SessionExpiresAfterIdleTimeout) {
  const int64_t idle = 14 * 86400;
  auto s = t.db().write([&](db::Connection& c) { return store::create_session(c, user, 1000); });
  t.db().read([&](db::Connection& c) {
    EXPECT_TRUE(store::find_session(c, s.token, 1000 + idle - 1, idle));
    EXPECT_FALSE(store::find_session(c, s.token, 1000 + idle, idle));
  });
}

TEST_P(SessionStoreTest, TouchExtendsTheSession) {
  const int64_t idle = 100;
  auto s = t.db().write([&](db::Connection& c) { return store::create_session(c, user, 1000); });
  auto found =
      t.db().read([&](db::Connection& c) { return store::find_session(c, s.token, 1050, idle); });
  ASSERT_TRUE(found);
  t.db().write([&](db::Connection& c) { store::touch_session(c, found->id_hash, 1050); });
  t.db().read([&](db::Connection& c) { EXPECT_TRUE(store::find_session(c, s.token, 1140, idle)); });
}

TEST_P(SessionStoreTest, StoresOnlyTheHashOfTheCookie) {
  auto s = t.db().write([&](db::Connection& c) { return store::create_session(c, user, 1000); });
  t.db().read([&](db::Connection& c) {
    EXPECT_EQ(c.query_int("SELECT count(*) FROM sessions WHERE id_hash = $1", {s.token}), 0);
    EXPECT_EQ(c.query_int("SELECT count(*) FROM sessions WHERE id_hash = $1",
                          {random::sha256_hex(s.token)}),
              1);
  });
}

TEST_P(SessionStoreTest, DeletedSessionIsGone) {
  auto s = t.db().write([&](db::Connection& c) { return store::create_session(c, user, 1000); });
  t.db().write([&](db::Connection& c) { store::delete_session(c, s.token); });
  t.db().read([&](db::Connection& c) { EXPECT_FALSE(store::find_session(c, s.token, 1001, 100)); });
}

TEST_P(SessionStoreTest, TokensAreSingleUseAndExpire) {
  auto tok = t.db().write([&](db::Connection& c) {
    return store::issue_token(c, user, store::TokenPurpose::reset_password, 1000, 3600);
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

TEST_P(SessionStoreTest, LoginFailuresCountWithinTheWindow) {
  t.db().write([&](db::Connection& c) {
    for (int i = 0; i < 3; ++i) store::record_login_failure(c, "ip:1.2.3.4", 1000 + i);
    store::record_login_failure(c, "ip:5.6.7.8", 1000);
  });
  t.db().read([&](db::Connection& c) {
    auto n = store::count_login_failures(c, "ip:1.2.3.4", 999);
    EXPECT_EQ(n.count, 3);
    EXPECT_EQ(n.oldest, 1000);
    EXPECT_EQ(store::count_login_failures(c, "ip:1.2.3.4", 1001).count, 1);
  });
}

INSTANTIATE_TEST_SUITE_P(Drivers, SessionStoreTest, ::testing::ValuesIn(test::kDrivers));
