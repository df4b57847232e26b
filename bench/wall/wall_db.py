#!/usr/bin/env python3
"""Database steps of bench/wall, straight on the SQLite file (no server running on it).

  wall_db.py sources DB MANIFEST          one source per feed of the manifest, all due now
  wall_db.py due DB [--only URLS]         make every source due now (with --only: just the
                                          sources whose feed URL is listed, the others in 30 days)
  wall_db.py fill DB --total N [--seed S] add synthetic posts (and their tags) until the
                                          posts table holds N rows
  wall_db.py pick DB                      what the page measurements ask for (key=value lines)
  wall_db.py plans DB KEY=VALUE...        EXPLAIN QUERY PLAN of the wall's queries

The columns and the visible-wall conditions follow migrations/sqlite/0018_social_wall.sql
and src/store/post_store.cpp; the sources are rows like those 'verbund sources add'
writes (kind 'feed', moderation 'publish', no validators yet).
"""

import argparse
import os
import random
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_feeds  # noqa: E402  (text banks)


def connect(path):
    db = sqlite3.connect(path, isolation_level=None, timeout=30)
    db.execute("PRAGMA busy_timeout = 30000")
    return db


def cmd_sources(a):
    feeds = make_feeds.load_manifest(a.manifest)
    db = connect(a.db)
    now = int(time.time())
    db.execute("BEGIN")
    for host in sorted({fd.host for fd in feeds}):
        db.execute("INSERT INTO feed_hosts (host) VALUES (?) ON CONFLICT DO NOTHING", (host,))
    db.executemany(
        "INSERT INTO sources (organisation_id, input, feed_url, host, kind, title, moderation, "
        "next_fetch_at, interval_seconds, created_at) VALUES (?, ?, ?, ?, 'feed', ?, 'publish', ?, 3600, ?)",
        ((fd.org_id, fd.url, fd.url, fd.host, fd.name[:300], now - 60, now) for fd in feeds))
    db.execute("COMMIT")
    n = db.execute("SELECT count(*) FROM sources WHERE next_fetch_at <= ? AND paused_at IS NULL "
                   "AND blocked_reason IS NULL", (now,)).fetchone()[0]
    print("sources %d due %d hosts %d" % (len(feeds), n, len({fd.host for fd in feeds})))


def cmd_due(a):
    db = connect(a.db)
    now = int(time.time())
    db.execute("BEGIN")
    if a.only:
        with open(a.only, encoding="utf-8") as f:
            urls = [line.strip() for line in f if line.strip()]
        db.execute("UPDATE sources SET next_fetch_at = ?, lease_until = NULL, leased_by = NULL",
                   (now + 30 * 86400,))
        db.executemany("UPDATE sources SET next_fetch_at = ? WHERE feed_url = ?", ((now - 1, u) for u in urls))
    else:
        db.execute("UPDATE sources SET next_fetch_at = ?, lease_until = NULL, leased_by = NULL", (now - 1,))
    db.execute("COMMIT")
    n = db.execute("SELECT count(*) FROM sources WHERE next_fetch_at <= ? AND paused_at IS NULL "
                   "AND blocked_reason IS NULL", (now,)).fetchone()[0]
    print("due %d" % n)


def tag_vocabulary(rng):
    """About 400 hashtags: the common ones of the feeds, places, years, events."""
    places = ["kassel", "köln", "berlin", "hamburg", "münchen", "leipzig", "dresden", "bochum", "essen",
              "frankfurt", "hannover", "bremen", "stuttgart", "mainz", "erfurt", "rostock", "kiel", "bonn",
              "duisburg", "würzburg", "freiburg", "ulm", "trier", "jena", "halle", "potsdam", "lübeck"]
    words = ["sommerfest", "adventsbasar", "flohmarkt", "laternenumzug", "spendenlauf", "tagderoffenentür",
             "elterncafe", "repaircafe", "mittagstisch", "kleiderkammer", "tafel", "hausaufgabenhilfe",
             "schuldnerberatung", "pflegeberatung", "sprachcafe", "ferienfreizeit", "jugendtreff", "kitaplatz",
             "ehrenamtsmesse", "fachtag", "weltkindertag", "frauentag", "aktionstag", "nachtcafe", "streetwork"]
    tags = list(make_feeds.TAGS)
    tags += places
    tags += words
    tags += ["%s%d" % (w, y) for w in words[:10] for y in (2023, 2024, 2025, 2026)]
    tags += ["%s%s" % (w, p) for w in ("ehrenamt", "kita", "pflege", "beratung") for p in places]
    tags += ["%s%s" % (p, w) for p in places[:12] for w in ("hilft", "engagiert")]
    seen, out = set(), []
    for t in tags:
        if t not in seen:
            seen.add(t)
            out.append(t)
    rng.shuffle(out)
    return out


