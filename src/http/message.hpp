// The project's own request and response types. Handlers see only these; Beast and
// Asio stay inside server.cpp (compile time is a design constraint, ARCHITECTURE.md).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace verbund::http {

enum class Method { get, head, post, put, patch, del, options, other };

std::string_view method_name(Method m);

struct Request {
  Method method = Method::get;
  std::string target;  // as sent: path plus query
  std::string path;    // percent-decoded path without the query
  std::string query;   // raw query string without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  // The client: the TCP peer, or the address a trusted proxy forwarded (see
  // http/client_addr.hpp); normalised (IPv4-mapped IPv6 as IPv4).
  std::string remote_addr;
  std::string peer_addr;  // the TCP peer as such (the proxy, when there is one)
  std::string request_id;
  bool keep_alive = true;

  // Filled by the router: values of {name} segments in pattern order, and the matched
  // pattern (a low-cardinality label for metrics).
  std::vector<std::string> params;
  std::string route;

  // The first header named `name` (lower-case), or "".
  std::string_view header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  void set_header(std::string name, std::string value);
  std::string_view header(std::string_view name) const;

  static Response text(int status, std::string body);
  static Response html(int status, std::string body);
  static Response redirect(std::string location, int status = 303);
};

// The security headers every response carries (CSP without inline script etc.), as
// ready "Name: value\r\n" lines; the transport appends them to every response.
const std::string& security_header_block();
// Lets images load from `origin` too (the operator's map tiles). Call once at start-up,
// before the server runs; the origin must be a scheme://host[:port] without spaces.
void allow_image_origin(const std::string& origin);
// Adds Strict-Transport-Security (a year, subdomains too: RFC 6797) for a site whose
// public address is https://. Call once at start-up, before the server runs.
void enable_hsts();
// Whether `name` is one of them (a handler cannot weaken them by setting its own).
bool is_security_header(std::string_view name);

// application/x-www-form-urlencoded and query strings.
std::string url_decode(std::string_view s, bool plus_is_space = true);
std::string url_encode(std::string_view s);
// url_encode(s) appended to `out` (no temporary string).
void url_encode_append(std::string& out, std::string_view s);
std::multimap<std::string, std::string> parse_form(std::string_view body);
// The first value of `key` in a parsed form, or "".
std::string form_value(const std::multimap<std::string, std::string>& form, const std::string& key);

// Cookie header into name/value pairs.
std::map<std::string, std::string> parse_cookies(std::string_view header);

std::string_view status_reason(int status);

}  // namespace verbund::http
