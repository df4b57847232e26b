// Reading CSV files as spreadsheets write them (RFC 4180): quoted fields may hold the
// separator, doubled quotes ("") and line breaks; lines end in CRLF or LF; a UTF-8 byte
// order mark is skipped; the separator (';' as German Excel writes, or ',') is told by
// the header line. Pure: bytes in, records out; nothing here reads files.
//
// Malformed input never throws and never stops the whole parse where it can be avoided:
// a record that breaks a rule carries the reason and the parser goes on at the next
// line end, so that an import can report every bad row at once. Bytes are not decoded;
// invalid_utf8_at() tells where a field stops being UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace verbund::csv {

struct Limits {
  std::size_t max_bytes = std::size_t{50} << 20;  // the whole input (50 MiB)
  std::size_t max_field_bytes = 65536;            // one field, after unquoting
  std::size_t max_fields = 200;                   // fields of one record
  std::size_t max_records = 100000;               // records, the header included
};

// Why a record is malformed.
enum class RecordError {
  none,
  unclosed_quote,    // a quoted field runs to the end of the input
  text_after_quote,  // "abc"def: the closing quote is not followed by a separator
  field_too_long,    // a field is longer than Limits::max_field_bytes (it is cut there)
  too_many_fields,   // more than Limits::max_fields (the rest is dropped)
};

struct Record {
  std::size_t line = 0;  // the physical line (1-based) on which the record starts
  std::vector<std::string> fields;
  RecordError error = RecordError::none;  // the first rule the record breaks
};

struct Document {
  char separator = ',';
  std::vector<Record> records;  // records[0] is the header; empty lines are left out
};

// ';' or ',', whichever occurs more often outside quotes in the first record of `text`
// (';' on a tie, as a German spreadsheet writes it; ',' when the line has neither).
char detect_separator(std::string_view text);

// Parses `text`. Errors: "too_large" (more than max_bytes), "empty" (no record),
// "too_many_records" (more than max_records). Inside quoted fields CRLF and a lone CR
// become LF.
Result<Document> parse(std::string_view text, const Limits& limits = {});

// The byte offset of the first byte in `s` that is not part of well-formed UTF-8
// (overlong forms, surrogates and code points above U+10FFFF are not), or npos.
std::size_t invalid_utf8_at(std::string_view s);

// One field for a CSV file that spreadsheets open (';'-separated, as German Excel
// expects): quoted when it holds ';', '"' or a line break; a field that a spreadsheet
// would run as a formula (starting with = + - @ or a tab) gets a leading apostrophe
// (CSV injection).
std::string field(std::string_view value);

}  // namespace verbund::csv
