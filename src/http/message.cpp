#include "http/message.hpp"

#include <algorithm>
#include <cctype>

namespace verbund::http {

std::string_view method_name(Method m) {
  switch (m) {
    case Method::get:
      return "GET";
    case Method::head:
      return "HEAD";
    case Method::post:
      return "POST";
    case Method::put:
      return "PUT";
    case Method::patch:
      return "PATCH";
    case Method::del:
      return "DELETE";
    case Method::options:
      return "OPTIONS";
    case Method::other:
      return "OTHER";
  }
  return "OTHER";
}

std::string_view Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return {};
}

void Response::set_header(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (k == name) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::string_view Response::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return {};
}

Response Response::text(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.set_header("Content-Type", "text/plain; charset=utf-8");
  return r;
}

Response Response::html(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.set_header("Content-Type", "text/html; charset=utf-8");
  return r;
}

Response Response::redirect(std::string location, int status) {
  Response r;
  r.status = status;
  r.set_header("Location", std::move(location));
  r.set_header("Content-Type", "text/plain; charset=utf-8");
  return r;
}

namespace {
const std::pair<const char*, const char*> kSecurityHeaders[] = {
    // No inline script anywhere: pages load /static/ files only. Images may be data:
    // for small inline icons in CSS. "{img}" is where an operator's map tile origin goes.
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{img}; "
     "font-src 'self'; connect-src 'self'; form-action 'self'; object-src 'none'; "
     "base-uri 'none'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "same-origin"},
    {"X-Frame-Options", "DENY"},
    {"Permissions-Policy", "interest-cohort=(), geolocation=(), camera=(), microphone=()"},
};

// Sent only when the site is https (enable_hsts): over plain HTTP browsers ignore it,
// and on a development http://127.0.0.1 it would only confuse.
constexpr std::pair<const char*, const char*> kHsts = {"Strict-Transport-Security",
                                                       "max-age=31536000; includeSubDomains"};

struct BlockSettings {
  std::string img_origin;
  bool hsts = false;
};

BlockSettings& settings() {
  static BlockSettings s;
  return s;
}

std::string build_block(const BlockSettings& s) {
  std::string b;
  for (const auto& [k, v] : kSecurityHeaders) {
    std::string value = v;
    if (auto at = value.find("{img}"); at != std::string::npos)
      value.replace(at, 5, s.img_origin.empty() ? "" : " " + s.img_origin);
    b += std::string(k) + ": " + value + "\r\n";
  }
  if (s.hsts) b += std::string(kHsts.first) + ": " + kHsts.second + "\r\n";
  return b;
}

std::string& block_storage() {
  static std::string block = build_block(settings());
  return block;
}

bool same_name(std::string_view name, const char* k) {
  return name.size() == std::char_traits<char>::length(k) &&
         std::equal(name.begin(), name.end(), k, [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         });
}
}  // namespace

void allow_image_origin(const std::string& origin) {
  settings().img_origin = origin;
  block_storage() = build_block(settings());
}

void enable_hsts() {
  settings().hsts = true;
  block_storage() = build_block(settings());
}

const std::string& security_header_block() { return block_storage(); }

bool is_security_header(std::string_view name) {
  for (const auto& [k, v] : kSecurityHeaders)
    if (same_name(name, k)) return true;
  return same_name(name, kHsts.first);
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      out += static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string url_encode(std::string_view s) {
  std::string out;
  url_encode_append(out, s);
  return out;
}

void url_encode_append(std::string& out, std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
}

std::multimap<std::string, std::string> parse_form(std::string_view body) {
  std::multimap<std::string, std::string> out;
  while (!body.empty()) {
    auto amp = body.find('&');
    auto pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    if (eq == std::string_view::npos)
      out.emplace(url_decode(pair), "");
    else
      out.emplace(url_decode(pair.substr(0, eq)), url_decode(pair.substr(eq + 1)));
  }
  return out;
}

std::string form_value(const std::multimap<std::string, std::string>& form,
                       const std::string& key) {
  auto it = form.find(key);
  return it == form.end() ? std::string() : it->second;
}

std::map<std::string, std::string> parse_cookies(std::string_view h) {
  std::map<std::string, std::string> out;
  while (!h.empty()) {
    auto semi = h.find(';');
    auto part = h.substr(0, semi);
    h = semi == std::string_view::npos ? std::string_view{} : h.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    auto eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace(std::string(part.substr(0, eq)), std::string(part.substr(eq + 1)));
  }
  return out;
}

std::string_view status_reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
  }
  return "Unknown";
}

}  // namespace verbund::http
