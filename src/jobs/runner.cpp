#include "jobs/runner.hpp"

#include <unistd.h>

#include <algorithm>
#include <ctime>

#include "core/log.hpp"
#include "core/random.hpp"

namespace verbund::jobs {

int64_t backoff_seconds(int64_t attempts, int64_t base) {
  int64_t delay = base;
  for (int64_t i = 1; i < attempts && delay < 86400; ++i) delay *= 2;
  return std::min<int64_t>(delay, 86400);
}

namespace {
std::string node_name() {
  char host[64] = {};
  if (gethostname(host, sizeof host - 1) != 0 || !host[0]) std::snprintf(host, sizeof host, "node");
  return std::string(host) + "-" + std::to_string(getpid()) + "-" + random::token(3);
}
}  // namespace

Runner::Runner(db::Database& db, RunnerOptions options)
    : db_(db), opt_(options), node_(node_name()) {}

Runner::~Runner() { stop(); }

void Runner::add(const std::string& kind, Handler handler) { handlers_[kind] = std::move(handler); }

void Runner::every(const std::string& name, int every_seconds, Handler handler) {
  add(name, std::move(handler));
  schedules_.emplace_back(name, every_seconds);
  int64_t now = std::time(nullptr);
  db_.write(db::Isolation::read_committed,
            [&](db::Connection& c) { store::put_schedule(c, name, every_seconds, now); });
}

std::vector<std::string> Runner::fire_schedules(int64_t now) {
  if (schedules_.empty()) return {};
  // Read committed: a second node's update waits for the first and then finds the
  // schedule moved on, instead of failing on a serialization conflict.
  return db_.write(db::Isolation::read_committed, [&](db::Connection& c) {
    return store::fire_due_schedules(c, node_, now, opt_.max_attempts);
  });
}

bool Runner::run_one(const std::string& worker) {
  int64_t now = std::time(nullptr);
  auto job = db_.write(db::Isolation::read_committed, [&](db::Connection& c) {
    return store::claim_job(c, worker, now, opt_.lease_seconds);
  });
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
    bool mine = db_.write(db::Isolation::read_committed, [&](db::Connection& c) {
      return store::complete_job(c, job->id, worker);
    });
    if (!mine) log::warn("job_lease_lost", {{"id", std::to_string(job->id)}, {"kind", job->kind}});
    return true;
  }
  int64_t retry_at =
      std::time(nullptr) + backoff_seconds(job->attempts + 1, opt_.retry_base_seconds);
  bool failed = db_.write(db::Isolation::read_committed, [&](db::Connection& c) {
    return store::fail_job(c, job->id, worker, error, retry_at);
  });
  log::warn(failed ? "job_failed" : "job_retry", {{"id", std::to_string(job->id)},
                                                  {"kind", job->kind},
                                                  {"attempt", std::to_string(job->attempts + 1)},
                                                  {"error", error}});
  return true;
}

int Runner::run_due() {
  int n = 0;
  while (run_one(node_ + "/inline")) ++n;
  return n;
}

void Runner::loop(int index) {
  std::string worker = node_ + "/" + std::to_string(index);
  while (!stopping_) {
    if (index == 0) {
      try {
        fire_schedules(std::time(nullptr));
      } catch (const std::exception& e) {
        log::error("schedules_failed", {{"error", e.what()}});
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
