-- Periodic work (housekeeping, later feed fetching, reminders, digests) as rows: the
-- node that moves next_run_at forward in one statement enqueues that period's job, so a
-- schedule fires once per period however many nodes run.
CREATE TABLE job_schedules (
  name TEXT PRIMARY KEY,           -- also the kind of the job it enqueues
  every_seconds BIGINT NOT NULL CHECK (every_seconds > 0),
  next_run_at BIGINT NOT NULL,
  last_fired_at BIGINT,
  last_fired_by TEXT
);
CREATE INDEX jobs_locked_by ON jobs(locked_by);
