// Background job workers inside `verbund serve`. Each worker claims a due job from the
// table-backed queue, runs the handler registered for its kind, and deletes it; a
// handler that throws is retried with exponential backoff (base * 2^attempts, at most a
// day) and after max_attempts kept as failed. Handlers must be idempotent: a job whose
// worker died is run again when its lease runs out.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "db/database.hpp"
#include "store/job_store.hpp"

namespace verbund::jobs {

using Handler = std::function<void(const store::Job&)>;

struct RunnerOptions {
  int workers = 1;
  int poll_milliseconds = 1000;
  int retry_base_seconds = 30;
  int lease_seconds = 300;
};

// Delay before the next attempt after `attempts` failed ones.
int64_t backoff_seconds(int64_t attempts, int64_t base);

class Runner {
 public:
  Runner(db::Database& db, RunnerOptions options);
  ~Runner();
  void add(const std::string& kind, Handler handler);
  // Periodic work run by the first worker every `every_seconds` (housekeeping).
  void every(int every_seconds, std::function<void()> fn);
  void start();
  void stop();  // waits for running jobs to finish
  // Runs due jobs on the calling thread until none is due; returns how many ran.
  int run_due();

 private:
  bool run_one(const std::string& worker);
  void loop(int index);

  db::Database& db_;
  RunnerOptions opt_;
  std::map<std::string, Handler> handlers_;
  std::vector<std::pair<int, std::function<void()>>> periodic_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable cv_;
};

}  // namespace verbund::jobs
