// The job queue table. A worker claims a due job by leasing it (locked_until), runs
// it, then deletes it (success) or reschedules it with backoff; after max_attempts the
// job stays as 'failed' with its last error for platform admins to see and retry.
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

int64_t enqueue_job(db::Connection& c, const std::string& kind, const std::string& payload,
                    int64_t run_at, int max_attempts);
// Leases the oldest due job for `lease_seconds`; a crashed worker's lease runs out and
// the job becomes due again.
std::optional<Job> claim_job(db::Connection& c, const std::string& worker, int64_t now,
                             int64_t lease_seconds);
void complete_job(db::Connection& c, int64_t id);
// Records a failed attempt: reschedules at `retry_at`, or marks failed when no attempts
// remain. Returns true when the job is now failed for good.
bool fail_job(db::Connection& c, int64_t id, const std::string& error, int64_t retry_at);
std::vector<Job> failed_jobs(db::Connection& c, int64_t limit);
bool retry_failed_job(db::Connection& c, int64_t id, int64_t now);
int64_t queue_depth(db::Connection& c);  // queued jobs, due or not

}  // namespace verbund::store
