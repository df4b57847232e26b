// Every store of the platform, one per aggregate, over one database. Each method is a
// use case that opens its own read or write transaction; callers never see a
// connection. Thread-safe.
#pragma once

#include "db/database.hpp"
#include "store/event_changes.hpp"
#include "store/event_store.hpp"
#include "store/festival_store.hpp"
#include "store/job_store.hpp"
#include "store/org_claim_store.hpp"
#include "store/org_manage_store.hpp"
#include "store/org_member_store.hpp"
#include "store/outbox_store.hpp"
#include "store/post_store.hpp"
#include "store/session_store.hpp"
#include "store/settings_store.hpp"
#include "store/source_store.hpp"
#include "store/throttle_store.hpp"
#include "store/user_store.hpp"
#include "store/wall_moderation_store.hpp"

namespace verbund::store {

struct Stores {
  // `mail_attempts`: how often the mail a change causes is tried before it fails.
  Stores(db::Database& db, int mail_attempts)
      : users(db, mail_attempts),
        sessions(db),
        throttle(db),
        organisations(db, mail_attempts),
        members(db, mail_attempts),
        claims(db, mail_attempts),
        jobs(db),
        outbox(db),
        settings(db),
        sources(db, mail_attempts),
        posts(db),
        wall_moderation(db),
        events(db),
        registrations(db, mail_attempts),
        event_changes(db, registrations, mail_attempts),
        festivals(db, mail_attempts) {}

  Users users;
  Sessions sessions;
  Throttle throttle;
  Organisations organisations;
  Members members;
  Claims claims;
  Jobs jobs;
  Outbox outbox;
  Settings settings;
  Sources sources;
  Posts posts;
  WallModeration wall_moderation;
  Events events;
  Registrations registrations;
  EventChanges event_changes;
  Festivals festivals;
};

}  // namespace verbund::store
