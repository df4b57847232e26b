// Configuration: read once at start-up into a typed struct and validated there.
// Sources, later ones winning: built-in defaults, a TOML file (--config), VERBUND_*
// environment variables (key "smtp.host" is VERBUND_SMTP_HOST), command-line flags.
// Any unknown key or invalid value stops start-up with a message naming the key.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/ip_address.hpp"
#include "core/result.hpp"

namespace verbund::core {

struct SmtpConfig {
  std::string host;  // empty: mail is written to DATA/mail/*.eml instead
  int port = 587;
  std::string security = "starttls";  // "starttls", "tls" (implicit), "none"
  std::string username;
  std::string password;
  std::string from = "Verbund <noreply@verbund.example>";
  int timeout_seconds = 30;
};

// The Social Wall's feed fetcher.
struct FeedsConfig {
  // Hosts and ranges the fetcher may reach although they are not public (a test feed
  // server on loopback, an intranet blog); empty: only the public internet.
  AllowList allow_private;
  int connect_timeout_seconds = 10;
  int total_timeout_seconds = 30;
  int max_bytes = 5 * 1024 * 1024;
  int max_redirects = 5;
  int per_host = 2;  // concurrent requests to one host
  int workers = 8;   // concurrent fetches of one node
};

struct Config {
  std::string listen_host = "127.0.0.1";
  int listen_port = 8080;
  std::string data_dir = "./data";
  // "sqlite:PATH" or "postgres://USER[:PASSWORD]@HOST[:PORT]/DB"; empty means
  // sqlite:DATA_DIR/verbund.db.
  std::string database;
  std::string base_url;  // public URL for links in mails; empty: http://LISTEN
  bool dev_mode = false;
  bool behind_proxy = false;  // trust X-Forwarded-Proto (https) from the proxy in front
  // Peers whose X-Forwarded-For / Forwarded headers name the client (nginx in front).
  // Empty: none, unless behind_proxy is set; then loopback (see client_proxies()).
  std::vector<IpRange> trusted_proxies;
  int workers = 4;     // request handler threads (they may block on the database)
  int io_threads = 1;  // socket threads (never block)
  std::string log_level = "info";

  // Limits on every request.
  int header_limit_bytes = 8 * 1024;
  int body_limit_bytes = 1024 * 1024;
  int upload_limit_bytes = 12 * 1024 * 1024;
  int read_header_timeout_seconds = 10;
  int idle_timeout_seconds = 30;
  int write_timeout_seconds = 30;
  int shutdown_grace_seconds = 10;

  // Accounts.
  int session_idle_days = 14;
  int login_max_failures = 10;
  int login_window_minutes = 15;
  // Sign-ups and password-reset requests per IP address and hour (mail bombing, bulk
  // account creation); reset mails per account and hour are capped at 3.
  int signups_per_ip_hour = 20;
  int resets_per_ip_hour = 10;
  std::string password_hash_strength = "interactive";  // "interactive" | "moderate" | "min"

  // Directory search: how many query texts keep their matches in memory until the
  // directory changes (0: none, every search matches its words anew).
  int directory_match_cache = 256;

  // Background jobs.
  int job_workers = 1;
  int job_poll_milliseconds = 1000;
  int job_max_attempts = 8;
  int job_retry_base_seconds = 30;

  SmtpConfig smtp;
  FeedsConfig feeds;
  // Days after an event's end when its registrations lose names and addresses (the
  // privacy page names this period).
  int events_retention_days = 30;
  // Hours before a session when registered people get a reminder mail (each once).
  std::vector<int> events_reminder_hours = {24, 1};

  // Operator texts shown in the footer pages (Markdown-free plain text, paragraphs
  // separated by blank lines).
  std::string site_name = "Verbund";
  std::string impressum;
  std::string datenschutz;

  // The federation as the site shows it: its name, postal address (lines separated by
  // "|"), contact address, logo (a PNG, JPEG or WebP file) and accent colour (#rrggbb,
  // checked for 4.5:1 contrast with white text). Empty: not shown / the default.
  std::string operator_name;
  std::string operator_address;
  std::string operator_email;
  std::string logo_file;
  std::string accent_color;

  // Map tiles for the directory's map view, e.g. https://tile.example.org/{z}/{x}/{y}.png.
  // Empty: no map (tiles are a request to a third party; the operator decides).
  std::string map_tile_url;
  std::string map_attribution;  // shown on the map, e.g. "© OpenStreetMap-Mitwirkende"

  // Derived after loading.
  std::string database_url() const;   // database, or the SQLite default in data_dir
  std::string database_path() const;  // the SQLite file when database is sqlite:, else ""
  std::string public_url() const;
  std::string map_tile_origin() const;  // scheme://host[:port] of map_tile_url, or ""
  // The ranges whose forwarded client address is believed: trusted_proxies, or with
  // behind_proxy and no trusted_proxies 127.0.0.0/8 and ::1 (nginx on the same machine).
  std::vector<IpRange> client_proxies() const;
};

// Loads the configuration: file (may be empty for none), the process environment,
// and flag overrides given as key=value pairs in the order they were typed.
Result<Config> load_config(const std::string& file,
                           const std::vector<std::pair<std::string, std::string>>& overrides,
                           char** environ_ptr);

// Applies one key=value to `config`, validating it; used by every source.
Status set_config_value(Config& config, const std::string& key, const std::string& value);

// Checks relations between keys after all sources were applied.
Status validate_config(const Config& config);

// Every known key, for --help.
std::vector<std::string> config_keys();

}  // namespace verbund::core
