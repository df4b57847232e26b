#include "core/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>
#include <sstream>

namespace verbund::core {
namespace {

using Setter = std::function<Status(Config&, const std::string&)>;

Error invalid(const std::string& key, const std::string& problem, const std::string& value) {
  return make_error("config",
                    "configuration key '" + key + "': " + problem + " (got \"" + value + "\")");
}

Setter int_at(std::function<int&(Config&)> field, int lo, int hi, std::string key) {
  return [=](Config& c, const std::string& v) -> Status {
    int out = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc() || p != v.data() + v.size() || out < lo || out > hi)
      return invalid(
          key, "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi),
          v);
    field(c) = out;
    return Ok{};
  };
}

Setter int_in(int Config::*member, int lo, int hi, std::string key) {
  return int_at([member](Config& c) -> int& { return c.*member; }, lo, hi, std::move(key));
}

Setter boolean(bool Config::*member, std::string key) {
  return [=](Config& c, const std::string& v) -> Status {
    if (v == "true" || v == "1" || v == "yes") {
      c.*member = true;
    } else if (v == "false" || v == "0" || v == "no") {
      c.*member = false;
    } else {
      return invalid(key, "must be true or false", v);
    }
    return Ok{};
  };
}

Setter text(std::string Config::*member) {
  return [=](Config& c, const std::string& v) -> Status {
    c.*member = v;
    return Ok{};
  };
}

Setter one_of(std::string Config::*member, std::vector<std::string> allowed, std::string key) {
  return [=](Config& c, const std::string& v) -> Status {
    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return invalid(key, "must be one of: " + list, v);
    }
    c.*member = v;
    return Ok{};
  };
}

Status set_listen(Config& c, const std::string& v) {
  auto colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return invalid("listen", "must be HOST:PORT, e.g. 127.0.0.1:8080", v);
  std::string host = v.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  int port = -1;
  auto ps = std::string_view(v).substr(colon + 1);
  auto [p, ec] = std::from_chars(ps.data(), ps.data() + ps.size(), port);
  if (ec != std::errc() || p != ps.data() + ps.size() || port < 0 || port > 65535)
    return invalid("listen", "port must be a number from 0 to 65535", v);
  c.listen_host = host;
  c.listen_port = port;
  return Ok{};
}

