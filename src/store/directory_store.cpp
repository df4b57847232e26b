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
  if (!row) return;
  // Fields of work and target groups are searchable by their German labels.
  std::string labels;
  for (int col : {8, 9}) {
    std::string keys = row->text(col);
    std::string prefix = col == 8 ? "field." : "target.";
    for (const auto& k : search::words(keys)) labels += i18n::t("de", prefix + k) + " ";
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
constexpr const char* kFillWithText = R"sql(
  INSERT INTO temp.hits (id, tier, score)
  SELECT o.id, m.tier, m.score
    FROM (SELECT rowid AS id, 0 AS tier, bm25(org_stems, 10.0, 1.0) AS score
            FROM org_stems WHERE $1 <> '' AND org_stems MATCH $1
          UNION ALL
          SELECT rowid, 1, 0 FROM org_trigram
           WHERE $2 <> '' AND org_trigram MATCH $2
             AND ($1 = '' OR rowid NOT IN (SELECT rowid FROM org_stems WHERE org_stems MATCH $1))
         ) m
    JOIN organisations o ON o.id = m.id
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
     AND ($8 = '' OR substr(o.sort_key, 1, 1) = $8)
     AND ($1 = '' AND $2 = ''))sql";

std::vector<search::FacetValue> facet(db::Connection& c, const char* sql) {
  std::vector<search::FacetValue> out;
  for (const auto& r : c.query(sql)) out.push_back({r.text(0), r.text(1), r.int64(2)});
  return out;
}

}  // namespace

search::DirectoryResult SqliteDirectory::search(const search::DirectoryQuery& q) {
  search::DirectoryResult result;
  std::string stem_q = search::stem_match(q.text);
  std::string tri_q = search::trigram_match(q.text);
  bool has_text = !search::words(q.text).empty();
  std::string letter = search::fold(q.letter);
  db_.read([&](db::Connection& c) {
    // One transaction: a consistent snapshot for rows and counts, and one lock instead
    // of one per statement. Only the connection's own temporary table is written.
    c.exec_script(
        "CREATE TEMP TABLE IF NOT EXISTS hits (id INTEGER PRIMARY KEY, tier INTEGER, score REAL);"
        "BEGIN; DELETE FROM temp.hits;");
    struct Commit {
      db::Connection& c;
      ~Commit() {
        try {
          c.exec_script("COMMIT");
        } catch (...) {
        }
      }
    } commit{c};
    db::Params params = {stem_q, tri_q, q.field, q.target_group, q.region, q.state, q.city, letter};
    if (has_text) {
      // Words that give neither stems nor trigrams (e.g. "e") match nothing.
      if (!stem_q.empty() || !tri_q.empty()) c.execute(kFillWithText, params);
    } else {
      c.execute(kFillAll, params);
    }
    result.total = c.query_int("SELECT count(*) FROM temp.hits");
    const char* order = q.sort == "neu"    ? "o.created_at DESC, o.id DESC"
                        : q.sort == "name" ? "o.sort_key, o.id"
                                           : "h.tier, h.score, o.sort_key, o.id";
    auto rows = c.query(std::string(R"sql(
      SELECT o.id, o.slug, o.name, o.city, r.name, o.short_description, h.tier,
             (SELECT group_concat(field_key, ',') FROM organisation_fields
               WHERE organisation_id = o.id)
        FROM temp.hits h JOIN organisations o ON o.id = h.id JOIN regions r ON r.id = o.region_id
       ORDER BY )sql") + order +
                            " LIMIT $1 OFFSET $2",
                        {q.page_size, (q.page - 1) * q.page_size});
    for (const auto& r : rows) {
      search::DirectoryHit h;
      h.id = r.int64(0);
      h.slug = r.text(1);
      h.name = r.text(2);
      h.city = r.text(3);
      h.region_name = r.text(4);
      h.short_description = r.text(5);
      h.exact = r.int64(6) == 0 && has_text;
      for (const auto& f : search::words(r.text(7))) h.fields.push_back(f);
      result.hits.push_back(std::move(h));
    }
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
  });
  return result;
}

}  // namespace verbund::store
