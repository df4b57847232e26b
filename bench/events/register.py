"""Load driver for bench/events/run: signed-in people pressing "Anmelden" at once.

  python3 register.py run --nodes http://127.0.0.1:P1[,http://127.0.0.1:P2] \
      --people PEOPLE --sessions SESSIONS --mode rush|spread --prefix SLUGPREFIX \
      [--rounds 3] [--each 3] --plan PLAN --tag TAG
  python3 register.py check --plan PLAN --rows ROWS

PEOPLE comes from make_data.py ("INDEX EMAIL COOKIE CSRF"), SESSIONS from `verbund sql`
("SLUG|SESSION_ID|CAPACITY"). Every person is one client with its own keep-alive
connection; client i talks to node i mod len(nodes).

rush (contention): one event per round (PREFIX-0001, -0002, ...). Every client GETs
the event page and takes the CSRF token from it (it must be its session's: the page
saw it signed in), then all wait at one gate; the gate opens and every client POSTs
/veranstaltungen/SLUG/anmelden once, all at the same moment.
spread: all events PREFIX-*; every client GETs its first event's page, waits at the
gate, then POSTs EACH registrations one after another, client i for the events
(i + j * stride) mod M, j = 0..EACH-1 (stride = M // EACH), so every event gets the
same share of people.

Only the timed POSTs count: a 303 whose Location says platz_sicher (a place) or
auf_warteliste (the waitlist) is a registration; anything else is a failure, listed
by status. Latency is from writing a request to having read its response; the rate
is registrations over the time from opening the gate to the last response. Writes
PLAN ("SESSION_ID CAPACITY PEOPLE" per session) for `check`, which compares the
database's rows with it: exactly min(capacity, people) confirmed, the rest on the
waitlist with distinct positions, counters matching rows.

One asyncio loop rather than 1,000 threads: on 2 shared CPUs the client must cost
little beside the servers (its CPU share is printed). Only the standard library;
only 127.0.0.1.
"""

import argparse
import asyncio
import collections
import html
import math
import re
import sys
import time
import urllib.parse

CSRF_RE = re.compile(rb'<input type="hidden" name="csrf" value="([^"]*)"')
GET_TIMEOUT = 60
POST_TIMEOUT = 120


class Connection:
    """One keep-alive HTTP/1.1 connection of one client."""

    def __init__(self, host, port, cookie):
        self.host, self.port = host, port
        self.cookie = cookie
        self.reader = self.writer = None

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None

    async def request(self, method, path, body=b"", retry=False):
        """Returns (status, headers dict with lower-case names, body bytes). `retry`: once
        more on a fresh connection when a kept-alive one was closed meanwhile (only for
        requests that change nothing)."""
        head = ["%s %s HTTP/1.1" % (method, path), "Host: %s:%d" % (self.host, self.port),
                "Cookie: verbund=" + self.cookie]
        if method == "POST":
            head += ["Content-Type: application/x-www-form-urlencoded",
                     "Content-Length: %d" % len(body)]
        data = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        for attempt in range(2):
            reused = self.writer is not None
            if not reused:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            try:
                self.writer.write(data)
                await self.writer.drain()
                return await self._response()
            except (OSError, asyncio.IncompleteReadError, ValueError):
                await self.close()
                if attempt or not (retry and reused):
                    raise

    async def _response(self):
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                chunks.append(chunk[:-2])
            body = b"".join(chunks)
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, body


class Client:
    def __init__(self, index, person, node):
        self.index = index
        _, self.email, cookie, self.csrf = person
        u = urllib.parse.urlsplit(node)
        if u.hostname != "127.0.0.1":
            raise SystemExit("register: only 127.0.0.1 (got %s)" % node)
        self.conn = Connection(u.hostname, u.port, cookie)


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, max(0, math.ceil(q * len(sorted_values)) - 1))]


