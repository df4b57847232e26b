// The `verbund` command: serve, migrate, demo, user add/role, backup, import.
#include <unistd.h>

#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/feeds.hpp"
#include "core/config.hpp"
#include "core/csv.hpp"
#include "core/i18n.hpp"
#include "core/log.hpp"
#include "core/password.hpp"
#include "core/password_strength.hpp"
#include "core/random.hpp"
#include "db/migrate.hpp"
#include "feeds/ingest.hpp"
#include "http/server.hpp"
#include "jobs/runner.hpp"
#include "mail/jobs.hpp"
#include "mail/mail.hpp"
#include "media/demo_pictures.hpp"
#include "media/files.hpp"
#include "media/image.hpp"
#include "store/data_copy.hpp"
#include "store/demo.hpp"
#include "store/demo_events.hpp"
#include "store/demo_festival.hpp"
#include "store/demo_wall.hpp"
#include "store/org_import.hpp"
#include "store/org_manage_store.hpp"
#include "store/user_store.hpp"
#include "web/accounts/handlers.hpp"
#include "web/app.hpp"
#include "web/events/handlers.hpp"
#include "web/static_files.hpp"
#include "web/view.hpp"
#include "web/wall/handlers.hpp"

extern char** environ;

namespace {

using namespace verbund;

constexpr const char* kUsage = R"(verbund — member platform for federations of social organisations

Usage: verbund COMMAND [OPTIONS]

Commands:
  serve              serve the platform over HTTP
  migrate            apply database migrations and exit
  demo               load demo content (organisations, users per role)
  user add EMAIL     create an account
  user role EMAIL ROLE   grant (or with --revoke, take away) a role
  backup PATH        write a consistent copy of the database to PATH
  import orgs FILE   import a member list (CSV, UTF-8, ';' or ','): all rows or none
  sql STATEMENT      run one SQL statement through the driver and print its rows
  migrate-data --from URL --to URL   copy an installation to another database
  feeds parse FILE   print the posts of a feed document as JSON lines
  feeds fetch --once fetch every due Social Wall source once
  sources add SLUG URL   add a Social Wall source to an organisation

Run 'verbund COMMAND --help' for the options of a command.
)";

constexpr const char* kCommonOptions = R"(
Options for every command:
  --config FILE      TOML configuration file (also VERBUND_CONFIG)
  --data DIR         data folder (default ./data; VERBUND_DATA_DIR)
  --database URL     sqlite:PATH (default sqlite:DATA/verbund.db) or
                     postgres://USER[:PASSWORD]@HOST[:PORT]/DB (VERBUND_DATABASE)
  --set KEY=VALUE    any configuration key (see README); repeatable
  --help             this text
Configuration: defaults < config file < VERBUND_* environment < flags.
)";

