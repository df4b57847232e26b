#include "store/event_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "../db/test_db.hpp"
#include "core/random.hpp"
#include "store/user_store.hpp"

using namespace verbund;

namespace {

constexpr int64_t kNow = 1790000000;  // 2026-09-21
constexpr int64_t kStart = kNow + 7 * 86400;

class EventStoreTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    random::init();
    t.migrate();
  }
  int64_t user(const std::string& name) {
    return t.db().write([&](db::Connection& c) {
      return *store::create_user(c, name + "@example.org", name, "x", "de");
    });
  }
  // An event of one session with `capacity` places.
  std::pair<int64_t, int64_t> event(std::optional<int64_t> capacity, const std::string& slug = "") {
    store::NewEvent e;
    e.slug = slug.empty() ? "digi-dienstag-" + random::hex(4) : slug;
    e.title = "Digi-Dienstag";
    e.sessions = {{"KI im Verein", kStart, kStart + 5400, capacity}};
    auto id = store::Events(t.db()).create(e, kNow);
    EXPECT_TRUE(id.ok());
    auto found = store::Events(t.db()).find_by_id(*id);
    return {*id, found->sessions.front().id};
  }
  store::Registrant person(int64_t user_id, const std::string& name) {
    return {user_id, name, name + "@example.org", std::nullopt};
  }
  store::Registrant guest(const std::string& name) {
    return {std::nullopt, name, name + "@gast.example", std::nullopt};
  }
  store::EventSession session(int64_t event_id) {
    return store::Events(t.db()).find_by_id(event_id)->sessions.front();
  }
  int64_t mails() {
    return t.db().read(
        [](db::Connection& c) { return c.query_int("SELECT count(*) FROM outbox"); });
  }
  static store::Mail news_mail(const store::RegistrationNews& n) {
    return {n.to.email, "Sie haben einen Platz: " + n.event.title, n.token,
            "<" + random::hex(8) + "@test>"};
  }
  test::TempDatabase t{GetParam()};
};

TEST_P(EventStoreTest, FullSessionPutsTheNextPeopleOnTheWaitlistInOrder) {
  auto [event_id, sid] = event(2);
  store::Registrations regs(t.db());
  std::vector<store::Booking> got;
  for (const char* name : {"ada", "ben", "cem", "dora"})
    got.push_back(*regs.book(sid, person(user(name), name), std::nullopt, kNow));
  EXPECT_EQ(got[0].status, "confirmed");
  EXPECT_EQ(got[1].status, "confirmed");
  EXPECT_EQ(got[2].status, "waitlisted");
  EXPECT_EQ(got[2].position, 1);
  EXPECT_EQ(got[3].position, 2);
  auto s = session(event_id);
  EXPECT_EQ(s.confirmed, 2);
  EXPECT_EQ(s.free(), 0);
  EXPECT_EQ(s.waiting, 2);
}

TEST_P(EventStoreTest, ACancellationPromotesTheFirstOnTheWaitlistWithAMail) {
  auto [event_id, sid] = event(1);
  store::Registrations regs(t.db());
  auto ada = *regs.book(sid, person(user("ada"), "ada"), std::nullopt, kNow);
  int64_t ben_id = user("ben");
  auto ben = *regs.book(sid, person(ben_id, "ben"), std::nullopt, kNow);
  auto cem = *regs.book(sid, person(user("cem"), "cem"), std::nullopt, kNow);
  ASSERT_EQ(ben.status, "waitlisted");
  int64_t before = mails();
  ASSERT_TRUE(regs.cancel_by_token(ada.token, kNow + 10, news_mail).ok());
  EXPECT_EQ(mails(), before + 1);
  auto mine = regs.of_user(ben_id, event_id);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].status, "confirmed");
  EXPECT_EQ(regs.by_token(cem.token)->position, 1);  // moved up
  // The link is spent; leaving the waitlist frees no place and writes to nobody.
  EXPECT_EQ(regs.cancel_by_token(ada.token, kNow + 20, news_mail).error().code, "not_found");
  ASSERT_TRUE(regs.cancel_by_token(cem.token, kNow + 30, news_mail).ok());
  EXPECT_EQ(mails(), before + 1);
  EXPECT_EQ(session(event_id).confirmed, 1);
  EXPECT_EQ(session(event_id).waiting, 0);
}

