"""The reference of bench/events/run on SQLite: the raw rate of single-row write
transactions on the same database file (so the same disk) that Verbund's nodes use.

  python3 write_rate.py --db FILE --threads 4 --seconds 5 --mode same|spread

Each transaction is what src/db/sqlite.cpp makes of a write, minus everything a
registration does besides: BEGIN IMMEDIATE, one UPDATE of one row, COMMIT, on a
connection with the driver's pragmas (WAL, synchronous=FULL, busy timeout 10 s).
THREADS threads, each with its own connection, take one lock around the transaction
as the driver's write mutex does (SQLite admits one writer at a time; without the lock
the waiting would be the busy handler's sleeps, not the disk). `same`: every
transaction updates row 1 (the one-event case, one hot row); `spread`: a random row of
1,000. The rows live in a table of their own, bench_write_rate, created here.
Prints "write rate: tx/s X ...". Only the standard library.
"""

import argparse
import random
import sqlite3
import sys
import threading
import time

ROWS = 1000


def connect(path):
    c = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    c.execute("PRAGMA journal_mode=WAL")
    c.execute("PRAGMA synchronous=FULL")
    return c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--mode", choices=("same", "spread"), default="same")
    a = ap.parse_args()
    c = connect(a.db)
    c.execute("CREATE TABLE IF NOT EXISTS bench_write_rate (id INTEGER PRIMARY KEY, "
              "n INTEGER NOT NULL)")
    c.execute("BEGIN IMMEDIATE")
    c.execute("DELETE FROM bench_write_rate")
    c.executemany("INSERT INTO bench_write_rate (id, n) VALUES (?, 0)",
                  [(i,) for i in range(1, ROWS + 1)])
    c.execute("COMMIT")
    c.close()

    lock = threading.Lock()
    gate = threading.Event()
    counts = [0] * a.threads
    latencies = [[] for _ in range(a.threads)]
    errors = []
    deadline = [0.0]

    def worker(k):
        conn = connect(a.db)
        rnd = random.Random(k)
        gate.wait()
        try:
            while time.monotonic() < deadline[0]:
                row = 1 if a.mode == "same" else rnd.randint(1, ROWS)
                t = time.perf_counter()
                with lock:
                    conn.execute("BEGIN IMMEDIATE")
                    conn.execute("UPDATE bench_write_rate SET n = n + 1 WHERE id = ?", (row,))
                    conn.execute("COMMIT")
                latencies[k].append(time.perf_counter() - t)
                counts[k] += 1
        except sqlite3.Error as e:
            errors.append(repr(e))
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(a.threads)]
    for t in threads:
        t.start()
    start = time.monotonic()
    deadline[0] = start + a.seconds
    gate.set()
    for t in threads:
        t.join(a.seconds + 60)
    elapsed = time.monotonic() - start
    total = sum(counts)
    lat = sorted(x for l in latencies for x in l)
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else float("nan")
    check = sqlite3.connect(a.db).execute("SELECT sum(n) FROM bench_write_rate").fetchone()[0]
    print("write rate: tx/s %.1f threads %d mode %s seconds %.1f transactions %d rows_sum %d "
          "p99_ms %.2f errors %d" % (total / elapsed, a.threads, a.mode, elapsed, total, check,
                                     p99, len(errors)))
    for e in errors[:5]:
        print("  problem: " + e)
    return 0 if not errors and check == total else 1


if __name__ == "__main__":
    sys.exit(main())