const std::map<std::string, Setter>& setters() {
  static const std::map<std::string, Setter> table = {
      {"listen", set_listen},
      {"data_dir", text(&Config::data_dir)},
      {"database",
       [](Config& c, const std::string& v) -> Status {
         bool pg = v.starts_with("postgres://") || v.starts_with("postgresql://");
         if (!v.empty() && !v.starts_with("sqlite:") && !pg)
           return invalid("database", "must be sqlite:PATH or postgres://USER@HOST:PORT/DB", v);
         if (v == "sqlite:") return invalid("database", "sqlite: needs a file path", v);
         if (pg && v.find('/', v.find("://") + 3) == std::string::npos)
           return invalid("database", "postgres:// needs a database name after the host", v);
         c.database = v;
         return Ok{};
       }},
      {"base_url",
       [](Config& c, const std::string& v) -> Status {
         if (!v.empty() && !v.starts_with("http://") && !v.starts_with("https://"))
           return invalid("base_url", "must start with http:// or https://", v);
         c.base_url = v;
         while (c.base_url.ends_with('/')) c.base_url.pop_back();
         return Ok{};
       }},
      {"dev_mode", boolean(&Config::dev_mode, "dev_mode")},
      {"behind_proxy", boolean(&Config::behind_proxy, "behind_proxy")},
      {"trusted_proxies",
       [](Config& c, const std::string& v) -> Status {
         auto ranges = parse_ip_ranges(v);
         if (!ranges)
           return invalid("trusted_proxies",
                          "must be a comma-separated list of IP addresses or CIDR ranges, e.g. "
                          "127.0.0.1/32,::1/128,10.0.0.0/8; " +
                              ranges.error().message,
                          v);
         c.trusted_proxies = std::move(*ranges);
         return Ok{};
       }},
      {"workers", int_in(&Config::workers, 1, 256, "workers")},
      {"io_threads", int_in(&Config::io_threads, 1, 64, "io_threads")},
      {"log_level", one_of(&Config::log_level, {"debug", "info", "warn", "error"}, "log_level")},
      {"limits.header_bytes",
       int_in(&Config::header_limit_bytes, 1024, 1024 * 1024, "limits.header_bytes")},
      {"limits.body_bytes", int_in(&Config::body_limit_bytes, 1024, 1 << 30, "limits.body_bytes")},
      {"limits.upload_bytes",
       int_in(&Config::upload_limit_bytes, 1024, 1 << 30, "limits.upload_bytes")},
      {"limits.read_header_timeout",
       int_in(&Config::read_header_timeout_seconds, 1, 3600, "limits.read_header_timeout")},
      {"limits.idle_timeout",
       int_in(&Config::idle_timeout_seconds, 1, 3600, "limits.idle_timeout")},
      {"limits.write_timeout",
       int_in(&Config::write_timeout_seconds, 1, 3600, "limits.write_timeout")},
      {"limits.shutdown_grace",
       int_in(&Config::shutdown_grace_seconds, 0, 600, "limits.shutdown_grace")},
      {"auth.session_idle_days",
       int_in(&Config::session_idle_days, 1, 365, "auth.session_idle_days")},
      {"auth.login_max_failures",
       int_in(&Config::login_max_failures, 1, 1000, "auth.login_max_failures")},
      {"auth.signups_per_ip_hour",
       int_in(&Config::signups_per_ip_hour, 1, 100000, "auth.signups_per_ip_hour")},
      {"auth.resets_per_ip_hour",
       int_in(&Config::resets_per_ip_hour, 1, 100000, "auth.resets_per_ip_hour")},
      {"auth.login_window_minutes",
       int_in(&Config::login_window_minutes, 1, 1440, "auth.login_window_minutes")},
      {"auth.password_hash_strength",
       one_of(&Config::password_hash_strength, {"interactive", "moderate", "min"},
              "auth.password_hash_strength")},
      {"jobs.workers", int_in(&Config::job_workers, 0, 64, "jobs.workers")},
      {"directory.match_cache",
       int_in(&Config::directory_match_cache, 0, 100000, "directory.match_cache")},
      {"jobs.poll_milliseconds",
       int_in(&Config::job_poll_milliseconds, 10, 60000, "jobs.poll_milliseconds")},
      {"jobs.max_attempts", int_in(&Config::job_max_attempts, 1, 100, "jobs.max_attempts")},
      {"jobs.retry_base_seconds",
       int_in(&Config::job_retry_base_seconds, 1, 86400, "jobs.retry_base_seconds")},
      {"smtp.host",
       [](Config& c, const std::string& v) -> Status {
         c.smtp.host = v;
         return Ok{};
       }},
      {"smtp.port", int_at([](Config& c) -> int& { return c.smtp.port; }, 1, 65535, "smtp.port")},
      {"smtp.security",
       [](Config& c, const std::string& v) -> Status {
         if (v != "starttls" && v != "tls" && v != "none")
           return invalid("smtp.security", "must be one of: starttls, tls, none", v);
         c.smtp.security = v;
         return Ok{};
       }},
      {"smtp.username",
       [](Config& c, const std::string& v) -> Status {
         c.smtp.username = v;
         return Ok{};
       }},
      {"smtp.password",
       [](Config& c, const std::string& v) -> Status {
         c.smtp.password = v;
         return Ok{};
       }},
      {"smtp.from",
       [](Config& c, const std::string& v) -> Status {
         if (v.find('@') == std::string::npos || v.find_first_of("\r\n") != std::string::npos)
           return invalid("smtp.from", "must be an e-mail address, e.g. Name <a@b.de>", v);
         c.smtp.from = v;
         return Ok{};
       }},
      {"smtp.timeout",
       int_at([](Config& c) -> int& { return c.smtp.timeout_seconds; }, 1, 600, "smtp.timeout")},
      {"site.name", text(&Config::site_name)},
      {"site.operator", text(&Config::operator_name)},
      {"site.address", text(&Config::operator_address)},
      {"site.email",
       [](Config& c, const std::string& v) -> Status {
         if (!v.empty() && (v.find('@') == std::string::npos ||
                            v.find_first_of(" <>\"\r\n") != std::string::npos))
           return invalid("site.email", "must be an e-mail address, e.g. kontakt@verband.de", v);
         c.operator_email = v;
         return Ok{};
       }},
      {"site.logo",
       [](Config& c, const std::string& v) -> Status {
         auto dot = v.rfind('.');
         std::string ext = dot == std::string::npos ? "" : v.substr(dot + 1);
         if (!v.empty() && ext != "png" && ext != "jpg" && ext != "jpeg" && ext != "webp")
           return invalid("site.logo", "must be a .png, .jpg or .webp file", v);
         c.logo_file = v;
         return Ok{};
       }},
      {"site.accent_color",
       [](Config& c, const std::string& v) -> Status {
         if (v.empty()) {
           c.accent_color.clear();
           return Ok{};
         }
         if (v.size() != 7 || v[0] != '#' ||
             v.find_first_not_of("0123456789abcdefABCDEF", 1) != std::string::npos)
           return invalid("site.accent_color", "must be a colour like #0b5c8a", v);
         // White text on it (buttons, the menu) must stay readable: WCAG 1.4.3, 4.5:1.
         auto channel = [&](int i) {
           double x = std::stoi(v.substr(1 + 2 * i, 2), nullptr, 16) / 255.0;
           return x <= 0.03928 ? x / 12.92 : std::pow((x + 0.055) / 1.055, 2.4);
         };
         double lum = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
         double contrast = 1.05 / (lum + 0.05);
         if (contrast < 4.5) {
           char buf[16];
           std::snprintf(buf, sizeof buf, "%.1f", contrast);
           return invalid("site.accent_color",
                          std::string("white text on it has contrast ") + buf +
                              ":1, needs 4.5:1 (choose a darker colour)",
                          v);
         }
         c.accent_color = v;
         return Ok{};
       }},
      {"site.impressum", text(&Config::impressum)},
      {"site.datenschutz", text(&Config::datenschutz)},
      {"map.tile_url",
       [](Config& c, const std::string& v) -> Status {
         // The URL ends up in a CSP header and a data attribute: keep it plain.
         bool scheme = v.starts_with("https://") || v.starts_with("http://");
         if (!v.empty() &&
             (!scheme || v.find_first_of(" \"'<>;,\r\n\\") != std::string::npos ||
              v.find("{z}") == std::string::npos || v.find("{x}") == std::string::npos ||
              v.find("{y}") == std::string::npos || v.find("{s}") != std::string::npos))
           return invalid("map.tile_url",
                          "must be an http(s) URL with {z}, {x} and {y} on one host, e.g. "
                          "https://tile.example.org/{z}/{x}/{y}.png",
                          v);
         c.map_tile_url = v;
         return Ok{};
       }},
      {"map.attribution", text(&Config::map_attribution)},
      {"feeds.allow_private",
       [](Config& c, const std::string& v) -> Status {
         auto allow = parse_allow_list(v);
         if (!allow)
           return invalid("feeds.allow_private",
                          "must be a comma-separated list of IP ranges or host names, e.g. "
                          "127.0.0.1/32,feeds.intern.example; " +
                              allow.error().message,
                          v);
         c.feeds.allow_private = std::move(*allow);
         return Ok{};
       }},
      {"feeds.connect_timeout_seconds",
       int_at([](Config& c) -> int& { return c.feeds.connect_timeout_seconds; }, 1, 60,
              "feeds.connect_timeout_seconds")},
      {"feeds.total_timeout_seconds",
       int_at([](Config& c) -> int& { return c.feeds.total_timeout_seconds; }, 1, 300,
              "feeds.total_timeout_seconds")},
      {"feeds.max_bytes", int_at([](Config& c) -> int& { return c.feeds.max_bytes; }, 64 * 1024,
                                 64 * 1024 * 1024, "feeds.max_bytes")},
      {"feeds.max_redirects", int_at([](Config& c) -> int& { return c.feeds.max_redirects; }, 0, 10,
                                     "feeds.max_redirects")},
      {"feeds.per_host",
       int_at([](Config& c) -> int& { return c.feeds.per_host; }, 1, 16, "feeds.per_host")},
      {"feeds.workers",
       int_at([](Config& c) -> int& { return c.feeds.workers; }, 0, 256, "feeds.workers")},
      {"events.reminder_hours",
       [](Config& c, const std::string& v) -> Status {
         // "24,1": hours before the session; "" sends no reminders.
         std::vector<int> hours;
         std::size_t at = 0;
         while (at < v.size()) {
           auto comma = v.find(',', at);
           std::string part = v.substr(at, comma == std::string::npos ? std::string::npos
                                                                      : comma - at);
           while (!part.empty() && part.front() == ' ') part.erase(0, 1);
           while (!part.empty() && part.back() == ' ') part.pop_back();
           if (part.empty() || part.size() > 4 ||
               part.find_first_not_of("0123456789") != std::string::npos ||
               std::stoi(part) < 1 || std::stoi(part) > 24 * 14)
             return invalid("events.reminder_hours",
                            "must be a comma-separated list of hours from 1 to 336, e.g. 24,1", v);
           hours.push_back(std::stoi(part));
           if (comma == std::string::npos) break;
           at = comma + 1;
         }
         c.events_reminder_hours = hours;
         return Ok{};
       }},
      {"events.retention_days", int_at([](Config& c) -> int& { return c.events_retention_days; }, 1,
                                       3650, "events.retention_days")},
  };
  return table;
}