const std::map<std::string, std::string> kHelp = {
    {"serve", R"(verbund serve [--listen HOST:PORT] [--data DIR] [--dev] [--demo-if-empty]

Serves the platform. Applies pending migrations first. Stops gracefully on SIGTERM or
SIGINT: no new connections, in-flight requests finish (limits.shutdown_grace, 10 s).
  --listen HOST:PORT  address to listen on (default 127.0.0.1:8080; VERBUND_LISTEN)
  --workers N         request handler threads (default 4)
  --dev               development mode: mail listed at /dev/mail (dev_mode = true)
  --demo-if-empty     load demo content when the database has no organisations
)"},
    {"migrate", R"(verbund migrate [--data DIR]

Applies every pending migration, each in its own transaction, and lists them.
)"},
    {"demo", R"(verbund demo [--data DIR] [--if-empty] [--orgs N]

Loads the demo content: 60 member organisations in the 15 regional associations and a
few accounts per role. Prints the accounts and their password once.
  --if-empty   do nothing (and succeed) when organisations exist already
  --orgs N     load N organisations (more than the 60 demo ones are derived from them)
)"},
    {"user",
     R"(verbund user add EMAIL [--name NAME] [--role ROLE [--region CODE] [--org SLUG]] --password-stdin
verbund user role EMAIL ROLE [--region CODE] [--org SLUG] [--revoke]

Creates a confirmed account (password read from standard input), or grants/revokes a
role. Roles: platform_admin, regional_editor (needs --region, e.g. nw), online_scout,
org_admin and org_member (need --org SLUG).
)"},
    {"import",
     R"(verbund import orgs FILE.csv [--dry-run] [--status published|pending] [--data DIR]

Imports a federation's member list. All rows are checked by the rules of the web form
first; if any row is refused, nothing is imported and every problem is listed with its
line and column (exit code 1). Otherwise all rows go in, in one transaction, and show in
the directory at once, also on a running server.
  --dry-run          check and report only; change nothing ("would import N ...")
  --status STATUS    published (default: the federation's own list is verified) or
                     pending (the regional editors review each one at /redaktion)

The file: CSV as spreadsheets save it (RFC 4180: values in "quotes" may hold the
separator, line breaks and doubled quotes ""), in UTF-8 ("CSV UTF-8"; a byte order mark
is fine), with ';' or ',' between values (told by the header line), at most 50 MiB and
100,000 rows. The first line names the columns in any order: the German name (any case
and spelling: "E-Mail", "email", "STRASSE") or the internal one of demo/organisations.tsv.
  Name (name) *
  Kurzname (short_name)
  Rechtsform (legal_form) *        e.V., gGmbH, gUG, Stiftung, Genossenschaft, Sonstige
  Landesverband (region) *         code (he) or name (Hessen)
  Straße (street), PLZ (postcode), Ort (city) *
  Bundesland (state)               default: the state the association is named after
  Arbeitsfelder (fields) *         keys (kinder_jugend) or names (Kinder- und
  Zielgruppen (target_groups)      Jugendhilfe), separated by ',' or '|'
  Kurzbeschreibung (short_description) *
  Über uns (about)                 Markdown; may span several lines
  Warum wir dabei sind (why), Gründungsjahr (founded), E-Mail (email), Telefon (phone),
  Website (website; "www.…" gets "https://"), Sprachen (languages: de, tr, ar),
  Barrierefreiheit (accessibility), Öffnungszeiten (opening_hours)
* required. Unknown columns are reported and ignored. A name that exists already, or
twice in the file, is refused. Exit code: 0 imported (on a dry run: importable),
1 refused, 2 wrong use or unreadable file.
)"},
    {"migrate-data", R"(verbund migrate-data --from URL --to URL

Copies a whole installation from one database to another, e.g. from SQLite to
PostgreSQL when the federation outgrows one machine:
  verbund migrate-data --from sqlite:./data/verbund.db --to postgres://verbund@db/verbund
Both are migrated to the current schema first. The target must hold no accounts or
organisations. Every table is copied in one transaction (all or nothing) from one
snapshot of the source, ids kept; the search index is rebuilt; the row count of every
table is compared and printed. Stop the servers (or accept that writes made during the
copy stay behind), copy, then point `database` at the target. Uploaded images stay in
DATA/media/ (copy that folder to the shared volume).
)"},
    {"sql", R"(verbund sql STATEMENT [--database URL]

Runs one statement on the configured database through Verbund's own driver, outside a
transaction (so CREATE DATABASE works on PostgreSQL), without applying migrations, and
prints its rows: values separated by '|', NULL as nothing (as sqlite3 -batch does).
For operators and tests; there is no undo.
)"},
    {"feeds", R"(verbund feeds parse FILE [--base URL]
verbund feeds check URL
verbund feeds fetch --once

  parse FILE   prints the posts of a feed document (RSS 2.0, RSS 1.0, Atom, JSON Feed)
               as JSON lines (title, url, published in ISO 8601, text, image, tags, ...),
               without network access; --base URL resolves relative links (the address
               the document came from). Exit code 1 when it is no readable feed.
  check URL    finds and fetches the feed of a URL or handle (@name@server, a website,
               a YouTube channel, ...) as the profile's source form does, and prints it
               or why not (exit code 1). Stores nothing. Private addresses only with
               --set feeds.allow_private=RANGES.
  fetch --once fetches every source that is due once (as the servers do in the
               background, feeds.workers at a time) and exits.
)"},
    {"sources", R"(verbund sources add ORG_SLUG URL
verbund sources list ORG_SLUG

  add   adds a source to the organisation's Social Wall channels as its admin would:
        checks it (a feed URL, a website naming its feed, @name@server, a YouTube or
        PeerTube channel, a Bluesky profile, ...), prints what it found and stores it
        with its posts; or prints why not and exits with 1.
  list  the organisation's sources with their last fetch.
)"},
    {"backup", R"(verbund backup PATH [--data DIR] [--database URL]

Writes a consistent copy of the database to PATH while the servers keep running:
SQLite: a database file (VACUUM INTO); restore by stopping the server and putting the
file in place of DATA/verbund.db.
PostgreSQL: a pg_dump archive in custom format (pg_dump must be installed, package
postgresql-client); restore into a new, empty database with
  pg_restore --no-owner --dbname=postgres://USER@HOST/NEWDB PATH
PATH must not exist. Uploaded images are files in DATA/media/: back them up as well.
)"},
};

struct Args {
  std::string command;
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;  // --name value
  std::vector<std::pair<std::string, std::string>> overrides;
  bool help = false;
};

const std::vector<std::string> kBoolFlags = {
    "dev", "demo-if-empty", "if-empty", "revoke", "password-stdin", "help", "dry-run", "once"};

Result<Args> parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s == "-h" || s == "--help") {
      a.help = true;
      continue;
    }
    if (s.starts_with("--")) {
      std::string name = s.substr(2), value;
      auto eq = name.find('=');
      bool is_bool = std::find(kBoolFlags.begin(), kBoolFlags.end(), name) != kBoolFlags.end();
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      } else if (!is_bool) {
        if (i + 1 >= argc) return make_error("args", "option --" + name + " needs a value");
        value = argv[++i];
      } else {
        value = "true";
      }
      if (name == "set") {
        auto e = value.find('=');
        if (e == std::string::npos) return make_error("args", "--set needs KEY=VALUE");
        a.overrides.emplace_back(value.substr(0, e), value.substr(e + 1));
      } else if (name == "listen" || name == "workers" || name == "database") {
        a.overrides.emplace_back(name, value);
      } else if (name == "data") {
        a.overrides.emplace_back("data_dir", value);
      } else if (name == "dev") {
        a.overrides.emplace_back("dev_mode", "true");
      } else {
        a.options[name] = value;
      }
      continue;
    }
    if (a.command.empty())
      a.command = s;
    else
      a.positional.push_back(s);
  }
  return a;
}

