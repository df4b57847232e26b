#include "store/directory_store.hpp"

#include "core/i18n.hpp"
#include "search/analyzer.hpp"

namespace verbund::store {

void index_organisation(db::Connection& c, int64_t id) {
  auto row = c.query_one(R"sql(
    SELECT o.name, o.short_name, o.short_description, o.about, o.why, o.city, o.state, r.name,
           (SELECT group_concat(field_key, ' ') FROM organisation_fields WHERE organisation_id = o.id),
           (SELECT group_concat(group_key, ' ') FROM organisation_target_groups
             WHERE organisation_id = o.id)
      FROM organisations o JOIN regions r ON r.id = o.region_id
     WHERE o.id = $1)sql",
                         {id});
  c.execute("DELETE FROM org_stems WHERE rowid = $1", {id});
  c.execute("DELETE FROM org_trigram WHERE rowid = $1", {id});
  bump_directory_generation(c);
  if (!row) return;
  // Fields of work and target groups are searchable by their German labels.
  std::string labels;
  for (int col : {8, 9}) {
    std::string keys = row->text(col);
    std::string prefix = col == 8 ? "field." : "target.";
    for (std::size_t p = 0; p < keys.size();) {
      auto end = keys.find(' ', p);
      labels += i18n::t("de", prefix + keys.substr(p, end - p)) + " ";
      if (end == std::string::npos) break;
      p = end + 1;
    }
  }
  std::string name = row->text(0) + " " + row->text(1);
  std::string body = row->text(2) + " " + row->text(3) + " " + row->text(4) + " " + row->text(5) +
                     " " + row->text(6) + " " + row->text(7) + " " + labels;
  c.execute("INSERT INTO org_stems (rowid, name, body) VALUES ($1, $2, $3)",
            {id, search::stem_document(name), search::stem_document(body)});
  c.execute("INSERT INTO org_trigram (rowid, text) VALUES ($1, $2)",
            {id, search::fold(name + " " + row->text(2) + " " + row->text(5) + " " + labels)});
  c.execute("UPDATE organisations SET sort_key = $2 WHERE id = $1",
            {id, search::fold(row->text(0))});
}

void reindex_all_organisations(db::Connection& c) {
  for (const auto& r : c.query("SELECT id FROM organisations")) index_organisation(c, r.int64(0));
}

namespace {

// The matching, filtered set goes into a per-connection temporary table; the page and
// every facet are then cheap GROUP BYs over it.
// The full-text matches are materialized first: left to itself the planner loops over
// organisations and runs the FTS query once per row (measured: 10 ms instead of 0.5 ms
// for 60 organisations).
constexpr const char* kFillWithText = R"sql(
  WITH m(id, tier, score) AS MATERIALIZED (
    SELECT rowid, 0, bm25(org_stems, 10.0, 1.0)
      FROM org_stems WHERE org_stems MATCH $1
    UNION ALL
    SELECT rowid, 1, 0 FROM org_trigram
     WHERE org_trigram MATCH $2
       AND rowid NOT IN (SELECT rowid FROM org_stems WHERE org_stems MATCH $1))
  INSERT INTO temp.hits (id, tier, score)
  SELECT o.id, m.tier, m.score
    FROM m CROSS JOIN organisations o ON o.id = m.id
    JOIN regions r ON r.id = o.region_id
   WHERE o.status = 'published'
     AND ($3 = '' OR EXISTS (SELECT 1 FROM organisation_fields f
                              WHERE f.organisation_id = o.id AND f.field_key = $3))
     AND ($4 = '' OR EXISTS (SELECT 1 FROM organisation_target_groups g
                              WHERE g.organisation_id = o.id AND g.group_key = $4))
     AND ($5 = '' OR r.code = $5)
     AND ($6 = '' OR o.state = $6)
     AND ($7 = '' OR o.city = $7)
     AND ($8 = '' OR substr(o.sort_key, 1, 1) = $8))sql";

