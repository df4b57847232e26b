// Directory search latency: runs every query of a file (one per line, "words" or
// "words|field=KEY" etc.) through store::OrgDirectory on a database, several rounds,
// and prints p50/p95/p99. DATABASE is a URL for db::open ("sqlite:PATH",
// "postgres://USER:PASS@HOST:PORT/DB") or a plain SQLite file path. Used by
// bench/directory/run and bench/db/run.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "core/i18n.hpp"
#include "db/database.hpp"
#include "store/directory_store.hpp"

using namespace verbund;

// "search latency ms:" is the match cache off (the targets), "with match cache ms:" on.

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: verbund_search_bench DATABASE QUERIES_FILE [ROUNDS]\n"
                 "  DATABASE: sqlite:PATH, postgres://USER:PASS@HOST:PORT/DB or an SQLite file\n";
    return 2;
  }
  if (!i18n::load()) return 1;
  const std::string target = argv[1];
  const bool is_url = target.starts_with("sqlite:") || target.starts_with("postgres://") ||
                      target.starts_with("postgresql://");
  auto database = is_url ? db::open(target) : db::open_sqlite(target);
  int rounds = std::max(2, argc > 3 ? std::atoi(argv[3]) : 3);
  std::vector<search::DirectoryQuery> queries;
  std::ifstream in(argv[2]);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    search::DirectoryQuery q;
    auto bar = line.find('|');
    q.text = line.substr(0, bar);
    if (bar != std::string::npos) {
      auto filter = line.substr(bar + 1);
      auto eq = filter.find('=');
      auto key = filter.substr(0, eq), value = filter.substr(eq + 1);
      if (key == "field") q.field = value;
      if (key == "region") q.region = value;
      if (key == "target") q.target_group = value;
    }
    // As the directory page reads it: a place in the words searches near it
    // (VERBUND_BENCH_NO_PLACES=1 keeps the words as text, for a comparison).
    const char* no_places = std::getenv("VERBUND_BENCH_NO_PLACES");
    if (!no_places || !*no_places) search::take_place(q);
    q.sort = q.text.empty() ? "name" : "relevanz";
    queries.push_back(q);
  }
  // First with the match cache off (every query's words are matched anew: the figure the
  // targets are about), then with it on (repeated texts are answered from memory).
  for (std::size_t entries : {std::size_t{0}, store::OrgDirectory::Options{}.match_cache_entries}) {
    store::OrgDirectory dir(*database, {entries});
    if (entries == 0) {  // what a node pays once per change of the directory
      search::DirectoryQuery none;
      none.page_size = 0;
      auto t0 = std::chrono::steady_clock::now();
      dir.search(none);
      auto t1 = std::chrono::steady_clock::now();
      std::printf("directory load ms: %.1f\n",
                  std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::vector<double> ms;
    std::vector<double> fastest(queries.size(), 1e9);  // per query, over the measured rounds
    int64_t hits = 0;
    for (int r = 0; r < rounds; ++r) {
      for (const auto& q : queries) {
        auto t0 = std::chrono::steady_clock::now();
        auto result = dir.search(q);
        auto t1 = std::chrono::steady_clock::now();
        hits += result.total;
        if (r == 0) continue;
        double took = std::chrono::duration<double, std::milli>(t1 - t0).count();
        ms.push_back(took);
        auto& best = fastest[static_cast<std::size_t>(&q - queries.data())];
        best = std::min(best, took);
      }
    }
    std::sort(ms.begin(), ms.end());
    auto pct = [&](double p) {
      return ms[std::min(ms.size() - 1, static_cast<size_t>(p * ms.size()))];
    };
    if (entries == 0)
      std::printf("queries %zu x %d rounds (first round warms up), mean hits %.0f\n",
                  queries.size(), rounds - 1,
                  static_cast<double>(hits) / (rounds * queries.size()));
    std::printf("%s p50 %.2f  p95 %.2f  p99 %.2f  max %.2f\n",
                entries == 0 ? "search latency ms:" : "with match cache ms:", pct(0.50), pct(0.95),
                pct(0.99), ms.back());
    if (entries == 0) {  // where the tail comes from: the slowest queries at their best
      std::vector<std::size_t> order(queries.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::sort(order.begin(), order.end(),
                [&](std::size_t a, std::size_t b) { return fastest[a] > fastest[b]; });
      std::printf("slowest:");
      for (std::size_t k = 0; k < std::min<std::size_t>(5, order.size()); ++k)
        std::printf(" \"%s\" %.2f", queries[order[k]].text.c_str(), fastest[order[k]]);
      std::printf("\n");
    }
  }
  return 0;
}
