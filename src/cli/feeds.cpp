#include "cli/feeds.hpp"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/json.hpp"
#include "feeds/check.hpp"
#include "feeds/dates.hpp"
#include "feeds/ingest.hpp"
#include "feeds/parse.hpp"
#include "store/org_store.hpp"
#include "web/wall/handlers.hpp"

namespace verbund::cli {

namespace {

int usage(const std::string& message) {
  std::cerr << "verbund: " << message << "\n";
  return 2;
}

std::string post_json(const feeds::Post& p) {
  json::Writer w;
  w.begin_object();
  w.key("title").value(p.title);
  w.key("url").value(p.url);
  w.key("published").value(p.published ? feeds::iso8601(*p.published) : "");
  w.key("text").value(p.text);
  w.key("image").value(p.image);
  w.key("image_alt").value(p.image_alt);
  w.begin_array("tags");
  for (const auto& t : p.tags) w.value(t);
  w.end_array();
  w.key("guid").value(p.guid);
  w.key("author").value(p.author);
  w.begin_array("links");
  for (const auto& l : p.links) w.value(l);
  w.end_array();
  w.end_object();
  return w.str();
}

// Prints the posts of a feed document as JSON lines; no network.
int parse_file(const Command& c) {
  if (c.positional.size() != 2) return usage("usage: verbund feeds parse FILE [--base URL]");
  std::ifstream in(c.positional[1], std::ios::binary);
  if (!in) return usage("cannot read " + c.positional[1]);
  std::ostringstream body;
  body << in.rdbuf();
  if (body.str().size() > 50u * 1024 * 1024) return usage(c.positional[1] + " is over 50 MiB");
  std::string base = c.options.count("base") ? c.options.at("base") : "";
  auto feed = feeds::parse(body.str(), base);
  if (!feed) {
    std::cerr << "verbund: " << c.positional[1] << ": " << feed.error().code << ": "
              << feed.error().message << "\n";
    return 1;
  }
  for (const auto& p : feed->posts) std::cout << post_json(p) << "\n";
  return 0;
}

// Checks a source as the profile form does, without storing anything.
int check_url(const Command& c, const core::Config& config) {
  if (c.positional.size() != 2) return usage("usage: verbund feeds check URL");
  auto result = feeds::check_source(c.positional[1], feeds::fetch_options(config));
  if (!result.ok()) {
    std::cout << "no feed: " << result.error << ": " << result.detail << "\n";
    return 1;
  }
  std::cout << "feed: " << result.feed_url << " (" << result.feed.format << ", " << result.kind
            << ")\ntitle: " << result.feed.title << "\nposts: " << result.feed.posts.size() << "\n";
  for (std::size_t i = 0; i < result.feed.posts.size() && i < 3; ++i) {
    std::cout << post_json(result.feed.posts[i]) << "\n";
  }
  return 0;
}

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Fetches every due source once, as the nodes' background loop does, and exits.
int fetch_once(const Command& c, const core::Config& config, const OpenDatabase& open) {
  if (!c.options.count("once")) return usage("usage: verbund feeds fetch --once");
  auto database = open();
  if (!database) return usage(database.error().message);
  auto start = std::chrono::steady_clock::now();
  feeds::Ingest ingest(**database, config, "cli-" + std::to_string(getpid()),
                       web::wall::source_failure_mail(config));
  auto stats = ingest.run_once();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "fetched " << stats.sources << " sources in " << seconds << " s: " << stats.ok
            << " new content, " << stats.not_modified << " not modified, " << stats.failed
            << " failed; " << stats.posts_new << " new posts, " << stats.posts_updated
            << " updated, " << stats.images << " images\n";
  return 0;
}

void print_source(const store::Source& s) {
  std::cout << "source " << s.id << ": " << s.feed_url << " (" << s.kind << ", " << s.moderation
            << ")  last: " << (s.last_result.empty() ? "-" : s.last_result)
            << "  posts: " << s.posts_found << "  failures: " << s.failures << "\n";
}

}  // namespace

int feeds(const Command& c, const core::Config& config, const OpenDatabase& open) {
  if (c.positional.empty()) return usage("usage: verbund feeds parse|check|fetch ...");
  if (c.positional[0] == "parse") return parse_file(c);
  if (c.positional[0] == "check") return check_url(c, config);
  if (c.positional[0] == "fetch") return fetch_once(c, config, open);
  return usage("unknown feeds command '" + c.positional[0] + "'");
}

int sources(const Command& c, const core::Config& config, const OpenDatabase& open) {
  if (c.positional.size() < 2)
    return usage("usage: verbund sources add ORG_SLUG URL | list ORG_SLUG");
  const std::string& sub = c.positional[0];
  if (sub != "add" && sub != "list") return usage("unknown sources command '" + sub + "'");
  if (sub == "add" && c.positional.size() != 3)
    return usage("usage: verbund sources add ORG_SLUG URL");
  auto database = open();
  if (!database) return usage(database.error().message);
  auto& db = **database;
  auto org_id = db.read(
      [&](db::Connection& conn) { return store::find_organisation_id(conn, c.positional[1]); });
  if (!org_id) return usage("no organisation with the address name '" + c.positional[1] + "'");
  store::Sources sources(db);
  const store::Actor operator_actor{0, true};  // the command line acts as a platform admin
  if (sub == "list") {
    for (const auto& s : sources.of_organisation(operator_actor, *org_id)) print_source(s);
    return 0;
  }
  auto added = feeds::add_source(sources, operator_actor, *org_id, c.positional[2],
                                 feeds::fetch_options(config), unix_now());
  if (!added.error.empty()) {
    std::string why = added.error == "duplicate" ? "the organisation has this source already"
                      : added.error == "limit"   ? "the organisation has the most sources allowed"
                                                 : added.check.detail;
    std::cout << "not added: " << added.error << ": " << why << "\n";
    return 1;
  }
  print_source(*added.source);
  std::cout << "title: " << added.check.feed.title << "\nposts: " << added.check.feed.posts.size()
            << "\n";
  for (std::size_t i = 0; i < added.check.feed.posts.size() && i < 3; ++i) {
    std::cout << post_json(added.check.feed.posts[i]) << "\n";
  }
  return 0;
}

}  // namespace verbund::cli
