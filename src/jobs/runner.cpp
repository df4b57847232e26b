#include "jobs/runner.hpp"

#include <algorithm>
#include <ctime>

#include "core/log.hpp"

namespace verbund::jobs {

int64_t backoff_seconds(int64_t attempts, int64_t base) {
  int64_t delay = base;
  for (int64_t i = 1; i < attempts && delay < 86400; ++i) delay *= 2;
  return std::min<int64_t>(delay, 86400);
}

Runner::Runner(db::Database& db, RunnerOptions options) : db_(db), opt_(options) {}

Runner::~Runner() { stop(); }

void Runner::add(const std::string& kind, Handler handler) { handlers_[kind] = std::move(handler); }

void Runner::every(int every_seconds, std::function<void()> fn) {
  periodic_.emplace_back(every_seconds, std::move(fn));
}

bool Runner::run_one(const std::string& worker) {
  int64_t now = std::time(nullptr);
  auto job = db_.write(
      [&](db::Connection& c) { return store::claim_job(c, worker, now, opt_.lease_seconds); });
  if (!job) return false;
  std::string error;
  auto it = handlers_.find(job->kind);
  if (it == handlers_.end()) {
    error = "no handler for job kind '" + job->kind + "'";
  } else {
    try {
      it->second(*job);
    } catch (const std::exception& e) {
      error = e.what();
      if (error.empty()) error = "exception";
    }
  }
  if (error.empty()) {
    db_.write([&](db::Connection& c) { store::complete_job(c, job->id); });
    return true;
  }
  int64_t retry_at =
      std::time(nullptr) + backoff_seconds(job->attempts + 1, opt_.retry_base_seconds);
  bool failed =
      db_.write([&](db::Connection& c) { return store::fail_job(c, job->id, error, retry_at); });
  log::warn(failed ? "job_failed" : "job_retry", {{"id", std::to_string(job->id)},
                                                  {"kind", job->kind},
                                                  {"attempt", std::to_string(job->attempts + 1)},
                                                  {"error", error}});
  return true;
}

int Runner::run_due() {
  int n = 0;
  while (run_one("inline")) ++n;
  return n;
}

void Runner::loop(int index) {
  std::string worker = "worker-" + std::to_string(index);
  std::vector<int64_t> last_run(periodic_.size(), 0);
  while (!stopping_) {
    if (index == 0) {
      int64_t now = std::time(nullptr);
      for (std::size_t i = 0; i < periodic_.size(); ++i) {
        if (now - last_run[i] < periodic_[i].first) continue;
        last_run[i] = now;
        try {
          periodic_[i].second();
        } catch (const std::exception& e) {
          log::error("periodic_task_failed", {{"error", e.what()}});
        }
      }
    }
    bool ran = false;
    try {
      ran = run_one(worker);
    } catch (const std::exception& e) {
      log::error("job_runner_error", {{"error", e.what()}});
    }
    if (ran) continue;
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(opt_.poll_milliseconds),
                 [this] { return stopping_.load(); });
  }
}

void Runner::start() {
  for (int i = 0; i < opt_.workers; ++i) threads_.emplace_back([this, i] { loop(i); });
}

void Runner::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

}  // namespace verbund::jobs