constexpr const char* kFillAll = R"sql(
  INSERT INTO temp.hits (id, tier, score)
  SELECT o.id, 0, 0
    FROM organisations o JOIN regions r ON r.id = o.region_id
   WHERE o.status = 'published'
     AND ($3 = '' OR EXISTS (SELECT 1 FROM organisation_fields f
                              WHERE f.organisation_id = o.id AND f.field_key = $3))
     AND ($4 = '' OR EXISTS (SELECT 1 FROM organisation_target_groups g
                              WHERE g.organisation_id = o.id AND g.group_key = $4))
     AND ($5 = '' OR r.code = $5)
     AND ($6 = '' OR o.state = $6)
     AND ($7 = '' OR o.city = $7)
     AND ($8 = '' OR substr(o.sort_key, 1, 1) = $8))sql";

std::vector<search::FacetValue> facet(db::Connection& c, const char* sql) {
  std::vector<search::FacetValue> out;
  for (const auto& r : c.query(sql)) out.push_back({r.text(0), r.text(1), r.int64(2)});
  return out;
}

}  // namespace

namespace {

std::vector<std::string> split_keys(const std::string& s) {
  std::vector<std::string> out;
  for (std::size_t p = 0; p < s.size();) {
    auto end = s.find(',', p);
    out.push_back(s.substr(p, end - p));
    if (end == std::string::npos) break;
    p = end + 1;
  }
  return out;
}

// Hits from rows of: id, slug, name, city, region name, short description, tier, fields.
void add_hits(search::DirectoryResult& result, const std::vector<db::Row>& rows, bool has_text) {
  for (const auto& r : rows) {
    search::DirectoryHit h;
    h.id = r.int64(0);
    h.slug = r.text(1);
    h.name = r.text(2);
    h.city = r.text(3);
    h.region_name = r.text(4);
    h.short_description = r.text(5);
    h.exact = r.int64(6) == 0 && has_text;
    h.fields = split_keys(r.text(7));
    result.hits.push_back(std::move(h));
  }
}

// Facets of the rows in temp.hits.
void add_facets(search::DirectoryResult& result, db::Connection& c) {
  result.facets["field"] = facet(c, R"sql(
    SELECT f.field_key, f.field_key, count(*) FROM temp.hits h
      JOIN organisation_fields f ON f.organisation_id = h.id
      JOIN fields_of_work w ON w.key = f.field_key
     GROUP BY f.field_key ORDER BY w.position)sql");
  result.facets["target_group"] = facet(c, R"sql(
    SELECT g.group_key, g.group_key, count(*) FROM temp.hits h
      JOIN organisation_target_groups g ON g.organisation_id = h.id
      JOIN target_groups t ON t.key = g.group_key
     GROUP BY g.group_key ORDER BY t.position)sql");
  result.facets["region"] = facet(c, R"sql(
    SELECT r.code, r.name, count(*) FROM temp.hits h
      JOIN organisations o ON o.id = h.id JOIN regions r ON r.id = o.region_id
     GROUP BY r.code ORDER BY r.name)sql");
  result.facets["state"] = facet(c, R"sql(
    SELECT o.state, o.state, count(*) FROM temp.hits h JOIN organisations o ON o.id = h.id
     WHERE o.state <> '' GROUP BY o.state ORDER BY o.state)sql");
  result.facets["city"] = facet(c, R"sql(
    SELECT o.city, o.city, count(*) FROM temp.hits h JOIN organisations o ON o.id = h.id
     WHERE o.city <> '' GROUP BY o.city ORDER BY count(*) DESC, o.city LIMIT 30)sql");
  result.facets["letter"] = facet(c, R"sql(
    SELECT upper(substr(o.sort_key, 1, 1)), upper(substr(o.sort_key, 1, 1)), count(*)
      FROM temp.hits h JOIN organisations o ON o.id = h.id
     GROUP BY 1 ORDER BY 1)sql");
}

// Runs `fn` in one read transaction: a consistent snapshot for rows and counts, and one
// lock instead of one per statement. Only the connection's own temporary table is written.
template <typename F>
void in_snapshot(db::Connection& c, F&& fn) {
  c.exec_script("BEGIN");
  try {
    fn();
  } catch (...) {
    c.exec_script("ROLLBACK");
    throw;
  }
  c.exec_script("COMMIT");
}

}  // namespace

