#include "core/password_strength.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "model/user.hpp"

using verbund::password::strength;

namespace {

class PasswordStrength : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_GT(verbund::password::load_german_words(), 300000u)
        << "wngerman's /usr/share/dict/ngerman missing (packaging/debian-packages.txt)";
  }
};

std::optional<std::string> problem(const std::string& pw, const std::string& email = "a@b.de",
                                   const std::vector<std::string>& context = {"Verbund"}) {
  return verbund::model::password_problem(pw, email, {}, context);
}

}  // namespace

// The passwords a security review saw accepted, and the reason each now gets.
TEST_F(PasswordStrength, RefusesWhatTheReviewFound) {
  EXPECT_EQ(problem("passwort123"), "password.weak_words");
  EXPECT_EQ(problem("Passwort123!"), "password.weak_words");
  EXPECT_EQ(problem("Sommer2024!"), "password.weak_words");
  EXPECT_EQ(problem("qwertzuiop"), "password.weak_keyboard");
  EXPECT_EQ(problem("Verbund2026!"), "password.weak_personal");
}

TEST_F(PasswordStrength, GermanWordsCountAsWordsAlsoInDisguise) {
  // zxcvbn alone knows English words; these pass it and fail with the German list.
  EXPECT_EQ(problem("Sonnenblume2024"), "password.weak_words");
  EXPECT_EQ(problem("Herbstlaub42"), "password.weak_words");
  EXPECT_EQ(problem("H3rbstl4ub!!"), "password.weak_words");
  EXPECT_EQ(problem("Ölheizung2024!"), "password.weak_words");
  EXPECT_EQ(problem("Kinderschutzbund"), "password.weak_words");
}

TEST_F(PasswordStrength, NamesAndAddressAreGuessedFirst) {
  EXPECT_EQ(problem("Erika Kassel 99", "erika.kassel@example.org"), "password.weak_personal");
  EXPECT_EQ(problem("Familienzentrum1!", "info@familienzentrum.de"), "password.weak_personal");
  EXPECT_EQ(problem("Mustermann#2025", "a@b.de", {"Verbund", "Paula Mustermann"}),
            "password.weak_personal");
}

TEST_F(PasswordStrength, AcceptsSentencesAndRandomStrings) {
  EXPECT_EQ(problem("Wolken über Kassel 2024"), std::nullopt);
  EXPECT_EQ(problem("meine Katze heißt Minka"), std::nullopt);
  EXPECT_EQ(problem("correct horse battery staple"), std::nullopt);
  EXPECT_EQ(problem("x7#kP9!qLm2"), std::nullopt);
  EXPECT_EQ(problem("Sonnenblume im Garten"), std::nullopt);
}

TEST_F(PasswordStrength, RepeatsAndDatesAreNamed) {
  EXPECT_EQ(problem("abcabcabcabc"), "password.weak_repeats");
  EXPECT_EQ(problem("1987-05-19 1990"), "password.weak_dates");
}

TEST_F(PasswordStrength, LongPasswordsAreQuick) {
  // Only the first 100 bytes are estimated: a 1,024-byte password takes no longer than
  // a 100-byte one, and one that starts weak stays weak.
  std::string weak(1024, 'a');
  weak.back() = 'b';
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(strength(weak, {}).problem);
  EXPECT_FALSE(
      strength(std::string("Wolken über Kassel 2024 ") + std::string(1000, 'q'), {}).problem);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  EXPECT_LT(ms, 500);
}
