#include "http/router.hpp"

#include <gtest/gtest.h>

using verbund::http::Method;
using verbund::http::Router;
using Outcome = Router<int>::Outcome;

namespace {
Router<int> sample() {
  Router<int> r;
  r.add(Method::get, "/", 1);
  r.add(Method::get, "/organisationen", 2);
  r.add(Method::get, "/organisationen/{slug:slug}", 3);
  r.add(Method::post, "/admin/benutzer/{id:int}/rollen", 4);
  r.add(Method::get, "/static/{file:path}", 5);
  r.add(Method::get, "/gruppen/{name}", 6);
  return r;
}
}  // namespace

TEST(Router, MatchesLiteralPaths) {
  auto r = sample();
  const int* v = nullptr;
  std::vector<std::string> p;
  ASSERT_EQ(r.find(Method::get, "/", &v, p), Outcome::found);
  EXPECT_EQ(*v, 1);
  ASSERT_EQ(r.find(Method::get, "/organisationen", &v, p), Outcome::found);
  EXPECT_EQ(*v, 2);
}

TEST(Router, TypedParametersAreCheckedAndCaptured) {
  auto r = sample();
  const int* v = nullptr;
  std::vector<std::string> p;
  ASSERT_EQ(r.find(Method::post, "/admin/benutzer/42/rollen", &v, p), Outcome::found);
  EXPECT_EQ(*v, 4);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0], "42");
  EXPECT_EQ(r.find(Method::post, "/admin/benutzer/4x2/rollen", &v, p), Outcome::not_found);
  EXPECT_EQ(r.find(Method::post, "/admin/benutzer/99999999999999999999/rollen", &v, p),
            Outcome::not_found);
  ASSERT_EQ(r.find(Method::get, "/organisationen/familienzentrum-kassel", &v, p), Outcome::found);
  EXPECT_EQ(p[0], "familienzentrum-kassel");
  EXPECT_EQ(r.find(Method::get, "/organisationen/Gro%C3%9F", &v, p), Outcome::not_found);
}

TEST(Router, PathParameterTakesTheRest) {
  auto r = sample();
  const int* v = nullptr;
  std::vector<std::string> p;
  ASSERT_EQ(r.find(Method::get, "/static/css/site.abc.css", &v, p), Outcome::found);
  EXPECT_EQ(p[0], "css/site.abc.css");
  EXPECT_EQ(r.find(Method::get, "/static/", &v, p), Outcome::not_found);
}

TEST(Router, TrailingSlashAndExtraSegmentsDoNotMatch) {
  auto r = sample();
  const int* v = nullptr;
  std::vector<std::string> p;
  EXPECT_EQ(r.find(Method::get, "/organisationen/", &v, p), Outcome::not_found);
  EXPECT_EQ(r.find(Method::get, "/organisationen/a/b", &v, p), Outcome::not_found);
  EXPECT_EQ(r.find(Method::get, "/gruppen/", &v, p), Outcome::not_found);
}

TEST(Router, WrongMethodListsAllowedMethods) {
  auto r = sample();
  const int* v = nullptr;
  std::vector<std::string> p;
  std::string allow;
  EXPECT_EQ(r.find(Method::post, "/organisationen", &v, p, &allow), Outcome::method_not_allowed);
  EXPECT_EQ(allow, "GET");
}

TEST(Router, HeadUsesGetRoutes) {
  auto r = sample();
  const int* v = nullptr;
  std::vector<std::string> p;
  std::string pattern;
  ASSERT_EQ(r.find(Method::head, "/organisationen", &v, p, nullptr, &pattern), Outcome::found);
  EXPECT_EQ(pattern, "/organisationen");
}

TEST(Router, RejectsBadPatterns) {
  Router<int> r;
  EXPECT_THROW(r.add(Method::get, "kein-slash", 1), std::invalid_argument);
  EXPECT_THROW(r.add(Method::get, "/a/{x:float}", 1), std::invalid_argument);
  EXPECT_THROW(r.add(Method::get, "/a/{x:path}/b", 1), std::invalid_argument);
}

TEST(Message, FormDecodingHandlesPlusPercentAndBrokenEscapes) {
  auto f = verbund::http::parse_form("name=Anna+M%C3%BCller&x=%zz&y=100%&leer=&nur");
  EXPECT_EQ(verbund::http::form_value(f, "name"), "Anna Müller");
  EXPECT_EQ(verbund::http::form_value(f, "x"), "%zz");
  EXPECT_EQ(verbund::http::form_value(f, "y"), "100%");
  EXPECT_EQ(verbund::http::form_value(f, "leer"), "");
  EXPECT_EQ(f.count("nur"), 1u);
}

TEST(Message, CookiesAreParsed) {
  auto c = verbund::http::parse_cookies("verbund=abc; sprache=en;x=1");
  EXPECT_EQ(c["verbund"], "abc");
  EXPECT_EQ(c["sprache"], "en");
  EXPECT_EQ(c["x"], "1");
}