class Run:
    def __init__(self, clients, problems):
        self.clients = clients
        self.problems = problems
        self.latencies = []
        self.statuses = collections.Counter()
        self.placed = collections.Counter()      # session id -> places given over HTTP
        self.waitlisted = collections.Counter()
        self.ok = 0
        self.elapsed = 0.0
        self.cpu = 0.0

    def problem(self, text):
        if len(self.problems) < 30:
            self.problems.append(text)

    async def page(self, client, slug):
        """GETs the event page; True when it carries the client's own CSRF token."""
        try:
            status, _, body = await asyncio.wait_for(
                client.conn.request("GET", "/veranstaltungen/" + slug, retry=True), GET_TIMEOUT)
        except (OSError, asyncio.IncompleteReadError, ValueError, asyncio.TimeoutError) as e:
            self.problem("client %d: GET %s failed: %r" % (client.index, slug, e))
            return False
        m = CSRF_RE.search(body)
        if status != 200 or not m:
            self.problem("client %d: GET %s gave %d%s" % (client.index, slug, status,
                                                          "" if m else " without a form"))
            return False
        if html.unescape(m.group(1).decode()) != client.csrf:
            self.problem("client %d: the page's CSRF token is not its session's (not signed in?)"
                         % client.index)
            return False
        return True

    async def register(self, client, slug, session_id):
        body = urllib.parse.urlencode({"csrf": client.csrf, "sitzung": str(session_id)}).encode()
        t = time.perf_counter()
        try:
            status, headers, _ = await asyncio.wait_for(
                client.conn.request("POST", "/veranstaltungen/%s/anmelden" % slug, body),
                POST_TIMEOUT)
        except (OSError, asyncio.IncompleteReadError, ValueError, asyncio.TimeoutError) as e:
            self.statuses["error"] += 1
            self.problem("client %d: POST %s failed: %r" % (client.index, slug, e))
            return time.perf_counter()
        done = time.perf_counter()
        self.latencies.append(done - t)
        location = headers.get("location", "")
        if status == 303 and "platz_sicher" in location:
            self.placed[session_id] += 1
        elif status == 303 and "auf_warteliste" in location:
            self.waitlisted[session_id] += 1
        else:
            self.statuses["%d%s" % (status, " " + location if location else "")] += 1
            self.problem("client %d: POST %s gave %d %s" % (client.index, slug, status, location))
            return done
        self.statuses["303"] += 1
        self.ok += 1
        return done

    async def timed(self, work):
        """Runs the coroutines `work` (each awaiting the gate first) and times them from
        the gate's opening to the last response."""
        gate = asyncio.Event()

        async def behind_gate(coro_fn):
            await gate.wait()
            return await coro_fn()

        tasks = [asyncio.ensure_future(behind_gate(w)) for w in work]
        await asyncio.sleep(0.2)  # every task is waiting at the gate
        cpu0 = time.process_time()
        t0 = time.perf_counter()
        gate.set()
        ends = await asyncio.gather(*tasks)
        t1 = max(ends) if ends else t0
        self.elapsed += t1 - t0
        self.cpu += time.process_time() - cpu0
        return t1 - t0


async def rush(a, clients, sessions, run, plan):
    slugs = sorted(s for s in sessions if s.startswith(a.prefix + "-"))[:a.rounds]
    if len(slugs) < a.rounds:
        raise SystemExit("register: %d events for %d rounds" % (len(slugs), a.rounds))
    for r, slug in enumerate(slugs, 1):
        sid, capacity = sessions[slug]
        ready = await asyncio.gather(*(run.page(c, slug) for c in clients))
        if not all(ready):
            raise SystemExit("register: %d of %d clients did not get a signed-in page"
                             % (ready.count(False), len(ready)))
        ok0, n0 = run.ok, len(run.latencies)
        seconds = await run.timed([lambda c=c: run.register(c, slug, sid) for c in clients])
        lat = sorted(run.latencies[n0:])
        print("  round %d %s: %d registrations in %.2f s = %.1f/s, p50 %.1f ms, p99 %.1f ms, "
              "places %d of %d, waitlist %d"
              % (r, slug, run.ok - ok0, seconds, (run.ok - ok0) / seconds if seconds else 0,
                 percentile(lat, 0.5) * 1000, percentile(lat, 0.99) * 1000, run.placed[sid],
                 capacity, run.waitlisted[sid]))
        plan.append((sid, capacity, len(clients)))


async def spread(a, clients, sessions, run, plan):
    slugs = sorted(s for s in sessions if s.startswith(a.prefix + "-"))
    m = len(slugs)
    if m < a.each:
        raise SystemExit("register: %d events for %d registrations each" % (m, a.each))
    stride = m // a.each
    share = collections.Counter()
    jobs = []
    for c in clients:
        mine = [slugs[(c.index + j * stride) % m] for j in range(a.each)]
        for s in mine:
            share[s] += 1
        jobs.append((c, mine))
    ready = await asyncio.gather(*(run.page(c, mine[0]) for c, mine in jobs))
    if not all(ready):
        raise SystemExit("register: %d of %d clients did not get a signed-in page"
                         % (ready.count(False), len(ready)))

    async def one_client(c, mine):
        end = time.perf_counter()
        for s in mine:
            end = await run.register(c, s, sessions[s][0])
        return end

    await run.timed([lambda c=c, mine=mine: one_client(c, mine) for c, mine in jobs])
    for s in slugs:
        sid, capacity = sessions[s]
        plan.append((sid, capacity, share[s]))


