#include "core/json.hpp"

#include <gtest/gtest.h>

using verbund::json::quote;
using verbund::json::Writer;

TEST(Json, QuoteEscapesWhatJsonAndHtmlScriptBlocksNeed) {
  EXPECT_EQ(quote("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
  EXPECT_EQ(quote("</script><!--&"), "\"\\u003c/script\\u003e\\u003c!--\\u0026\"");
  EXPECT_EQ(quote(std::string("\x01", 1)), "\"\\u0001\"");
  EXPECT_EQ(quote("Zeile\xE2\x80\xA8"
                  "neu"),
            "\"Zeile\\u2028neu\"");
  EXPECT_EQ(quote("Straße"), "\"Straße\"");
}

TEST(Json, WriterNestsAndSkipsEmptyOptionalFields) {
  Writer w;
  w.begin_object().field("name", "Tafel").field("email", "").key("address").begin_object();
  w.field("city", "Gießen").end_object();
  w.begin_array("sameAs").value("https://a.example").value("https://b.example").end_array();
  w.key("n").value(3LL).end_object();
  EXPECT_EQ(w.str(),
            "{\"name\":\"Tafel\",\"address\":{\"city\":\"Gießen\"},"
            "\"sameAs\":[\"https://a.example\",\"https://b.example\"],\"n\":3}");
}
