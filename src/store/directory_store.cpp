#include "store/directory_store.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <numeric>
#include <unordered_map>

#include "core/i18n.hpp"
#include "search/analyzer.hpp"

namespace verbund::store {

namespace {

// The dialect seam of the directory: how search text is stored and matched.
// SQLite: two FTS5 tables keyed by rowid (migrations/sqlite/0002). PostgreSQL: one row
// per organisation in org_search with tsvectors of the stems and the folded text under
// a pg_trgm index (migrations/postgres/0002).
void store_search_text(db::Connection& c, int64_t id, const std::string& name_stems,
                       const std::string& body_stems, const std::string& folded) {
  if (c.dialect() == db::Dialect::sqlite) {
    c.execute("DELETE FROM org_stems WHERE rowid = $1", {id});
    c.execute("DELETE FROM org_trigram WHERE rowid = $1", {id});
    c.execute("INSERT INTO org_stems (rowid, name, body) VALUES ($1, $2, $3)",
              {id, name_stems, body_stems});
    c.execute("INSERT INTO org_trigram (rowid, text) VALUES ($1, $2)", {id, folded});
    return;
  }
  c.execute(R"sql(
    INSERT INTO org_search (organisation_id, name_tsv, all_tsv, folded)
    VALUES ($1, to_tsvector('simple', $2), to_tsvector('simple', $2 || ' ' || $3), $4)
    ON CONFLICT (organisation_id) DO UPDATE
       SET name_tsv = excluded.name_tsv, all_tsv = excluded.all_tsv, folded = excluded.folded)sql",
            {id, name_stems, body_stems, folded});
}

void drop_search_text(db::Connection& c, int64_t id) {
  if (c.dialect() == db::Dialect::sqlite) {
    c.execute("DELETE FROM org_stems WHERE rowid = $1", {id});
    c.execute("DELETE FROM org_trigram WHERE rowid = $1", {id});
  } else {
    c.execute("DELETE FROM org_search WHERE organisation_id = $1", {id});
  }
}

std::vector<int64_t> ids_of(db::Connection& c, const std::string& sql, const db::Params& params) {
  std::vector<int64_t> out;
  for (const auto& r : c.query(sql, params)) out.push_back(r.int64("id"));
  return out;
}

// Matches by tier: 0 every word's stem in the name, 1 stems anywhere, 2 every word as a
// substring of the folded text. Each returns organisation ids.
struct Matches {
  std::vector<int64_t> name, stems, substrings;
};

Matches match_text(db::Connection& c, const std::string& text) {
  Matches m;
  if (c.dialect() == db::Dialect::sqlite) {
    std::string stem_q = search::stem_match(text);
    std::string tri_q = search::trigram_match(text);
    if (!stem_q.empty()) {
      const char* sql = "SELECT rowid AS id FROM org_stems WHERE org_stems MATCH $1";
      m.name = ids_of(c, sql, {"name : (" + stem_q + ")"});
      m.stems = ids_of(c, sql, {stem_q});
    }
    if (!tri_q.empty())
      m.substrings =
          ids_of(c, "SELECT rowid AS id FROM org_trigram WHERE org_trigram MATCH $1", {tri_q});
    return m;
  }
  std::string ts = search::tsquery_match(text);
  if (!ts.empty()) {
    m.name = ids_of(c,
                    "SELECT organisation_id AS id FROM org_search "
                    "WHERE name_tsv @@ to_tsquery('simple', $1)",
                    {ts});
    m.stems = ids_of(c,
                     "SELECT organisation_id AS id FROM org_search "
                     "WHERE all_tsv @@ to_tsquery('simple', $1)",
                     {ts});
  }
  auto words = search::trigram_words(text);
  if (!words.empty()) {
    // Words are letters and digits only (no LIKE wildcards); pg_trgm's GIN index
    // serves LIKE '%word%'.
    db::Params params;
    std::string sql = "SELECT organisation_id AS id FROM org_search WHERE ";
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (i) sql += " AND ";
      sql += "folded LIKE " + params.next();
      params.add("%" + words[i] + "%");
    }
    m.substrings = ids_of(c, sql, params);
  }
  return m;
}

// Keys of an organisation's fields of work or target groups, in key order.
std::vector<std::string> keys_of(db::Connection& c, const char* sql, int64_t id) {
  std::vector<std::string> out;
  for (const auto& r : c.query(sql, {id})) out.push_back(r.text("k"));
  return out;
}

}  // namespace