void bump_directory_generation(db::Connection& c) {
  c.execute("UPDATE directory_state SET generation = generation + 1 WHERE id = 1");
}

search::DirectoryResult SqliteDirectory::search(const search::DirectoryQuery& q) {
  bool unfiltered = search::words(q.text).empty() && q.field.empty() && q.target_group.empty() &&
                    q.region.empty() && q.state.empty() && q.city.empty() && q.letter.empty();
  search::DirectoryResult result;
  db_.read([&](db::Connection& c) {
    in_snapshot(c, [&] {
      if (!unfiltered) {
        result = search_filtered(c, q);
        return;
      }
      int64_t generation = c.query_int("SELECT generation FROM directory_state WHERE id = 1");
      {
        std::lock_guard lock(mu_);
        if (generation == cached_generation_) {
          result.total = cached_all_.total;
          result.facets = cached_all_.facets;
        }
      }
      if (result.facets.empty()) {
        search::DirectoryQuery none = q;
        none.page_size = 0;
        auto fresh = search_filtered(c, none);
        std::lock_guard lock(mu_);
        cached_generation_ = generation;
        cached_all_.total = fresh.total;
        cached_all_.facets = fresh.facets;
        result.total = fresh.total;
        result.facets = std::move(fresh.facets);
      }
      const char* order = q.sort == "neu" ? "o.created_at DESC, o.id DESC" : "o.sort_key, o.id";
      add_hits(result,
               c.query(std::string(R"sql(
        SELECT o.id, o.slug, o.name, o.city, r.name, o.short_description, 0,
               (SELECT group_concat(field_key, ',') FROM organisation_fields
                 WHERE organisation_id = o.id)
          FROM organisations o JOIN regions r ON r.id = o.region_id
         WHERE o.status = 'published'
         ORDER BY )sql") + order +
                           " LIMIT $1 OFFSET $2",
                       {q.page_size, (q.page - 1) * q.page_size}),
               false);
    });
  });
  return result;
}

search::DirectoryResult SqliteDirectory::search_filtered(db::Connection& c,
                                                         const search::DirectoryQuery& q) {
  search::DirectoryResult result;
  std::string stem_q = search::stem_match(q.text);
  std::string tri_q = search::trigram_match(q.text);
  bool has_text = !search::words(q.text).empty();
  std::string letter = search::fold(q.letter);
  // An empty side matches nothing (MATCH '' would be a syntax error).
  const std::string kNothing = "\"\x01\"";
  c.exec_script(
      "CREATE TEMP TABLE IF NOT EXISTS hits (id INTEGER PRIMARY KEY, tier INTEGER, score REAL);"
      "DELETE FROM temp.hits;");
  db::Params params = {stem_q.empty() ? kNothing : stem_q,
                       tri_q.empty() ? kNothing : tri_q,
                       q.field,
                       q.target_group,
                       q.region,
                       q.state,
                       q.city,
                       letter};
  if (has_text) {
    // Words that give neither stems nor trigrams (e.g. "e") match nothing.
    if (!stem_q.empty() || !tri_q.empty()) c.execute(kFillWithText, params);
  } else {
    c.execute(kFillAll, params);
  }
  result.total = c.query_int("SELECT count(*) FROM temp.hits");
  if (q.page_size > 0) {
    const char* order = q.sort == "neu"    ? "o.created_at DESC, o.id DESC"
                        : q.sort == "name" ? "o.sort_key, o.id"
                                           : "h.tier, h.score, o.sort_key, o.id";
    add_hits(result,
             c.query(std::string(R"sql(
      SELECT o.id, o.slug, o.name, o.city, r.name, o.short_description, h.tier,
             (SELECT group_concat(field_key, ',') FROM organisation_fields
               WHERE organisation_id = o.id)
        FROM temp.hits h JOIN organisations o ON o.id = h.id JOIN regions r ON r.id = o.region_id
       ORDER BY )sql") + order +
                         " LIMIT $1 OFFSET $2",
                     {q.page_size, (q.page - 1) * q.page_size}),
             has_text);
  }
  add_facets(result, c);
  return result;
}

}  // namespace verbund::store
