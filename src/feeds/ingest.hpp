// A node's feed fetching: `workers` threads, each leasing one due source at a time
// (store::Sources::claim_due, shared with every other node), fetch it through the
// guarded fetcher, parse it, and store the posts and the next due time in one
// transaction per source; then each new post's first image is fetched once and stored
// re-encoded, so that the wall never sends a visitor's browser to another host.
// Thread-safety: run_once() and the background loop may run while the web serves.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "core/config.hpp"
#include "db/database.hpp"
#include "feeds/check.hpp"
#include "feeds/fetch.hpp"
#include "media/files.hpp"
#include "store/source_store.hpp"

namespace verbund::feeds {

struct IngestStats {
  int64_t sources = 0, ok = 0, not_modified = 0, failed = 0;
  int64_t posts_new = 0, posts_updated = 0, images = 0;
  int64_t bytes = 0;  // feed bodies parsed
};

// What one fetch of `source` came to; used by the ingest and by the source check.
store::FetchOutcome outcome_of(const store::Source& source, const FetchResult& f, int64_t now);

struct AddedSource {
  CheckResult check;
  std::optional<store::Source> source;
  // "" when added; the check's error, or "duplicate", "limit", "not_found" (store).
  std::string error;
};

// Adds a source as an organisation admin does: checks it (fetch, discovery, parse) and
// stores it with the posts it found, so that the wall shows them at once.
AddedSource add_source(store::Sources& sources, const store::Actor& actor, int64_t org_id,
                       std::string_view input, const FetchOptions& options, int64_t now);

class Ingest {
 public:
  // `failure_mail` writes to an organisation's admins when a source keeps failing.
  Ingest(db::Database& db, const core::Config& config, std::string node,
         store::SourceComposer failure_mail = {});
  ~Ingest();

  // Fetches every source that is due now, until none is left; returns what it did.
  IngestStats run_once();
  // The background loop of `verbund serve` (nothing when feeds.workers is 0).
  void start();
  void stop();

 private:
  void process(const store::Source& s, IngestStats& stats, std::mutex& stats_mu);
  void fetch_image(int64_t post_id, const std::string& url);

  db::Database& db_;
  store::Sources sources_;
  media::Files files_;
  FetchOptions options_;
  int workers_;
  int per_host_;
  std::string node_;
  store::SourceComposer failure_mail_;
  std::thread loop_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable cv_;
};

}  // namespace verbund::feeds