async def run_main(a):
    nodes = [n for n in a.nodes.split(",") if n]
    people = [l.split() for l in open(a.people) if l.strip()]
    if a.clients:
        people = people[:a.clients]
    sessions = {}
    for line in open(a.sessions):
        if line.strip():
            slug, sid, capacity = line.strip().split("|")
            sessions[slug] = (int(sid), int(capacity))
    clients = [Client(i, p, nodes[i % len(nodes)]) for i, p in enumerate(people)]
    problems = []
    run = Run(clients, problems)
    plan = []
    try:
        if a.mode == "rush":
            await rush(a, clients, sessions, run, plan)
        else:
            await spread(a, clients, sessions, run, plan)
    finally:
        await asyncio.gather(*(c.conn.close() for c in clients), return_exceptions=True)
    with open(a.plan, "w") as f:
        for sid, capacity, n in plan:
            f.write("%d %d %d\n" % (sid, capacity, n))
    expected = sum(n for _, _, n in plan)
    lat = sorted(run.latencies)
    # What the answers said must already add up: min(capacity, people) places per session.
    wrong = [(sid, run.placed[sid], min(cap, n)) for sid, cap, n in plan
             if run.placed[sid] != min(cap, n)]
    for sid, got, want in wrong[:5]:
        problems.append("session %d: %d answers said platz_sicher, expected %d" % (sid, got, want))
    status = " ".join("%s:%d" % kv for kv in sorted(run.statuses.items()))
    print("result %s: mode %s nodes %d clients %d registrations %d of %d seconds %.2f rate %.1f "
          "p50_ms %.1f p99_ms %.1f max_ms %.1f places %d waitlist %d failed %d client_cpu %.2f "
          "statuses %s"
          % (a.tag, a.mode, len(nodes), len(clients), run.ok, expected, run.elapsed,
             run.ok / run.elapsed if run.elapsed else 0, percentile(lat, 0.5) * 1000,
             percentile(lat, 0.99) * 1000, (lat[-1] if lat else float("nan")) * 1000,
             sum(run.placed.values()), sum(run.waitlisted.values()), expected - run.ok,
             run.cpu / run.elapsed if run.elapsed else 0, status))
    for p in problems[:20]:
        print("  problem: " + p)
    return 0


def check_main(a):
    """Compares the rows of every planned session with the plan; prints one line."""
    plan = {}
    for line in open(a.plan):
        if line.strip():
            sid, capacity, n = map(int, line.split())
            plan[sid] = (capacity, n)
    rows = {}
    for line in open(a.rows):
        if line.strip():
            v = [int(x) for x in line.strip().split("|")]
            rows[v[0]] = v[1:]
    bad = []
    totals = collections.Counter()
    for sid, (capacity, n) in plan.items():
        if sid not in rows:
            bad.append("session %d: no row" % sid)
            continue
        cap, confirmed, waitlist_next, n_confirmed, n_waitlisted, n_positions, n_other = rows[sid]
        want = min(capacity, n)
        totals["confirmed"] += n_confirmed
        totals["waitlisted"] += n_waitlisted
        totals["other"] += n_other
        if cap != capacity or confirmed != want or n_confirmed != want:
            bad.append("session %d: capacity %d, counter %d, %d confirmed rows; expected %d"
                       % (sid, cap, confirmed, n_confirmed, want))
        if n_waitlisted != n - want or n_positions != n_waitlisted or waitlist_next != n_waitlisted:
            bad.append("session %d: %d waitlisted rows, %d distinct positions, waitlist_next %d; "
                       "expected %d" % (sid, n_waitlisted, n_positions, waitlist_next, n - want))
        if n_other:
            bad.append("session %d: %d registrations neither confirmed nor waitlisted"
                       % (sid, n_other))
    want_confirmed = sum(min(c, n) for c, n in plan.values())
    want_waitlisted = sum(n for _, n in plan.values()) - want_confirmed
    print("check %s: %d sessions, confirmed %d (expected %d), waitlisted %d (expected %d), "
          "other %d, %s"
          % (a.tag, len(plan), totals["confirmed"], want_confirmed, totals["waitlisted"],
             want_waitlisted, totals["other"], "OK" if not bad else "WRONG (%d)" % len(bad)))
    for b in bad[:10]:
        print("  problem: " + b)
    return 0 if not bad else 1


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("--nodes", required=True)
    r.add_argument("--people", required=True)
    r.add_argument("--sessions", required=True)
    r.add_argument("--mode", choices=("rush", "spread"), required=True)
    r.add_argument("--prefix", required=True)
    r.add_argument("--clients", type=int, default=0, help="0: everyone in PEOPLE")
    r.add_argument("--rounds", type=int, default=3)
    r.add_argument("--each", type=int, default=3)
    r.add_argument("--plan", required=True)
    r.add_argument("--tag", default="")
    c = sub.add_parser("check")
    c.add_argument("--plan", required=True)
    c.add_argument("--rows", required=True)
    c.add_argument("--tag", default="")
    a = ap.parse_args()
    if a.command == "check":
        return check_main(a)
    return asyncio.run(run_main(a))


if __name__ == "__main__":
    sys.exit(main())
