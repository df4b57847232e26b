#include "jobs/runner.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <map>
#include <mutex>
#include <thread>

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

// Two nodes (two database handles, two runners with two workers each) share one queue:
// every job runs exactly once.
TEST_P(RunnerTest, FiveHundredJobsOnTwoNodesRunOnceEach) {
  auto other = t.open_again();
  std::mutex mu;
  std::map<int64_t, int> runs;
  std::map<std::string, int> by_node;
  auto handler = [&](jobs::Runner* r) {
    return [&, r](const store::Job& j) {
      std::lock_guard lock(mu);
      ++runs[j.id];
      ++by_node[r->node()];
    };
  };
  jobs::Runner a(t.db(), {2, 5, 30, 300});
  jobs::Runner b(*other, {2, 5, 30, 300});
  EXPECT_NE(a.node(), b.node());
  a.add("work", handler(&a));
  b.add("work", handler(&b));
  int64_t now = std::time(nullptr);
  t.db().write([&](db::Connection& c) {
    for (int i = 0; i < 500; ++i) store::enqueue_job(c, "work", std::to_string(i), now, 3);
  });
  a.start();
  b.start();
  for (int i = 0; i < 1200; ++i) {
    if (t.db().read([](db::Connection& c) { return store::queue_depth(c); }) == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  a.stop();
  b.stop();
  EXPECT_EQ(runs.size(), 500u);
  for (const auto& [id, n] : runs) EXPECT_EQ(n, 1) << "job " << id << " ran " << n << " times";
  // Sharing the work is PostgreSQL's part (SKIP LOCKED); on SQLite, one node per file
  // is the deployment, and a second process only must never run a job twice.
  if (std::string(GetParam()) == "postgres") {
    EXPECT_EQ(by_node.size(), 2u) << "one node did all the work";
  }
}

TEST_P(RunnerTest, AScheduleFiresOncePerPeriodHoweverManyNodesAsk) {
  auto other = t.open_again();
  jobs::Runner a(t.db(), {});
  jobs::Runner b(*other, {});
  a.every("tick", 60, [](const store::Job&) {});
  b.every("tick", 60, [](const store::Job&) {});
  int64_t start = std::time(nullptr);
  std::atomic<int> fired{0};
  auto ask = [&](jobs::Runner& r, int64_t now) {
    for (int i = 0; i < 20; ++i) fired += static_cast<int>(r.fire_schedules(now).size());
  };
  for (int64_t now : {start, start + 30, start + 60, start + 61, start + 150}) {
    std::thread x([&] { ask(a, now); });
    std::thread y([&] { ask(b, now); });
    x.join();
    y.join();
  }
  // Due at start, at start + 60 and at start + 120 (seen at start + 150): three periods.
  EXPECT_EQ(fired.load(), 3);
  EXPECT_EQ(t.db().read([](db::Connection& c) {
    return c.query_int("SELECT count(*) FROM jobs WHERE kind = 'tick'");
  }),
            3);
}

TEST_P(RunnerTest, OnlyTheHolderOfTheLeaseCompletesAJob) {
  int64_t now = 1000;
  t.db().write([&](db::Connection& c) { store::enqueue_job(c, "slow", "", now, 3); });
  auto first = t.db().write([&](db::Connection& c) { return store::claim_job(c, "A", now, 10); });
  ASSERT_TRUE(first);
  // A's lease runs out; B takes the job.
  auto second =
      t.db().write([&](db::Connection& c) { return store::claim_job(c, "B", now + 11, 10); });
  ASSERT_TRUE(second);
  EXPECT_EQ(second->id, first->id);
  EXPECT_FALSE(
      t.db().write([&](db::Connection& c) { return store::complete_job(c, first->id, "A"); }));
  EXPECT_FALSE(t.db().write(
      [&](db::Connection& c) { return store::fail_job(c, first->id, "A", "late", now + 100); }));
  EXPECT_TRUE(
      t.db().write([&](db::Connection& c) { return store::complete_job(c, first->id, "B"); }));
  EXPECT_EQ(t.db().read([](db::Connection& c) { return store::queue_depth(c); }), 0);
}
