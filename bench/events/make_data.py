"""Data for bench/events/run: registrants with signed-in sessions, and the events they
register for, as one SQL script that runs unchanged on SQLite (sqlite3 FILE < SCRIPT)
and on PostgreSQL (psql -f SCRIPT), in one transaction.

  python3 make_data.py --clients 1000 --hash HASH --now T \
      --events bench-rush-1:3:100 --events bench-spread-1:1000:2 \
      --sql OUT.sql --sessions OUT.txt

--events PREFIX:COUNT:CAPACITY adds COUNT public online events PREFIX-0001 ... (one
session each, with CAPACITY places), starting a week after T, registration open.

Each registrant is a user (bench-reg-NNNN@example.org, password hash HASH copied from
an account made by `verbund user add`, as tests/http/test_events.py does) with one
session row as `store::Sessions::start` writes it: the cookie value is a random token
and the row keeps its SHA-256 (hex), next to the session's CSRF token. --sessions gets
one line per registrant: "INDEX EMAIL COOKIE CSRF". Signing 1,000 people in through
/anmelden would cost 1,000 argon2 verifications before the first registration (the
log-in is not what is measured); a row written here is the row a log-in writes.
Only the standard library.
"""

import argparse
import hashlib
import secrets
import sys


def quote(text):
    return "'" + text.replace("'", "''") + "'"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, required=True)
    ap.add_argument("--hash", required=True, help="password hash for every registrant")
    ap.add_argument("--now", type=int, required=True)
    ap.add_argument("--events", action="append", default=[], help="PREFIX:COUNT:CAPACITY")
    ap.add_argument("--sql", required=True)
    ap.add_argument("--sessions", required=True)
    a = ap.parse_args()
    if not 1 <= a.clients <= 100000:
        raise SystemExit("make_data: --clients must be 1..100000")
    now = a.now
    out = ["BEGIN;"]
    people = []
    for i in range(a.clients):
        email = "bench-reg-%05d@example.org" % i
        people.append((i, email, secrets.token_urlsafe(32), secrets.token_urlsafe(24)))
    # 500 rows per INSERT: short statements for both command-line clients.
    for start in range(0, len(people), 500):
        rows = ["(%s, %s, %s, %d, %d)" % (quote(email), quote("Bench Person %d" % i),
                                          quote(a.hash), now, now)
                for i, email, _, _ in people[start:start + 500]]
        out.append("INSERT INTO users (email, display_name, password_hash, email_confirmed_at, "
                   "created_at) VALUES\n" + ",\n".join(rows) + ";")
    for i, email, cookie, csrf in people:
        out.append("INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at) "
                   "SELECT %s, id, %s, %d, %d FROM users WHERE email = %s;"
                   % (quote(hashlib.sha256(cookie.encode()).hexdigest()), quote(csrf), now, now,
                      quote(email)))
    start = now + 7 * 86400
    for spec in a.events:
        prefix, count, capacity = spec.split(":")
        count, capacity = int(count), int(capacity)
        slugs = ["%s-%04d" % (prefix, k) for k in range(1, count + 1)]
        for first in range(0, count, 500):
            rows = ["(%s, %s, 'Eine Veranstaltung für den Benchmark', 'federation', 'online', "
                    "'public', 'https://meet.example.org/%s', %d, %d, %d, %d)"
                    % (quote(slug), quote("Bench-Termin " + slug), slug, start, start + 5400,
                       now, now)
                    for slug in slugs[first:first + 500]]
            out.append("INSERT INTO events (slug, title, summary, organiser_kind, format, audience, "
                       "online_url, starts_at, ends_at, created_at, updated_at) VALUES\n"
                       + ",\n".join(rows) + ";")
        out.append("INSERT INTO event_sessions (event_id, uid, title, starts_at, ends_at, capacity, "
                   "updated_at) SELECT id, slug || '@bench', '', starts_at, ends_at, %d, %d "
                   "FROM events WHERE slug LIKE %s;" % (capacity, now, quote(prefix + "-%")))
    out.append("COMMIT;")
    with open(a.sql, "w") as f:
        f.write("\n".join(out) + "\n")
    with open(a.sessions, "w") as f:
        for i, email, cookie, csrf in people:
            f.write("%d %s %s %s\n" % (i, email, cookie, csrf))
    return 0


if __name__ == "__main__":
    sys.exit(main())
