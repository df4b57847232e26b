-- Attempts at limited actions (log-in, sign-up, password reset) are counted in one row
-- per scope ('ip:ADDRESS', 'account:EMAIL', ...). The statement that counts an attempt
-- also decides whether it is allowed (store/throttle_store.cpp), so parallel attempts
-- cannot all pass a check made before any of them was recorded.
CREATE TABLE attempt_counters (
  scope TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  attempts BIGINT NOT NULL
);
DROP TABLE login_failures;
