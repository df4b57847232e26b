#include "model/vcard.hpp"

#include <gtest/gtest.h>

using verbund::model::Organisation;
using verbund::model::vcard;

namespace {
Organisation sample() {
  Organisation o;
  o.name = "Beratung; Hilfe, Zukunft e.V.";
  o.street = "Am Markt 1";
  o.postcode = "35390";
  o.city = "Gießen";
  o.state = "Hessen";
  o.phone = "0641 12345";
  o.email = "info@zukunft.example";
  o.website = "javascript:alert(1)";
  o.short_description = std::string(70, 'x') + "ääää";
  return o;
}
}  // namespace

TEST(Vcard, EscapesTextAndUsesCrlf) {
  std::string v = vcard(sample(), "https://verbund.example/organisationen/beratung");
  EXPECT_TRUE(v.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\n"));
  EXPECT_NE(v.find("FN:Beratung\\; Hilfe\\, Zukunft e.V.\r\n"), std::string::npos);
  EXPECT_NE(v.find("ADR;TYPE=work:;;Am Markt 1;Gießen;Hessen;35390;Deutschland\r\n"),
            std::string::npos);
  EXPECT_EQ(v.find("javascript:"), std::string::npos);  // only http(s) websites
  EXPECT_TRUE(v.ends_with("END:VCARD\r\n"));
}

TEST(Vcard, FoldsLongLinesWithoutSplittingCharacters) {
  std::string v = vcard(sample(), "https://verbund.example/x");
  std::size_t start = 0;
  while (start < v.size()) {
    std::size_t end = v.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - start, 75u);
    // A continuation line never starts inside a UTF-8 sequence.
    if (v[start] == ' ' && start + 1 < v.size()) {
      EXPECT_NE(static_cast<unsigned char>(v[start + 1]) & 0xC0, 0x80);
    }
    start = end + 2;
  }
  EXPECT_NE(v.find("NOTE:" + std::string(70, 'x')), std::string::npos);
  EXPECT_NE(v.find("\r\n ää"), std::string::npos) << v;
}
