#include "model/org_import.hpp"

#include <gtest/gtest.h>

#include "core/i18n.hpp"

using namespace verbund;
using model::ImportColumn;

namespace {

class OrgImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(i18n::load().ok());
    vocab.regions = {{1, "he", "Hessen"},
                     {2, "nw", "Nordrhein-Westfalen"},
                     {3, "rp-sl", "Rheinland-Pfalz/Saarland"}};
    vocab.field_keys = {"kinder_jugend", "familie", "migration", "bildung"};
    vocab.group_keys = {"kinder", "familien", "eltern"};
    vocab.current_year = 2025;
  }

  std::vector<std::string> described(const model::ImportPlan& plan) {
    std::vector<std::string> out;
    for (const auto& p : plan.problems) out.push_back(model::describe(p, "en"));
    return out;
  }

  model::ImportVocabulary vocab;
};

const std::string kGermanHeader =
    "Name;Rechtsform;Landesverband;Straße;PLZ;Ort;Arbeitsfelder;Zielgruppen;Kurzbeschreibung;"
    "Über uns;Gründungsjahr;E-Mail;Telefon;Website\n";

std::string german_row(const std::string& name, const std::string& postcode = "34117") {
  return name + ";e.V.;Hessen;Weserstraße 38;" + postcode +
         ";Kassel;Familie|Kinder- und Jugendhilfe;Familien, Kinder;Offener Treff für Familien."
         ";\"Seit 2013 für Familien da.\n\nMit **Spielgruppe**.\";2013;info@example.org;"
         "0561 123456;www.example.org\n";
}

}  // namespace

TEST_F(OrgImportTest, HeaderAcceptsGermanAndInternalNamesInAnySpelling) {
  struct Case {
    const char* header;
    ImportColumn column;
  };
  for (auto [header, column] :
       std::initializer_list<Case>{{"Name", ImportColumn::name},
                                   {"name", ImportColumn::name},
                                   {"Kurzname", ImportColumn::short_name},
                                   {"short_name", ImportColumn::short_name},
                                   {"Rechtsform", ImportColumn::legal_form},
                                   {"Landesverband", ImportColumn::region},
                                   {"region", ImportColumn::region},
                                   {"Straße", ImportColumn::street},
                                   {"STRASSE", ImportColumn::street},
                                   {"PLZ", ImportColumn::postcode},
                                   {"Ort", ImportColumn::city},
                                   {"Bundesland", ImportColumn::state},
                                   {"Arbeitsfelder", ImportColumn::fields},
                                   {"Zielgruppen", ImportColumn::target_groups},
                                   {"target_groups", ImportColumn::target_groups},
                                   {"Kurzbeschreibung", ImportColumn::short_description},
                                   {"Über uns", ImportColumn::about},
                                   {"ueber_uns", ImportColumn::about},
                                   {"Gründungsjahr", ImportColumn::founded},
                                   {" E-Mail ", ImportColumn::email},
                                   {"e_mail", ImportColumn::email},
                                   {"Telefon", ImportColumn::phone},
                                   {"Website", ImportColumn::website},
                                   {"Öffnungszeiten", ImportColumn::opening_hours},
                                   {"opening_hours", ImportColumn::opening_hours},
                                   {"Name*", ImportColumn::name}}) {
    auto got = model::import_column_for(header);
    ASSERT_TRUE(got.has_value()) << header;
    EXPECT_EQ(*got, column) << header;
  }
  EXPECT_FALSE(model::import_column_for("Mitgliedsnummer").has_value());
  EXPECT_FALSE(model::import_column_for("").has_value());
}

TEST_F(OrgImportTest, UnknownColumnsWarnAndMissingRequiredOnesAreNamed) {
  std::vector<model::ImportProblem> problems;
  auto h = model::map_import_header({"Name", "Ort", "Mitgliedsnummer", ""}, 1, problems);
  ASSERT_EQ(h.columns.size(), 4u);
  EXPECT_FALSE(h.columns[2].has_value());
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_TRUE(problems[0].warning);
  EXPECT_EQ(model::describe(problems[0], "en"),
            "warning: line 1, Mitgliedsnummer: Unknown column; it is ignored.");
  EXPECT_TRUE(problems[1].warning);
  EXPECT_FALSE(problems[2].warning);
  EXPECT_EQ(model::describe(problems[2], "en"),
            "line 1: Required columns are missing: Rechtsform (legal_form), Landesverband "
            "(region), Kurzbeschreibung (short_description), Arbeitsfelder (fields).");
}

