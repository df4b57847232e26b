#include "core/csv.hpp"

#include <gtest/gtest.h>

#include <random>

using namespace verbund;

namespace {

std::vector<std::vector<std::string>> fields_of(const csv::Document& d) {
  std::vector<std::vector<std::string>> out;
  for (const auto& r : d.records) out.push_back(r.fields);
  return out;
}

using Rows = std::vector<std::vector<std::string>>;

}  // namespace

TEST(Csv, TellsTheSeparatorFromTheHeaderLine) {
  EXPECT_EQ(csv::detect_separator("Name;Ort;PLZ\na,b,c,d,e\n"), ';');
  EXPECT_EQ(csv::detect_separator("name,city,postcode\n"), ',');
  // Separators inside quotes do not count.
  EXPECT_EQ(csv::detect_separator("\"a;b;c;d\",x,y\n"), ',');
  EXPECT_EQ(csv::detect_separator("\xEF\xBB\xBFName;Ort"), ';');
  EXPECT_EQ(csv::detect_separator("Name\n"), ',');
}

TEST(Csv, QuotedFieldsHoldSeparatorsDoubledQuotesAndLineBreaks) {
  auto d = csv::parse("name;about\n\"Tafel; Kassel\";\"Wir sagen \"\"Hallo\"\"\nund mehr\"\n");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->separator, ';');
  EXPECT_EQ(fields_of(*d),
            (Rows{{"name", "about"}, {"Tafel; Kassel", "Wir sagen \"Hallo\"\nund mehr"}}));
}

TEST(Csv, RecordsKnowThePhysicalLineTheyStartOn) {
  auto d = csv::parse("a,b\r\n1,\"x\r\ny\r\nz\"\r\n\r\n2,w\r\n3,\"\"\n");
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->records.size(), 4u);
  EXPECT_EQ(d->records[0].line, 1u);
  EXPECT_EQ(d->records[1].line, 2u);
  EXPECT_EQ(d->records[1].fields[1], "x\ny\nz");  // CRLF inside quotes becomes LF
  EXPECT_EQ(d->records[2].line, 6u);              // line 5 is empty
  EXPECT_EQ(d->records[3].line, 7u);
  EXPECT_EQ(d->records[3].fields[1], "");
}

TEST(Csv, AcceptsLfCrlfAndLoneCrLineEnds) {
  for (std::string nl : {"\n", "\r\n", "\r"}) {
    auto d = csv::parse("a,b" + nl + "1,2" + nl + "3,4");
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(fields_of(*d), (Rows{{"a", "b"}, {"1", "2"}, {"3", "4"}})) << int(nl[0]);
    EXPECT_EQ(d->records[2].line, 3u);
  }
}

TEST(Csv, SkipsTheByteOrderMark) {
  auto d = csv::parse("\xEF\xBB\xBFName;Ort\nA;B\n");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->records[0].fields[0], "Name");
}

TEST(Csv, KeepsEmptyFieldsAndATrailingSeparator) {
  auto d = csv::parse("a;b;c\n;;\nx;;\n");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(fields_of(*d), (Rows{{"a", "b", "c"}, {"", "", ""}, {"x", "", ""}}));
}

TEST(Csv, ReportsAQuoteThatIsNeverClosed) {
  auto d = csv::parse("a,b\n1,2\n3,\"open\n4,5\n");
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->records.size(), 3u);
  EXPECT_EQ(d->records[1].error, csv::RecordError::none);
  EXPECT_EQ(d->records[2].error, csv::RecordError::unclosed_quote);
  EXPECT_EQ(d->records[2].line, 3u);
}

TEST(Csv, ReportsTextAfterAClosingQuoteAndGoesOn) {
  auto d = csv::parse("a,b\n\"x\"y,2\n3,4\n");
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->records.size(), 3u);
  EXPECT_EQ(d->records[1].error, csv::RecordError::text_after_quote);
  EXPECT_EQ(d->records[1].fields, (std::vector<std::string>{"xy", "2"}));
  EXPECT_EQ(d->records[2].error, csv::RecordError::none);
  EXPECT_EQ(d->records[2].line, 3u);
}

