#include "store/event_changes.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "../db/test_db.hpp"
#include "core/random.hpp"
#include "store/user_store.hpp"

using namespace verbund;

namespace {

constexpr int64_t kNow = 1790000000;  // 2026-09-21
constexpr int64_t kStart = kNow + 7 * 86400;

class EventChangesTest : public ::testing::TestWithParam<const char*> {
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
  // An event of two sessions, the first with `capacity` places.
  std::pair<int64_t, int64_t> event(std::optional<int64_t> capacity) {
    store::NewEvent e;
    e.slug = "digi-dienstag-" + random::hex(4);
    e.title = "Digi-Dienstag";
    e.place = "Haus der Vereine";
    e.format = "hybrid";
    e.online_url = "https://meet.example.org/raum";
    e.sessions = {{"KI im Verein", kStart, kStart + 5400, capacity},
                  {"Datenschutz", kStart + 7200, kStart + 9000, std::nullopt}};
    auto id = events.create(e, kNow);
    EXPECT_TRUE(id.ok());
    return {*id, events.find_by_id(*id)->sessions.front().id};
  }
  store::EventSession first(int64_t event_id) {
    return events.find_by_id(event_id)->sessions.front();
  }
  // Books `n` people (names p0, p1, …) and returns their registration ids.
  std::vector<int64_t> book(int64_t sid, int n, const std::string& prefix = "p") {
    std::vector<int64_t> ids;
    for (int i = 0; i < n; ++i) {
      std::string name = prefix + std::to_string(i);
      ids.push_back(
          regs.book(sid, {user(name), name, name + "@example.org", {}}, std::nullopt, kNow)
              ->registration_id);
    }
    return ids;
  }
  // The mails' "kind:address" in the order written.
  std::vector<std::string> mails() {
    return t.db().read([](db::Connection& c) {
      std::vector<std::string> out;
      for (const auto& r : c.query("SELECT subject, recipient FROM outbox ORDER BY id"))
        out.push_back(r.text("subject") + ":" + r.text("recipient"));
      return out;
    });
  }
  static store::Mail news(const store::RegistrationNews& n) {
    return {n.to.email, n.kind, n.token, "<" + random::hex(8) + "@test>",
            n.kind == "session_cancelled" ? "METHOD:CANCEL" : ""};
  }
  test::TempDatabase t{GetParam()};
  store::Events events{t.db()};
  store::Registrations regs{t.db()};
  store::EventChanges changes{t.db(), regs};
};

TEST_P(EventChangesTest, MovingASessionRaisesItsSequenceAndTellsEveryoneRegistered) {
  auto [event_id, sid] = event(1);
  book(sid, 2);  // p0 has the place, p1 waits
  auto before = first(event_id);
  auto ch = changes.change_session(event_id, sid, {"KI im Verein", kStart + 3600, kStart + 9000, 1},
                                   kNow, news);
  ASSERT_TRUE(ch.ok()) << ch.error().message;
  EXPECT_TRUE(ch->moved);
  EXPECT_EQ(ch->told, 2);
  EXPECT_EQ(ch->promoted, 0);
  auto after = first(event_id);
  EXPECT_EQ(after.sequence, before.sequence + 1);
  EXPECT_EQ(after.uid, before.uid);
  EXPECT_EQ(after.starts_at, kStart + 3600);
  EXPECT_EQ(events.find_by_id(event_id)->starts_at, kStart + 3600);
  auto m = mails();
  EXPECT_EQ(std::count(m.begin(), m.end(), "session_changed:p0@example.org"), 1);
  EXPECT_EQ(std::count(m.begin(), m.end(), "session_changed:p1@example.org"), 1);
  // The same values again change nothing and tell nobody.
  auto same = changes.change_session(event_id, sid,
                                     {"KI im Verein", kStart + 3600, kStart + 9000, 1}, kNow, news);
  EXPECT_FALSE(same->moved);
  EXPECT_EQ(first(event_id).sequence, after.sequence);
  EXPECT_EQ(mails().size(), m.size());
}

TEST_P(EventChangesTest, MoreCapacityPromotesTheWaitlistInOrderAndLessThanGivenIsRefused) {
  auto [event_id, sid] = event(2);
  auto ids = book(sid, 6);  // p0, p1 placed; p2..p5 wait
  auto lower =
      changes.change_session(event_id, sid, {"KI im Verein", kStart, kStart + 5400, 1}, kNow, news);
  ASSERT_FALSE(lower.ok());
  EXPECT_EQ(lower.error().code, "below_confirmed");
  EXPECT_EQ(first(event_id).capacity, 2);
  auto raised =
      changes.change_session(event_id, sid, {"KI im Verein", kStart, kStart + 5400, 4}, kNow, news);
  ASSERT_TRUE(raised.ok());
  EXPECT_EQ(raised->promoted, 2);
  EXPECT_EQ(raised->told, 0);
  auto s = first(event_id);
  EXPECT_EQ(s.confirmed, 4);
  EXPECT_EQ(s.waiting, 2);
  auto list = regs.of_session(sid);
  EXPECT_EQ(list[2].email, "p2@example.org");
  EXPECT_EQ(list[3].email, "p3@example.org");
  EXPECT_EQ(list[3].status, "confirmed");
  EXPECT_EQ(list[4].email, "p4@example.org");
  EXPECT_EQ(list[4].position, 1);
  auto m = mails();
  EXPECT_EQ(std::count(m.begin(), m.end(), "promoted:p2@example.org"), 1);
  EXPECT_EQ(std::count(m.begin(), m.end(), "promoted:p3@example.org"), 1);
  EXPECT_EQ(std::count(m.begin(), m.end(), "promoted:p4@example.org"), 0);
  // No limit: everyone waiting gets a place.
  auto open = changes.change_session(
      event_id, sid, {"KI im Verein", kStart, kStart + 5400, std::nullopt}, kNow, news);
  EXPECT_EQ(open->promoted, 2);
  EXPECT_EQ(first(event_id).waiting, 0);
}

// Bookings and a capacity raise race on two nodes: the places are never more than the
// capacity, and whoever waits is next in line whatever order the writers took.
TEST_P(EventChangesTest, RaisingCapacityWhilePeopleBookNeverOverfills) {
  auto [event_id, sid] = event(10);
  constexpr int kPeople = 200;
  std::vector<int64_t> users;
  t.db().write([&](db::Connection& c) {
    for (int i = 0; i < kPeople; ++i)
      users.push_back(
          *store::create_user(c, "r" + std::to_string(i) + "@example.org", "R", "x", "de"));
  });
  auto node_a = t.open_again();
  auto node_b = t.open_again();
  std::atomic<int> next{0}, errors{0};
  std::vector<std::thread> threads;
  for (int th = 0; th < 8; ++th)
    threads.emplace_back([&, th] {
      store::Registrations r(th % 2 ? *node_a : *node_b);
      for (int i = next++; i < kPeople; i = next++)
        if (!r.book(sid, {users[i], "R", "r" + std::to_string(i) + "@example.org", {}},
                    std::nullopt, kNow))
          ++errors;
    });
  threads.emplace_back([&] {
    store::Registrations r(*node_a);
    store::EventChanges ch(*node_a, r);
    for (int64_t cap = 20; cap <= 60; cap += 10)
      if (!ch.change_session(event_id, sid, {"KI im Verein", kStart, kStart + 5400, cap}, kNow, {}))
        ++errors;
  });
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors, 0);
  auto s = first(event_id);
  EXPECT_EQ(s.capacity, 60);
  EXPECT_EQ(s.confirmed, 60);
  EXPECT_EQ(s.waiting, kPeople - 60);
  auto list = regs.of_session(sid);
  ASSERT_EQ(list.size(), std::size_t(kPeople));
  int64_t confirmed = t.db().read([&](db::Connection& c) {
    return c.query_int(
        "SELECT count(*) FROM registrations WHERE session_id = $1 AND status = 'confirmed'", {sid});
  });
  EXPECT_EQ(confirmed, 60);
  for (std::size_t i = 60; i < list.size(); ++i) EXPECT_EQ(list[i].position, int64_t(i) - 59);
}

