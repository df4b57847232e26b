#include "model/org_import.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include "core/i18n.hpp"
#include "model/org_form.hpp"

namespace verbund::model {

namespace {

struct ColumnInfo {
  ImportColumn column;
  std::string_view key;
  std::string_view german;
  // Folded (see fold()) names besides the key and the German name.
  std::vector<std::string_view> aliases;
};

const std::array<ColumnInfo, kImportColumnCount>& column_table() {
  static const std::array<ColumnInfo, kImportColumnCount> table = {{
      {ImportColumn::name,
       "name",
       "Name",
       {"organisation", "organisationsname", "namederorganisation", "einrichtung",
        "mitgliedsorganisation"}},
      {ImportColumn::short_name, "short_name", "Kurzname", {"kurzbezeichnung", "abkuerzung"}},
      {ImportColumn::legal_form, "legal_form", "Rechtsform", {}},
      {ImportColumn::region,
       "region",
       "Landesverband",
       {"regionalverband", "verband", "regionalassociation"}},
      {ImportColumn::street,
       "street",
       "Straße",
       {"strasseundhausnummer", "strassehausnummer", "strasseundnr", "strassenr", "anschrift",
        "adresse"}},
      {ImportColumn::postcode, "postcode", "PLZ", {"postleitzahl", "zip"}},
      {ImportColumn::city, "city", "Ort", {"stadt", "gemeinde"}},
      {ImportColumn::state, "state", "Bundesland", {"land"}},
      {ImportColumn::fields,
       "fields",
       "Arbeitsfelder",
       {"arbeitsfeld", "arbeitsbereiche", "handlungsfelder", "fieldsofwork"}},
      {ImportColumn::target_groups, "target_groups", "Zielgruppen", {"zielgruppe"}},
      {ImportColumn::short_description,
       "short_description",
       "Kurzbeschreibung",
       {"beschreibung", "summary"}},
      {ImportColumn::about,
       "about",
       "Über uns",
       {"aboutus", "selbstdarstellung", "langbeschreibung"}},
      {ImportColumn::why, "why", "Warum wir dabei sind", {"warum", "motivation"}},
      {ImportColumn::founded, "founded", "Gründungsjahr", {"gegruendet", "gruendung"}},
      {ImportColumn::email, "email", "E-Mail", {"emailadresse", "mail"}},
      {ImportColumn::phone, "phone", "Telefon", {"tel", "telefonnummer"}},
      {ImportColumn::website,
       "website",
       "Website",
       {"webseite", "homepage", "internet", "internetseite", "url", "web"}},
      {ImportColumn::languages, "languages", "Sprachen", {}},
      {ImportColumn::accessibility, "accessibility", "Barrierefreiheit", {}},
      {ImportColumn::opening_hours, "opening_hours", "Öffnungszeiten", {}},
  }};
  return table;
}

const ColumnInfo& info(ImportColumn c) { return column_table()[static_cast<std::size_t>(c)]; }

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// A spelling-tolerant form for comparing names: ASCII lower case, umlauts as ae/oe/ue,
// ß as ss, without spaces and punctuation people vary ("E-Mail" = "e_mail" = "email").
std::string fold(std::string_view s) {
  static const std::pair<std::string_view, std::string_view> kLetters[] = {
      {"ä", "ae"}, {"Ä", "ae"}, {"ö", "oe"}, {"Ö", "oe"},     {"ü", "ue"},
      {"Ü", "ue"}, {"ß", "ss"}, {"ẞ", "ss"}, {"\xC2\xA0", ""}};
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    bool matched = false;
    for (const auto& [from, to] : kLetters)
      if (s.substr(i, from.size()) == from) {
        out += to;
        i += from.size();
        matched = true;
        break;
      }
    if (matched) continue;
    char c = s[i++];
    if (std::string_view(" \t-_.*/():").find(c) != std::string_view::npos) continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::vector<std::string> split_list(std::string_view s, std::string_view separators) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || separators.find(s[i]) != std::string_view::npos) {
      auto item = trimmed(s.substr(start, i - start));
      if (!item.empty()) out.push_back(std::move(item));
      start = i + 1;
    }
  return out;
}

const std::vector<std::string>& federal_states() {
  static const std::vector<std::string> states = {"Baden-Württemberg",
                                                  "Bayern",
                                                  "Berlin",
                                                  "Brandenburg",
                                                  "Bremen",
                                                  "Hamburg",
                                                  "Hessen",
                                                  "Mecklenburg-Vorpommern",
                                                  "Niedersachsen",
                                                  "Nordrhein-Westfalen",
                                                  "Rheinland-Pfalz",
                                                  "Saarland",
                                                  "Sachsen",
                                                  "Sachsen-Anhalt",
                                                  "Schleswig-Holstein",
                                                  "Thüringen"};
  return states;
}

std::optional<std::string> canonical_legal_form(std::string_view value) {
  static const std::map<std::string, std::string> kVariants = {
      {"eingetragenerverein", "e.V."}, {"gughaftungsbeschraenkt", "gUG"},
      {"eg", "Genossenschaft"},        {"sonstiges", "Sonstige"},
      {"andere", "Sonstige"},          {"other", "Sonstige"}};
  auto f = fold(value);
  for (const auto& form : legal_forms())
    if (fold(form) == f) return form;
  auto it = kVariants.find(f);
  if (it != kVariants.end()) return it->second;
  return std::nullopt;
}

// Taxonomy keys by their folded key and German and English labels.
std::map<std::string, std::string> taxonomy_names(const std::vector<std::string>& keys,
                                                  std::string_view prefix) {
  std::map<std::string, std::string> out;
  for (const auto& k : keys) {
    out.emplace(fold(k), k);
    for (const char* locale : {"de", "en"}) {
      std::string label_key = std::string(prefix) + k;
      if (i18n::has(locale, label_key)) out.emplace(fold(i18n::t(locale, label_key)), k);
    }
  }
  return out;
}

bool has_control_chars(std::string_view s, bool multi_line) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == 0x7F || (c < 0x20 && !(multi_line && (c == '\n' || c == '\t')))) return true;
  }
  return false;
}

