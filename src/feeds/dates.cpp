#include "feeds/dates.hpp"

#include <array>
#include <cctype>
#include <vector>

#include "core/time.hpp"

namespace verbund::feeds {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// English and German month names and the abbreviations feeds use ("Mär", "Mrz", "Okt").
int month_of(std::string_view word) {
  std::string w = lower(word);
  if (w.size() > 1 && w.back() == '.') w.pop_back();
  if (w.rfind("m\xc3\xa4r", 0) == 0 || w == "maerz" || w == "mrz") return 3;
  static const std::array<const char*, 12> en = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  static const std::array<const char*, 12> de = {"jan", "feb", "m\xc3\xa4r", "apr", "mai", "jun",
                                                 "jul", "aug", "sep",        "okt", "nov", "dez"};
  if (w.size() < 3) return 0;
  std::string_view head(w.data(), 3);
  for (int i = 0; i < 12; ++i) {
    if (head == en[i] || head == de[i]) return i + 1;
  }
  if (w == "sept") return 9;
  return 0;
}

// Offsets of the zone names RFC 822 allows and those feeds use anyway, in minutes.
std::optional<int> zone_minutes(std::string_view word) {
  std::string w = lower(word);
  struct Zone {
    const char* name;
    int minutes;
  };
  static const Zone zones[] = {
      {"gmt", 0},    {"ut", 0},     {"utc", 0},    {"z", 0},       {"wet", 0},    {"bst", 60},
      {"cet", 60},   {"mez", 60},   {"cest", 120}, {"mesz", 120},  {"cedt", 120}, {"eet", 120},
      {"eest", 180}, {"est", -300}, {"edt", -240}, {"cst", -360},  {"cdt", -300}, {"mst", -420},
      {"mdt", -360}, {"pst", -480}, {"pdt", -420}, {"akst", -540}, {"hst", -600}, {"jst", 540},
      {"ist", 330},  {"aest", 600}, {"aedt", 660},
  };
  for (const auto& z : zones) {
    if (w == z.name) return z.minutes;
  }
  return std::nullopt;
}

// "+0100", "+01:00", "-05", "+1"; nothing when not an offset.
std::optional<int> offset_minutes(std::string_view s) {
  if (s.empty() || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  int sign = s[0] == '-' ? -1 : 1;
  std::string digits;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (is_digit(s[i])) {
      digits += s[i];
    } else if (s[i] != ':') {
      return std::nullopt;
    }
  }
  int h = 0;
  int m = 0;
  if (digits.size() == 4) {
    h = std::stoi(digits.substr(0, 2));
    m = std::stoi(digits.substr(2, 2));
  } else if (digits.size() == 1 || digits.size() == 2) {
    h = std::stoi(digits);
  } else if (digits.size() == 3) {  // "+100"
    h = std::stoi(digits.substr(0, 1));
    m = std::stoi(digits.substr(1, 2));
  } else {
    return std::nullopt;
  }
  if (h > 14 || m > 59) return std::nullopt;
  return sign * (h * 60 + m);
}

std::optional<int64_t> civil(int y, int mo, int d, int h, int mi, int s, int offset_min) {
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1]) {
    return std::nullopt;
  }
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo == 2 && d == 29 && !leap) return std::nullopt;
  if (h < 0 || h > 24 || mi < 0 || mi > 59 || s < 0 || s > 60) return std::nullopt;
  if (s == 60) s = 59;  // leap seconds
  int64_t days = timefmt::days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return days * 86400 + h * 3600 + mi * 60 + s - static_cast<int64_t>(offset_min) * 60;
}

// Reads up to `max` digits at `i`; -1 when there are fewer than `min`.
int read_number(std::string_view s, std::size_t& i, std::size_t min, std::size_t max) {
  std::size_t start = i;
  int v = 0;
  while (i < s.size() && is_digit(s[i]) && i - start < max) v = v * 10 + (s[i++] - '0');
  return i - start < min ? -1 : v;
}

