#include "store/job_store.hpp"

namespace verbund::store {
namespace {
constexpr const char* kColumns =
    "id, kind, payload, state, run_at, attempts, max_attempts, "
    "COALESCE(last_error, '') AS last_error, created_at";
Job job_from(const db::Row& r) {
  return Job{r.int64("id"),           r.text("kind"),       r.text("payload"),
             r.text("state"),         r.int64("run_at"),    r.int64("attempts"),
             r.int64("max_attempts"), r.text("last_error"), r.int64("created_at")};
}
}  // namespace

int64_t enqueue_job(db::Connection& c, const std::string& kind, const std::string& payload,
                    int64_t run_at, int max_attempts) {
  return c
      .query_one(R"sql(
    INSERT INTO jobs (kind, payload, run_at, max_attempts, created_at)
    VALUES ($1, $2, $3, $4, $3) RETURNING id)sql",
                 {kind, payload, run_at, max_attempts})
      ->int64("id");
}

std::optional<Job> claim_job(db::Connection& c, const std::string& worker, int64_t now,
                             int64_t lease_seconds) {
  auto row = c.query_one(std::string(R"sql(
    UPDATE jobs SET locked_until = $2 + $3, locked_by = $1
     WHERE id = (SELECT id FROM jobs
                  WHERE state = 'queued' AND run_at <= $2
                    AND (locked_until IS NULL OR locked_until <= $2)
                  ORDER BY run_at, id LIMIT 1)
    RETURNING )sql") + kColumns,
                         {worker, now, lease_seconds});
  if (!row) return std::nullopt;
  return job_from(*row);
}

void complete_job(db::Connection& c, int64_t id) {
  c.execute("DELETE FROM jobs WHERE id = $1", {id});
}

bool fail_job(db::Connection& c, int64_t id, const std::string& error, int64_t retry_at) {
  auto row = c.query_one(R"sql(
    UPDATE jobs SET attempts = attempts + 1, last_error = $2, locked_until = NULL,
                    locked_by = NULL, run_at = $3,
                    state = CASE WHEN attempts + 1 >= max_attempts THEN 'failed' ELSE 'queued' END
     WHERE id = $1 RETURNING state)sql",
                         {id, error.substr(0, 2000), retry_at});
  return row && row->text("state") == "failed";
}

std::vector<Job> failed_jobs(db::Connection& c, int64_t limit) {
  std::vector<Job> out;
  for (const auto& r : c.query(std::string("SELECT ") + kColumns +
                                   " FROM jobs WHERE state = 'failed' ORDER BY id DESC LIMIT $1",
                               {limit}))
    out.push_back(job_from(r));
  return out;
}

bool retry_failed_job(db::Connection& c, int64_t id, int64_t now) {
  return c.execute(
             "UPDATE jobs SET state = 'queued', attempts = 0, run_at = $2 "
             "WHERE id = $1 AND state = 'failed'",
             {id, now}) > 0;
}

int64_t queue_depth(db::Connection& c) {
  return c.query_int("SELECT count(*) FROM jobs WHERE state = 'queued'");
}

}  // namespace verbund::store