std::string env_name(const std::string& key) {
  std::string out = "VERBUND_";
  for (char ch : key) out += ch == '.' ? '_' : static_cast<char>(std::toupper(ch));
  return out;
}

Status apply_toml(Config& c, const toml::table& table, const std::string& prefix) {
  for (const auto& [k, node] : table) {
    std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table()) {
      auto s = apply_toml(c, *sub, key);
      if (!s) return s;
      continue;
    }
    std::string value;
    if (auto s = node.value<std::string>()) {
      value = *s;
    } else if (auto b = node.value_exact<bool>()) {
      value = *b ? "true" : "false";
    } else if (auto i = node.value_exact<int64_t>()) {
      value = std::to_string(*i);
    } else if (const auto* list = node.as_array()) {
      // An array of strings is the comma-separated list (trusted_proxies = ["::1", ...]).
      for (const auto& item : *list) {
        auto s = item.value_exact<std::string>();
        if (!s)
          return make_error("config",
                            "configuration key '" + key + "': array items must be strings");
        value += (value.empty() ? "" : ",") + *s;
      }
    } else {
      return make_error("config", "configuration key '" + key +
                                      "': must be a string, a whole number, true/false or a "
                                      "list of strings");
    }
    auto s = set_config_value(c, key, value);
    if (!s) return s;
  }
  return Ok{};
}

}  // namespace