// ISO 8601 / RFC 3339: 2026-11-30, 2026-11-30T09:15, 2026-11-30T09:15:00.123+01:00,
// 2026-11-30 09:15:00Z, 20261130T091500Z.
std::optional<int64_t> parse_iso(std::string_view s) {
  std::size_t i = 0;
  int y = read_number(s, i, 4, 4);
  if (y < 0) return std::nullopt;
  bool basic = i < s.size() && is_digit(s[i]);
  if (!basic) {
    if (i >= s.size() || s[i] != '-') return std::nullopt;
    ++i;
  }
  int mo = read_number(s, i, 2, 2);
  if (mo < 0) return std::nullopt;
  if (!basic) {
    if (i >= s.size() || s[i] != '-') return std::nullopt;
    ++i;
  }
  int d = read_number(s, i, 2, 2);
  if (d < 0) return std::nullopt;
  int h = 0, mi = 0, sec = 0, off = 0;
  if (i < s.size() && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
    ++i;
    h = read_number(s, i, 2, 2);
    if (h < 0) return std::nullopt;
    if (i < s.size() && s[i] == ':') ++i;
    mi = read_number(s, i, 2, 2);
    if (mi < 0) return std::nullopt;
    if (i < s.size() && (s[i] == ':' || (basic && is_digit(s[i])))) {
      if (s[i] == ':') ++i;
      sec = read_number(s, i, 2, 2);
      if (sec < 0) return std::nullopt;
    }
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      ++i;
      while (i < s.size() && is_digit(s[i])) ++i;
    }
    while (i < s.size() && s[i] == ' ') ++i;
    if (i < s.size()) {
      std::string_view rest = s.substr(i);
      if (rest == "Z" || rest == "z") {
        off = 0;
      } else if (auto o = offset_minutes(rest)) {
        off = *o;
      } else if (auto z = zone_minutes(rest)) {
        off = *z;
      } else {
        return std::nullopt;
      }
    }
  } else if (i != s.size()) {
    return std::nullopt;
  }
  return civil(y, mo, d, h, mi, sec, off);
}

// RFC 822 and its relatives: the tokens are found by their shape, so day names (any
// language), missing seconds, two-digit years and asctime's order all work.
std::optional<int64_t> parse_rfc822(std::string_view s) {
  std::vector<std::string> tokens;
  std::string cur;
  for (char c : s) {
    if (c == ' ' || c == ',' || c == '\t' || c == '\n' || c == '\r') {
      if (!cur.empty()) tokens.push_back(cur), cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) tokens.push_back(cur);

  int day = -1, month = 0, year = -1, h = -1, mi = 0, sec = 0;
  std::optional<int> off;
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    const std::string& tok = tokens[t];
    if (tok.find(':') != std::string::npos && is_digit(tok[0]) && h < 0) {
      std::size_t i = 0;
      h = read_number(tok, i, 1, 2);
      if (h < 0 || i >= tok.size() || tok[i] != ':') return std::nullopt;
      ++i;
      mi = read_number(tok, i, 2, 2);
      if (mi < 0) return std::nullopt;
      if (i < tok.size() && tok[i] == ':') {
        ++i;
        sec = read_number(tok, i, 2, 2);
        if (sec < 0) return std::nullopt;
      }
      if (i < tok.size() && tok[i] == '.') {
        ++i;
        while (i < tok.size() && is_digit(tok[i])) ++i;
      }
      if (i < tok.size()) {  // "09:15:00+0100" or "09:15:00Z"
        std::string_view rest(tok.data() + i, tok.size() - i);
        if (auto o = offset_minutes(rest)) {
          off = *o;
        } else if (auto z = zone_minutes(rest)) {
          off = *z;
        } else {
          return std::nullopt;
        }
      }
    } else if (tok[0] == '+' || (tok[0] == '-' && tok.size() > 1)) {
      if (h < 0) return std::nullopt;
      off = offset_minutes(tok);
      if (!off) return std::nullopt;
    } else if (is_digit(tok[0])) {
      std::size_t i = 0;
      int v = read_number(tok, i, 1, 4);
      if (i != tok.size() && !(i + 1 == tok.size() && tok[i] == '.')) return std::nullopt;
      if (i >= 3) {
        year = v;
      } else if (day < 0 && month == 0) {
        day = v;
      } else if (day < 0) {
        day = v;  // "Nov 30"
      } else if (year < 0) {
        year = v < 50 ? 2000 + v : 1900 + v;
      } else {
        return std::nullopt;
      }
    } else if (is_alpha(tok[0]) || static_cast<unsigned char>(tok[0]) >= 0x80) {
      // No day name (English or German) shares its first three letters with a month.
      if (int m = month_of(tok); m != 0 && month == 0 && tok.size() <= 9) {
        month = m;
        continue;
      }
      if (h >= 0) {
        if (auto z = zone_minutes(tok)) {
          off = *z;
        } else if (tok.size() == 1) {
          off = 0;  // military zones: RFC 1123 says to treat them as unknown (+0000)
        }
      }
    }
  }
  if (day < 0 || month == 0 || year < 0) return std::nullopt;
  if (h < 0) h = 0;
  return civil(year, month, day, h, mi, sec, off.value_or(0));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<int64_t> parse_date(std::string_view text) {
  std::string_view s = trim(text);
  if (s.empty() || s.size() > 80) return std::nullopt;
  if (s.size() >= 8 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) &&
      (s[4] == '-' || is_digit(s[4]))) {
    if (auto t = parse_iso(s)) return t;
  }
  return parse_rfc822(s);
}

std::string iso8601(int64_t t) { return timefmt::utc(t, "%Y-%m-%dT%H:%M:%SZ"); }

}  // namespace verbund::feeds