// `s` for a report line in a terminal: at most `max` code points, invalid UTF-8 and
// control characters (which could steer the terminal) as U+FFFD, line breaks as spaces.
std::string shown(std::string_view s, std::size_t max = 40) {
  constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  std::string out;
  for (std::size_t points = 0; !s.empty() && points < max; ++points) {
    if (csv::invalid_utf8_at(s.substr(0, std::min<std::size_t>(4, s.size()))) == 0) {
      out += kReplacement;
      s.remove_prefix(1);
      continue;
    }
    auto lead = static_cast<unsigned char>(s[0]);
    std::size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    bool c1_control = lead == 0xC2 && static_cast<unsigned char>(s[1]) < 0xA0;
    if (lead == '\n' || lead == '\t')
      out += ' ';
    else if (lead < 0x20 || lead == 0x7F || c1_control)
      out += kReplacement;
    else
      out += s.substr(0, len);
    s.remove_prefix(len);
  }
  if (!s.empty()) out += "…";
  return out;
}

std::string_view record_error_key(csv::RecordError e) {
  switch (e) {
    case csv::RecordError::unclosed_quote:
      return "import.csv.unclosed_quote";
    case csv::RecordError::text_after_quote:
      return "import.csv.text_after_quote";
    case csv::RecordError::field_too_long:
      return "import.csv.field_too_long";
    case csv::RecordError::too_many_fields:
      return "import.csv.too_many_fields";
    case csv::RecordError::none:
      break;
  }
  return "";
}

}  // namespace

std::string_view import_column_key(ImportColumn c) { return info(c).key; }
std::string_view import_column_german(ImportColumn c) { return info(c).german; }

std::optional<ImportColumn> import_column_for(std::string_view header) {
  auto f = fold(header);
  if (f.empty()) return std::nullopt;
  for (const auto& col : column_table()) {
    if (f == fold(col.key) || f == fold(col.german)) return col.column;
    for (auto alias : col.aliases)
      if (f == alias) return col.column;
  }
  return std::nullopt;
}

const std::vector<ImportColumn>& required_import_columns() {
  // The web form's rules refuse a row without any of these.
  static const std::vector<ImportColumn> required = {
      ImportColumn::name, ImportColumn::legal_form,        ImportColumn::region,
      ImportColumn::city, ImportColumn::short_description, ImportColumn::fields};
  return required;
}