TEST(Csv, KeepsItsLimits) {
  csv::Limits small;
  small.max_field_bytes = 4;
  small.max_fields = 3;
  small.max_records = 3;
  auto d = csv::parse("a,b\n123456,x\n1,2,3,4,5\n", small);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->records[1].error, csv::RecordError::field_too_long);
  EXPECT_EQ(d->records[1].fields[0], "1234");
  EXPECT_EQ(d->records[2].error, csv::RecordError::too_many_fields);
  EXPECT_EQ(d->records[2].fields.size(), 3u);

  auto many = csv::parse("a\n1\n2\n3\n", small);
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.error().code, "too_many_records");
  small.max_bytes = 5;
  auto large = csv::parse("abcdef", small);
  ASSERT_FALSE(large.ok());
  EXPECT_EQ(large.error().code, "too_large");
  EXPECT_EQ(csv::parse("").error().code, "empty");
  EXPECT_EQ(csv::parse("\n\r\n\n").error().code, "empty");
}

TEST(Csv, FindsWhereUtf8Breaks) {
  EXPECT_EQ(csv::invalid_utf8_at("Gießen – Straße 😀"), std::string_view::npos);
  EXPECT_EQ(csv::invalid_utf8_at("Gie\xDF"
                                 "en"),
            3u);                                            // Latin-1 ß
  EXPECT_EQ(csv::invalid_utf8_at("ab\xC3"), 2u);            // cut short
  EXPECT_EQ(csv::invalid_utf8_at("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(csv::invalid_utf8_at("\xE0\x80\xAF"), 0u);      // overlong
  EXPECT_EQ(csv::invalid_utf8_at("x\xED\xA0\x80"), 1u);     // UTF-16 surrogate
  EXPECT_EQ(csv::invalid_utf8_at("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(csv::invalid_utf8_at("\x80"), 0u);
}

TEST(Csv, RandomBytesNeverCrashAndLinesOnlyGrow) {
  std::mt19937 rng(20240611);
  const std::string alphabet = "ab;,\"\r\n \xC3\xA4\xFF";
  csv::Limits small;
  small.max_field_bytes = 16;
  small.max_fields = 8;
  small.max_records = 50;
  for (int round = 0; round < 3000; ++round) {
    std::string input(rng() % 200, ' ');
    for (auto& c : input) c = alphabet[rng() % alphabet.size()];
    auto d = csv::parse(input, small);
    if (!d.ok()) continue;
    std::size_t last = 0;
    for (const auto& r : d->records) {
      EXPECT_GT(r.line, last);
      EXPECT_LE(r.fields.size(), small.max_fields);
      for (const auto& f : r.fields) EXPECT_LE(f.size(), small.max_field_bytes);
      last = r.line;
    }
  }
}

TEST(Csv, FieldsAreWrittenSoThatSpreadsheetsReadThemBack) {
  EXPECT_EQ(csv::field("Anna Beispiel"), "Anna Beispiel");
  EXPECT_EQ(csv::field("Kita; Sonnenschein"), "\"Kita; Sonnenschein\"");
  EXPECT_EQ(csv::field("sagt \"hallo\""), "\"sagt \"\"hallo\"\"\"");
  EXPECT_EQ(csv::field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(csv::field("-1"), "'-1");
  EXPECT_EQ(csv::field("@SUM(A1)"), "'@SUM(A1)");
  // What we write, our reader reads back as the same fields.
  std::string line = csv::field("a;b") + ";" + csv::field("c\"d") + ";" + csv::field("e\nf");
  auto d = csv::parse("x;y;z\n" + line + "\n");
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->records.size(), 2u);
  EXPECT_EQ(d->records[1].fields, (std::vector<std::string>{"a;b", "c\"d", "e\nf"}));
}
