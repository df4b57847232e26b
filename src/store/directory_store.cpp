#include "store/directory_store.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <list>
#include <map>
#include <numeric>
#include <unordered_map>

#include "core/i18n.hpp"
#include "search/analyzer.hpp"
#include "store/directory_text.hpp"

namespace verbund::store {

namespace {

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

void analyze_directory(db::Database& db) {
  if (db.dialect() != db::Dialect::postgres) return;
  // Fresh statistics after a bulk load, or the planner guesses at empty tables.
  db.acquire()->exec_script("VACUUM (ANALYZE) organisations, org_search_text, organisation_fields");
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

// Facet counts by index into Facts' tables (letters by character).
struct FacetCounts {
  std::vector<int64_t> field, group, region, state, city;
  std::array<int64_t, 256> letter{};
  template <typename F>
  void resize(const F& f) {
    field.assign(f.field_keys.size(), 0);
    group.assign(f.group_keys.size(), 0);
    region.assign(f.region_codes.size(), 0);
    state.assign(f.states.size(), 0);
    city.assign(f.cities.size(), 0);
  }
  // Counts organisation `i` (by name rank) `d` times.
  template <typename F>
  [[gnu::always_inline]] void add(const F& f, std::size_t i, int64_t d) {
    // Set bits only: an organisation has one to three of a dozen fields.
    for (uint32_t m = f.fields[i]; m; m &= m - 1) field[std::countr_zero(m)] += d;
    for (uint32_t m = f.groups[i]; m; m &= m - 1) group[std::countr_zero(m)] += d;
    region[f.region[i]] += d;
    state[f.state[i]] += d;
    city[f.city[i]] += d;
    letter[static_cast<unsigned char>(f.letter[i])] += d;
  }
};

// What filters, facets and sorting need of every published organisation, in name
// order, held in memory: filtering and counting thousands of hits then takes
// microseconds instead of a GROUP BY per facet.
struct OrgDirectory::Facts {
  int64_t generation = -1;
  std::vector<int64_t> ids;  // in name order (position = name rank)
  // Position + 1 by organisation id (ids are dense row ids), 0 for none.
  std::vector<uint32_t> position_by_id;
  // The folded search text of each organisation in name order, joined by '\n' (folded
  // text has none): position i spans [folded_start[i], folded_start[i + 1] - 1).
  std::string folded;
  std::vector<uint32_t> folded_start;
  std::vector<TrigramSignature> signatures;  // of each folded text, by name rank
  StemIndex name_stems, all_stems;           // stems of the name, of everything
  FacetCounts all_counts;                    // over every published organisation
  std::vector<uint16_t> region, state, city;
  std::vector<char> letter;
  std::vector<uint32_t> fields, groups;  // bit i: taxonomy key i
  std::vector<int64_t> created;
  // Where each organisation is: its pin, else its postcode's place; NaN when unknown.
  std::vector<float> lat, lon;
  std::vector<std::string> region_codes, region_names, states, cities, field_keys, group_keys;
  // Indexes into region_names, states and cities in name order, for the facets.
  std::vector<uint16_t> region_order, state_order, city_order;
  // What a result card shows, by name rank: a page of hits shares these instead of
  // reading (or copying) its rows per request.
  std::vector<std::shared_ptr<const search::DirectoryCard>> cards;

  std::optional<uint32_t> position(int64_t id) const {
    if (id < 0 || static_cast<uint64_t>(id) >= position_by_id.size()) return std::nullopt;
    uint32_t p = position_by_id[static_cast<std::size_t>(id)];
    if (p == 0) return std::nullopt;
    return p - 1;
  }
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
             o.created_at, o.slug, o.name, o.short_description, o.logo_key, o.postcode,
             o.latitude, o.longitude
        FROM organisations o JOIN regions rg ON rg.id = o.region_id
       WHERE o.status = 'published'
       ORDER BY o.sort_key, o.id)sql")) {
    const int64_t id = r.int64("id");
    if (id >= 0 && static_cast<uint64_t>(id) < (uint64_t{1} << 31)) {
      if (f->position_by_id.size() <= static_cast<std::size_t>(id))
        f->position_by_id.resize(static_cast<std::size_t>(id) + 1);
      f->position_by_id[static_cast<std::size_t>(id)] = static_cast<uint32_t>(f->ids.size()) + 1;
    }
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
    auto pin_lat = r.opt_double("latitude"), pin_lon = r.opt_double("longitude");
    auto point = pin_lat && pin_lon ? std::optional<search::GeoPoint>({*pin_lat, *pin_lon})
                                    : search::postcode_point(r.text("postcode"));
    f->lat.push_back(point ? static_cast<float>(point->lat) : std::nanf(""));
    f->lon.push_back(point ? static_cast<float>(point->lon) : std::nanf(""));
    const std::string& field_keys = fields_of[id];
    f->fields.push_back(bits(field_keys, f->field_keys));
    f->groups.push_back(bits(groups_of[id], f->group_keys));
    f->cards.push_back(std::make_shared<const search::DirectoryCard>(search::DirectoryCard{
        id, r.text("slug"), r.text("name"), city, r.text("region_name"),
        r.text("short_description"), split_keys(field_keys), r.text("logo_key")}));
  }
  for (const auto& code : f->region_codes) f->region_names.push_back(region_name[code]);
  {
    // The search text by name rank: stems into the two inverted indexes, folded text
    // (joined by '\n') and its signature for substrings.
    std::vector<SearchText> texts(f->ids.size());
    for (auto& t : search_texts(c))
      if (auto pos = f->position(t.id)) texts[*pos] = std::move(t);
    std::vector<std::string_view> names(texts.size()), bodies(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
      names[i] = texts[i].name_stems;
      bodies[i] = texts[i].body_stems;
    }
    f->name_stems = StemIndex(names);
    f->all_stems = StemIndex(names, bodies);
    f->folded_start.reserve(texts.size() + 1);
    f->signatures.reserve(texts.size());
    for (const auto& t : texts) {
      f->folded_start.push_back(static_cast<uint32_t>(f->folded.size()));
      f->folded.append(t.folded).push_back('\n');
      f->signatures.push_back(signature_of(t.folded));
    }
    f->folded_start.push_back(static_cast<uint32_t>(f->folded.size()));
  }
  auto name_order = [](const std::vector<std::string>& names) {
    std::vector<uint16_t> order(names.size());
    std::iota(order.begin(), order.end(), uint16_t{0});
    std::sort(order.begin(), order.end(), [&](uint16_t a, uint16_t b) {
      return names[a] != names[b] ? names[a] < names[b] : a < b;
    });
    return order;
  };
  f->all_counts.resize(*f);
  for (std::size_t i = 0; i < f->ids.size(); ++i) f->all_counts.add(*f, i, 1);
  f->region_order = name_order(f->region_names);
  f->state_order = name_order(f->states);
  f->city_order = name_order(f->cities);
  std::lock_guard lock(mu_);
  facts_ = f;
  return f;
}

// What a query text matches: the tier of every organisation by name rank (0 all words
// in the name, 1 stems anywhere, 2 substring only, 255 none), and what a search with
// these words and no filter shows of them: their number and facet counts.
struct OrgDirectory::TextMatch {
  std::vector<uint8_t> tier;
  int64_t total = 0;
  FacetCounts counts;
};

std::shared_ptr<const OrgDirectory::TextMatch> OrgDirectory::match(const Facts& f,
                                                                   const std::string& text) {
  if (options_.match_cache_entries > 0) {
    std::lock_guard lock(mu_);
    if (match_generation_ == f.generation) {
      auto it = match_index_.find(text);
      if (it != match_index_.end()) {
        match_lru_.splice(match_lru_.begin(), match_lru_, it->second);
        ++match_hits_;
        return it->second->second;
      }
    }
  }
  auto match = std::make_shared<TextMatch>();
  auto& tier = match->tier;
  tier.assign(f.ids.size(), uint8_t{255});
  auto mark = [&](const Bitmap& bits, uint8_t t) {
    for (std::size_t k = 0; k < bits.size(); ++k)
      for (uint64_t m = bits[k]; m; m &= m - 1) {
        std::size_t i = k * 64 + static_cast<std::size_t>(std::countr_zero(m));
        if (tier[i] > t) tier[i] = t;
      }
  };
  if (auto words = search::stem_query(text); !words.empty()) {
    mark(f.name_stems.match(words), 0);
    mark(f.all_stems.match(words), 1);
  }
  mark_substrings(f.folded, f.folded_start, f.signatures, search::trigram_words(text), tier);
  // Counted once here, the facets of the words alone cost a cached search nothing; when
  // most organisations match, all minus the others is cheaper.
  const std::size_t n = tier.size();
  for (auto t : tier) match->total += t != 255;
  if (static_cast<std::size_t>(match->total) * 2 > n) {
    match->counts = f.all_counts;
    for (std::size_t i = 0; i < n; ++i)
      if (tier[i] == 255) match->counts.add(f, i, -1);
  } else {
    match->counts.resize(f);
    for (std::size_t i = 0; i < n; ++i)
      if (tier[i] != 255) match->counts.add(f, i, 1);
  }
  if (options_.match_cache_entries > 0) {
    std::lock_guard lock(mu_);
    if (f.generation < match_generation_) return match;  // an older snapshot: keep the newer
    if (match_generation_ != f.generation) {
      // The directory changed (here or on another node): every cached match is stale.
      match_index_.clear();
      match_lru_.clear();
      match_generation_ = f.generation;
    }
    if (!match_index_.count(text)) {
      match_lru_.emplace_front(text, match);
      match_index_[text] = match_lru_.begin();
      while (match_lru_.size() > options_.match_cache_entries) {
        match_index_.erase(match_lru_.back().first);
        match_lru_.pop_back();
      }
    }
  }
  return match;
}

std::size_t OrgDirectory::match_cache_hits() const {
  std::lock_guard lock(mu_);
  return match_hits_;
}

search::DirectoryResult OrgDirectory::search(const search::DirectoryQuery& q) {
  search::DirectoryResult result;
  bool has_text = !search::words(q.text).empty();
  db_.read([&](db::Connection& c) {  // one snapshot for facts and matches
    auto f = facts(c);
    const std::size_t n = f->ids.size();

    // Without words everything is tier 0.
    std::shared_ptr<const TextMatch> text_match;
    if (has_text) text_match = match(*f, q.text);
    const uint8_t* tier_of = text_match ? text_match->tier.data() : nullptr;
    auto tier = [&](std::size_t i) -> uint8_t { return tier_of ? tier_of[i] : 0; };

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
    // Distances from the place asked for (NaN for organisations of unknown place).
    std::vector<float> distance;
    if (q.near) {
      distance.resize(n);
      for (std::size_t i = 0; i < n; ++i)
        distance[i] =
            std::isnan(f->lat[i])
                ? std::nanf("")
                : static_cast<float>(search::distance_km(*q.near, {f->lat[i], f->lon[i]}));
    }
    double radius = q.radius_km;
    const bool filtered = want_field != -2 || want_group != -2 || want_region != -2 ||
                          want_state != -2 || want_city != -2 || want_letter || q.near;
    // Hits in name order. Without filters the counts are known already (of all, or of
    // the words, counted once per generation), and unless sorted by age the shown page
    // is picked from the tiers directly.
    std::vector<uint32_t> hits;
    const bool listed = filtered || q.sort == "neu";
    FacetCounts counted;
    const FacetCounts* counts = nullptr;
    if (!filtered) {
      counts = text_match ? &text_match->counts : &f->all_counts;
      result.total = text_match ? text_match->total : static_cast<int64_t>(n);
      if (listed) {
        hits.resize(n);
        std::size_t found = 0;
        for (std::size_t i = 0; i < n; ++i) {  // no branch to mispredict
          hits[found] = static_cast<uint32_t>(i);
          found += tier(i) != 255;
        }
        hits.resize(found);
      }
    } else {
      hits.reserve(n);
      auto collect = [&] {
        for (std::size_t i = 0; i < n; ++i) {
          if (tier(i) == 255) continue;
          if (!fits(i, want_field, f->fields[i]) || !fits(i, want_group, f->groups[i])) continue;
          if (want_region != -2 && f->region[i] != want_region) continue;
          if (want_state != -2 && f->state[i] != want_state) continue;
          if (want_city != -2 && f->city[i] != want_city) continue;
          if (want_letter && f->letter[i] != want_letter) continue;
          if (q.near && !(distance[i] <= radius)) continue;  // NaN: place unknown
          hits.push_back(static_cast<uint32_t>(i));
        }
      };
      collect();
      // Nothing that near: the nearest of all, and the page says so.
      if (hits.empty() && q.near) {
        radius = std::numeric_limits<double>::infinity();
        result.beyond_radius = true;
        collect();
      }
      if (q.near)
        std::stable_sort(hits.begin(), hits.end(),
                         [&](uint32_t a, uint32_t b) { return distance[a] < distance[b]; });
      result.total = static_cast<int64_t>(hits.size());
      // Facets with counts over the hits. When most organisations are hits, the counts
      // of all minus those of the others are cheaper.
      if (hits.size() * 2 > n) {
        counted = f->all_counts;
        std::size_t h = 0;
        for (std::size_t i = 0; i < n; ++i) {
          if (h < hits.size() && hits[h] == i) {
            ++h;
            continue;
          }
          counted.add(*f, i, -1);
        }
      } else {
        counted.resize(*f);
        for (auto i : hits) counted.add(*f, i, 1);
      }
      counts = &counted;
    }

    // Facets: taxonomies in their order, regions and states by name, the most frequent
    // cities (then by name), letters A–Z.
    const auto& field_n = counts->field;
    const auto& group_n = counts->group;
    const auto& region_n = counts->region;
    const auto& state_n = counts->state;
    const auto& city_n = counts->city;
    const auto& letter_n = counts->letter;
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
    if (q.sort == "neu" && !q.near) {
      std::stable_sort(hits.begin(), hits.end(), [&](uint32_t a, uint32_t b) {
        return f->created[a] != f->created[b] ? f->created[a] > f->created[b]
                                              : f->ids[a] > f->ids[b];
      });
    }
    if (q.page_size <= 0) return;
    const auto total = static_cast<std::size_t>(result.total);
    std::size_t from = static_cast<std::size_t>(std::max<int64_t>(0, (q.page - 1) * q.page_size));
    std::size_t to = std::min(total, from + static_cast<std::size_t>(q.page_size));
    result.hits.reserve(to > from ? to - from : 0);
    auto take = [&](uint32_t i) {
      result.hits.push_back(
          {f->cards[i], has_text && tier(i) <= 1, q.near ? static_cast<double>(distance[i]) : -1});
    };
    if (listed && (q.near || q.sort == "neu" || q.sort == "name" || !tier_of)) {
      for (std::size_t k = from; k < to; ++k) take(hits[k]);
      return;
    }
    // In name order (relevance: better tiers first, name order within a tier, i.e. a
    // stable sort by tier), picking out only the shown page and stopping when it is full.
    std::size_t k = 0;
    auto visit = [&](uint32_t i) {
      if (k >= from) take(i);
      return ++k < to;
    };
    const bool by_tier = q.sort != "name" && tier_of;
    for (uint8_t t = 0; t <= (by_tier ? 2 : 0) && k < to; ++t) {
      auto wanted = [&](uint32_t i) { return by_tier ? tier(i) == t : tier(i) != 255; };
      if (listed) {
        for (auto i : hits)
          if (wanted(i) && !visit(i)) break;
      } else {
        for (uint32_t i = 0; i < n; ++i)
          if (wanted(i) && !visit(i)) break;
      }
    }
  });
  return result;
}

}  // namespace verbund::store