std::string describe(const ImportProblem& p, std::string_view locale) {
  std::string where;
  if (p.line > 0 && !p.column.empty())
    where = i18n::format(locale, "import.at_line_column",
                         {{"line", std::to_string(p.line)}, {"column", shown(p.column)}});
  else if (p.line > 0)
    where = i18n::format(locale, "import.at_line", {{"line", std::to_string(p.line)}});
  else if (!p.column.empty())
    where = shown(p.column);
  if (!p.value.empty()) where += (where.empty() ? "'" : " '") + shown(p.value) + "'";
  std::string message = i18n::t(locale, p.key);
  for (const auto& [name, raw] : p.args) {
    std::string ph = "{" + name + "}", value = shown(raw, 1000);
    for (auto pos = message.find(ph); pos != std::string::npos;
         pos = message.find(ph, pos + value.size()))
      message.replace(pos, ph.size(), value);
  }
  std::string out = p.warning ? i18n::t(locale, "import.warning") + ": " : "";
  return out + (where.empty() ? "" : where + ": ") + message;
}

ImportHeader map_import_header(const std::vector<std::string>& cells, std::size_t line,
                               std::vector<ImportProblem>& problems) {
  ImportHeader h;
  h.line = line;
  std::map<ImportColumn, std::string> seen;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    auto name = trimmed(cells[i]);
    auto column = import_column_for(name);
    if (column && seen.count(*column)) {
      problems.push_back({line, name, "", "import.column_twice", {{"other", seen[*column]}}});
      column.reset();
    } else if (column) {
      seen[*column] = name;
    } else if (name.empty()) {
      problems.push_back(
          {line, "", "", "import.column_unnamed", {{"number", std::to_string(i + 1)}}, true});
    } else {
      problems.push_back({line, name, "", "import.column_unknown", {}, true});
    }
    h.names.push_back(std::move(name));
    h.columns.push_back(column);
  }
  std::string missing;
  for (auto c : required_import_columns())
    if (!seen.count(c)) {
      if (!missing.empty()) missing += ", ";
      missing +=
          std::string(import_column_german(c)) + " (" + std::string(import_column_key(c)) + ")";
    }
  if (!missing.empty())
    problems.push_back({line, "", "", "import.columns_missing", {{"columns", missing}}});
  return h;
}

