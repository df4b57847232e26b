#include "jobs/runner.hpp"

#include <gtest/gtest.h>

#include <ctime>

#include "../db/test_db.hpp"
#include "store/job_store.hpp"

using namespace verbund;

class RunnerTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override { t.migrate(); }
  test::TempDatabase t{GetParam()};
};

TEST(Backoff, DoublesFromTheBaseAndCapsAtADay) {
  EXPECT_EQ(jobs::backoff_seconds(1, 30), 30);
  EXPECT_EQ(jobs::backoff_seconds(2, 30), 60);
  EXPECT_EQ(jobs::backoff_seconds(3, 30), 120);
  EXPECT_EQ(jobs::backoff_seconds(40, 30), 86400);
}

TEST_P(RunnerTest, SuccessfulJobIsRemoved) {
  int runs = 0;
  jobs::Runner r(t.db(), {});
  r.add("demo", [&](const store::Job& j) {
    EXPECT_EQ(j.payload, "42");
    ++runs;
  });
  t.db().write(
      [](db::Connection& c) { store::enqueue_job(c, "demo", "42", std::time(nullptr), 3); });
  EXPECT_EQ(r.run_due(), 1);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(t.db().read([](db::Connection& c) { return store::queue_depth(c); }), 0);
}

TEST_P(RunnerTest, ThrowingJobIsRetriedWithBackoffThenKeptAsFailed) {
  jobs::Runner r(t.db(), {1, 10, 60, 300});
  int runs = 0;
  r.add("flaky", [&](const store::Job&) {
    ++runs;
    throw std::runtime_error("smtp refused");
  });
  int64_t id = t.db().write(
      [](db::Connection& c) { return store::enqueue_job(c, "flaky", "", std::time(nullptr), 2); });
  EXPECT_EQ(r.run_due(), 1);
  // Rescheduled a minute ahead: not due now.
  EXPECT_EQ(r.run_due(), 0);
  auto run_at = t.db().read([&](db::Connection& c) {
    return c.query_int("SELECT run_at FROM jobs WHERE id = $1", {id});
  });
  EXPECT_GE(run_at, std::time(nullptr) + 59);
  // Make it due again: the second failure uses up the attempts.
  t.db().write(
      [&](db::Connection& c) { c.execute("UPDATE jobs SET run_at = 0 WHERE id = $1", {id}); });
  EXPECT_EQ(r.run_due(), 1);
  EXPECT_EQ(runs, 2);
  auto failed = t.db().read([](db::Connection& c) { return store::failed_jobs(c, 10); });
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].last_error, "smtp refused");
  EXPECT_EQ(failed[0].attempts, 2);
  EXPECT_EQ(r.run_due(), 0);  // failed jobs are not run again by themselves
  EXPECT_TRUE(t.db().write([&](db::Connection& c) { return store::retry_failed_job(c, id, 0); }));
  EXPECT_EQ(r.run_due(), 1);
}

TEST_P(RunnerTest, UnknownKindCountsAsFailure) {
  jobs::Runner r(t.db(), {1, 10, 60, 300});
  t.db().write(
      [](db::Connection& c) { store::enqueue_job(c, "nobody", "", std::time(nullptr), 1); });
  EXPECT_EQ(r.run_due(), 1);
  auto failed = t.db().read([](db::Connection& c) { return store::failed_jobs(c, 10); });
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_NE(failed[0].last_error.find("no handler"), std::string::npos);
}

TEST_P(RunnerTest, LeasedJobIsNotClaimedTwice) {
  t.db().write([](db::Connection& c) { store::enqueue_job(c, "x", "", 100, 3); });
  t.db().write([](db::Connection& c) {
    EXPECT_TRUE(store::claim_job(c, "a", 200, 300));
    EXPECT_FALSE(store::claim_job(c, "b", 201, 300));
    EXPECT_TRUE(store::claim_job(c, "b", 501, 300));  // lease ran out: worker a died
  });
}

INSTANTIATE_TEST_SUITE_P(Drivers, RunnerTest, ::testing::ValuesIn(test::kDrivers));