TEST_P(EventStoreTest, DoubleRegistrationAndWindowsGetTheirOwnErrors) {
  store::NewEvent e;
  e.slug = "festival-workshop";
  e.title = "Workshop";
  e.registration_opens_at = kNow - 100;
  e.registration_closes_at = kNow + 100;
  e.sessions = {{"", kStart, kStart + 3600, 10}};
  auto id = *store::Events(t.db()).create(e, kNow);
  int64_t sid = session(id).id;
  store::Registrations regs(t.db());
  int64_t ada = user("ada");
  ASSERT_TRUE(regs.book(sid, person(ada, "ada"), std::nullopt, kNow).ok());
  auto again = person(ada, "ada");
  again.email = "ADA@example.org";  // the same address, other case
  EXPECT_EQ(regs.book(sid, again, std::nullopt, kNow).error().code, "duplicate");
  EXPECT_EQ(regs.book(sid, person(user("ben"), "ben"), std::nullopt, kNow - 200).error().code,
            "not_open");
  EXPECT_EQ(regs.book(sid, person(user("cem"), "cem"), std::nullopt, kNow + 100).error().code,
            "closed");
  EXPECT_EQ(regs.book(sid + 1000, person(user("dora"), "dora"), std::nullopt, kNow).error().code,
            "not_found");
  EXPECT_EQ(session(id).confirmed, 1);
}

TEST_P(EventStoreTest, AGuestHoldsNoPlaceUntilTheLinkIsOpened) {
  auto [event_id, sid] = event(1);
  store::Registrations regs(t.db());
  auto g = *regs.book(sid, guest("gabi"), std::nullopt, kNow);
  EXPECT_EQ(g.status, "unconfirmed");
  EXPECT_EQ(session(event_id).confirmed, 0);
  auto ada = *regs.book(sid, person(user("ada"), "ada"), std::nullopt, kNow);
  EXPECT_EQ(ada.status, "confirmed");  // the guest had not confirmed yet
  auto confirmed = *regs.confirm(g.token, kNow + 60);
  EXPECT_EQ(confirmed.status, "waitlisted");
  EXPECT_EQ(confirmed.position, 1);
  EXPECT_EQ(regs.confirm(g.token, kNow + 61)->status, "waitlisted");  // twice: the same
  EXPECT_EQ(regs.confirm("not-a-token", kNow).error().code, "not_found");
}

TEST_P(EventStoreTest, CapacityIsAConstraintOfTheTable) {
  auto [event_id, sid] = event(1);
  EXPECT_THROW(t.db().write([&](db::Connection& c) {
    c.execute("UPDATE event_sessions SET confirmed = 2 WHERE id = $1", {sid});
  }),
               db::DbError);
  (void)event_id;
}

