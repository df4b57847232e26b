#include "store/data_copy.hpp"

#include <algorithm>
#include <set>

#include "store/directory_store.hpp"

namespace verbund::store {
namespace {

// Rebuilt on the target from the organisations (dialect-specific), or kept as the
// target's own.
const std::set<std::string> kSkipped = {"schema_migrations", "org_search_text"};

db::Param param_of(const db::Value& v) {
  if (auto i = std::get_if<int64_t>(&v)) return *i;
  if (auto d = std::get_if<double>(&v)) return *d;
  if (auto s = std::get_if<std::string>(&v)) return *s;
  return nullptr;
}

}  // namespace

const std::vector<std::string>& copied_tables() {
  static const std::vector<std::string> tables = {"regions",
                                                  "fields_of_work",
                                                  "target_groups",
                                                  "users",
                                                  "organisations",
                                                  "organisation_fields",
                                                  "organisation_target_groups",
                                                  "organisation_slugs",
                                                  "organisation_images",
                                                  "organisation_reviews",
                                                  "user_roles",
                                                  "sessions",
                                                  "user_tokens",
                                                  "attempt_counters",
                                                  "org_invitations",
                                                  "org_claims",
                                                  "outbox",
                                                  "jobs",
                                                  "job_schedules",
                                                  "settings",
                                                  "directory_state",
                                                  "feed_hosts",
                                                  "sources",
                                                  "posts",
                                                  "post_tags",
                                                  "post_reports",
                                                  "wall_moderation_log",
                                                  "wall_words",
                                                  "wall_kiosks",
                                                  "wall_tag_counts",
                                                  "festivals",
                                                  "festival_categories",
                                                  "festival_reviewers",
                                                  "event_series",
                                                  "events",
                                                  "event_sessions",
                                                  "registrations",
                                                  "registration_reminders",
                                                  "proposals",
                                                  "proposal_reviews",
                                                  "review_scores"};
  return tables;
}

Result<CopyReport> copy_data(db::Database& from, db::Database& to) {
  CopyReport report;
  const auto& order = copied_tables();
  try {
    // Every table must be known: a table added by a later migration and not listed
    // here would otherwise be left behind silently.
    for (auto* d : {&from, &to}) {
      auto tables = d->read([](db::Connection& c) { return db::list_tables(c); });
      for (const auto& t : tables)
        if (!kSkipped.count(t) && std::find(order.begin(), order.end(), t) == order.end())
          return make_error("copy", "table '" + t + "' of " + d->describe() +
                                        " is not known to migrate-data; add it to "
                                        "store::copied_tables()");
    }
    to.write([&](db::Connection& t) {
      report.tables.clear();  // a retried transaction starts over
      if (t.query_int("SELECT count(*) FROM users") +
              t.query_int("SELECT count(*) FROM organisations") >
          0)
        throw db::DbError(db::DbError::Kind::other, "not_empty");
      // The target's seeded rows give way to the source's (same keys, maybe other ids).
      for (auto it = order.rbegin(); it != order.rend(); ++it) t.execute("DELETE FROM " + *it);
      from.read([&](db::Connection& s) {
        for (const auto& table : order) {
          int64_t n = 0;
          std::string insert;
          for (const auto& row : s.query("SELECT * FROM " + table)) {
            if (insert.empty()) {
              const auto& cols = row.column_names();
              std::string names, marks;
              for (std::size_t i = 0; i < cols.size(); ++i) {
                names += (i ? ", " : "") + cols[i];
                marks += (i ? ", $" : "$") + std::to_string(i + 1);
              }
              insert = "INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")";
            }
            db::Params p;
            for (const auto& v : row.values()) p.add(param_of(v));
            t.execute(insert, p);
            ++n;
          }
          db::reset_identity(t, table, "id");
          report.tables.push_back({table, n, 0});
        }
      });
      reindex_all_organisations(t);
      for (auto& tc : report.tables) tc.target = t.query_int("SELECT count(*) FROM " + tc.table);
      for (const auto& tc : report.tables)
        if (tc.source != tc.target)
          throw db::DbError(db::DbError::Kind::other,
                            "table " + tc.table + ": " + std::to_string(tc.source) +
                                " rows read, " + std::to_string(tc.target) + " on the target");
    });
  } catch (const db::DbError& e) {
    if (std::string(e.what()) == "not_empty")
      return make_error("not_empty",
                        "the target holds accounts or organisations already; "
                        "migrate-data copies into a new, empty database only");
    return make_error("copy", e.what());
  }
  report.skipped.assign(kSkipped.begin(), kSkipped.end());
  return report;
}

}  // namespace verbund::store