Result<core::Config> config_from(const Args& a) {
  std::string file = a.options.count("config") ? a.options.at("config") : "";
  if (file.empty())
    if (const char* env = std::getenv("VERBUND_CONFIG")) file = env;
  return core::load_config(file, a.overrides, environ);
}

int fail(const std::string& message) {
  std::cerr << "verbund: " << message << "\n";
  return 2;
}

// Opens the database at `url` (creating the SQLite file's folder) and applies pending
// migrations.
Result<std::unique_ptr<db::Database>> open_url(const std::string& url, const core::Config& cfg) {
  std::error_code ec;
  auto path = url.starts_with("sqlite:") ? url.substr(7) : "";
  if (!path.empty()) {
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  }
  std::unique_ptr<db::Database> database;
  try {
    db::OpenOptions options;
    // Request workers, job workers and the odd maintenance call each hold one at most.
    options.pool_size = cfg.workers + cfg.job_workers + 2;
    database = db::open(url, options);
  } catch (const std::exception& e) {
    return make_error("db", e.what());
  }
  auto applied = db::migrate(*database, db::embedded_migrations(database->dialect_name()));
  if (!applied) return applied.error();
  return database;
}

// The configured database, with the data folder created first.
Result<std::unique_ptr<db::Database>> open_database(const core::Config& cfg) {
  std::error_code ec;
  std::filesystem::create_directories(cfg.data_dir, ec);
  if (ec)
    return make_error("data", "cannot create data folder " + cfg.data_dir + ": " + ec.message());
  return open_url(cfg.database_url(), cfg);
}

