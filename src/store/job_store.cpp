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
  // SQLite has one writer, so the subquery and the update cannot be split by another
  // claimer; PostgreSQL locks the chosen row and lets other claimers skip it.
  std::string lock = c.dialect() == db::Dialect::postgres ? " FOR UPDATE SKIP LOCKED" : "";
  auto row = c.query_one(std::string(R"sql(
    UPDATE jobs SET locked_until = $2 + $3, locked_by = $1
     WHERE id = (SELECT id FROM jobs
                  WHERE state = 'queued' AND run_at <= $2
                    AND (locked_until IS NULL OR locked_until <= $2)
                  ORDER BY run_at, id LIMIT 1)sql") +
                             lock + ") RETURNING " + kColumns,
                         {worker, now, lease_seconds});
  if (!row) return std::nullopt;
  return job_from(*row);
}

bool complete_job(db::Connection& c, int64_t id, const std::string& worker) {
  return c.execute("DELETE FROM jobs WHERE id = $1 AND locked_by = $2", {id, worker}) > 0;
}

bool fail_job(db::Connection& c, int64_t id, const std::string& worker, const std::string& error,
              int64_t retry_at) {
  auto row = c.query_one(R"sql(
    UPDATE jobs SET attempts = attempts + 1, last_error = $2, locked_until = NULL,
                    locked_by = NULL, run_at = $3,
                    state = CASE WHEN attempts + 1 >= max_attempts THEN 'failed' ELSE 'queued' END
     WHERE id = $1 AND locked_by = $4 RETURNING state)sql",
                         {id, error.substr(0, 2000), retry_at, worker});
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

void put_schedule(db::Connection& c, const std::string& name, int64_t every_seconds,
                  int64_t first_run_at) {
  c.execute(R"sql(
    INSERT INTO job_schedules (name, every_seconds, next_run_at) VALUES ($1, $2, $3)
    ON CONFLICT (name) DO UPDATE SET every_seconds = excluded.every_seconds)sql",
            {name, every_seconds, first_run_at});
}

std::vector<std::string> fire_due_schedules(db::Connection& c, const std::string& worker,
                                            int64_t now, int max_attempts) {
  std::vector<std::string> fired;
  for (const auto& r :
       c.query("SELECT name FROM job_schedules WHERE next_run_at <= $1 ORDER BY name", {now})) {
    auto name = r.text("name");
    // The condition is re-checked by the update itself: of two nodes that both saw the
    // schedule due, only the first moves it on (the other's update then matches no row).
    if (c.execute(R"sql(
          UPDATE job_schedules
             SET next_run_at = $2 + every_seconds, last_fired_at = $2, last_fired_by = $3
           WHERE name = $1 AND next_run_at <= $2)sql",
                  {name, now, worker}) == 0)
      continue;
    enqueue_job(c, name, "", now, max_attempts);
    fired.push_back(std::move(name));
  }
  return fired;
}

std::vector<Job> Jobs::failed(int64_t limit) {
  return db_.read([&](db::Connection& c) { return failed_jobs(c, limit); });
}

int64_t Jobs::depth() {
  return db_.read([](db::Connection& c) { return queue_depth(c); });
}

bool Jobs::retry(int64_t id, int64_t now) {
  return db_.write([&](db::Connection& c) { return retry_failed_job(c, id, now); });
}

}  // namespace verbund::store
