#include "store/directory_text.hpp"

#include <charconv>

#include "search/analyzer.hpp"
#include "search/directory.hpp"

namespace verbund::store {
namespace {

// Organisation ids written as "1,2,3" (group_concat / string_agg), "" for none.
void parse_ids(std::string_view text, std::vector<int64_t>& out) {
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    int64_t id = 0;
    auto [next, ec] = std::from_chars(p, end, id);
    if (ec != std::errc()) break;
    out.push_back(id);
    p = next + 1;  // skip the comma
  }
}

// The bit of a trigram in a text's signature.
inline unsigned trigram_bit(unsigned char a, unsigned char b, unsigned char c) {
  uint32_t v = (uint32_t{a} << 16) | (uint32_t{b} << 8) | c;
  return (v * 0x9E3779B1u) >> (32 - 9);  // 0..511
}

}  // namespace

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

StemMatches match_stems(db::Connection& c, const std::string& text) {
  StemMatches m;
  if (c.dialect() == db::Dialect::sqlite) {
    std::string stem_q = search::stem_match(text);
    if (stem_q.empty()) return m;
    const char* sql = "SELECT group_concat(rowid) AS ids FROM org_stems WHERE org_stems MATCH $1";
    if (auto r = c.query_one(sql, {"name : (" + stem_q + ")"})) parse_ids(r->text("ids"), m.name);
    if (auto r = c.query_one(sql, {stem_q})) parse_ids(r->text("ids"), m.stems);
    return m;
  }
  std::string ts = search::tsquery_match(text);
  if (ts.empty()) return m;
  // Both through their GIN indexes. For a word in most organisations ("Beratung") the
  // planner prefers a sequential scan, which reads and decompresses every all_tsv (about
  // 1.4 kB each): 19-21 ms on 20,000 organisations against 9-10 ms for the bitmap scan,
  // which only visits the heap pages of the hits (EXPLAIN ANALYZE, bench/db/README.md).
  // SET LOCAL ends with the transaction; it is reset at once all the same, so the rest
  // of the snapshot plans as usual.
  c.execute("SET LOCAL enable_seqscan = off");
  const char* name_sql =
      "SELECT string_agg(organisation_id::text, ',') AS ids FROM org_search "
      "WHERE name_tsv @@ to_tsquery('simple', $1)";
  const char* all_sql =
      "SELECT string_agg(organisation_id::text, ',') AS ids FROM org_search "
      "WHERE all_tsv @@ to_tsquery('simple', $1)";
  if (auto r = c.query_one(name_sql, {ts})) parse_ids(r->text("ids"), m.name);
  if (auto r = c.query_one(all_sql, {ts})) parse_ids(r->text("ids"), m.stems);
  c.execute("SET LOCAL enable_seqscan = on");
  return m;
}

// The folded search text of every organisation (what the trigram index holds).
std::vector<std::pair<int64_t, std::string>> folded_texts(db::Connection& c) {
  std::vector<std::pair<int64_t, std::string>> out;
  const char* sql = c.dialect() == db::Dialect::sqlite
                        ? "SELECT rowid AS id, text FROM org_trigram"
                        : "SELECT organisation_id AS id, folded AS text FROM org_search";
  for (const auto& r : c.query(sql)) out.emplace_back(r.int64("id"), r.text("text"));
  return out;
}

TrigramSignature signature_of(std::string_view text) {
  TrigramSignature sig{};
  for (std::size_t k = 0; k + 3 <= text.size(); ++k) {
    unsigned bit =
        trigram_bit(static_cast<unsigned char>(text[k]), static_cast<unsigned char>(text[k + 1]),
                    static_cast<unsigned char>(text[k + 2]));
    sig[bit / 64] |= uint64_t{1} << (bit % 64);
  }
  return sig;
}

// Marks tier 2 for every position whose folded text holds each word as a substring
// (what the trigram index answers, and PostgreSQL's LIKE '%word%'), unless a better tier
// is marked already. The signatures rule out most texts with a few AND operations (a
// text lacking one of the words' trigrams cannot hold them); the rest are searched.
void mark_substrings(const std::string& folded, const std::vector<uint32_t>& start,
                     const std::vector<TrigramSignature>& signatures,
                     const std::vector<std::string>& words, std::vector<uint8_t>& tier) {
  if (words.empty()) return;
  TrigramSignature want{};
  for (const auto& w : words) {
    auto sig = signature_of(w);
    for (std::size_t k = 0; k < want.size(); ++k) want[k] |= sig[k];
  }
  for (std::size_t i = 0; i < signatures.size(); ++i) {
    if (tier[i] <= 2) continue;  // already matched as well or better
    const auto& sig = signatures[i];
    bool maybe = true;
    for (std::size_t k = 0; k < want.size() && maybe; ++k) maybe = (sig[k] & want[k]) == want[k];
    if (!maybe) continue;
    std::string_view own(folded.data() + start[i], start[i + 1] - start[i] - 1);
    bool all = true;
    for (std::size_t w = 0; w < words.size() && all; ++w)
      all = own.find(words[w]) != std::string_view::npos;
    if (all) tier[i] = 2;
  }
}

}  // namespace verbund::store
