// Background job workers inside `verbund serve`. Each worker claims a due job from the
// table-backed queue, runs the handler registered for its kind, and deletes it; a
// handler that throws is retried with exponential backoff (base * 2^attempts, at most a
// day) and after max_attempts kept as failed. Handlers must be idempotent: a job whose
// worker died is run again when its lease runs out.
//
// Every node runs its own Runner on the shared queue. Worker names are unique per node
// (host, process, a random part), so a lease names its holder; periodic work is a
// schedule row (store::fire_due_schedules) that fires once per period across nodes.
// Features register their job kinds and schedules (e.g. mail::register_jobs).
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
  int max_attempts = 8;  // of jobs enqueued by schedules
};

// Delay before the next attempt after `attempts` failed ones.
int64_t backoff_seconds(int64_t attempts, int64_t base);

class Runner {
 public:
  Runner(db::Database& db, RunnerOptions options);
  ~Runner();
  void add(const std::string& kind, Handler handler);
  // Periodic work: a job of kind `name` enqueued once per `every_seconds` on whichever
  // node finds the schedule due first; `handler` runs it like any job.
  void every(const std::string& name, int every_seconds, Handler handler);
  // Enqueues the jobs of due schedules now (the workers do this each poll).
  std::vector<std::string> fire_schedules(int64_t now);
  // This node's name in locked_by, e.g. "web1-4711-3f9a".
  const std::string& node() const { return node_; }
  void start();
  void stop();  // waits for running jobs to finish
  // Runs due jobs on the calling thread until none is due; returns how many ran.
  int run_due();

 private:
  bool run_one(const std::string& worker);
  void loop(int index);

  db::Database& db_;
  RunnerOptions opt_;
  std::string node_;
  std::map<std::string, Handler> handlers_;
  std::vector<std::pair<std::string, int>> schedules_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable cv_;
};

}  // namespace verbund::jobs