std::optional<ImportRow> read_import_row(const ImportHeader& header, const csv::Record& record,
                                         const ImportVocabulary& vocab,
                                         std::vector<ImportProblem>& problems) {
  const std::size_t line = record.line;
  if (record.error != csv::RecordError::none) {
    problems.push_back({line, "", "", std::string(record_error_key(record.error)), {}});
    return std::nullopt;
  }
  std::size_t before = problems.size();
  if (record.fields.size() > header.names.size()) {
    bool extra = false;
    for (std::size_t i = header.names.size(); i < record.fields.size(); ++i)
      extra = extra || !trimmed(record.fields[i]).empty();
    if (extra)
      problems.push_back({line,
                          "",
                          "",
                          "import.extra_fields",
                          {{"count", std::to_string(record.fields.size())},
                           {"columns", std::to_string(header.names.size())}}});
  }

  // The cell of each column, and the header it came from.
  std::array<std::string, kImportColumnCount> value;
  std::array<std::string, kImportColumnCount> column_name;
  std::array<bool, kImportColumnCount> flagged{};
  for (std::size_t i = 0; i < header.columns.size(); ++i) {
    if (!header.columns[i]) continue;
    auto c = static_cast<std::size_t>(*header.columns[i]);
    column_name[c] = header.names[i];
    if (i < record.fields.size()) value[c] = record.fields[i];
  }
  auto report = [&](ImportColumn col, std::string key,
                    std::vector<std::pair<std::string, std::string>> args = {}) {
    auto c = static_cast<std::size_t>(col);
    if (flagged[c]) return;  // one reason per cell is enough
    flagged[c] = true;
    problems.push_back(
        {line, column_name[c].empty() ? std::string(import_column_key(col)) : column_name[c],
         trimmed(value[c]), std::move(key), std::move(args)});
  };

  // Encoding and characters first: nothing else is checked on a cell that fails here.
  for (std::size_t c = 0; c < kImportColumnCount; ++c) {
    auto col = static_cast<ImportColumn>(c);
    bool multi_line = col == ImportColumn::about || col == ImportColumn::why ||
                      col == ImportColumn::short_description || col == ImportColumn::fields ||
                      col == ImportColumn::target_groups;
    if (csv::invalid_utf8_at(value[c]) != std::string_view::npos)
      report(col, "import.not_utf8");
    else if (has_control_chars(value[c], multi_line))
      report(col, "import.control_chars");
  }
  auto cell = [&](ImportColumn col) -> std::string {
    auto c = static_cast<std::size_t>(col);
    return flagged[c] ? std::string() : trimmed(value[c]);
  };

  OrgBasics b;
  b.name = cell(ImportColumn::name);
  b.short_name = cell(ImportColumn::short_name);
  b.street = cell(ImportColumn::street);
  b.postcode = cell(ImportColumn::postcode);
  b.city = cell(ImportColumn::city);
  b.short_description = cell(ImportColumn::short_description);
  b.about = cell(ImportColumn::about);
  b.email = cell(ImportColumn::email);
  b.phone = cell(ImportColumn::phone);
  b.website = cell(ImportColumn::website);
  // Member lists often hold "www.example.org"; the form's rule wants the scheme.
  if (b.website.starts_with("www.")) b.website = "https://" + b.website;

  if (auto legal = cell(ImportColumn::legal_form); !legal.empty()) {
    if (auto form = canonical_legal_form(legal))
      b.legal_form = *form;
    else
      report(ImportColumn::legal_form, "import.legal_form_unknown");
  }

  const Region* region = nullptr;
  if (auto r = cell(ImportColumn::region); !r.empty()) {
    auto f = fold(r);
    for (const auto& candidate : vocab.regions)
      if (fold(candidate.code) == f || fold(candidate.name) == f) region = &candidate;
    if (region)
      b.region_code = region->code;
    else
      report(ImportColumn::region, "import.region_unknown");
  }

  auto read_keys = [&](ImportColumn col, const std::vector<std::string>& keys,
                       std::string_view prefix, const char* unknown_key) {
    auto names = taxonomy_names(keys, prefix);
    std::vector<std::string> out;
    for (const auto& item : split_list(cell(col), ",;|\n")) {
      auto it = names.find(fold(item));
      if (it == names.end()) {
        auto c = static_cast<std::size_t>(col);
        if (!flagged[c]) {
          flagged[c] = true;
          problems.push_back({line, column_name[c], item, unknown_key, {}});
        }
        continue;
      }
      out.push_back(it->second);
    }
    return out;
  };
  b.fields = read_keys(ImportColumn::fields, vocab.field_keys, "field.", "import.field_unknown");
  b.target_groups =
      read_keys(ImportColumn::target_groups, vocab.group_keys, "target.", "import.group_unknown");

  // The web form's rules. Cells that failed above have been emptied: their second
  // complaint ("please enter ...") is not shown.
  std::set<std::string> codes, field_keys(vocab.field_keys.begin(), vocab.field_keys.end()),
      group_keys(vocab.group_keys.begin(), vocab.group_keys.end());
  for (const auto& r : vocab.regions) codes.insert(r.code);
  for (const auto& e : validate(b, codes, field_keys, group_keys)) {
    auto col = import_column_for(e.field);
    if (col) report(*col, e.message_key);
  }

  // Columns the web form does not have.
  Organisation o;
  o.state = cell(ImportColumn::state);
  if (!o.state.empty()) {
    auto f = fold(o.state);
    auto it = std::find_if(federal_states().begin(), federal_states().end(),
                           [&](const std::string& s) { return fold(s) == f; });
    if (it == federal_states().end())
      report(ImportColumn::state, "import.state_unknown");
    else
      o.state = *it;
  } else if (region) {
    // A regional association named after one federal state lies in it.
    auto f = fold(region->name);
    for (const auto& s : federal_states())
      if (fold(s) == f) o.state = s;
  }
  if (auto year = cell(ImportColumn::founded); !year.empty()) {
    bool digits = year.size() == 4 && std::all_of(year.begin(), year.end(),
                                                  [](char ch) { return ch >= '0' && ch <= '9'; });
    int y = digits ? std::stoi(year) : 0;
    if (y < 1500 || y > vocab.current_year)
      report(ImportColumn::founded, "import.founded_invalid",
             {{"year", std::to_string(vocab.current_year)}});
    else
      o.founded = y;
  }
  if (auto langs = cell(ImportColumn::languages); !langs.empty()) {
    auto codes_in = split_list(langs, ",;| /");
    bool ok = codes_in.size() <= 30;
    std::string joined;
    for (auto& code : codes_in) {
      std::transform(code.begin(), code.end(), code.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      ok = ok && code.size() >= 2 && code.size() <= 3 &&
           std::all_of(code.begin(), code.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
      joined += (joined.empty() ? "" : ",") + code;
    }
    if (ok)
      o.languages = joined;
    else
      report(ImportColumn::languages, "import.languages_invalid");
  }
  auto limited = [&](ImportColumn col, std::size_t max, bool one_line) {
    auto text = cell(col);
    if (utf8_length(text) > max)
      report(col, "import.too_long", {{"max", std::to_string(max)}});
    else if (one_line && text.find('\n') != std::string::npos)
      report(col, "import.one_line");
    return text;
  };
  o.why = limited(ImportColumn::why, 2000, false);
  o.accessibility = limited(ImportColumn::accessibility, 500, true);
  o.opening_hours = limited(ImportColumn::opening_hours, 300, true);

  if (problems.size() > before) return std::nullopt;
  apply_basics(o, b, region->id);
  o.region_name = region->name;
  return ImportRow{line, slugify(o.name), std::move(o)};
}

std::size_t ImportPlan::errors() const {
  return static_cast<std::size_t>(
      std::count_if(problems.begin(), problems.end(), [](const auto& p) { return !p.warning; }));
}

std::size_t ImportPlan::bad_rows() const {
  std::set<std::size_t> lines;
  for (const auto& p : problems)
    if (!p.warning && p.line > 0) lines.insert(p.line);
  return lines.size();
}

ImportPlan plan_import(std::string_view bytes, const ImportVocabulary& vocab,
                       const csv::Limits& limits) {
  ImportPlan plan;
  auto fatal = [&](std::string key, std::vector<std::pair<std::string, std::string>> args = {},
                   std::size_t line = 0) {
    plan.problems.push_back({line, "", "", std::move(key), std::move(args)});
    plan.fatal = true;
    return plan;
  };
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) return fatal("import.utf16");
  auto doc = csv::parse(bytes, limits);
  if (!doc) {
    const auto& code = doc.error().code;
    if (code == "too_large")
      return fatal("import.too_large", {{"max", std::to_string(limits.max_bytes >> 20)}});
    if (code == "too_many_records")
      return fatal("import.too_many_rows", {{"max", std::to_string(limits.max_records - 1)}});
    return fatal("import.empty");
  }
  plan.separator = doc->separator;
  const auto& head = doc->records.front();
  if (head.error != csv::RecordError::none)
    return fatal(std::string(record_error_key(head.error)), {}, head.line);
  for (const auto& cell : head.fields)
    if (csv::invalid_utf8_at(cell) != std::string_view::npos)
      return fatal("import.header_not_utf8", {}, head.line);
  auto header = map_import_header(head.fields, head.line, plan.problems);
  if (plan.errors() > 0) {
    plan.fatal = true;
    return plan;
  }

  for (std::size_t i = 0; i < header.columns.size(); ++i)
    if (header.columns[i] == ImportColumn::name) plan.name_column = header.names[i];
  std::map<std::string, std::size_t> line_of_slug;
  for (std::size_t r = 1; r < doc->records.size(); ++r) {
    const auto& record = doc->records[r];
    bool blank = record.error == csv::RecordError::none &&
                 std::all_of(record.fields.begin(), record.fields.end(),
                             [](const std::string& f) { return trimmed(f).empty(); });
    if (blank) continue;  // spreadsheets write empty rows as ";;;;"
    ++plan.records;
    auto row = read_import_row(header, record, vocab, plan.problems);
    if (!row) continue;
    auto [it, fresh] = line_of_slug.emplace(row->slug, row->line);
    if (!fresh) {
      plan.problems.push_back({row->line,
                               plan.name_column,
                               row->org.name,
                               "import.duplicate_in_file",
                               {{"line", std::to_string(it->second)}}});
      continue;
    }
    plan.rows.push_back(std::move(*row));
  }
  if (plan.records == 0) return fatal("import.no_rows");
  return plan;
}

}  // namespace verbund::model
