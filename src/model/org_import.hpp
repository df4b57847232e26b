// A federation's member list from a spreadsheet (CSV), read into organisations: which
// column is which (the German names a federation writes, or the internal names of
// demo/organisations.tsv), and every row converted and checked by the web form's rules
// (model::validate) plus rules for the columns the form does not have. No I/O: the
// caller passes the file's bytes and the regions and taxonomy keys that exist; whether
// a name exists in the database already is the store's question.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/csv.hpp"
#include "model/organisation.hpp"

namespace verbund::model {

enum class ImportColumn {
  name,
  short_name,
  legal_form,
  region,
  street,
  postcode,
  city,
  state,
  fields,
  target_groups,
  short_description,
  about,
  why,
  founded,
  email,
  phone,
  website,
  languages,
  accessibility,
  opening_hours,
};
inline constexpr std::size_t kImportColumnCount = 20;

// The internal name ("short_name") and the usual German header ("Kurzname").
std::string_view import_column_key(ImportColumn c);
std::string_view import_column_german(ImportColumn c);
// The column a header cell names: internal or German names and their common variants,
// ignoring case, spaces, '-', '_', '.', '*' and umlaut spelling ("E-Mail", "e_mail",
// "Straße", "STRASSE", "Über uns"). nullopt for anything else.
std::optional<ImportColumn> import_column_for(std::string_view header);
// Columns without which no row could pass the web form's rules.
const std::vector<ImportColumn>& required_import_columns();

// One thing to tell the person importing. Rows with an error are not imported and,
// since an import is all or nothing, neither is any other row.
struct ImportProblem {
  std::size_t line = 0;  // physical line where the row starts; 0: the file as a whole
  std::string column;    // the column's header as written, or "" for the row or file
  std::string value;     // the offending value as written, or ""
  std::string key;       // message catalog key of the reason
  std::vector<std::pair<std::string, std::string>> args;  // {placeholder, text}
  bool warning = false;                                   // reported, but the import goes on
};

// For people, in `locale`: "line 7, PLZ '350': The postcode has five digits, for
// example 34117." Values are shortened, invalid UTF-8 shown as U+FFFD.
std::string describe(const ImportProblem& p, std::string_view locale);

// What values may be: regions by code or name, fields of work and target groups by key
// or by their German or English label.
struct ImportVocabulary {
  std::vector<Region> regions;
  std::vector<std::string> field_keys;
  std::vector<std::string> group_keys;
  int current_year = 2025;  // the latest founding year accepted
};

// The columns of a file: for each header cell, the column it names (or nullopt).
struct ImportHeader {
  std::vector<std::string> names;  // as written, trimmed
  std::vector<std::optional<ImportColumn>> columns;
  std::size_t line = 1;
};

// Maps the header cells. Unknown and unnamed columns give warnings; a column named
// twice or a missing required column give errors (nothing can be imported then).
ImportHeader map_import_header(const std::vector<std::string>& cells, std::size_t line,
                               std::vector<ImportProblem>& problems);

struct ImportRow {
  std::size_t line = 0;
  std::string slug;  // model::slugify(name)
  Organisation org;  // region_id and region_name set; status is the caller's choice
};

// Converts and checks one data record; appends its problems and returns the row only
// when it has none.
std::optional<ImportRow> read_import_row(const ImportHeader& header, const csv::Record& record,
                                         const ImportVocabulary& vocab,
                                         std::vector<ImportProblem>& problems);

struct ImportPlan {
  char separator = ',';
  std::string name_column = "name";     // the header of the name column, for reports
  std::size_t records = 0;              // data rows in the file (empty rows not counted)
  std::vector<ImportRow> rows;          // rows without problems, in file order
  std::vector<ImportProblem> problems;  // warnings and errors, in file order
  bool fatal = false;                   // the file as a whole is unusable (no rows read)

  std::size_t errors() const;    // problems that are not warnings
  std::size_t bad_rows() const;  // rows with at least one error
};

// Parses and checks a whole file: encoding (UTF-8, BOM skipped; UTF-16 refused), CSV
// structure and limits, header, every row, and names that occur twice in the file.
ImportPlan plan_import(std::string_view bytes, const ImportVocabulary& vocab,
                       const csv::Limits& limits = {});

}  // namespace verbund::model
