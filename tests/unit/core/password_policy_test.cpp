#include <gtest/gtest.h>

#include "core/password.hpp"
#include "core/random.hpp"
#include "model/user.hpp"

using verbund::model::password_problem;

namespace {
const std::unordered_set<std::string> kCommon = {"password123", "iloveyou12", "qwertzuiop",
                                                 "sommer", "password"};
}

TEST(PasswordPolicy, AcceptsALongPassphrase) {
  EXPECT_EQ(password_problem("Sonnenblume im Garten", "anna@example.org", kCommon), std::nullopt);
}

TEST(PasswordPolicy, CountsCharactersNotBytes) {
  // Nine characters although "ä" and "ß" take two bytes each.
  EXPECT_EQ(password_problem("äößäößäöß", "a@b.de", kCommon), "password.too_short");
  EXPECT_EQ(password_problem("äößäößäößä", "a@b.de", kCommon), std::nullopt);
}

TEST(PasswordPolicy, RefusesShortCommonAndEmailLikePasswords) {
  EXPECT_EQ(password_problem("kurz", "a@b.de", kCommon), "password.too_short");
  EXPECT_EQ(password_problem("PASSWORD123", "a@b.de", kCommon), "password.common");
  EXPECT_EQ(password_problem("1234567890", "a@b.de", kCommon), "password.common");
  EXPECT_EQ(password_problem("Password12345", "a@b.de", kCommon), "password.common");
  EXPECT_EQ(password_problem("!!Sommer2024!!", "a@b.de", kCommon), "password.common");
  EXPECT_EQ(password_problem("Sommer im Garten 2024", "a@b.de", kCommon), std::nullopt);
  EXPECT_EQ(password_problem("aaaaaaaaaaaa", "a@b.de", kCommon), "password.common");
  EXPECT_EQ(password_problem("anna.mueller!!", "anna.mueller@example.org", kCommon),
            "password.like_email");
  EXPECT_EQ(password_problem(std::string(1025, 'x') + "y", "a@b.de", kCommon), "password.too_long");
  EXPECT_EQ(password_problem("abc\xff\xfe defghij", "a@b.de", kCommon), "password.invalid");
}

TEST(PasswordPolicy, DebianListIsLoaded) {
  verbund::password::load_common_passwords();
  const auto& list = verbund::password::common_passwords();
  ASSERT_FALSE(list.empty()) << "john-data's password.lst missing (packaging/debian-packages.txt)";
  EXPECT_TRUE(list.count("password"));
}

TEST(PasswordHash, Argon2idRoundTrip) {
  verbund::random::init();
  auto h = verbund::password::hash("Sonnenblume im Garten", "min");
  EXPECT_TRUE(h.starts_with("$argon2id$"));
  EXPECT_TRUE(verbund::password::verify(h, "Sonnenblume im Garten"));
  EXPECT_FALSE(verbund::password::verify(h, "Sonnenblume im garten"));
}

TEST(Email, NormalisesAndValidates) {
  using verbund::model::normalize_email;
  EXPECT_EQ(normalize_email("  Anna@Example.ORG "), "Anna@example.org");
  EXPECT_EQ(normalize_email("anna"), std::nullopt);
  EXPECT_EQ(normalize_email("anna@"), std::nullopt);
  EXPECT_EQ(normalize_email("anna@localhost"), std::nullopt);
  EXPECT_EQ(normalize_email("a b@example.org"), std::nullopt);
  EXPECT_EQ(normalize_email("anna@example.org\r\nBcc: x@y.de"), std::nullopt);
  EXPECT_EQ(normalize_email("a@@example.org"), std::nullopt);
}