// `verbund migrate-data --from URL --to URL`: exit 0 when every table arrived whole.
int cmd_migrate_data(const Args& a, const core::Config& cfg) {
  if (!a.options.count("from") || !a.options.count("to"))
    return fail("usage: verbund migrate-data --from sqlite:PATH --to postgres://USER@HOST/DB");
  const auto& from_url = a.options.at("from");
  const auto& to_url = a.options.at("to");
  if (from_url == to_url) return fail("--from and --to name the same database");
  if (from_url.starts_with("sqlite:") && !std::filesystem::exists(from_url.substr(7)))
    return fail("no database at " + from_url.substr(7));
  auto from = open_url(from_url, cfg);
  if (!from) return fail(from.error().message);
  auto to = open_url(to_url, cfg);
  if (!to) return fail(to.error().message);
  auto report = store::copy_data(**from, **to);
  if (!report) {
    std::cerr << "verbund: " << report.error().message << "\nnothing copied\n";
    return 1;
  }
  std::cout << "copied " << (*from)->describe() << " to " << (*to)->describe() << "\n";
  for (const auto& t : report->tables)
    std::cout << "  " << t.table << ": " << t.source << " rows, " << t.target << " on the target"
              << (t.source == t.target ? "" : "  MISMATCH") << "\n";
  std::cout << "search indexes rebuilt on the target; row counts verified\n";
  return 0;
}

void print_demo_report(const store::DemoReport& r, const std::string& pass) {
  std::cout << "Demo content loaded: " << r.organisations << " organisations, " << r.applications
            << " applications waiting for review.\n"
            << "Demo accounts (password shown only now): " << pass << "\n";
  for (const auto& u : r.users)
    std::cout << "  " << u.email << "  " << u.role << (u.scope.empty() ? "" : "  (" + u.scope + ")")
              << "\n";
}

Result<bool> load_demo(db::Database& database, const core::Config& cfg, bool if_empty,
                       int organisations = 0) {
  std::string pass = random::token(12);
  auto report =
      store::load_demo(database, password::hash(pass, cfg.password_hash_strength), organisations);
  if (!report) {
    if (report.error().code == "not_empty" && if_empty) return false;
    return report.error();
  }
  print_demo_report(*report, pass);
  // The Social Wall's demo posts, with pictures drawn for them.
  auto texts = store::demo_wall_texts();
  if (!texts) return texts.error();
  media::Files files(std::filesystem::path(cfg.data_dir) / "media");
  std::vector<std::string> keys;
  std::map<std::string, std::string> by_caption;
  int motif = 0;
  for (const auto& t : *texts) {
    std::string key;
    if (!t.image_caption.empty()) {
      auto& known = by_caption[t.image_caption];
      if (known.empty()) {
        auto png = media::demo_picture(motif++, t.image_caption);
        auto processed = png ? media::process_image(*png, media::Purpose::gallery)
                             : Result<media::Processed>(png.error());
        auto saved = processed ? files.save(*processed) : Result<std::string>(processed.error());
        if (saved) known = *saved;
      }
      key = known;
    }
    keys.push_back(key);
  }
  int posts = store::load_demo_wall(database, *texts, keys, std::time(nullptr));
  std::cout << posts << " posts on the Social Wall\n";
  int events = store::load_demo_events(database, std::time(nullptr));
  std::cout << events << " events\n";
  int proposals = store::load_demo_festival(database, std::time(nullptr));
  std::cout << proposals << " proposals for the Digital-Festival\n";
  return true;
}