TEST_F(OrgImportTest, AColumnNamedTwiceStopsTheImport) {
  auto plan = model::plan_import(
      "name;Ort;city;legal_form;region;fields;short_description\n"
      "Tafel Kassel e.V.;Kassel;Kassel;e.V.;he;familie;Lebensmittel für alle.\n",
      vocab);
  EXPECT_TRUE(plan.fatal);
  EXPECT_EQ(described(plan), std::vector<std::string>{
                                 "line 1, city: This column means the same as column \"Ort\"."});
}

TEST_F(OrgImportTest, AGermanRowBecomesAnOrganisation) {
  auto plan = model::plan_import(
      "\xEF\xBB\xBF" + kGermanHeader + german_row("Familienzentrum Regenbogen Kassel e.V."), vocab);
  ASSERT_EQ(plan.errors(), 0u) << described(plan)[0];
  EXPECT_EQ(plan.separator, ';');
  ASSERT_EQ(plan.rows.size(), 1u);
  const auto& row = plan.rows[0];
  EXPECT_EQ(row.line, 2u);
  EXPECT_EQ(row.slug, "familienzentrum-regenbogen-kassel-e-v");
  const auto& o = row.org;
  EXPECT_EQ(o.name, "Familienzentrum Regenbogen Kassel e.V.");
  EXPECT_EQ(o.legal_form, "e.V.");
  EXPECT_EQ(o.region_id, 1);
  EXPECT_EQ(o.state, "Hessen");  // from the regional association's name
  EXPECT_EQ(o.street, "Weserstraße 38");
  EXPECT_EQ(o.fields, (std::vector<std::string>{"familie", "kinder_jugend"}));
  EXPECT_EQ(o.target_groups, (std::vector<std::string>{"familien", "kinder"}));
  EXPECT_EQ(o.about, "Seit 2013 für Familien da.\n\nMit **Spielgruppe**.");
  EXPECT_EQ(o.founded, 2013);
  EXPECT_EQ(o.website, "https://www.example.org");
}

TEST_F(OrgImportTest, InternalNamesWithCommasWork) {
  auto plan = model::plan_import(
      "name,short_name,legal_form,region,city,state,fields,target_groups,short_description,"
      "languages,opening_hours\n"
      "Jugendhilfe Hochfeld e.V.,JH Hochfeld,e. V.,nw,Duisburg,nordrhein-westfalen,"
      "\"kinder_jugend,bildung\",,\"Jugendtreff, Lernförderung.\",\"DE, tr ar\",Mo–Fr 13–20 Uhr\n",
      vocab);
  ASSERT_EQ(plan.errors(), 0u) << described(plan)[0];
  const auto& o = plan.rows.at(0).org;
  EXPECT_EQ(o.short_name, "JH Hochfeld");
  EXPECT_EQ(o.legal_form, "e.V.");
  EXPECT_EQ(o.state, "Nordrhein-Westfalen");
  EXPECT_EQ(o.short_description, "Jugendtreff, Lernförderung.");
  EXPECT_EQ(o.languages, "de,tr,ar");
  EXPECT_EQ(o.opening_hours, "Mo–Fr 13–20 Uhr");
}

TEST_F(OrgImportTest, BadCellsAreReportedWithLineColumnValueAndTheFormsMessage) {
  auto plan = model::plan_import(kGermanHeader + german_row("Tafel Kassel e.V.") +
                                     german_row("Tafel Gießen e.V.", "350") +
                                     "Kinderschutz Wetterau;GmbH & Co. KG;Saarland;;;Friedberg;"
                                     "Kita;Kinder;Schutz.;;20x5;keine-mail;;\n",
                                 vocab);
  EXPECT_FALSE(plan.fatal);
  EXPECT_EQ(plan.records, 3u);
  EXPECT_EQ(plan.rows.size(), 1u);
  EXPECT_EQ(plan.bad_rows(), 2u);
  EXPECT_EQ(
      described(plan),
      (std::vector<std::string>{
          // Rows start on lines 2, 5 and 8: each has a three-line "about".
          "line 5, PLZ '350': The postcode has five digits, for example 34117.",
          "line 8, Rechtsform 'GmbH & Co. KG': Not a legal form we know: use e.V., gGmbH, gUG, "
          "Stiftung, Genossenschaft or Sonstige.",
          "line 8, Landesverband 'Saarland': Not a regional association: use its code (for "
          "example he) or its name (for example Hessen).",
          "line 8, Arbeitsfelder 'Kita': Not a field of work: use the keys (for example "
          "kinder_jugend) or names (for example Kinder- und Jugendhilfe), separated by commas "
          "or |.",
          "line 8, E-Mail 'keine-mail': This e-mail address is not valid. It looks like this, for "
          "example: name@example.org",
          "line 8, Gründungsjahr '20x5': The founding year is a year with four digits, at most "
          "2025."}));
}

