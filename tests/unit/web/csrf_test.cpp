#include "web/csrf.hpp"

#include <gtest/gtest.h>

#include "core/random.hpp"

using namespace verbund::web;

class Csrf : public ::testing::Test {
 protected:
  void SetUp() override { verbund::random::init(); }
};

TEST_F(Csrf, VisitorTokenIsAcceptedWhileFresh) {
  auto t = issue_anon_csrf("secret", 1000);
  EXPECT_TRUE(check_anon_csrf("secret", t, 1000));
  EXPECT_TRUE(check_anon_csrf("secret", t, 1000 + kAnonTokenSeconds));
}

TEST_F(Csrf, VisitorTokenExpires) {
  auto t = issue_anon_csrf("secret", 1000);
  EXPECT_FALSE(check_anon_csrf("secret", t, 1000 + kAnonTokenSeconds + 1));
}

TEST_F(Csrf, TokenFromAnotherSecretOrTamperedIsRefused) {
  auto t = issue_anon_csrf("secret", 1000);
  EXPECT_FALSE(check_anon_csrf("other", t, 1000));
  std::string later = t;
  later.replace(0, 4, "9999");  // move the issue time: the signature no longer fits
  EXPECT_FALSE(check_anon_csrf("secret", later, 1000));
  EXPECT_FALSE(check_anon_csrf("secret", "", 1000));
  EXPECT_FALSE(check_anon_csrf("secret", "1000.abc", 1000));
  EXPECT_FALSE(check_anon_csrf("secret", "x.y.z", 1000));
}

TEST_F(Csrf, OriginMustBeThisSite) {
  EXPECT_TRUE(same_origin("http://127.0.0.1:8080", "", "127.0.0.1:8080"));
  EXPECT_FALSE(same_origin("https://evil.example", "", "127.0.0.1:8080"));
  EXPECT_FALSE(same_origin("null", "", "127.0.0.1:8080"));
  EXPECT_TRUE(same_origin("", "http://127.0.0.1:8080/anmelden", "127.0.0.1:8080"));
  EXPECT_FALSE(same_origin("", "http://evil.example/x", "127.0.0.1:8080"));
  EXPECT_TRUE(same_origin("", "", "127.0.0.1:8080"));
}