int cmd_serve(const Args& a, const core::Config& cfg) {
  password::load_german_words();  // before the first sign-up, not during it
  auto database = open_database(cfg);
  if (!database) return fail(database.error().message);
  auto& db = **database;
  if (a.options.count("demo-if-empty")) {
    auto loaded = load_demo(db, cfg, true);
    if (!loaded) return fail(loaded.error().message);
  }
  web::App app(cfg, db);

  auto transport = mail::make_transport(cfg);
  jobs::Runner runner(db, {cfg.job_workers, cfg.job_poll_milliseconds, cfg.job_retry_base_seconds,
                           300, cfg.job_max_attempts});
  // Each feature registers its own job kinds and schedules.
  mail::register_jobs(runner, db, *transport);
  web::accounts::register_jobs(runner, db, cfg);
  web::wall::register_jobs(runner, db);
  web::events::register_jobs(runner, db, cfg);

  http::ServerOptions opt;
  opt.host = cfg.listen_host;
  opt.port = static_cast<uint16_t>(cfg.listen_port);
  opt.io_threads = cfg.io_threads;
  opt.workers = cfg.workers;
  opt.header_limit = static_cast<std::size_t>(cfg.header_limit_bytes);
  opt.read_header_timeout = std::chrono::seconds(cfg.read_header_timeout_seconds);
  opt.idle_timeout = std::chrono::seconds(cfg.idle_timeout_seconds);
  opt.write_timeout = std::chrono::seconds(cfg.write_timeout_seconds);
  opt.shutdown_grace = std::chrono::seconds(cfg.shutdown_grace_seconds);
  opt.trusted_proxies = cfg.client_proxies();
  http::Server server(opt, app.dispatch());
  try {
    server.bind();
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  runner.start();
  log::info("jobs_started", {{"node", runner.node()}});
  // The Social Wall's sources, fetched by every node (feeds.workers at a time).
  feeds::Ingest ingest(db, cfg, runner.node(), web::wall::source_failure_mail(cfg));
  ingest.start();
  std::string host = cfg.listen_host.find(':') != std::string::npos ? "[" + cfg.listen_host + "]"
                                                                    : cfg.listen_host;
  std::cout << "Verbund läuft auf http://" << host << ":" << server.port() << "/" << std::endl;
  log::info("listening", {{"address", host + ":" + std::to_string(server.port())},
                          {"database", db.describe()},
                          {"dev_mode", cfg.dev_mode ? "true" : "false"}});
  server.run();
  ingest.stop();
  runner.stop();
  log::flush();
  return 0;
}

int cmd_sql(const Args& a, const core::Config& cfg) {
  if (a.positional.size() != 1) return fail("usage: verbund sql STATEMENT");
  auto path = cfg.database_path();
  if (!path.empty() && !std::filesystem::exists(path)) return fail("no database at " + path);
  std::unique_ptr<db::Database> database;
  try {
    database = db::open(cfg.database_url());
    auto lease = database->acquire();
    for (const auto& row : lease->query(a.positional[0])) {
      std::string line;
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (i) line += '|';
        line += row.text_at(i);
      }
      std::cout << line << "\n";
    }
  } catch (const db::DbError& e) {
    std::cerr << "verbund: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

int cmd_user(const Args& a, const core::Config& cfg) {
  if (a.positional.size() < 2) return fail("usage: verbund user add EMAIL | user role EMAIL ROLE");
  auto database = open_database(cfg);
  if (!database) return fail(database.error().message);
  auto& db = **database;
  auto email = model::normalize_email(a.positional[1]);
  if (!email) return fail("not a valid e-mail address: " + a.positional[1]);
  std::string role_key = a.positional[0] == "role" && a.positional.size() >= 3 ? a.positional[2]
                         : a.options.count("role") ? a.options.at("role")
                                                   : "";
  std::optional<model::Role> role;
  if (!role_key.empty()) {
    role = model::parse_role(role_key);
    if (!role)
      return fail("unknown role '" + role_key +
                  "' (platform_admin, regional_editor, online_scout, org_admin, org_member)");
  }
  std::optional<int64_t> region_id, org_id;
  if (a.options.count("region")) {
    auto r = store::Organisations(db, cfg.job_max_attempts).region(a.options.at("region"));
    if (!r) return fail("unknown region '" + a.options.at("region") + "'");
    region_id = r->id;
  }
  if (a.options.count("org")) {
    auto id = store::Organisations(db, cfg.job_max_attempts).id_of(a.options.at("org"));
    if (!id) return fail("unknown organisation '" + a.options.at("org") + "'");
    org_id = *id;
  }
  if (a.positional[0] == "add") {
    if (!a.options.count("password-stdin")) return fail("user add needs --password-stdin");
    std::string pass;
    std::getline(std::cin, pass);
    std::string name =
        a.options.count("name") ? a.options.at("name") : email->substr(0, email->find('@'));
    if (auto problem = model::display_name_problem(name))
      return fail("name refused: " + i18n::t("en", *problem));
    if (auto problem = model::password_problem(pass, *email, password::common_passwords(),
                                               {cfg.site_name, name}))
      return fail("password refused: " + i18n::t("en", *problem));
    auto hash = password::hash(pass, cfg.password_hash_strength);
    Status st =
        store::Users(db, cfg.job_max_attempts)
            .add_confirmed({*email, name, hash, "de"}, role, region_id, org_id, std::time(nullptr));
    if (!st)
      return fail(st.error().code == "exists" ? "an account with this address exists"
                                              : st.error().message);
    std::cout << "created " << *email << (role ? " with role " + role_key : "") << "\n";
    return 0;
  }
  if (a.positional[0] == "role") {
    if (!role) return fail("usage: verbund user role EMAIL ROLE");
    Status st = store::Users(db, cfg.job_max_attempts)
                    .change_role(*email, *role, !a.options.count("revoke"), region_id, org_id);
    if (!st)
      return fail(
          st.error().code == "invalid"
              ? "role " + role_key + " needs " +
                    (role == model::Role::regional_editor ? "--region CODE" : "--org SLUG") +
                    " and nothing else"
              : st.error().message);
    std::cout << (a.options.count("revoke") ? "revoked " : "granted ") << role_key << " for "
              << *email << "\n";
    return 0;
  }
  return fail("unknown user command '" + a.positional[0] + "'");
}

// `verbund import orgs FILE`: exit 0 when imported (or, on a dry run, importable), 1
// when the file's content is refused, 2 on wrong use or when the file cannot be read.
int cmd_import(const Args& a, const core::Config& cfg) {
  constexpr const char* kImportUsage =
      "usage: verbund import orgs FILE.csv [--dry-run] [--status published|pending]";
  for (const auto& [name, value] : a.options)
    if (name != "dry-run" && name != "status" && name != "config")
      return fail("unknown option --" + name + " for import; see verbund import --help");
  if (a.positional.size() != 2 || a.positional[0] != "orgs") return fail(kImportUsage);
  store::ImportOptions opt;
  opt.dry_run = a.options.count("dry-run") > 0;
  if (a.options.count("status")) opt.status = a.options.at("status");
  if (opt.status != "published" && opt.status != "pending")
    return fail("--status is published or pending, not '" + opt.status + "'");

  const auto& path = a.positional[1];
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail("cannot read " + path + ": " + ec.message());
  if (size > csv::Limits{}.max_bytes) {
    model::ImportProblem p{0, "", "", "import.too_large", {{"max", "50"}}};
    std::cout << path << ": " << model::describe(p, "en") << "\nnothing imported\n";
    return 1;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot open " + path);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.bad()) return fail("cannot read " + path);
  bytes.resize(static_cast<std::size_t>(in.gcount()));

  auto database = open_database(cfg);
  if (!database) return fail(database.error().message);
  opt.now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&opt.now, &utc);
  opt.current_year = utc.tm_year + 1900;
  auto outcome = store::import_organisations(**database, bytes, opt);
  const auto& plan = outcome.plan;

  if (!plan.fatal)
    std::cout << path << ": " << plan.records << (plan.records == 1 ? " row" : " rows")
              << ", separator '" << plan.separator << "'\n";
  for (const auto& p : plan.problems)
    std::cout << (p.line == 0 ? path + ": " : "") << model::describe(p, "en") << "\n";
  const char* would = opt.dry_run ? "nothing would be imported" : "nothing imported";
  if (plan.fatal) {
    std::cout << would << "\n";
    return 1;
  }
  if (plan.errors() > 0) {
    std::cout << plan.bad_rows() << " of " << plan.records
              << (plan.records == 1 ? " row has" : " rows have") << " problems; " << would
              << " (all or nothing: fix the rows and run the import again)\n";
    return 1;
  }
  auto n = std::to_string(opt.dry_run ? plan.rows.size() : outcome.imported);
  auto orgs = n == "1" ? " organisation" : " organisations";
  if (opt.dry_run)
    std::cout << "would import " << n << orgs << " (status " << opt.status
              << "); dry run, nothing changed\n";
  else
    std::cout << "imported " << n << orgs << " (status " << opt.status << ")\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto args = parse_args(argc, argv);
  if (!args) return fail(args.error().message);
  auto& a = *args;
  if (a.command.empty() || a.command == "help") {
    std::cout << kUsage << kCommonOptions;
    return a.command.empty() && !a.help ? 2 : 0;
  }
  if (a.help) {
    auto it = kHelp.find(a.command);
    if (it == kHelp.end()) return fail("unknown command '" + a.command + "'");
    std::cout << it->second << kCommonOptions;
    return 0;
  }
  if (!kHelp.count(a.command))
    return fail("unknown command '" + a.command + "'; see verbund --help");
  auto cfg = config_from(a);
  if (!cfg) return fail(cfg.error().message);
  log::set_level(cfg->log_level == "debug"   ? log::Level::debug
                 : cfg->log_level == "warn"  ? log::Level::warn
                 : cfg->log_level == "error" ? log::Level::error
                                             : log::Level::info);
  std::signal(SIGPIPE, SIG_IGN);
  try {
    random::init();
    password::load_common_passwords();
    if (auto st = i18n::load(); !st) return fail(st.error().message);
    web::static_files::load();
    if (auto st = web::load_templates(); !st) return fail(st.error().message);
    if (a.command == "serve") return cmd_serve(a, *cfg);
    if (a.command == "user") return cmd_user(a, *cfg);
    if (a.command == "import") return cmd_import(a, *cfg);
    if (a.command == "sql") return cmd_sql(a, *cfg);
    if (a.command == "migrate-data") return cmd_migrate_data(a, *cfg);
    if (a.command == "feeds" || a.command == "sources") {
      cli::OpenDatabase open = [&cfg] { return open_database(*cfg); };
      if (a.command == "sources") return cli::sources({a.positional, a.options}, *cfg, open);
      return cli::feeds({a.positional, a.options}, *cfg, open);
    }
    if (a.command == "migrate") {
      auto database = open_database(*cfg);
      if (!database) return fail(database.error().message);
      std::cout << "database is up to date: " << (*database)->describe() << "\n";
      return 0;
    }
    if (a.command == "demo") {
      auto database = open_database(*cfg);
      if (!database) return fail(database.error().message);
      int count = 0;
      if (a.options.count("orgs")) {
        try {
          count = std::stoi(a.options.at("orgs"));
        } catch (...) {
          count = -1;
        }
        if (count < 1 || count > 1000000) return fail("--orgs needs a number from 1 to 1000000");
      }
      auto loaded = load_demo(**database, *cfg, a.options.count("if-empty") > 0, count);
      if (!loaded) return fail(loaded.error().message);
      if (!*loaded) std::cout << "demo content present already; nothing to do\n";
      return 0;
    }
    if (a.command == "backup") {
      if (a.positional.empty()) return fail("usage: verbund backup PATH");
      const auto& path = a.positional[0];
      if (std::filesystem::exists(path)) return fail(path + " exists already; choose a new path");
      auto database = open_database(*cfg);
      if (!database) return fail(database.error().message);
      (*database)->backup_to(path);
      std::cout << "backup written to " << path << "\n";
      return 0;
    }
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  return fail("unknown command '" + a.command + "'");
}
