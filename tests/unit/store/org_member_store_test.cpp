#include "store/org_member_store.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "../db/test_db.hpp"
#include "core/random.hpp"
#include "store/org_manage_store.hpp"
#include "store/user_store.hpp"

using namespace verbund;

class OrgMemberStoreTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    random::init();
    t.migrate();
    t.db().write([&](db::Connection& c) {
      anna = *store::create_user(c, "anna@example.org", "Anna", "x", "de");
      bert = *store::create_user(c, "bert@example.org", "Bert", "x", "de");
    });
    model::OrgBasics b;
    b.name = "Wettlauf e.V.";
    b.legal_form = "e.V.";
    b.city = "Kassel";
    store::Organisations orgs(t.db(), 3);
    org = orgs.apply(anna, b, orgs.form_choices().regions.front().id, 1000,
                     [](const store::Addressee& a) {
                       return store::Mail{a.email, "s", "b", "m"};
                     });
  }
  int64_t admins() {
    return t.db().read([&](db::Connection& c) {
      return c.query_int(
          "SELECT count(*) FROM user_roles WHERE organisation_id = $1 AND role = 'org_admin'",
          {org});
    });
  }
  void make_both_admins() {
    t.db().write([&](db::Connection& c) {
      c.execute("DELETE FROM user_roles WHERE organisation_id = $1", {org});
      for (int64_t u : {anna, bert})
        c.execute(
            "INSERT INTO user_roles (user_id, role, organisation_id, created_at) "
            "VALUES ($1, 'org_admin', $2, 0)",
            {u, org});
    });
  }
  // Anna and Bert, each on a database handle of their own (two nodes), act on each
  // other at the same moment, `rounds` times.
  template <typename Act>
  void race(int rounds, Act act) {
    auto other = t.open_again();
    for (int i = 0; i < rounds; ++i) {
      make_both_admins();
      std::atomic<int> ready{0};
      auto run = [&](db::Database& db, int64_t me, int64_t them) {
        ready++;
        while (ready < 2) std::this_thread::yield();
        store::Members members(db, 3);
        act(members, store::Actor{me, false}, them);
      };
      std::thread a([&] { run(t.db(), anna, bert); });
      std::thread b([&] { run(*other, bert, anna); });
      a.join();
      b.join();
      ASSERT_GE(admins(), 1) << "round " << i << ": the organisation lost its last admin";
    }
  }
  test::TempDatabase t{GetParam()};
  int64_t anna = 0, bert = 0, org = 0;
};

TEST_P(OrgMemberStoreTest, TwoAdminsDemotingEachOtherAtOnceLeaveOneAdmin) {
  race(40, [&](store::Members& m, const store::Actor& a, int64_t them) {
    (void)m.set_role(a, org, them, false, 2000);
  });
}

TEST_P(OrgMemberStoreTest, TwoAdminsRemovingEachOtherAtOnceLeaveOneAdmin) {
  race(40, [&](store::Members& m, const store::Actor& a, int64_t them) {
    (void)m.remove(a, org, them);
  });
}

TEST_P(OrgMemberStoreTest, TwoAdminsLeavingAtOnceLeaveOneAdmin) {
  race(40, [&](store::Members& m, const store::Actor& a, int64_t) {
    (void)m.remove(a, org, a.user_id);
  });
}

INSTANTIATE_TEST_SUITE_P(Drivers, OrgMemberStoreTest, ::testing::ValuesIn(test::kDrivers));