TEST_F(OrgImportTest, Latin1BytesAreReportedPerCell) {
  std::string header = "name;legal_form;region;city;fields;short_description\n";
  auto plan = model::plan_import(header +
                                     "Tafel Kassel e.V.;e.V.;he;Kassel;familie;Essen für alle.\n"
                                     "Tafel Gie\xDF"
                                     "en e.V.;e.V.;he;Gie\xDF"
                                     "en;familie;F\xFCr alle.\n",
                                 vocab);
  auto d = described(plan);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(plan.problems[0].key, "import.not_utf8");
  EXPECT_EQ(plan.problems[0].line, 3u);
  EXPECT_EQ(plan.problems[0].column, "name");
  EXPECT_EQ(plan.problems[1].column, "city");
  EXPECT_EQ(plan.problems[2].column, "short_description");
  EXPECT_EQ(d[1],
            "line 3, city 'Gie\xEF\xBF\xBD"
            "en': The text is not valid UTF-8; the file was "
            "probably saved as Latin-1 or Windows-1252. Save it as \"CSV UTF-8\" and import it "
            "again.");
  // A Latin-1 header stops the import as a whole.
  auto latin_header = model::plan_import(
      "Name;Stra\xDF"
      "e\nx;y\n",
      vocab);
  EXPECT_TRUE(latin_header.fatal);
  EXPECT_EQ(latin_header.problems.at(0).key, "import.header_not_utf8");
  EXPECT_TRUE(model::plan_import("\xFF\xFEN\0a\0", vocab).fatal);
}

TEST_F(OrgImportTest, ANameTwiceInTheFileIsRefusedOnTheSecondLine) {
  auto plan = model::plan_import(
      "name;legal_form;region;city;fields;short_description\n"
      "Tafel Kassel e.V.;e.V.;he;Kassel;familie;Essen für alle.\n"
      ";;;;;\n"
      "TAFEL KASSEL E.V.;e.V.;he;Kassel;familie;Essen für alle.\n",
      vocab);
  EXPECT_EQ(plan.records, 2u);  // the empty row does not count
  EXPECT_EQ(plan.rows.size(), 1u);
  EXPECT_EQ(described(plan),
            std::vector<std::string>{"line 4, name 'TAFEL KASSEL E.V.': An organisation with "
                                     "this name (or the same web address) is on line 2 "
                                     "already."});
}

TEST_F(OrgImportTest, MalformedRowsAndExtraValuesAreReported) {
  auto plan = model::plan_import(
      "name,legal_form,region,city,fields,short_description\n"
      "Tafel Kassel e.V.,e.V.,he,Kassel,familie,Essen, für alle.\n"
      "\"Tafel \"Nord\" e.V.\",e.V.,he,Kassel,familie,Essen\n"
      "Tafel Fulda e.V.,e.V.,he,Fulda,familie,\"Essen\n",
      vocab);
  auto d = described(plan);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0],
            "line 2: The row has 7 values but the header only 6 columns. Is a separator inside a "
            "value that is not in quotes?");
  EXPECT_EQ(plan.problems[1].key, "import.csv.text_after_quote");
  EXPECT_EQ(plan.problems[1].line, 3u);
  EXPECT_EQ(plan.problems[2].key, "import.csv.unclosed_quote");
  EXPECT_EQ(plan.problems[2].line, 4u);
}

TEST_F(OrgImportTest, TheFileAsAWholeCanBeRefused) {
  EXPECT_EQ(model::plan_import("", vocab).problems.at(0).key, "import.empty");
  EXPECT_EQ(model::plan_import("name;legal_form;region;city;fields;short_description\n", vocab)
                .problems.at(0)
                .key,
            "import.no_rows");
  csv::Limits tiny;
  tiny.max_bytes = 10;
  auto big = model::plan_import(std::string(20, 'x'), vocab, tiny);
  EXPECT_TRUE(big.fatal);
  EXPECT_EQ(big.problems.at(0).key, "import.too_large");
}

TEST_F(OrgImportTest, ReportLinesAreShortAndCannotSteerTheTerminal) {
  model::ImportProblem p{3, "Name", "Tafel \x1b[31mrot\xC2\x9B e.V.", "import.control_chars", {}};
  EXPECT_EQ(model::describe(p, "en"),
            "line 3, Name 'Tafel \xEF\xBF\xBD[31mrot\xEF\xBF\xBD e.V.': The text contains "
            "control characters.");
  p.value = std::string(45, 'x') + "\nmehr";
  EXPECT_EQ(model::describe(p, "en"),
            "line 3, Name '" + std::string(40, 'x') + "…': The text contains control characters.");
  p.value = "Zeile eins\nZeile zwei";
  EXPECT_EQ(model::describe(p, "de"),
            "Zeile 3, Name 'Zeile eins Zeile zwei': Der Text enthält Steuerzeichen.");
}
