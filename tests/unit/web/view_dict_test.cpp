// ViewDict must expand every template exactly as ctemplate::TemplateDictionary does,
// escaping included: the listing and the layout of every page depend on it.
#include "web/view_dict.hpp"

#include <ctemplate/template.h>
#include <gtest/gtest.h>

#include <string>

using namespace verbund;

namespace {

constexpr const char* kTemplate =
    "{{%AUTOESCAPE context=\"HTML\"}}"
    "<h1 title=\"{{TITLE}}\">{{TITLE}}</h1><a href=\"{{URL}}\">x</a>"
    "<a href=\"/sprache?zurueck={{PATH:u}}\">y</a>"
    "<ul>{{#ITEM}}<li class=\"{{CLASS}}\">{{LABEL}}/{{TITLE}}"
    "{{#ITEM_separator}},{{/ITEM_separator}}{{#ACTIVE}}!{{/ACTIVE}}</li>{{/ITEM}}</ul>"
    "{{#SHOWN}}[{{TITLE}}]{{/SHOWN}}{{#HIDDEN}}never{{/HIDDEN}}"
    "{{#OUTER}}{{#INNER}}({{LABEL}}){{/INNER}}{{/OUTER}}"
    "<p>{{GLOBAL}}|{{MISSING}}|{{BI_SPACE}}|</p>{{>PART}}";
constexpr const char* kPart = "{{%AUTOESCAPE context=\"HTML\"}}<i>{{TITLE}}|{{GLOBAL}}|{{OWN}}</i>";

class ViewDictTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ctemplate::mutable_default_template_cache()->Delete("test/view_dict.html");
    ctemplate::mutable_default_template_cache()->Delete("test/view_dict_part.html");
    ASSERT_TRUE(ctemplate::StringToTemplateCache("test/view_dict.html", kTemplate,
                                                 ctemplate::DO_NOT_STRIP));
    ASSERT_TRUE(ctemplate::StringToTemplateCache("test/view_dict_part.html", kPart,
                                                 ctemplate::DO_NOT_STRIP));
  }

  static std::string expand(const ctemplate::TemplateDictionaryInterface& d) {
    std::string out;
    EXPECT_TRUE(
        ctemplate::ExpandTemplate("test/view_dict.html", ctemplate::DO_NOT_STRIP, &d, &out));
    return out;
  }
};

}  // namespace

TEST_F(ViewDictTest, ExpandsLikeTemplateDictionary) {
  const std::string title = "Tom & \"Jerry\" <b>";
  const std::string url = "javascript:alert(1)";
  const std::string path = "/organisationen?ort=a b&x=<y>";

  ctemplate::TemplateDictionary expected("t");
  expected.SetTemplateGlobalValue("GLOBAL", "g<lobal>");
  expected.SetValue("TITLE", title);
  expected.SetValue("URL", url);
  expected.SetValue("PATH", path);
  for (const char* label : {"one", "two<", "three"}) {
    auto* item = expected.AddSectionDictionary("ITEM");
    item->SetValue("LABEL", label);
    item->SetValue("CLASS", "c\" onclick=\"x");
    if (std::string(label) == "two<") item->ShowSection("ACTIVE");
  }
  expected.ShowSection("SHOWN");
  expected.ShowSection("SHOWN");
  expected.AddSectionDictionary("OUTER")->AddSectionDictionary("INNER")->SetValue("LABEL", "in");
  auto* part = expected.AddIncludeDictionary("PART");
  part->SetFilename("test/view_dict_part.html");
  part->SetValue("OWN", "own&");

  web::ViewDict d;
  d.set_global("GLOBAL", "g<lobal>");
  d.set("TITLE", title);
  d.set("URL", url);
  d.set("PATH", path);
  for (const char* label : {"one", "two<", "three"}) {
    auto& item = d.add_section("ITEM");
    item.set("LABEL", label);
    item.set("CLASS", "c\" onclick=\"x");
    if (std::string(label) == "two<") item.show("ACTIVE");
  }
  d.show("SHOWN");
  d.show("SHOWN");
  d.add_section("OUTER").add_section("INNER").set("LABEL", "in");
  web::ViewDict included;
  included.set_global("GLOBAL", "g<lobal>");
  included.set("OWN", "own&");
  d.include("PART", included, "test/view_dict_part.html");

  const std::string out = expand(d);
  EXPECT_EQ(out, expand(expected));
  // The template's escaping applies: HTML text, attributes, URLs and query parts.
  EXPECT_NE(out.find("Tom &amp; &quot;Jerry&quot; &lt;b&gt;"), std::string::npos) << out;
  EXPECT_EQ(out.find("javascript:"), std::string::npos) << out;
  EXPECT_EQ(out.find("onclick=\"x"), std::string::npos) << out;
  EXPECT_EQ(out.find("<y>"), std::string::npos) << out;
  // An included template sees the globals, not the including dictionary's values.
  EXPECT_NE(out.find("<i>|g&lt;lobal&gt;|own&amp;</i>"), std::string::npos) << out;
}

TEST_F(ViewDictTest, LaterSetReplacesAValueAndCopiesIt) {
  web::ViewDict d;
  std::string value = "first";
  d.set("TITLE", value);
  value = "changed";  // the dictionary holds its own copy
  EXPECT_NE(expand(d).find("<h1 title=\"first\">first</h1>"), std::string::npos);
  d.set("TITLE", "second");
  EXPECT_NE(expand(d).find("<h1 title=\"second\">second</h1>"), std::string::npos);
}

TEST_F(ViewDictTest, SetAndShowDoesNothingForAnEmptyValue) {
  web::ViewDict d;
  d.set_and_show("TITLE", "", "SHOWN");
  EXPECT_EQ(expand(d).find("[]"), std::string::npos);
  d.set_and_show("TITLE", "t", "SHOWN");
  EXPECT_NE(expand(d).find("[t]"), std::string::npos);
}