TEST_P(EventChangesTest, CancellingASessionTellsEveryoneOnceAndTheLastOneCancelsTheEvent) {
  auto [event_id, sid] = event(1);
  book(sid, 2);
  auto told = changes.cancel_session(event_id, sid, kNow, news);
  ASSERT_TRUE(told.ok());
  EXPECT_EQ(*told, 2);
  auto e = events.find_by_id(event_id);
  EXPECT_EQ(e->sessions[0].status, "cancelled");
  EXPECT_EQ(e->sessions[0].sequence, 1);
  EXPECT_EQ(e->status, "published");  // the second session still takes place
  EXPECT_EQ(e->starts_at, kStart + 7200);
  EXPECT_EQ(changes.cancel_session(event_id, sid, kNow, news).error().code, "cancelled");
  EXPECT_EQ(regs.book(sid, {std::nullopt, "Gast", "gast@example.org", {}}, std::nullopt, kNow)
                .error()
                .code,
            "cancelled");
  int64_t second = e->sessions[1].id;
  EXPECT_TRUE(changes.cancel_session(event_id, second, kNow, news).ok());
  EXPECT_EQ(events.find_by_id(event_id)->status, "cancelled");
  auto m = mails();
  EXPECT_EQ(std::count(m.begin(), m.end(), "session_cancelled:p0@example.org"), 1);
  EXPECT_EQ(std::count(m.begin(), m.end(), "session_cancelled:p1@example.org"), 1);
  // The mail carries the cancellation for calendars.
  EXPECT_EQ(t.db().read([](db::Connection& c) {
    return c.query_int("SELECT count(*) FROM outbox WHERE calendar = 'METHOD:CANCEL'");
  }),
            2);
}