void index_organisation(db::Connection& c, int64_t id) {
  auto row = c.query_one(R"sql(
    SELECT o.name, o.short_name, o.short_description, o.about, o.why, o.city, o.state,
           r.name AS region_name
      FROM organisations o JOIN regions r ON r.id = o.region_id
     WHERE o.id = $1)sql",
                         {id});
  bump_directory_generation(c);
  if (!row) {
    drop_search_text(c, id);
    return;
  }
  // Fields of work and target groups are searchable by their German labels.
  std::string labels;
  for (const auto& k : keys_of(c,
                               "SELECT field_key AS k FROM organisation_fields "
                               "WHERE organisation_id = $1 ORDER BY field_key",
                               id))
    labels += i18n::t("de", "field." + k) + " ";
  for (const auto& k : keys_of(c,
                               "SELECT group_key AS k FROM organisation_target_groups "
                               "WHERE organisation_id = $1 ORDER BY group_key",
                               id))
    labels += i18n::t("de", "target." + k) + " ";
  std::string name = row->text("name") + " " + row->text("short_name");
  std::string body = row->text("short_description") + " " + row->text("about") + " " +
                     row->text("why") + " " + row->text("city") + " " + row->text("state") + " " +
                     row->text("region_name") + " " + labels;
  store_search_text(c, id, search::stem_document(name), search::stem_document(body),
                    search::fold(name + " " + row->text("short_description") + " " +
                                 row->text("city") + " " + labels));
  c.execute("UPDATE organisations SET sort_key = $2 WHERE id = $1",
            {id, search::fold(row->text("name"))});
}

void reindex_all_organisations(db::Connection& c) {
  for (const auto& r : c.query("SELECT id FROM organisations ORDER BY id"))
    index_organisation(c, r.int64("id"));
}

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

uint16_t intern(std::vector<std::string>& table, std::map<std::string, uint16_t>& seen,
                const std::string& value) {
  auto [it, fresh] = seen.emplace(value, static_cast<uint16_t>(table.size()));
  if (fresh) table.push_back(value);
  return it->second;
}

// The city facet lists the most frequent cities only; a chosen city is always among them
// because the counts are over the hits, which are all in that city.
constexpr std::size_t kMaxCities = 30;

// Every organisation's keys of one taxonomy, joined by commas, in key order.
std::unordered_map<int64_t, std::string> keys_by_organisation(db::Connection& c, const char* sql) {
  std::unordered_map<int64_t, std::string> out;
  for (const auto& r : c.query(sql)) {
    auto& keys = out[r.int64("organisation_id")];
    if (!keys.empty()) keys += ',';
    keys += r.text("k");
  }
  return out;
}

}  // namespace

void bump_directory_generation(db::Connection& c) {
  c.execute("UPDATE directory_state SET generation = generation + 1 WHERE id = 1");
}

// What filters, facets and sorting need of every published organisation, in name
// order, held in memory: filtering and counting thousands of hits then takes
// microseconds instead of a GROUP BY per facet.
struct OrgDirectory::Facts {
  int64_t generation = -1;
  std::vector<int64_t> ids;  // in name order (position = name rank)
  std::unordered_map<int64_t, uint32_t> position;
  std::vector<uint16_t> region, state, city;
  std::vector<char> letter;
  std::vector<uint32_t> fields, groups;  // bit i: taxonomy key i
  std::vector<int64_t> created;
  std::vector<std::string> region_codes, region_names, states, cities, field_keys, group_keys;
  // Indexes into region_names, states and cities in name order, for the facets.
  std::vector<uint16_t> region_order, state_order, city_order;
  // What a result card shows, by name rank: a page of hits shares these instead of
  // reading (or copying) its rows per request.
  std::vector<std::shared_ptr<const search::DirectoryCard>> cards;
};