def cmd_fill(a):
    rng = random.Random(a.seed)
    db = connect(a.db)
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -400000")
    have = db.execute("SELECT count(*) FROM posts").fetchone()[0]
    need = a.total - have
    if need <= 0:
        print("posts %d (none added)" % have)
        return
    orgs = db.execute("SELECT o.id, o.slug, o.city, (SELECT min(s.id) FROM sources s WHERE "
                      "s.organisation_id = o.id AND s.paused_at IS NULL) FROM organisations o "
                      "WHERE o.status = 'published' ORDER BY o.id").fetchall()
    rng.shuffle(orgs)
    # A few organisations post a lot, most a little (Zipf-like).
    org_weights = [1.0 / (k + 5) ** 0.9 for k in range(len(orgs))]
    org_cum = list(_cum(org_weights))
    vocab = tag_vocabulary(rng)
    tag_cum = list(_cum([1.0 / (k + 1) ** 1.1 for k in range(len(vocab))]))
    # A pool of texts (generated like the feeds' items) picked at random per post.
    pool = []
    for k in range(4000):
        fd = make_feeds.Feed(k, 0, "pool", "Pool", rng.choice(["Kassel", "Köln", "Leipzig", "Bochum", "Jena"]),
                             "rss", "127.0.0.1", 80, 5000, 1)
        it = fd.item(5000 - rng.randint(0, 40))
        pool.append((it["title"], "\n\n".join(it["paras"][:-1])))
    next_id = (db.execute("SELECT COALESCE(max(id), 0) FROM posts").fetchone()[0] or 0) + 1
    now = int(time.time())
    three_years = 3 * 365 * 86400
    statuses = ["visible"] * 960 + ["held"] * 20 + ["hidden"] * 15 + ["deleted"] * 5

    def rows():
        for n in range(need):
            pid = next_id + n
            org_id, slug, city, source_id = orgs[_pick(org_cum, rng.random())]
            if rng.random() < 0.15:
                source_id = None  # submitted directly on Verbund
            title, body = pool[rng.randrange(len(pool))]
            if source_id is None or rng.random() < 0.3:
                title = ""  # Mastodon-like: text only
            sort_at = now - 300 - int(three_years * rng.random() ** 2)  # busier lately
            k = rng.choice((0, 1, 1, 2, 2, 2, 3, 3, 4))
            tags = []
            while len(tags) < k:
                t = vocab[_pick(tag_cum, rng.random())]
                if t not in tags:
                    tags.append(t)
            url = "https://www.%s.example/archiv/%d/" % (slug, pid)
            status = statuses[rng.randrange(len(statuses))]
            guid = ("direct:bench%d" % pid) if source_id is None else ("bench:%d" % pid)
            yield (pid, org_id, source_id, guid, url, url, title, body, " ".join(tags), sort_at, sort_at,
                   "%016x" % pid, status, sort_at, sort_at), [(pid, t, sort_at) for t in tags]

    t0 = time.time()
    db.execute("BEGIN")
    batch, tag_batch, done, tag_rows = [], [], 0, 0
    for post, tags in rows():
        batch.append(post)
        tag_batch.extend(tags)
        if len(batch) >= 20000:
            _flush(db, batch, tag_batch)
            done += len(batch)
            tag_rows += len(tag_batch)
            batch, tag_batch = [], []
    _flush(db, batch, tag_batch)
    done += len(batch)
    tag_rows += len(tag_batch)
    db.execute("COMMIT")
    total = db.execute("SELECT count(*) FROM posts").fetchone()[0]
    visible = db.execute("SELECT count(*) FROM posts WHERE status = 'visible'").fetchone()[0]
    tags_total = db.execute("SELECT count(*) FROM post_tags").fetchone()[0]
    print("posts %d visible %d post_tags %d (added %d posts, %d tags in %.1f s)" % (
        total, visible, tags_total, done, tag_rows, time.time() - t0))


def _cum(weights):
    s = 0.0
    for w in weights:
        s += w
        yield s


def _pick(cum, u):
    x = u * cum[-1]
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _flush(db, posts, tags):
    db.executemany(
        "INSERT INTO posts (id, organisation_id, source_id, guid, url, canonical_url, title, body, tags, "
        "published_at, sort_at, content_hash, status, fetched_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", posts)
    db.executemany("INSERT INTO post_tags (post_id, tag, sort_at) VALUES (?, ?, ?)", tags)


# The visible wall as src/store/post_store.cpp (kColumns + visible_where) asks for it.
WALL = """SELECT p.id, p.organisation_id, o.slug AS organisation_slug, o.name AS organisation_name,
       o.logo_key AS organisation_logo, COALESCE(s.kind, 'direct') AS kind, p.url, p.title,
       p.body, p.image_key, p.image_alt, p.tags, p.status, p.published_at, p.sort_at
  FROM posts p
  JOIN organisations o ON o.id = p.organisation_id
  LEFT JOIN sources s ON s.id = p.source_id
 WHERE p.status = 'visible' AND o.status = 'published'
   AND (p.source_id IS NULL OR s.blocked_reason IS NULL)"""