// 1,000 people press at once on two nodes (two pools on the same database): exactly 100
// get a place, 900 wait in the order their bookings took the session, with positions
// 1..900 and no gaps or repeats.
TEST_P(EventStoreTest, AThousandBookingsAtOnceOnTwoNodesFillAHundredPlacesExactly) {
  auto [event_id, sid] = event(100);
  constexpr int kPeople = 1000;
  std::vector<int64_t> users;
  t.db().write([&](db::Connection& c) {
    for (int i = 0; i < kPeople; ++i)
      users.push_back(*store::create_user(c, "p" + std::to_string(i) + "@example.org",
                                          "P" + std::to_string(i), "x", "de"));
  });
  auto node_a = t.open_again();
  auto node_b = t.open_again();
  std::vector<store::Booking> got(kPeople);
  std::atomic<int> next{0}, errors{0};
  std::vector<std::thread> threads;
  for (int th = 0; th < 16; ++th) {
    threads.emplace_back([&, th] {
      store::Registrations regs(th % 2 ? *node_a : *node_b);
      for (int i = next++; i < kPeople; i = next++) {
        auto b = regs.book(sid, {users[i], "P", "p" + std::to_string(i) + "@example.org", {}},
                           std::nullopt, kNow);
        if (b)
          got[i] = *b;
        else
          ++errors;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors, 0);
  int confirmed = 0;
  std::set<int64_t> positions;
  for (const auto& b : got) {
    if (b.status == "confirmed") ++confirmed;
    if (b.status == "waitlisted") positions.insert(*b.position);
  }
  EXPECT_EQ(confirmed, 100);
  EXPECT_EQ(positions.size(), 900u);
  EXPECT_EQ(*positions.begin(), 1);
  EXPECT_EQ(*positions.rbegin(), 900);
  auto s = session(event_id);
  EXPECT_EQ(s.confirmed, 100);
  EXPECT_EQ(s.waiting, 900);
  // The list is in arrival order: waitlist numbers follow the registrations' ids.
  auto list = store::Registrations(t.db()).of_session(sid);
  ASSERT_EQ(list.size(), 1000u);
  for (std::size_t i = 100; i < list.size(); ++i) EXPECT_EQ(list[i].position, int64_t(i) - 99);
}

// Twenty confirmed people cancel at once on two nodes: the first twenty on the
// waitlist are promoted, each exactly once, with one mail each.
TEST_P(EventStoreTest, CancellationsAtOncePromoteEachWaitingPersonExactlyOnce) {
  auto [event_id, sid] = event(20);
  std::vector<store::Booking> got;
  store::Registrations regs(t.db());
  for (int i = 0; i < 50; ++i) {
    std::string n = "q" + std::to_string(i);
    got.push_back(*regs.book(sid, person(user(n), n), std::nullopt, kNow));
  }
  int64_t before = mails();
  auto node_a = t.open_again();
  auto node_b = t.open_again();
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back([&, i] {
      store::Registrations r(i % 2 ? *node_a : *node_b);
      if (!r.cancel_by_token(got[i].token, kNow + 5, news_mail)) ++failed;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(mails(), before + 20);
  auto s = session(event_id);
  EXPECT_EQ(s.confirmed, 20);
  EXPECT_EQ(s.waiting, 10);
  for (int i = 20; i < 40; ++i) EXPECT_EQ(regs.by_token(got[i].token)->status, "confirmed") << i;
  for (int i = 40; i < 50; ++i) EXPECT_EQ(regs.by_token(got[i].token)->position, i - 39) << i;
}

TEST_P(EventStoreTest, NamesAndAddressesLeaveAfterTheRetentionPeriod) {
  auto [event_id, sid] = event(10);
  store::Registrations regs(t.db());
  auto ada = *regs.book(sid, person(user("ada"), "ada"), std::nullopt, kNow);
  auto gabi = *regs.book(sid, guest("gabi"), std::nullopt, kNow);
  int64_t ended = session(event_id).ends_at;
  EXPECT_EQ(regs.anonymise_ended(ended + 29 * 86400, 30), 0);  // not yet
  EXPECT_EQ(regs.by_token(ada.token)->email, "ada@example.org");
  EXPECT_EQ(regs.anonymise_ended(ended + 31 * 86400, 30), 2);
  auto gone = *regs.by_token(ada.token);
  EXPECT_EQ(gone.name, "");
  EXPECT_EQ(gone.user_id, std::nullopt);
  EXPECT_EQ(gone.email.find("ada"), std::string::npos);
  EXPECT_EQ(regs.by_token(gabi.token)->name, "");
  EXPECT_EQ(regs.anonymise_ended(ended + 32 * 86400, 30), 0);  // once
  EXPECT_EQ(session(event_id).confirmed, 1);                   // the count stays
}

// Reminders 24 h and 1 h before: each once, also when two nodes' jobs run at the same
// moment; none for the waitlist, a cancelled registration, or one made after its time.
TEST_P(EventStoreTest, RemindersGoOutOnceEachInTheirHour) {
  auto [event_id, sid] = event(2);
  store::Registrations regs(t.db());
  auto ada = *regs.book(sid, person(user("ada"), "ada"), std::nullopt, kNow);
  auto ben = *regs.book(sid, person(user("ben"), "ben"), std::nullopt, kNow);
  auto cem = *regs.book(sid, person(user("cem"), "cem"), std::nullopt, kNow);  // waitlist
  ASSERT_TRUE(regs.cancel_by_token(ben.token, kNow + 1, {}).ok());             // cem moves up
  int64_t start = session(event_id).starts_at;
  auto late = *regs.book(sid, person(user("dora"), "dora"), std::nullopt, start - 3 * 3600);
  ASSERT_EQ(late.status, "waitlisted");  // full again: no reminder for her either
  int64_t before = mails();
  EXPECT_EQ(regs.send_reminders(start - 30 * 3600, {24, 1}, news_mail), 0);  // too early
  auto node_a = t.open_again();
  auto node_b = t.open_again();
  std::atomic<int64_t> sent{0};
  auto both = [&](int64_t now) {
    std::thread a([&] {
      sent += store::Registrations(*node_a).send_reminders(now, {24, 1}, news_mail);
    });
    std::thread b([&] {
      sent += store::Registrations(*node_b).send_reminders(now, {24, 1}, news_mail);
    });
    a.join();
    b.join();
  };
  both(start - 23 * 3600);  // the 24-hour band: ada and cem
  EXPECT_EQ(sent, 2);
  EXPECT_EQ(mails(), before + 2);
  both(start - 22 * 3600);  // again: nothing new
  EXPECT_EQ(sent, 2);
  both(start - 1800);  // the 1-hour band
  EXPECT_EQ(sent, 4);
  EXPECT_EQ(mails(), before + 4);
  EXPECT_EQ(regs.send_reminders(start + 60, {24, 1}, news_mail), 0);  // started: none
  (void)ada;
  (void)cem;
}

TEST_P(EventStoreTest, AudiencesAdmitTheirPeople) {
  store::EventViewer visitor, member{1, false, false, false, true}, scout{2, false, false, true},
      staff{3, false, true}, admin{4, true};
  EXPECT_TRUE(store::audience_admits("public", visitor));
  EXPECT_FALSE(store::audience_admits("members", visitor));
  EXPECT_TRUE(store::audience_admits("members", member));
  EXPECT_FALSE(store::audience_admits("scouts", member));
  EXPECT_TRUE(store::audience_admits("scouts", scout));
  EXPECT_FALSE(store::audience_admits("staff", scout));
  EXPECT_TRUE(store::audience_admits("staff", staff));
  EXPECT_TRUE(store::audience_admits("staff", admin));
  // The list leaves out what the viewer may not see.
  store::NewEvent camp;
  camp.slug = "scout-camp";
  camp.title = "Scout-Camp";
  camp.audience = "scouts";
  camp.sessions = {{"", kStart, kStart + 86400, 40}};
  ASSERT_TRUE(store::Events(t.db()).create(camp, kNow).ok());
  event(10, "digi");
  store::EventFilter f;
  f.from = kNow;
  EXPECT_EQ(store::Events(t.db()).list(f, visitor, 10, 0).events.size(), 1u);
  EXPECT_EQ(store::Events(t.db()).list(f, scout, 10, 0).events.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Drivers, EventStoreTest, ::testing::ValuesIn(test::kDrivers));

}  // namespace
