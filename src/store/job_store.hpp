// The job queue table, shared by every node. A worker claims a due job by leasing it
// (locked_until, locked_by; on PostgreSQL FOR UPDATE SKIP LOCKED, so concurrent
// claimers never wait for or take the same row), runs it, then deletes it (success) or
// reschedules it with backoff; after max_attempts the job stays as 'failed' with its
// last error for platform admins to see and retry. Completing or failing a job checks
// that the worker still holds its lease: a job whose lease ran out belongs to whoever
// claimed it next. Periodic schedules are rows too (job_schedules).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace verbund::store {

struct Job {
  int64_t id = 0;
  std::string kind;
  std::string payload;
  std::string state;
  int64_t run_at = 0;
  int64_t attempts = 0;  // attempts made before this one
  int64_t max_attempts = 0;
  std::string last_error;
  int64_t created_at = 0;
};

// The queue as platform admins and the metrics see it. Thread-safe; every method runs
// in a transaction of its own. (The runner in jobs/ claims and completes jobs with the
// building blocks below, in read committed transactions of its own.)
class Jobs {
 public:
  explicit Jobs(db::Database& db) : db_(db) {}
  std::vector<Job> failed(int64_t limit);
  int64_t depth();  // queued jobs, due or not
  // Queues a failed job again with fresh attempts. False when it is not failed.
  bool retry(int64_t id, int64_t now);

 private:
  db::Database& db_;
};

int64_t enqueue_job(db::Connection& c, const std::string& kind, const std::string& payload,
                    int64_t run_at, int max_attempts);
// Leases the oldest due job for `lease_seconds`; a crashed worker's lease runs out and
// the job becomes due again.
std::optional<Job> claim_job(db::Connection& c, const std::string& worker, int64_t now,
                             int64_t lease_seconds);
// False when `worker` no longer holds the job (its lease ran out and another took it).
bool complete_job(db::Connection& c, int64_t id, const std::string& worker);
// Records a failed attempt of `worker`: reschedules at `retry_at`, or marks failed when
// no attempts remain. Returns true when the job is now failed for good.
bool fail_job(db::Connection& c, int64_t id, const std::string& worker, const std::string& error,
              int64_t retry_at);
std::vector<Job> failed_jobs(db::Connection& c, int64_t limit);
bool retry_failed_job(db::Connection& c, int64_t id, int64_t now);
int64_t queue_depth(db::Connection& c);  // queued jobs, due or not

// Creates the schedule `name` (first due at `first_run_at`) or updates its period.
void put_schedule(db::Connection& c, const std::string& name, int64_t every_seconds,
                  int64_t first_run_at);
// Enqueues one job per schedule that is due at `now`, moving each one period on in the
// same statement that decides who fires it; returns the names fired.
std::vector<std::string> fire_due_schedules(db::Connection& c, const std::string& worker,
                                            int64_t now, int max_attempts);

}  // namespace verbund::store