def cmd_pick(a):
    db = connect(a.db)
    out = {}
    out["posts"] = db.execute("SELECT count(*) FROM posts").fetchone()[0]
    out["visible"] = db.execute("SELECT count(*) FROM posts WHERE status = 'visible'").fetchone()[0]
    counts = db.execute("SELECT pt.tag, count(*) AS n FROM post_tags pt JOIN posts p ON p.id = pt.post_id "
                        "AND p.status = 'visible' GROUP BY pt.tag ORDER BY n DESC, pt.tag").fetchall()
    out["tag_common"], out["tag_common_posts"] = counts[0]
    # The least used tag that still fills a first page (20 posts).
    full = [c for c in counts if c[1] >= 21 and c[0].isalnum()]
    out["tag_rare"], out["tag_rare_posts"] = full[-1] if full else counts[-1]
    out["org"], out["org_posts"] = db.execute(
        "SELECT o.slug, count(*) AS n FROM posts p JOIN organisations o ON o.id = p.organisation_id "
        "WHERE p.status = 'visible' AND o.status = 'published' GROUP BY o.id ORDER BY n DESC LIMIT 1").fetchone()
    mid = out["visible"] // 2
    r = db.execute(WALL + " ORDER BY p.sort_at DESC, p.id DESC LIMIT 1 OFFSET ?", (mid,)).fetchone()
    out["mid_cursor"] = "%d-%d" % (r[14], r[0])
    out["mid_offset"] = mid
    for k, v in out.items():
        print("%s=%s" % (k, v))


def cmd_plans(a):
    db = connect(a.db)
    kv = dict(x.split("=", 1) for x in a.values)
    order = " ORDER BY p.sort_at DESC, p.id DESC LIMIT 21"
    sort_at, pid = (int(x) for x in kv["mid_cursor"].split("-"))
    queries = [
        ("first page", WALL + order, ()),
        ("tag", WALL.replace("LEFT JOIN sources s ON s.id = p.source_id",
                             "LEFT JOIN sources s ON s.id = p.source_id\n  JOIN post_tags pt ON pt.post_id = p.id")
         + " AND pt.tag = ? ORDER BY pt.sort_at DESC, pt.post_id DESC LIMIT 21", (kv["tag_rare"],)),
        ("organisation", WALL + " AND o.slug = ?" + order, (kv["org"],)),
        ("older (vor=)", WALL + " AND (p.sort_at, p.id) < (?, ?)" + order, (sort_at, pid)),
        ("newer (neu)", WALL + " AND (p.sort_at, p.id) > (SELECT sort_at, id FROM posts WHERE id = ?)"
         " ORDER BY p.sort_at DESC, p.id DESC LIMIT 50", (int(kv.get("newest", pid)),)),
        ("popular tags (read by every render)",
         "SELECT tag, posts FROM wall_tag_counts ORDER BY posts DESC, tag LIMIT 12", ()),
        ("popular tags (counted by the job wall.tag_counts, every 10 min)",
         "SELECT pt.tag, count(*) AS n FROM posts p JOIN organisations o ON o.id = p.organisation_id "
         "LEFT JOIN sources s ON s.id = p.source_id JOIN post_tags pt ON pt.post_id = p.id "
         "WHERE p.status = 'visible' AND o.status = 'published' "
         "AND (p.source_id IS NULL OR s.blocked_reason IS NULL) AND p.sort_at >= ? "
         "GROUP BY pt.tag ORDER BY n DESC, pt.tag LIMIT 50", (int(time.time()) - 90 * 86400,)),
    ]
    for name, sql, params in queries:
        plan = db.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        t0 = time.perf_counter()
        rows = db.execute(sql, params).fetchall()
        ms = (time.perf_counter() - t0) * 1000
        print("%s: %d rows, %.1f ms (python sqlite3 %s, warm)" % (name, len(rows), ms, sqlite3.sqlite_version))
        for p in plan:
            print("    " + p[3])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sources")
    s.add_argument("db")
    s.add_argument("manifest")
    d = sub.add_parser("due")
    d.add_argument("db")
    d.add_argument("--only")
    f = sub.add_parser("fill")
    f.add_argument("db")
    f.add_argument("--total", type=int, required=True)
    f.add_argument("--seed", type=int, default=7)
    k = sub.add_parser("pick")
    k.add_argument("db")
    q = sub.add_parser("plans")
    q.add_argument("db")
    q.add_argument("values", nargs="*")
    a = p.parse_args()
    {"sources": cmd_sources, "due": cmd_due, "fill": cmd_fill, "pick": cmd_pick, "plans": cmd_plans}[a.cmd](a)


if __name__ == "__main__":
    main()
