#include "core/ip_address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstring>

namespace verbund::core {
namespace {

constexpr std::array<uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool is_mapped(const std::array<uint8_t, 16>& b) {
  return std::memcmp(b.data(), kMappedPrefix.data(), kMappedPrefix.size()) == 0;
}

// The prefix length in the 128-bit space both families share.
int bits128(const IpRange& r) { return r.base.v4 ? 96 + r.prefix : r.prefix; }

bool same_prefix(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b, int bits) {
  int full = bits / 8;
  if (std::memcmp(a.data(), b.data(), static_cast<std::size_t>(full)) != 0) return false;
  int rest = bits % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

uint8_t byte_mask(int bits, int i) {
  int keep = std::clamp(bits - i * 8, 0, 8);
  return static_cast<uint8_t>((0xff00 >> keep) & 0xff);
}

bool host_bits_zero(const std::array<uint8_t, 16>& a, int bits) {
  for (int i = 0; i < 16; ++i)
    if (a[i] & ~byte_mask(bits, i)) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Error range_error(std::string_view text, const std::string& problem) {
  return make_error("invalid", "\"" + std::string(text) + "\": " + problem);
}

}  // namespace

std::optional<IpAddress> parse_ip(std::string_view text) {
  // The longest IPv6 text is 45 characters (ffff:...:255.255.255.255).
  if (text.empty() || text.size() > 45) return std::nullopt;
  std::string s(text);
  IpAddress a;
  if (s.find(':') == std::string::npos) {
    std::array<uint8_t, 4> v4{};
    if (inet_pton(AF_INET, s.c_str(), v4.data()) != 1) return std::nullopt;
    std::memcpy(a.bytes.data(), kMappedPrefix.data(), kMappedPrefix.size());
    std::memcpy(a.bytes.data() + 12, v4.data(), 4);
    a.v4 = true;
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
  a.v4 = is_mapped(a.bytes);
  return a;
}

bool IpAddress::is_loopback() const {
  if (v4) return bytes[12] == 127;
  static const std::array<uint8_t, 16> kOne = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  return bytes == kOne;
}

std::string IpAddress::to_string() const {
  char buf[48];
  if (v4) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", bytes[12], bytes[13], bytes[14], bytes[15]);
    return buf;
  }
  // RFC 5952 §4: lower-case hex without leading zeros; the longest run of two or more
  // zero groups (the first of equal runs) becomes "::".
  uint16_t g[8];
  for (int i = 0; i < 8; ++i) g[i] = static_cast<uint16_t>(bytes[2 * i] << 8 | bytes[2 * i + 1]);
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len) best = i, best_len = j - i;
    i = j;
  }
  if (best_len < 2) best = -1;
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", g[i]);
    out += buf;
  }
  return out;
}

bool IpRange::contains(const IpAddress& a) const {
  return same_prefix(base.bytes, a.bytes, bits128(*this));
}

std::string IpRange::to_string() const { return base.to_string() + "/" + std::to_string(prefix); }

Result<IpRange> parse_ip_range(std::string_view text) {
  auto slash = text.find('/');
  auto addr_text = text.substr(0, slash);
  auto addr = parse_ip(addr_text);
  if (!addr) return range_error(text, "not an IPv4 or IPv6 address");
  // The prefix counts in the family the text is written in: ::ffff:10.0.0.0/104 is
  // IPv6 notation for 10.0.0.0/8.
  bool v6_text = addr_text.find(':') != std::string_view::npos;
  int max = v6_text ? 128 : 32;
  int n = max;
  if (slash != std::string_view::npos) {
    auto p = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), n);
    if (p.empty() || p.size() > 3 || ec != std::errc() || end != p.data() + p.size() || n < 0 ||
        n > max)
      return range_error(text, "prefix length must be 0 to " + std::to_string(max));
  }
  IpRange r;
  r.base = *addr;
  r.prefix = n;
  if (v6_text && addr->v4) {
    if (n >= 96)
      r.prefix = n - 96;
    else
      r.base.v4 = false;  // wider than the mapped block: an IPv6 range
  }
  if (!host_bits_zero(r.base.bytes, bits128(r))) {
    // 10.0.0.1/8 is most likely a typo for 10.0.0.0/8 or 10.0.0.1/32: say which.
    IpRange fixed = r;
    for (int i = 0; i < 16; ++i) fixed.base.bytes[i] &= byte_mask(bits128(r), i);
    return range_error(text,
                       "has bits set below the prefix length; the range is " + fixed.to_string());
  }
  return r;
}

Result<std::vector<IpRange>> parse_ip_ranges(std::string_view list) {
  std::vector<IpRange> out;
  if (trim(list).empty()) return out;
  std::size_t start = 0;
  for (;;) {
    auto comma = list.find(',', start);
    auto item =
        trim(list.substr(start, comma == std::string_view::npos ? list.npos : comma - start));
    if (item.empty()) return make_error("invalid", "empty entry in the list");
    auto r = parse_ip_range(item);
    if (!r) return r.error();
    out.push_back(*r);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

bool in_any(const std::vector<IpRange>& ranges, const IpAddress& a) {
  for (const auto& r : ranges)
    if (r.contains(a)) return true;
  return false;
}

Result<AllowList> parse_allow_list(std::string_view list) {
  AllowList allow;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto comma = list.find(',', start);
    std::string_view entry = list.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    if (!entry.empty()) {
      bool hostname =
          std::all_of(entry.begin(), entry.end(),
                      [](char c) {
                        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
                      }) &&
          std::any_of(entry.begin(), entry.end(),
                      [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
      if (hostname) {
        std::string host(entry);
        for (auto& ch : host) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        allow.hosts.push_back(host);
      } else {
        auto range = parse_ip_range(entry);
        if (!range) return range.error();
        allow.ranges.push_back(*range);
      }
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return allow;
}

}  // namespace verbund::core
