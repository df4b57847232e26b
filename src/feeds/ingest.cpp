#include "feeds/ingest.hpp"

#include <chrono>
#include <functional>
#include <thread>
#include <vector>

#include "core/log.hpp"
#include "feeds/parse.hpp"
#include "feeds/schedule.hpp"
#include "media/image.hpp"

namespace verbund::feeds {

namespace {

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

constexpr int64_t kLeaseSeconds = 300;
// A worker leases one source at a time, so a slow one keeps no other waiting.
constexpr int kClaimPerWorker = 1;

}  // namespace

store::FetchOutcome outcome_of(const store::Source& source, const FetchResult& f, int64_t now) {
  store::FetchOutcome o;
  ScheduleInput in;
  in.previous_interval = source.interval_seconds;
  in.failures = source.failures;
  in.retry_after_seconds = f.retry_after_seconds;
  in.max_age_seconds = f.max_age_seconds;
  if (f.status > 0) o.http_status = f.status;
  if (!f.error.empty()) {
    o.result = f.error;
    o.detail = f.detail;
  } else if (f.status == 304) {
    o.result = "not_modified";
    in.not_modified = true;
  } else if (f.status >= 200 && f.status < 300) {
    auto feed = parse(f.body, f.final_url, f.content_type);
    if (feed) {
      o.result = "ok";
      o.etag = f.validators.etag;
      o.last_modified = f.validators.last_modified;
      for (const auto& p : feed->posts) {
        if (p.published) in.published.push_back(*p.published);
      }
      in.ttl_minutes = feed->ttl_minutes;
      o.posts = std::move(feed->posts);
      o.deleted = std::move(feed->deleted);
      o.detail = std::to_string(o.posts.size()) + " posts";
    } else {
      o.result = feed.error().code;
      o.detail = feed.error().message;
    }
  } else {
    o.result = f.status == 429 || f.status == 503   ? "rate_limited"
               : f.status == 404 || f.status == 410 ? "gone"
                                                    : "http_status";
    o.detail = "HTTP " + std::to_string(f.status);
  }
  in.success = o.result == "ok" || o.result == "not_modified";
  if (!in.success) in.failures = source.failures + 1;
  int64_t interval = next_interval(in, now);
  o.interval_seconds = in.success ? interval : source.interval_seconds;
  o.next_fetch_at = now + with_jitter(interval, static_cast<uint64_t>(source.id) * 7919 + now);
  return o;
}

AddedSource add_source(store::Sources& sources, const store::Actor& actor, int64_t org_id,
                       std::string_view input, const FetchOptions& options, int64_t now) {
  AddedSource out;
  out.check = check_source(input, options);
  if (!out.check.ok()) {
    out.error = out.check.error;
    return out;
  }
  store::NewSource s;
  s.organisation_id = org_id;
  s.input = std::string(input.substr(0, 2000));
  s.feed_url = out.check.feed_url;
  s.kind = out.check.kind;
  s.title = out.check.feed.title.substr(0, 300);
  s.etag = out.check.fetch.validators.etag;
  s.last_modified = out.check.fetch.validators.last_modified;
  ScheduleInput in;
  for (const auto& p : out.check.feed.posts) {
    if (p.published) in.published.push_back(*p.published);
  }
  in.ttl_minutes = out.check.feed.ttl_minutes;
  in.max_age_seconds = out.check.fetch.max_age_seconds;
  s.next_fetch_at = now + with_jitter(next_interval(in, now), static_cast<uint64_t>(now) ^ org_id);
  auto added = sources.add(actor, org_id, s, out.check.feed.posts, now);
  if (!added) {
    out.error = added.error().code;
    return out;
  }
  out.source = std::move(*added);
  return out;
}

Ingest::Ingest(db::Database& db, const core::Config& config, std::string node,
               store::SourceComposer failure_mail)
    : db_(db),
      sources_(db, config.job_max_attempts),
      files_(std::filesystem::path(config.data_dir) / "media"),
      options_(fetch_options(config)),
      workers_(config.feeds.workers),
      per_host_(config.feeds.per_host),
      node_(std::move(node)),
      failure_mail_(std::move(failure_mail)) {
  options_.cancel = &stopping_;
}

Ingest::~Ingest() { stop(); }

void Ingest::fetch_image(int64_t post_id, const std::string& url) {
  FetchOptions o = options_;
  o.max_bytes = media::kMaxImageBytes;
  o.accept = "image/webp, image/jpeg, image/png, image/gif;q=0.8";
  FetchResult f = fetch(url, {}, o);
  std::string key;
  if (f.ok()) {
    auto processed = media::process_image(f.body, media::Purpose::gallery);
    if (processed) {
      auto saved = files_.save(*processed);
      if (saved) key = *saved;
    }
  }
  sources_.set_post_image(post_id, key);
}

void Ingest::process(const store::Source& s, IngestStats& stats, std::mutex& stats_mu) {
  FetchResult f = fetch(s.feed_url, {s.etag, s.last_modified}, options_);
  int64_t now = unix_now();
  store::FetchOutcome o = outcome_of(s, f, now);
  auto recorded = sources_.record_fetch(s.id, node_, o, now, failure_mail_);
  if (!recorded) return;
  int64_t images = 0;
  for (const auto& [id, url] : recorded->posts_needing_images) {
    if (stopping_) break;
    fetch_image(id, url);
    ++images;
  }
  if (o.result != "ok" && o.result != "not_modified") {
    log::info("feeds: source " + std::to_string(s.id) + " (" + s.feed_url + "): " + o.result +
              ": " + o.detail);
  }
  std::lock_guard<std::mutex> lock(stats_mu);
  ++stats.sources;
  if (o.result == "ok")
    ++stats.ok;
  else if (o.result == "not_modified")
    ++stats.not_modified;
  else
    ++stats.failed;
  stats.posts_new += recorded->inserted;
  stats.posts_updated += recorded->updated;
  stats.images += images;
  if (o.result == "ok") stats.bytes += static_cast<int64_t>(f.body.size());
}

IngestStats Ingest::run_once() {
  IngestStats stats;
  std::mutex stats_mu;
  int workers = std::max(1, workers_);
  // Each worker leases a due source for itself, fetches it and leases the next:
  // a source that drips its body until the total timeout holds up its own worker only,
  // not a whole batch. A worker stops when nothing it may take is due (the rest may be
  // leased by others or wait for their host's slots), so the run ends when all are done.
  auto work = [&] {
    while (!stopping_) {
      auto mine = sources_.claim_due(node_, unix_now(), kClaimPerWorker, per_host_, kLeaseSeconds);
      if (mine.empty()) return;
      for (const auto& source : mine) {
        if (stopping_) return;  // the leases run out and the sources are tried again
        try {
          process(source, stats, stats_mu);
        } catch (const std::exception& e) {
          log::error("feeds: source " + std::to_string(source.id) + ": " + e.what());
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < workers; ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  return stats;
}

void Ingest::start() {
  if (workers_ <= 0 || loop_.joinable()) return;
  loop_ = std::thread([this] {
    while (!stopping_) {
      try {
        run_once();
      } catch (const std::exception& e) {
        log::error(std::string("feeds: ") + e.what());
      }
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::seconds(5), [this] { return stopping_.load(); });
    }
  });
}

void Ingest::stop() {
  stopping_ = true;
  cv_.notify_all();
  if (loop_.joinable()) loop_.join();
}

}  // namespace verbund::feeds