std::shared_ptr<const OrgDirectory::Facts> OrgDirectory::facts(db::Connection& c) {
  int64_t generation = c.query_int("SELECT generation FROM directory_state WHERE id = 1");
  {
    std::lock_guard lock(mu_);
    if (facts_ && facts_->generation == generation) return facts_;
  }
  auto f = std::make_shared<Facts>();
  f->generation = generation;
  for (const auto& r : c.query("SELECT key FROM fields_of_work ORDER BY position"))
    f->field_keys.push_back(r.text("key"));
  for (const auto& r : c.query("SELECT key FROM target_groups ORDER BY position"))
    f->group_keys.push_back(r.text("key"));
  std::map<std::string, uint16_t> region_seen, state_seen, city_seen;
  std::map<std::string, std::string> region_name;
  auto bits = [](const std::string& keys, const std::vector<std::string>& table) {
    uint32_t out = 0;
    for (const auto& k : split_keys(keys))
      for (std::size_t i = 0; i < table.size() && i < 32; ++i)
        if (table[i] == k) out |= 1u << i;
    return out;
  };
  auto fields_of =
      keys_by_organisation(c,
                           "SELECT organisation_id, field_key AS k FROM organisation_fields "
                           "ORDER BY organisation_id, field_key");
  auto groups_of =
      keys_by_organisation(c,
                           "SELECT organisation_id, group_key AS k FROM organisation_target_groups "
                           "ORDER BY organisation_id, group_key");
  for (const auto& r : c.query(R"sql(
      SELECT o.id, rg.code AS region_code, rg.name AS region_name, o.state, o.city, o.sort_key,
             o.created_at, o.slug, o.name, o.short_description
        FROM organisations o JOIN regions rg ON rg.id = o.region_id
       WHERE o.status = 'published'
       ORDER BY o.sort_key, o.id)sql")) {
    const int64_t id = r.int64("id");
    f->position.emplace(id, static_cast<uint32_t>(f->ids.size()));
    f->ids.push_back(id);
    std::string region_code = r.text("region_code");
    f->region.push_back(intern(f->region_codes, region_seen, region_code));
    region_name[region_code] = r.text("region_name");
    f->state.push_back(intern(f->states, state_seen, r.text("state")));
    std::string city = r.text("city");
    f->city.push_back(intern(f->cities, city_seen, city));
    std::string key = r.text("sort_key");
    char first =
        key.empty() ? '#' : static_cast<char>(std::toupper(static_cast<unsigned char>(key[0])));
    f->letter.push_back(std::isalpha(static_cast<unsigned char>(first)) ? first : '#');
    f->created.push_back(r.int64("created_at"));
    const std::string& field_keys = fields_of[id];
    f->fields.push_back(bits(field_keys, f->field_keys));
    f->groups.push_back(bits(groups_of[id], f->group_keys));
    f->cards.push_back(std::make_shared<const search::DirectoryCard>(
        search::DirectoryCard{id, r.text("slug"), r.text("name"), city, r.text("region_name"),
                              r.text("short_description"), split_keys(field_keys)}));
  }
  for (const auto& code : f->region_codes) f->region_names.push_back(region_name[code]);
  auto name_order = [](const std::vector<std::string>& names) {
    std::vector<uint16_t> order(names.size());
    std::iota(order.begin(), order.end(), uint16_t{0});
    std::sort(order.begin(), order.end(), [&](uint16_t a, uint16_t b) {
      return names[a] != names[b] ? names[a] < names[b] : a < b;
    });
    return order;
  };
  f->region_order = name_order(f->region_names);
  f->state_order = name_order(f->states);
  f->city_order = name_order(f->cities);
  std::lock_guard lock(mu_);
  facts_ = f;
  return f;
}

