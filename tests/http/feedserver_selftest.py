"""Self-test of feedserver.py (not collected by ctest: the name does not match test_*.py).

    cd tests/http && /usr/bin/python3 feedserver_selftest.py
"""

import email.utils
import gzip
import http.client
import io
import json
import socket
import struct
import sys
import threading
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET
import zlib

from feedserver import MIB, GIB, Canary, FeedServer, ipv6_loopback_available


def get(srv, path, headers=None, method="GET", timeout=5.0):
    """(status, headers, body) for one request on a fresh connection."""
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=timeout)
    try:
        c.request(method, path, headers=headers or {})
        r = c.getresponse()
        return r.status, r.headers, r.read()
    finally:
        c.close()


def open_response(srv, path, timeout=5.0):
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=timeout)
    c.request("GET", path)
    return c, c.getresponse()


def raw_head(port, path, timeout=5.0):
    """Sends a GET on a raw socket; returns (socket, header bytes, body bytes read so far)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(b"GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % path.encode())
    data = b""
    while b"\r\n\r\n" not in data:
        b = s.recv(65536)
        if not b:
            break
        data += b
    head, _, rest = data.partition(b"\r\n\r\n")
    return s, head, rest


class FeedServerSelfTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = FeedServer()
        cls.canary = Canary()

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()
        cls.canary.close()

    def tearDown(self):
        self.assertEqual(self.srv.errors, [])

    # -- good feeds and images ------------------------------------------------------

    def test_good_rss(self):
        st, h, body = get(self.srv, "/good/rss")
        self.assertEqual(st, 200)
        self.assertTrue(h["Content-Type"].startswith("application/rss+xml"))
        self.assertEqual(int(h["Content-Length"]), len(body))
        root = ET.fromstring(body)
        items = root.findall("channel/item")
        self.assertEqual(len(items), 3)
        for it in items:
            for tag in ("guid", "link", "pubDate", "title"):
                self.assertTrue(it.findtext(tag), tag)
            email.utils.parsedate_to_datetime(it.findtext("pubDate"))
        self.assertEqual(items[0].find("enclosure").get("url"), self.srv.url("/img/a.jpg"))
        self.assertIn("#Ehrenamt", body.decode())
        self.assertIn("für", body.decode())

    def test_good_atom(self):
        st, h, body = get(self.srv, "/good/atom")
        self.assertEqual(st, 200)
        self.assertTrue(h["Content-Type"].startswith("application/atom+xml"))
        ns = {"a": "http://www.w3.org/2005/Atom"}
        entries = ET.fromstring(body).findall("a:entry", ns)
        self.assertEqual(len(entries), 3)
        for e in entries:
            self.assertTrue(e.findtext("a:id", None, ns))
            self.assertTrue(e.findtext("a:published", None, ns))
        enc = [l.get("href") for l in entries[0].findall("a:link", ns) if l.get("rel") == "enclosure"]
        self.assertEqual(enc, [self.srv.url("/img/a.jpg")])

    def test_good_json(self):
        st, h, body = get(self.srv, "/good/json")
        self.assertEqual(st, 200)
        self.assertEqual(h["Content-Type"], "application/feed+json")
        feed = json.loads(body)
        self.assertEqual(feed["version"], "https://jsonfeed.org/version/1.1")
        self.assertEqual(len(feed["items"]), 3)
        self.assertEqual(feed["items"][0]["image"], self.srv.url("/img/a.jpg"))
        for it in feed["items"]:
            self.assertTrue(it["id"] and it["url"] and it["date_published"])
        self.assertIn("#Ehrenamt", feed["items"][0]["content_text"])

    def test_good_rdf(self):
        st, h, body = get(self.srv, "/good/rdf")
        self.assertEqual(st, 200)
        root = ET.fromstring(body)
        self.assertEqual(root.tag, "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF")
        items = root.findall("{http://purl.org/rss/1.0/}item")
        self.assertEqual(len(items), 2)
        self.assertIn(self.srv.url("/img/a.jpg"), body.decode())

    def test_images(self):
        st, h, png = get(self.srv, "/img/b.png")
        self.assertEqual((st, h["Content-Type"]), (200, "image/png"))
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        pos, idat = 8, b""
        while pos < len(png):  # every chunk CRC is right, IDAT inflates to 16x(1+16*3)
            n, = struct.unpack(">I", png[pos:pos + 4])
            kind, data = png[pos + 4:pos + 8], png[pos + 8:pos + 8 + n]
            crc, = struct.unpack(">I", png[pos + 8 + n:pos + 12 + n])
            self.assertEqual(crc, zlib.crc32(kind + data))
            if kind == b"IDAT":
                idat += data
            pos += 12 + n
        self.assertEqual(len(zlib.decompress(idat)), 16 * (1 + 16 * 3))
        st, h, jpg = get(self.srv, "/img/a.jpg")
        self.assertEqual((st, h["Content-Type"]), (200, "image/jpeg"))
        self.assertEqual(jpg[:2], b"\xff\xd8")
        self.assertEqual(jpg[-2:], b"\xff\xd9")
        markers, pos = [], 2
        while True:  # walk the segments up to the scan
            self.assertEqual(jpg[pos], 0xFF)
            m = jpg[pos + 1]
            markers.append(m)
            n, = struct.unpack(">H", jpg[pos + 2:pos + 4])
            pos += 2 + n
            if m == 0xDA:
                break
        self.assertEqual(markers, [0xE0, 0xDB, 0xC0, 0xC4, 0xDA])

    def test_head(self):
        st, h, body = get(self.srv, "/good/rss", method="HEAD")
        self.assertEqual(st, 200)
        self.assertEqual(body, b"")
        self.assertEqual(int(h["Content-Length"]), len(self.srv.good_rss))

    # -- caching and limits -----------------------------------------------------------

    def test_conditional(self):
        st, h, body = get(self.srv, "/conditional/rss")
        self.assertEqual(st, 200)
        self.assertEqual(h["ETag"], '"v1"')
        lm = h["Last-Modified"]
        self.assertTrue(lm and body)
        st, h2, body = get(self.srv, "/conditional/rss", {"If-None-Match": '"v1"'})
        self.assertEqual((st, body), (304, b""))
        self.assertEqual(h2["ETag"], '"v1"')
        st, _, body = get(self.srv, "/conditional/rss", {"If-Modified-Since": lm})
        self.assertEqual((st, body), (304, b""))
        st, _, body = get(self.srv, "/conditional/rss", {"If-None-Match": '"v0"'})
        self.assertEqual(st, 200)
        st, _, _ = get(self.srv, "/conditional/rss",
                       {"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})
        self.assertEqual(st, 200)
        reqs = self.srv.requests("/conditional/rss")
        self.assertEqual(len(reqs), 5)
        self.assertEqual(reqs[1][0], "GET")
        self.assertEqual(reqs[1][1]["if-none-match"], '"v1"')
        self.assertNotIn("If-None-Match", reqs[0][1])

    def test_ratelimit(self):
        st, h, _ = get(self.srv, "/ratelimit/rss")
        self.assertEqual((st, h["Retry-After"]), (429, "120"))
        st, h, _ = get(self.srv, "/ratelimit/date")
        self.assertEqual(st, 503)
        when = email.utils.parsedate_to_datetime(h["Retry-After"]).timestamp()
        self.assertAlmostEqual(when - time.time(), 3600, delta=60)

    def test_cache(self):
        st, h, body = get(self.srv, "/cache/rss")
        self.assertEqual((st, h["Cache-Control"]), (200, "max-age=7200"))
        self.assertEqual(ET.fromstring(body).findtext("channel/ttl"), "180")

    # -- redirects --------------------------------------------------------------------

    def follow(self, path, limit=20):
        hops = 0
        while True:
            st, h, body = get(self.srv, path)
            if st not in (301, 302, 303, 307, 308):
                return hops, st, body
            hops += 1
            self.assertLessEqual(hops, limit)
            loc = urllib.parse.urlsplit(h["Location"])
            self.assertEqual(loc.port, self.srv.port)
            path = loc.path

    def test_redirect_chain(self):
        self.assertEqual(self.follow("/redirect/chain/5"), (5, 200, self.srv.good_rss))
        self.assertEqual(self.follow("/redirect/chain/6"), (6, 200, self.srv.good_rss))
        self.assertEqual(self.srv.hits("/redirect/chain/0"), 2)
        self.assertEqual(self.srv.hits("/redirect/chain/6"), 1)

    def test_redirect_loop(self):
        st, h, _ = get(self.srv, "/redirect/loop")
        self.assertEqual((st, h["Location"]), (302, self.srv.url("/redirect/loop")))
        st, _, _ = get(self.srv, "/redirect/loop?code=308")
        self.assertEqual(st, 308)

    def test_redirect_to(self):
        p = self.canary.port
        targets = ["http://127.0.0.1:%d/" % p, "http://10.0.0.1/",
                   "http://169.254.169.254/latest/meta-data/", "http://[::1]:%d/" % p,
                   "http://[::ffff:127.0.0.1]:%d/" % p, "http://2130706433:%d/" % p,
                   "http://0x7f000001:%d/" % p, "http://0177.0.0.1:%d/" % p,
                   "http://127.1:%d/" % p, "file:///etc/passwd", "gopher://127.0.0.1:%d/" % p,
                   "ftp://127.0.0.1/pub/x?a=1&b=2"]
        for t in targets:
            st, h, _ = get(self.srv, urllib.parse.urlsplit(self.srv.redirect_url(t)).path
                           + "?" + urllib.parse.urlsplit(self.srv.redirect_url(t)).query)
            self.assertEqual((st, h["Location"]), (302, t))
        for code in (301, 302, 303, 307, 308):
            st, h, _ = get(self.srv, "/redirect/to?target=http://10.0.0.1/&code=%d" % code)
            self.assertEqual((st, h["Location"]), (code, "http://10.0.0.1/"))
        self.assertEqual(get(self.srv, "/redirect/to")[0], 400)
        self.assertEqual(get(self.srv, "/redirect/to?target=x&code=200")[0], 400)
        self.assertEqual(self.canary.connections(), 0)  # redirects alone connect nowhere

    # -- slow and big -----------------------------------------------------------------

    def test_slow_drip(self):
        c, r = open_response(self.srv, "/slow/drip", timeout=5)
        try:
            self.assertEqual(r.status, 200)
            self.assertEqual(r.headers["Content-Length"], "30")
            t = time.monotonic()
            self.assertEqual(r.read(1), b"<")
            self.assertLess(time.monotonic() - t, 1.0)
            c.sock.settimeout(0.5)
            with self.assertRaises(socket.timeout):
                r.read(1)  # the next byte is 2 s away
        finally:
            c.close()

    def test_slow_headers(self):
        s = socket.create_connection(("127.0.0.1", self.srv.port), timeout=1.0)
        try:
            s.sendall(b"GET /slow/headers HTTP/1.1\r\nHost: x\r\n\r\n")
            with self.assertRaises(socket.timeout):
                s.recv(1)
        finally:
            s.close()

    def test_big_content_length(self):
        c, r = open_response(self.srv, "/big/50mib")
        try:
            self.assertEqual(r.status, 200)
            self.assertEqual(int(r.headers["Content-Length"]), 50 * MIB)
            self.assertTrue(r.read(65536).startswith(b"<?xml"))
        finally:
            c.close()  # hang up mid-stream

    def test_big_chunked(self):
        c, r = open_response(self.srv, "/big/chunked")
        try:
            self.assertEqual(r.status, 200)
            self.assertEqual(r.headers["Transfer-Encoding"], "chunked")
            self.assertIsNone(r.headers["Content-Length"])
            self.assertTrue(r.read(65536).startswith(b"<?xml"))
        finally:
            c.close()

    def test_big_chunked_complete(self):
        c, r = open_response(self.srv, "/big/chunked", timeout=20)
        try:
            total = 0
            while True:
                b = r.read(4 * MIB)
                if not b:
                    break
                total += len(b)
                last = b
            self.assertEqual(total, 50 * MIB)
            self.assertTrue(last.endswith(b"</rss>\n"))
        finally:
            c.close()

    def test_lying_length(self):
        s, head, rest = raw_head(self.srv.port, "/big/lying-length")
        try:
            self.assertIn(b"\r\nContent-Length: 100\r\n", head)
            got = len(rest)
            while got < MIB:
                b = s.recv(65536)
                if not b:
                    break
                got += len(b)
            self.assertGreaterEqual(got, MIB)  # far more than the 100 announced
        finally:
            s.close()

    # -- gzip ---------------------------------------------------------------------------

    def test_gzip_good(self):
        st, h, body = get(self.srv, "/gzip/good")
        self.assertEqual((st, h["Content-Encoding"]), (200, "gzip"))
        self.assertEqual(gzip.decompress(body), self.srv.good_rss)

    def test_gzip_bomb(self):
        st, h, body = get(self.srv, "/gzip/bomb", timeout=10)
        self.assertEqual((st, h["Content-Encoding"]), (200, "gzip"))
        self.assertEqual(int(h["Content-Length"]), len(body))
        self.assertLess(len(body), 2 * MIB)
        # Inflate all of it in bounded pieces: ~1 GiB, a valid gzip member (CRC, size).
        d = zlib.decompressobj(31)
        total, first, last, data = 0, None, b"", body
        while data or not d.eof:
            out = d.decompress(data, 64 * MIB)
            data = d.unconsumed_tail
            if first is None:
                first = out[:100]
            if out:
                last = out[-100:]
                total += len(out)
            elif not data:
                out = d.flush()
                total += len(out)
                break
        self.assertTrue(d.eof)
        self.assertGreaterEqual(total, GIB)
        self.assertTrue(first.startswith(b"<?xml"))
        self.assertTrue(last.endswith(b"</rss>\n"))

    # -- entities and broken documents ----------------------------------------------------

    def test_xxe(self):
        st, _, body = get(self.srv, "/xxe/file")
        self.assertEqual(st, 200)
        self.assertIn(b'<!ENTITY xxe SYSTEM "file:///etc/passwd">', body)
        self.assertIn(b"&xxe;", body)
        self.srv.canary_port = self.canary.port
        try:
            _, _, body = get(self.srv, "/xxe/http")
            self.assertIn(b'SYSTEM "http://127.0.0.1:%d/"' % self.canary.port, body)
            self.assertIn(b"&xxe;", body)
            _, _, body = get(self.srv, "/xxe/parameter")
            self.assertIn(b'<!ENTITY %% p SYSTEM "http://127.0.0.1:%d/x.dtd"> %%p;'
                          % self.canary.port, body)
        finally:
            self.srv.canary_port = None
        _, _, body = get(self.srv, "/xxe/http")
        self.assertIn(b"http://127.0.0.1:%d/" % self.srv.port, body)

    def test_entity_bombs(self):
        _, _, body = get(self.srv, "/bomb/laughs")
        self.assertIn(b'<!ENTITY lol9 "' + b"&lol8;" * 10 + b'">', body)
        self.assertIn(b"<title>&lol9;</title>", body)
        _, _, body = get(self.srv, "/bomb/quadratic")
        self.assertIn(b'<!ENTITY a "' + b"a" * 102400 + b'">', body)
        self.assertEqual(body.count(b"&a;"), 10000)

    def test_broken(self):
        st, _, body = get(self.srv, "/broken/xml")
        self.assertEqual(st, 200)
        with self.assertRaises(ET.ParseError):
            ET.fromstring(body)
        self.assertEqual(body.count(b"</item>"), 2)
        self.assertIn(b"Kaffee & Kuchen", body)
        st, h, body = get(self.srv, "/broken/encoding")
        self.assertIn(b'encoding="ISO-8859-1"', body)
        self.assertIn("Grüße", body.decode("utf-8"))
        st, h, body = get(self.srv, "/broken/notfeed")
        self.assertTrue(h["Content-Type"].startswith("text/html"))
        self.assertNotIn(b"alternate", body)
        st, h, body = get(self.srv, "/broken/empty")
        self.assertEqual((st, h["Content-Length"], body), (200, "0", b""))
        st, h, body = get(self.srv, "/broken/binary")
        self.assertEqual((st, h["Content-Type"], len(body)), (200, "application/rss+xml", 4096))

    def test_html_with_link(self):
        st, h, body = get(self.srv, "/html/with-link")
        self.assertTrue(h["Content-Type"].startswith("text/html"))
        self.assertIn(b'<link rel="alternate" type="application/rss+xml"', body)
        self.assertIn(b'href="/good/rss"', body)

    def test_status(self):
        for code in (404, 410, 500):
            self.assertEqual(get(self.srv, "/status/%d" % code)[0], code)
        self.assertEqual(get(self.srv, "/nowhere")[0], 404)

    # -- bookkeeping ----------------------------------------------------------------------

    def test_count_and_set(self):
        self.assertEqual(self.srv.hits("/count/rss"), 0)
        get(self.srv, "/count/rss")
        get(self.srv, "/count/rss?x=1")
        self.assertEqual(self.srv.hits("/count/rss"), 2)
        self.srv.set("/custom/feed", body="<rss/>", headers={"ETag": '"c1"'})
        st, h, body = get(self.srv, "/custom/feed")
        self.assertEqual((st, body, h["ETag"]), (200, b"<rss/>", '"c1"'))
        self.srv.set("/custom/feed", body=b"weg", content_type="text/plain", status=410)
        st, h, body = get(self.srv, "/custom/feed")
        self.assertEqual((st, body, h["Content-Type"]), (410, b"weg", "text/plain"))
        self.srv.set("/good/atom", body=b"ersetzt")
        self.assertEqual(get(self.srv, "/good/atom")[2], b"ersetzt")
        self.srv.unset("/good/atom")
        self.assertEqual(get(self.srv, "/good/atom")[2], self.srv.body("/good/atom"))

    def test_keep_alive(self):
        c = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=5)
        try:
            for path in ("/good/rss", "/status/404", "/redirect/chain/1", "/conditional/rss"):
                c.request("GET", path, headers={"If-None-Match": '"v1"'})
                r = c.getresponse()
                r.read()
            self.assertEqual(r.status, 304)
        finally:
            c.close()

    def test_max_concurrent(self):
        results = [None] * 3

        def fetch(i):
            results[i] = get(self.srv, "/concurrency/%d" % i)[0]

        t0 = time.monotonic()
        threads = [threading.Thread(target=fetch, args=(i,)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertLess(time.monotonic() - t0, 2.5)
        self.assertEqual(results, [200, 200, 200])
        self.assertEqual(self.srv.max_concurrent("/concurrency/"), 3)
        self.assertEqual(self.srv.in_flight("/concurrency/"), 0)

    def test_sequential_is_not_concurrent(self):
        self.srv.set("/seq/feed", body=self.srv.good_rss)
        c = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=5)
        try:
            for _ in range(30):
                c.request("GET", "/seq/feed")
                c.getresponse().read()
        finally:
            c.close()
        for _ in range(30):
            get(self.srv, "/seq/feed")
        self.assertEqual(self.srv.hits("/seq/feed"), 60)
        self.assertEqual(self.srv.max_concurrent("/seq/"), 1)

    def test_canary(self):
        with Canary() as c:
            self.assertEqual(c.connections(), 0)
            socket.create_connection(("127.0.0.1", c.port), timeout=2).close()
            s = socket.create_connection(("127.0.0.1", c.port), timeout=2)
            s.sendall(b"GET / HTTP/1.1\r\n\r\n")
            self.assertEqual(s.recv(10), b"")  # closed after reading
            s.close()
            self.assertEqual(c.wait_for(2), 2)
            time.sleep(0.05)
            self.assertIn(b"GET / HTTP/1.1\r\n\r\n", c.received)

    @unittest.skipUnless(ipv6_loopback_available(), "no IPv6 loopback")
    def test_canary_ipv6(self):
        with Canary(host="::1") as c:
            socket.create_connection(("::1", c.port), timeout=2).close()
            self.assertEqual(c.wait_for(1), 1)
            self.assertEqual(c.url, "http://[::1]:%d/" % c.port)

    def test_disconnects_are_quiet(self):
        old, sys.stderr = sys.stderr, io.StringIO()
        try:
            for path in ("/big/50mib", "/big/chunked", "/big/lying-length", "/gzip/bomb"):
                s, _, _ = raw_head(self.srv.port, path)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                s.close()  # RST
            s = socket.create_connection(("127.0.0.1", self.srv.port))
            s.sendall(b"GET /slow/drip HTTP/1.1\r\nHost: x\r\n\r\n")
            s.recv(100)
            s.close()
            time.sleep(0.3)
            self.assertEqual(get(self.srv, "/good/rss")[0], 200)
            noise = sys.stderr.getvalue()
        finally:
            sys.stderr = old
        self.assertEqual(noise, "")

    def test_close_is_prompt(self):
        srv = FeedServer()
        done = []

        def slow(path):
            try:
                get(srv, path, timeout=30)
            except (OSError, http.client.HTTPException) as e:
                done.append((path, type(e).__name__))
            else:
                done.append((path, "ok"))

        threads = [threading.Thread(target=slow, args=(p,))
                   for p in ("/slow/headers", "/slow/drip", "/concurrency/1")]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 2
        while srv.in_flight() < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertEqual(srv.in_flight(), 3)
        t0 = time.monotonic()
        srv.close()
        self.assertLess(time.monotonic() - t0, 1.0)
        for t in threads:
            t.join(2)
        self.assertEqual(len(done), 3)
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", srv.port), timeout=1)
        self.assertEqual(srv.errors, [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