std::string Config::database_url() const {
  if (database.empty()) return "sqlite:" + data_dir + "/verbund.db";
  return database;
}

std::string Config::database_path() const {
  auto url = database_url();
  return url.starts_with("sqlite:") ? url.substr(std::string("sqlite:").size()) : "";
}

std::string Config::public_url() const {
  if (!base_url.empty()) return base_url;
  std::string host =
      listen_host.find(':') != std::string::npos ? "[" + listen_host + "]" : listen_host;
  return "http://" + host + ":" + std::to_string(listen_port);
}

Status set_config_value(Config& config, const std::string& key, const std::string& value) {
  const auto& table = setters();
  auto it = table.find(key);
  if (it == table.end()) return make_error("config", "unknown configuration key '" + key + "'");
  return it->second(config, value);
}

Status validate_config(const Config& c) {
  if (c.data_dir.empty())
    return make_error("config", "configuration key 'data_dir': must not be empty");
  if (c.upload_limit_bytes < c.body_limit_bytes)
    return make_error("config",
                      "configuration key 'limits.upload_bytes': must be at least "
                      "limits.body_bytes (" +
                          std::to_string(c.body_limit_bytes) + ")");
  if (!c.smtp.host.empty() && c.smtp.host.find_first_of(" /\r\n") != std::string::npos)
    return make_error("config", "configuration key 'smtp.host': must be a host name");
  return Ok{};
}

std::string Config::map_tile_origin() const {
  if (map_tile_url.empty()) return "";
  auto host_start = map_tile_url.find("://") + 3;
  auto path = map_tile_url.find('/', host_start);
  return map_tile_url.substr(0, path);
}

std::vector<IpRange> Config::client_proxies() const {
  if (!trusted_proxies.empty() || !behind_proxy) return trusted_proxies;
  return {*parse_ip_range("127.0.0.0/8"), *parse_ip_range("::1/128")};
}

std::vector<std::string> config_keys() {
  std::vector<std::string> keys;
  for (const auto& [k, _] : setters()) keys.push_back(k);
  return keys;
}

Result<Config> load_config(const std::string& file,
                           const std::vector<std::pair<std::string, std::string>>& overrides,
                           char** environ_ptr) {
  Config c;
  if (!file.empty()) {
    toml::table table;
    try {
      table = toml::parse_file(file);
    } catch (const toml::parse_error& e) {
      std::ostringstream msg;
      msg << "configuration file " << file << ": " << e.description() << " at line "
          << e.source().begin.line;
      return make_error("config", msg.str());
    }
    auto s = apply_toml(c, table, "");
    if (!s) return make_error("config", file + ": " + s.error().message);
  }
  if (environ_ptr) {
    std::map<std::string, std::string> by_env;
    for (const auto& [k, _] : setters()) by_env[env_name(k)] = k;
    by_env["VERBUND_DATA_DIR"] = "data_dir";
    for (char** e = environ_ptr; *e; ++e) {
      std::string_view kv(*e);
      if (!kv.starts_with("VERBUND_")) continue;
      auto eq = kv.find('=');
      if (eq == std::string_view::npos) continue;
      std::string name(kv.substr(0, eq));
      if (name == "VERBUND_BIN" || name == "VERBUND_CONFIG") continue;  // not settings
      auto it = by_env.find(name);
      if (it == by_env.end()) return make_error("config", "unknown environment variable " + name);
      auto s = set_config_value(c, it->second, std::string(kv.substr(eq + 1)));
      if (!s) return make_error("config", name + ": " + s.error().message);
    }
  }
  for (const auto& [k, v] : overrides) {
    auto s = set_config_value(c, k, v);
    if (!s) return s.error();
  }
  auto s = validate_config(c);
  if (!s) return s.error();
  return c;
}

}  // namespace verbund::core