search::DirectoryResult OrgDirectory::search(const search::DirectoryQuery& q) {
  search::DirectoryResult result;
  bool has_text = !search::words(q.text).empty();
  db_.read([&](db::Connection& c) {  // one snapshot for facts and matches
    auto f = facts(c);
    const std::size_t n = f->ids.size();

    // Tier per organisation (by name rank): 0 all words in the name, 1 stems anywhere,
    // 2 substring (trigram) only; 255 no match. Without words everything is tier 0.
    std::vector<uint8_t> tier(n, has_text ? 255 : 0);
    if (has_text) {
      auto mark = [&](const std::vector<int64_t>& ids, uint8_t t) {
        for (auto id : ids) {
          auto it = f->position.find(id);
          if (it != f->position.end() && tier[it->second] > t) tier[it->second] = t;
        }
      };
      auto m = match_text(c, q.text);
      mark(m.name, 0);
      mark(m.stems, 1);
      mark(m.substrings, 2);
    }

    // Filters (unknown values match nothing).
    auto find_index = [](const std::vector<std::string>& table, const std::string& v) -> int {
      for (std::size_t i = 0; i < table.size(); ++i)
        if (table[i] == v) return static_cast<int>(i);
      return -1;
    };
    int want_field = q.field.empty() ? -2 : find_index(f->field_keys, q.field);
    int want_group = q.target_group.empty() ? -2 : find_index(f->group_keys, q.target_group);
    int want_region = q.region.empty() ? -2 : find_index(f->region_codes, q.region);
    int want_state = q.state.empty() ? -2 : find_index(f->states, q.state);
    int want_city = q.city.empty() ? -2 : find_index(f->cities, q.city);
    std::string letter_folded = search::fold(q.letter);
    char want_letter =
        letter_folded.empty()
            ? 0
            : static_cast<char>(std::toupper(static_cast<unsigned char>(letter_folded[0])));
    auto fits = [&](std::size_t i, int w, uint32_t mask) {
      return w == -2 || (w >= 0 && (mask >> w) & 1u);
    };
    std::vector<uint32_t> hits;
    for (std::size_t i = 0; i < n; ++i) {
      if (tier[i] == 255) continue;
      if (!fits(i, want_field, f->fields[i]) || !fits(i, want_group, f->groups[i])) continue;
      if (want_region != -2 && f->region[i] != want_region) continue;
      if (want_state != -2 && f->state[i] != want_state) continue;
      if (want_city != -2 && f->city[i] != want_city) continue;
      if (want_letter && f->letter[i] != want_letter) continue;
      hits.push_back(static_cast<uint32_t>(i));
    }
    result.total = static_cast<int64_t>(hits.size());

    // Facets with counts over the hits: taxonomies in their order, regions and states by
    // name, the most frequent cities (then by name), letters A–Z.
    std::vector<int64_t> field_n(f->field_keys.size()), group_n(f->group_keys.size()),
        region_n(f->region_codes.size()), state_n(f->states.size()), city_n(f->cities.size());
    std::array<int64_t, 256> letter_n{};
    for (auto i : hits) {
      for (std::size_t b = 0; b < field_n.size(); ++b)
        if ((f->fields[i] >> b) & 1u) ++field_n[b];
      for (std::size_t b = 0; b < group_n.size(); ++b)
        if ((f->groups[i] >> b) & 1u) ++group_n[b];
      ++region_n[f->region[i]];
      ++state_n[f->state[i]];
      ++city_n[f->city[i]];
      ++letter_n[static_cast<unsigned char>(f->letter[i])];
    }
    auto facet = [](const std::vector<std::string>& keys, const std::vector<std::string>& labels,
                    const std::vector<int64_t>& counts, std::vector<search::FacetValue>& out,
                    auto index) {
      out.reserve(keys.size());  // regions, states and taxonomies: a few dozen at most
      for (std::size_t k = 0; k < keys.size(); ++k) {
        std::size_t i = index(k);
        if (counts[i] > 0 && !keys[i].empty()) out.push_back({keys[i], labels[i], counts[i]});
      }
    };
    auto same = [](std::size_t k) { return k; };
    auto in = [](const std::vector<uint16_t>& order) {
      return [&order](std::size_t k) -> std::size_t { return order[k]; };
    };
    facet(f->field_keys, f->field_keys, field_n, result.facets["field"], same);
    facet(f->group_keys, f->group_keys, group_n, result.facets["target_group"], same);
    facet(f->region_codes, f->region_names, region_n, result.facets["region"], in(f->region_order));
    facet(f->states, f->states, state_n, result.facets["state"], in(f->state_order));
    // Cities are sorted as indexes (name order kept among equal counts), then copied.
    std::vector<uint16_t> top;
    for (auto i : f->city_order)
      if (city_n[i] > 0 && !f->cities[i].empty()) top.push_back(i);
    std::stable_sort(top.begin(), top.end(),
                     [&](uint16_t a, uint16_t b) { return city_n[a] > city_n[b]; });
    if (top.size() > kMaxCities) top.resize(kMaxCities);
    auto& cities = result.facets["city"];
    cities.reserve(top.size());
    for (auto i : top) cities.push_back({f->cities[i], f->cities[i], city_n[i]});
    auto& letters = result.facets["letter"];
    letters.reserve(27);
    for (std::size_t l = 0; l < letter_n.size(); ++l)
      if (letter_n[l] > 0) {
        std::string s(1, static_cast<char>(l));
        letters.push_back({s, s, letter_n[l]});
      }

    // Order: name rank is the position already; relevance puts better tiers first;
    // newest sorts by creation.
    if (q.sort == "neu") {
      std::stable_sort(hits.begin(), hits.end(), [&](uint32_t a, uint32_t b) {
        return f->created[a] != f->created[b] ? f->created[a] > f->created[b]
                                              : f->ids[a] > f->ids[b];
      });
    } else if (q.sort != "name") {
      std::stable_sort(hits.begin(), hits.end(),
                       [&](uint32_t a, uint32_t b) { return tier[a] < tier[b]; });
    }
    if (q.page_size <= 0) return;
    std::size_t from = static_cast<std::size_t>(std::max<int64_t>(0, (q.page - 1) * q.page_size));
    std::size_t to = std::min(hits.size(), from + static_cast<std::size_t>(q.page_size));
    result.hits.reserve(to > from ? to - from : 0);
    for (std::size_t k = from; k < to; ++k)
      result.hits.push_back({f->cards[hits[k]], has_text && tier[hits[k]] <= 1});
  });
  return result;
}

}  // namespace verbund::store