TEST_P(EventChangesTest, ANewPlaceIsMailedAndTheTextOnlyRaisesTheSequence) {
  auto [event_id, sid] = event(5);
  book(sid, 1);
  store::EventFields f;
  auto e = *events.find_by_id(event_id);
  f.title = "Digi-Dienstag im Dezember";
  f.format = e.format;
  f.place = e.place;
  f.online_url = e.online_url;
  auto told = changes.update(event_id, f, kNow, news);
  ASSERT_TRUE(told.ok());
  EXPECT_EQ(*told, 0);
  EXPECT_EQ(first(event_id).sequence, 1);
  f.place = "Rathaus, Saal 3";
  EXPECT_EQ(*changes.update(event_id, f, kNow, news), 1);
  EXPECT_EQ(first(event_id).sequence, 2);
  EXPECT_EQ(events.find_by_id(event_id)->place, "Rathaus, Saal 3");
  // An invitation needs a code; an empty title is refused; nothing is half written.
  f.audience = "invitation";
  EXPECT_EQ(changes.update(event_id, f, kNow, news).error().code, "invalid");
  f.access_code = "digi2026";
  EXPECT_TRUE(changes.update(event_id, f, kNow, news).ok());
  EXPECT_TRUE(events.access_code_matches(event_id, "digi2026"));
  f.access_code.reset();  // keeps the code
  f.title = "";
  EXPECT_EQ(changes.update(event_id, f, kNow, news).error().code, "invalid");
  EXPECT_EQ(events.find_by_id(event_id)->title, "Digi-Dienstag im Dezember");
  EXPECT_TRUE(events.access_code_matches(event_id, "digi2026"));
}

TEST_P(EventChangesTest, WritingToAllReachesEachAddressWithAPlaceOnce) {
  auto [event_id, sid] = event(1);
  book(sid, 3);  // p0 placed, p1 and p2 wait
  int64_t second = events.find_by_id(event_id)->sessions[1].id;
  ASSERT_TRUE(regs.book(second, {std::nullopt, "p0", "p0@example.org", {}}, std::nullopt, kNow));
  auto compose = [](const store::Addressee& a) {
    return store::Mail{a.email, "Nachricht", "Hallo " + a.name, "<" + random::hex(8) + "@t>"};
  };
  EXPECT_EQ(changes.write_to_all(event_id, false, compose, kNow), 1);
  EXPECT_EQ(changes.write_to_all(event_id, true, compose, kNow), 3);
}

TEST_P(EventChangesTest, APromotionShortlyBeforeTheStartMustBeConfirmedInTime) {
  auto [event_id, sid] = event(1);
  auto ids = book(sid, 3);
  int64_t soon = kStart - 20 * 3600;  // 20 hours before the start
  ASSERT_TRUE(regs.cancel_by_token(regs.token_for(ids[0]), soon, news));
  auto p1 = *regs.by_token(regs.token_for(ids[1]));
  EXPECT_EQ(p1.status, "confirmed");
  ASSERT_TRUE(p1.confirm_by);
  EXPECT_EQ(*p1.confirm_by, soon + 12 * 3600);
  // Not confirmed: the next person gets the place, and p1 a mail that says so.
  EXPECT_EQ(regs.release_unconfirmed(soon + 12 * 3600 - 1, news), 0);
  EXPECT_EQ(regs.release_unconfirmed(soon + 12 * 3600 + 1, news), 1);
  EXPECT_EQ(regs.by_token(regs.token_for(ids[1]))->status, "cancelled");
  auto p2 = *regs.by_token(regs.token_for(ids[2]));
  EXPECT_EQ(p2.status, "confirmed");
  // 8 hours before the start: confirm within 7 hours (an hour before the start).
  EXPECT_EQ(*p2.confirm_by, kStart - 3600);
  EXPECT_EQ(regs.confirm(regs.token_for(ids[2]), kStart - 1800).error().code, "expired");
  auto m = mails();
  EXPECT_EQ(std::count(m.begin(), m.end(), "released:p1@example.org"), 1);
  EXPECT_EQ(std::count(m.begin(), m.end(), "promoted:p2@example.org"), 1);
}

TEST_P(EventChangesTest, AConfirmedPromotionKeepsItsPlace) {
  auto [event_id, sid] = event(1);
  auto ids = book(sid, 2);
  int64_t soon = kStart - 30 * 3600;
  ASSERT_TRUE(regs.cancel_by_token(regs.token_for(ids[0]), soon, news));
  ASSERT_TRUE(regs.confirm(regs.token_for(ids[1]), soon + 60).ok());
  EXPECT_FALSE(regs.by_token(regs.token_for(ids[1]))->confirm_by);
  EXPECT_EQ(regs.release_unconfirmed(soon + 86400, news), 0);
  EXPECT_EQ(regs.by_token(regs.token_for(ids[1]))->status, "confirmed");
  // A week ahead nobody is asked.
  auto more = book(sid, 2, "q");
  ASSERT_TRUE(regs.cancel_by_token(regs.token_for(ids[1]), kNow, news));
  EXPECT_FALSE(regs.by_token(regs.token_for(more[0]))->confirm_by);
}

INSTANTIATE_TEST_SUITE_P(Drivers, EventChangesTest, ::testing::ValuesIn(test::kDrivers));

}  // namespace
