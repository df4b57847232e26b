#include "http/multipart.hpp"

#include <gtest/gtest.h>

#include <random>

using verbund::http::multipart_boundary;
using verbund::http::parse_multipart;

namespace {

// A body as Chromium sends it for a form with a CSRF field and one file.
std::string browser_body(const std::string& boundary, const std::string& file) {
  return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok123\r\n--" +
         boundary +
         "\r\nContent-Disposition: form-data; name=\"logo\"; "
         "filename=\"C:\\\\Users\\\\a\\\\logo.png\""
         "\r\nContent-Type: image/png\r\n\r\n" +
         file + "\r\n--" + boundary + "--\r\n";
}

}  // namespace

TEST(Multipart, BoundaryFromContentTypeQuotedOrNot) {
  EXPECT_EQ(*multipart_boundary("multipart/form-data; boundary=----WebKitFormBoundaryX1"),
            "----WebKitFormBoundaryX1");
  EXPECT_EQ(*multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b'c\""), "a b'c");
  EXPECT_FALSE(multipart_boundary("application/x-www-form-urlencoded").ok());
  EXPECT_FALSE(multipart_boundary("multipart/form-data").ok());
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=").ok());
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x')).ok());
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=a<b").ok());
}

TEST(Multipart, ParsesFieldsAndFileWithBinaryContent) {
  std::string file("\x89PNG\r\n\x1A\n\0\r\n--not-the-boundary\r\n", 30);
  std::string body = browser_body("XyZ", file);
  auto parts = parse_multipart(body, "XyZ");
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "csrf");
  EXPECT_FALSE((*parts)[0].is_file());
  EXPECT_EQ((*parts)[0].data, "tok123");
  EXPECT_EQ((*parts)[1].name, "logo");
  EXPECT_TRUE((*parts)[1].is_file());
  EXPECT_EQ((*parts)[1].filename, "logo.png");  // the client's path is dropped
  EXPECT_EQ((*parts)[1].content_type, "image/png");
  EXPECT_EQ((*parts)[1].data, file);
}

TEST(Multipart, EmptyFileInputIsAFilePartWithoutData) {
  std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n\r\n--b--\r\n";
  auto parts = parse_multipart(body, "b");
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_TRUE((*parts)[0].is_file());
  EXPECT_TRUE((*parts)[0].data.empty());
}

TEST(Multipart, PreambleIsSkipped) {
  std::string body =
      "ignored preamble\r\n--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"
      "\r\n--b--";
  auto parts = parse_multipart(body, "b");
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ((*parts)[0].data, "1");
}

TEST(Multipart, MalformedBodiesAreRefused) {
  const char* bad[] = {
      "",                                                                      // nothing
      "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end",       // no closing
      "--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--b--",  // not form-data
      "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--",               // no name
      "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--",                     // no disposition
      "--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--b--",     // open quote
      "--bx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n",  // headers unterminated
      "--b\r\nno colon here\r\n\r\nx\r\n--b--",
  };
  for (const char* body : bad) EXPECT_FALSE(parse_multipart(body, "b").ok()) << body;
}

TEST(Multipart, LimitsOnPartsAndHeaders) {
  std::string body;
  for (int i = 0; i < 65; ++i)
    body +=
        "--b\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) + "\"\r\n\r\nv\r\n";
  body += "--b--";
  auto many = parse_multipart(body, "b");
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.error().message, "too many parts");
  std::string big =
      "--b\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: " + std::string(5000, 'p') +
      "\r\n\r\nv\r\n--b--";
  EXPECT_FALSE(parse_multipart(big, "b").ok());
}

// A cheap fuzz pass: random cuts, flips and insertions into a valid body must give a
// result or an error, never a crash, and every returned view must lie inside the body.
TEST(Multipart, MutatedBodiesNeverCrashOrPointOutside) {
  const std::string valid = browser_body("----WebKitFormBoundaryQ", std::string(200, 'z'));
  std::mt19937 rng(42);
  for (int round = 0; round < 20000; ++round) {
    std::string body = valid;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !body.empty(); ++e) {
      std::size_t at = rng() % body.size();
      switch (rng() % 3) {
        case 0:
          body.resize(at);
          break;
        case 1:
          body[at] = static_cast<char>(rng() % 256);
          break;
        default:
          body.insert(at, std::string(1 + rng() % 3, "\r\n-\""[rng() % 4]));
          break;
      }
    }
    auto parts = parse_multipart(body, "----WebKitFormBoundaryQ");
    if (!parts.ok()) continue;
    for (const auto& p : *parts) {
      ASSERT_GE(p.data.data(), body.data());
      ASSERT_LE(p.data.data() + p.data.size(), body.data() + body.size());
    }
  }
}
