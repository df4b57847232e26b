"""The Social Wall's feeds over the real binary: `verbund feeds parse` reads RSS, Atom and
JSON Feed and refuses entity declarations at once; `verbund feeds check` fetches behind
the SSRF guard (redirect limits, body cap also after gzip, timeouts, no internal
address by any spelling or redirect, no other scheme); `sources add` and `feeds fetch
--once` store posts, send validators back, honour Retry-After and max-age, follow edits
and tombstones, count failures, fetch images and keep to the per-host limit; the wall
pages, its filters, paging, live count and feeds out; the organisation admins'
channels page and direct posts.

Every fetch goes to tests/http/feedserver.py on loopback, allowed with
--set feeds.allow_private=127.0.0.1/32 where a test says so; nothing needs the
internet. The CLI always runs with the server's own settings (server.cli), so that on
PostgreSQL (VERBUND_TEST_DATABASE=postgres) it writes the database the server reads.
"""

import concurrent.futures
import email.utils
import html
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import uuid
import xml.etree.ElementTree as ET

from feedserver import Canary, FeedServer, ipv6_loopback_available, make_png
from harness import (Client, Server, ServerTestCase, child_env, csrf, run_cli,
                     signed_in_client, unique_email, wait_for_binary)
from test_images import multipart, png

ALLOW_LOCAL = {"feeds.allow_private": "127.0.0.1/32"}
ATOM_NS = "{http://www.w3.org/2005/Atom}"
MIB = 1024 * 1024
STATS_RE = re.compile(r"fetched (\d+) sources in \S+ s: (\d+) new content, (\d+) not modified, "
                      r"(\d+) failed; (\d+) new posts, (\d+) updated, (\d+) images")
SOURCE_RE = re.compile(r"^source (\d+): (\S+) \((\w+), (\w+)\)", re.M)
FAR_FUTURE = 4102444800  # 2100-01-01: the demo's own sources stay out of the way


# ---------------------------------------------------------------------------------
# Small feed documents written here, so that the expected values are in this file


def _esc(s):
    return html.escape(s, quote=True)


def rss_doc(title, items):
    """RSS 2.0 of (guid, title, link, unix time, text) items."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
           "<title>%s</title><link>https://verein.example/</link>"
           "<description>Neuigkeiten</description>" % _esc(title)]
    for guid, t, link, when, text in items:
        out.append('<item><title>%s</title><link>%s</link><guid isPermaLink="false">%s</guid>'
                   "<pubDate>%s</pubDate><description>%s</description></item>"
                   % (_esc(t), _esc(link), _esc(guid), email.utils.formatdate(when, usegmt=True),
                      _esc(text)))
    out.append("</channel></rss>\n")
    return "".join(out).encode("utf-8")


def atom_doc(title, entries, deleted=()):
    """Atom 1.0 of (id, title, link, unix time, text) entries and RFC 6721 tombstones."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n'
           '<feed xmlns="http://www.w3.org/2005/Atom" '
           'xmlns:at="http://purl.org/atompub/tombstones/1.0">'
           "<id>urn:verbund-test:%s</id><title>%s</title><updated>%s</updated>"
           % (uuid.uuid4().hex, _esc(title), _iso(time.time()))]
    for ref in deleted:
        out.append('<at:deleted-entry ref="%s" when="%s"/>' % (_esc(ref), _iso(time.time())))
    for eid, t, link, when, text in entries:
        out.append('<entry><id>%s</id><title>%s</title><link rel="alternate" href="%s"/>'
                   "<published>%s</published><updated>%s</updated><summary>%s</summary></entry>"
                   % (_esc(eid), _esc(t), _esc(link), _iso(when), _iso(when), _esc(text)))
    out.append("</feed>\n")
    return "".join(out).encode("utf-8")


def _iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def error_code(stdout):
    """The CODE of 'no feed: CODE: detail' / 'not added: CODE: ...', or None."""
    m = re.search(r"^(?:no feed|not added): (\w+):", stdout, re.M)
    return m.group(1) if m else None


def peak_rss_kib(cmd):
    """Runs `cmd`; returns (CompletedProcess, its peak resident set in KiB)."""
    wait_for_binary()
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as out:
        if os.access("/usr/bin/time", os.X_OK):
            wrapped = ["/usr/bin/time", "-f", "%M", "-o", out.name] + cmd
        else:  # Debian's `time` is not installed: measure from a wrapper process
            wrapped = [sys.executable, "-c",
                       "import resource, subprocess, sys\n"
                       "r = subprocess.run(sys.argv[2:])\n"
                       "open(sys.argv[1], 'w').write(str(resource.getrusage("
                       "resource.RUSAGE_CHILDREN).ru_maxrss))\n"
                       "sys.exit(r.returncode)", out.name] + cmd
        for _ in range(20):
            r = subprocess.run(wrapped, capture_output=True, text=True, timeout=120,
                               env=child_env())
            if r.returncode not in (126, 127):  # not "binary being replaced"
                break
            time.sleep(1)
            wait_for_binary()
        lines = [l for l in open(out.name).read().split() if l.isdigit()]
        return r, int(lines[-1])


class CliMixin:
    """`verbund feeds check` in a scratch data folder (it stores nothing)."""

    @classmethod
    def make_scratch(cls):
        cls.scratch = tempfile.mkdtemp(prefix="verbund-feeds-")

    @classmethod
    def drop_scratch(cls):
        shutil.rmtree(cls.scratch, ignore_errors=True)

    def check(self, url, settings=None):
        t0 = time.monotonic()
        r = run_cli(["feeds", "check", url], data_dir=self.scratch, settings=settings)
        r.seconds = time.monotonic() - t0
        return r

    def assert_refused(self, r, code):
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertEqual(error_code(r.stdout), code, r.stdout + r.stderr)


# ---------------------------------------------------------------------------------
# 1. verbund feeds parse


class FeedParseTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="verbund-parse-")
        cls.feeds = FeedServer()  # only for its hostile documents' bytes

    @classmethod
    def tearDownClass(cls):
        cls.feeds.close()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def parse(self, name, data, base=None):
        path = os.path.join(self.dir, name)
        with open(path, "wb") as f:
            f.write(data)
        t0 = time.monotonic()
        r = run_cli(["feeds", "parse", path] + (["--base", base] if base else []))
        r.seconds = time.monotonic() - t0
        return r

    def test_rss_items_become_posts_with_links_resolved_against_the_base(self):
        doc = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Tafel Nord</title><link>https://tafel-nord.example/</link>
<description>x</description>
<item><title>Helfende &amp; Spenden gesucht</title><link>/aktuell/helfende</link>
<guid isPermaLink="false">tn-1</guid><pubDate>Tue, 02 Jul 2024 18:45:00 +0200</pubDate>
<category>Ehrenamt</category>
<description>&lt;p&gt;Wir brauchen &lt;b&gt;Unterst\xc3\xbctzung&lt;/b&gt; am Samstag. #Tafel&lt;/p&gt;</description>
<enclosure url="/bilder/ausgabe.jpg" type="image/jpeg" length="1234"/></item>
<item><title>Zweiter Beitrag</title><link>https://tafel-nord.example/aktuell/zwei</link>
<guid>https://tafel-nord.example/aktuell/zwei</guid>
<pubDate>Mon, 01 Jul 2024 08:00:00 GMT</pubDate><description>Kurz.</description></item>
</channel></rss>
"""
        r = self.parse("small.rss", doc, base="https://tafel-nord.example/feed.xml")
        self.assertEqual(r.returncode, 0, r.stderr)
        posts = json_lines(r.stdout)
        self.assertEqual(len(posts), 2, r.stdout)
        first, second = posts
        self.assertEqual(first["title"], "Helfende & Spenden gesucht")
        self.assertEqual(first["url"], "https://tafel-nord.example/aktuell/helfende")
        self.assertEqual(first["published"], "2024-07-02T16:45:00Z")  # +0200 to UTC
        self.assertEqual(first["text"], "Wir brauchen Unterstützung am Samstag. #Tafel")
        self.assertEqual(first["image"], "https://tafel-nord.example/bilder/ausgabe.jpg")
        self.assertEqual(sorted(first["tags"]), ["ehrenamt", "tafel"])  # category + hashtag
        self.assertEqual(first["guid"], "tn-1")
        self.assertEqual(second["published"], "2024-07-01T08:00:00Z")
        self.assertEqual(second["image"], "")
        self.assertEqual(second["tags"], [])

    def test_atom_entry_with_html_title_and_an_image_in_its_content(self):
        doc = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>Sportverein Süd</title>
<updated>2024-07-02T10:00:00Z</updated>
<entry><id>urn:uuid:1d6d5b84-0001</id><title type="html">Training &lt;em&gt;fällt aus&lt;/em&gt;</title>
<link rel="alternate" href="beitraege/training"/>
<published>2024-07-02T12:00:00+02:00</published><updated>2024-07-03T12:00:00+02:00</updated>
<author><name>Vorstand</name></author><category term="Sport"/>
<content type="html">&lt;p&gt;Heute kein Training.&lt;/p&gt;&lt;img src="/img/halle.png" alt="Die Halle"&gt;</content>
</entry></feed>
""".encode("utf-8")
        r = self.parse("small.atom", doc, base="https://sv-sued.example/feeds/atom.xml")
        self.assertEqual(r.returncode, 0, r.stderr)
        (post,) = json_lines(r.stdout)
        self.assertEqual(post["title"], "Training fällt aus")  # markup stripped
        self.assertEqual(post["url"], "https://sv-sued.example/feeds/beitraege/training")
        self.assertEqual(post["published"], "2024-07-02T10:00:00Z")  # published, not updated
        self.assertEqual(post["text"], "Heute kein Training.")
        self.assertEqual(post["image"], "https://sv-sued.example/img/halle.png")
        self.assertEqual(post["image_alt"], "Die Halle")
        self.assertEqual(post["author"], "Vorstand")
        self.assertEqual(post["tags"], ["sport"])
        self.assertEqual(post["guid"], "urn:uuid:1d6d5b84-0001")

    def test_json_feed_item(self):
        doc = json.dumps({
            "version": "https://jsonfeed.org/version/1.1", "title": "Jugendzentrum",
            "items": [{"id": "jz-7", "url": "https://jz.example/p/7",
                       "content_html": '<p>Offener Abend mit <a href="https://jz.example/programm">'
                                       "Programm</a> #Jugend</p>",
                       "date_published": "2024-06-30T20:15:00-01:00", "tags": ["Freizeit"],
                       "image": "https://jz.example/bild.png",
                       "authors": [{"name": "Team JZ"}]}]}).encode()
        r = self.parse("small.json", doc)
        self.assertEqual(r.returncode, 0, r.stderr)
        (post,) = json_lines(r.stdout)
        self.assertEqual(post["url"], "https://jz.example/p/7")
        self.assertEqual(post["published"], "2024-06-30T21:15:00Z")
        self.assertEqual(post["text"], "Offener Abend mit Programm #Jugend")
        self.assertEqual(post["image"], "https://jz.example/bild.png")
        self.assertEqual(sorted(post["tags"]), ["freizeit", "jugend"])
        self.assertEqual(post["author"], "Team JZ")
        self.assertEqual(post["links"], ["https://jz.example/programm"])
        self.assertEqual(post["guid"], "jz-7")

    def test_entity_declarations_are_refused_at_once(self):
        for route in ("/bomb/laughs", "/bomb/quadratic", "/xxe/file", "/xxe/parameter"):
            with self.subTest(route=route):
                r = self.parse("entities.xml", self.feeds_body(route))
                self.assertEqual(r.returncode, 1, r.stdout)
                self.assertEqual(r.stdout, "")
                self.assertIn(": entities:", r.stderr)
                self.assertLess(r.seconds, 1.0)
                self.assertNotIn("root:", r.stdout + r.stderr)  # /etc/passwd was not read

    def feeds_body(self, route):
        if route == "/xxe/parameter":  # not a static route: build the same document here
            return (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE rss [<!ENTITY % p SYSTEM '
                    b'"http://127.0.0.1:9/x.dtd"> %p;]>\n<rss version="2.0"><channel><title>P'
                    b"</title><item><title>x</title><guid>p-1</guid></item></channel></rss>\n")
        return self.feeds.body(route)

    def test_a_png_named_xml_is_no_feed(self):
        r = self.parse("bild.xml", make_png(32, 32))
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertRegex(r.stderr, r": (malformed|not_feed):")

    def test_an_empty_file_is_no_feed(self):
        r = self.parse("leer.xml", b"")
        self.assertEqual(r.returncode, 1)
        self.assertIn(": empty:", r.stderr)


# ---------------------------------------------------------------------------------
# 2. The fetch guard (verbund feeds check against the hostile feed server)


class FetchGuardTest(CliMixin, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.make_scratch()
        cls.feeds = FeedServer()
        cls.canary = Canary()
        cls.feeds.canary_port = cls.canary.port

    @classmethod
    def tearDownClass(cls):
        cls.feeds.close()
        cls.canary.close()
        cls.drop_scratch()

    def allowed(self, path, **extra):
        return self.check(self.feeds.url(path), settings=dict(ALLOW_LOCAL, **extra))

    def assert_feed(self, r, feed_url, fmt, count):
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("feed: %s (%s, " % (feed_url, fmt), r.stdout)
        self.assertIn("\nposts: %d\n" % count, r.stdout)
        return json_lines(r.stdout)

    def test_every_good_format_yields_its_posts(self):
        for path, fmt, count in (("/good/rss", "rss2", 3), ("/good/atom", "atom", 3),
                                 ("/good/json", "json", 3), ("/good/rdf", "rss1", 2)):
            with self.subTest(path=path):
                posts = self.assert_feed(self.allowed(path), self.feeds.url(path), fmt, count)
                self.assertEqual(posts[0]["title"], "Kasseler Tafel sucht Helferinnen und Helfer")
                self.assertEqual(posts[0]["published"], "2024-05-13T07:30:00Z")
                self.assertEqual(posts[0]["image"], self.feeds.url("/img/a.jpg"))
                self.assertIn("ehrenamt", posts[0]["tags"])

    def test_conditional_and_gzip_feeds_are_read(self):
        self.assert_feed(self.allowed("/conditional/rss"), self.feeds.url("/conditional/rss"),
                         "rss2", 3)
        posts = self.assert_feed(self.allowed("/gzip/good"), self.feeds.url("/gzip/good"), "rss2", 3)
        self.assertEqual(posts[1]["title"], "Sommerfest im Stadtteilzentrum Wesertor")

    def test_five_redirects_are_followed_and_six_are_too_many(self):
        self.assert_feed(self.allowed("/redirect/chain/5"), self.feeds.url("/redirect/chain/0"),
                         "rss2", 3)
        self.assert_refused(self.allowed("/redirect/chain/6"), "too_many_redirects")
        self.assertEqual(self.feeds.hits("/redirect/chain/0"), 1)  # only chain/5 got there
        before = self.feeds.hits("/redirect/loop")
        self.assert_refused(self.allowed("/redirect/loop"), "too_many_redirects")
        self.assertEqual(self.feeds.hits("/redirect/loop") - before, 6)  # 1 + 5, then stop

    def test_oversized_bodies_stop_at_the_cap_in_bounded_memory(self):
        for path in ("/big/50mib", "/big/chunked", "/gzip/bomb"):
            with self.subTest(path=path):
                t0 = time.monotonic()
                r, kib = peak_rss_kib([wait_for_binary(), "feeds", "check", self.feeds.url(path),
                                       "--data", self.scratch, "--set",
                                       "feeds.allow_private=127.0.0.1/32"])
                self.assert_refused(r, "too_big")
                self.assertLess(kib, 200 * 1024, "peak RSS %d KiB" % kib)
                self.assertLess(time.monotonic() - t0, 10)

    def test_slow_servers_time_out_within_the_total_timeout(self):
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            runs = list(pool.map(lambda p: self.allowed(p, **{"feeds.total_timeout_seconds": "4"}),
                                 ("/slow/drip", "/slow/headers")))
        for path, r in zip(("/slow/drip", "/slow/headers"), runs):
            with self.subTest(path=path):
                self.assert_refused(r, "timeout")
                self.assertLess(r.seconds, 6.0)
                self.assertGreater(r.seconds, 3.5)  # it waited for the budget, no earlier error

    def test_entities_are_refused_and_nothing_is_fetched_for_them(self):
        before = (self.feeds.hits("/"), self.feeds.hits("/x.dtd"))
        for path in ("/xxe/file", "/xxe/http", "/xxe/parameter", "/bomb/laughs",
                     "/bomb/quadratic"):
            with self.subTest(path=path):
                r = self.allowed(path)
                self.assert_refused(r, "entities")
                self.assertNotIn("root:", r.stdout)
                self.assertLess(r.seconds, 3)
        time.sleep(0.2)
        self.assertEqual(self.canary.connections(), 0)
        self.assertEqual((self.feeds.hits("/"), self.feeds.hits("/x.dtd")), before)

    def test_broken_feeds_are_recovered_where_possible(self):
        posts = self.assert_feed(self.allowed("/broken/xml"), self.feeds.url("/broken/xml"),
                                 "rss2", 2)
        self.assertEqual([p["guid"] for p in posts], ["kaffee-1", "flohmarkt-1"])
        self.assertEqual(posts[1]["title"], "Flohmarkt im Hof")

        r = self.allowed("/broken/encoding")
        posts = self.assert_feed(r, self.feeds.url("/broken/encoding"), "rss2", 1)
        self.assertIn("title: Grüße aus Göttingen\n", r.stdout)
        self.assertEqual(posts[0]["title"],
                         "Straßenfest in der Südstadt – Helfende für Aufbau gesucht")
        self.assertEqual(posts[0]["text"], "Wir freuen uns über jede Hand. #Ehrenamt")

    def test_documents_that_are_no_feed_get_their_reason(self):
        self.assert_refused(self.allowed("/broken/empty"), "empty")
        r = self.allowed("/broken/binary")
        self.assertEqual(r.returncode, 1)
        self.assertIn(error_code(r.stdout), ("not_feed", "malformed"), r.stdout)
        self.assert_refused(self.allowed("/broken/notfeed"), "no_feed")

    def test_a_website_leads_to_the_feed_it_names(self):
        self.assert_feed(self.allowed("/html/with-link"), self.feeds.url("/good/rss"), "rss2", 3)

    def test_an_error_status_is_reported_with_its_number(self):
        r = self.allowed("/status/404")
        self.assert_refused(r, "http_status")
        self.assertIn("404", r.stdout)
        r = self.allowed("/status/500")
        self.assert_refused(r, "http_status")
        self.assertIn("500", r.stdout)


# ---------------------------------------------------------------------------------
# 3. SSRF: internal addresses by any spelling, directly or behind a redirect


def can_bind(host):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.bind((host, 0))
        return True
    except OSError:
        return False


class SsrfTest(CliMixin, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not can_bind("127.0.0.2"):
            raise unittest.SkipTest("127.0.0.2 cannot be bound here")
        cls.make_scratch()
        cls.feeds = FeedServer()  # 127.0.0.1: the only allowed address
        cls.canary = Canary(host="127.0.0.2")  # loopback too, but not allowed
        cls.canary6 = Canary(host="::1") if ipv6_loopback_available() else None

    @classmethod
    def tearDownClass(cls):
        cls.feeds.close()
        cls.canary.close()
        if cls.canary6:
            cls.canary6.close()
        cls.drop_scratch()

    def connections(self):
        time.sleep(0.2)  # a connection in progress would be accepted by now
        return self.canary.connections() + (self.canary6.connections() if self.canary6 else 0)

    def test_loopback_is_refused_without_an_allow_list(self):
        r = self.check(self.feeds.url("/good/rss"))
        self.assert_refused(r, "forbidden_address")
        self.assertIn("127.0.0.1", r.stdout)
        self.assertEqual(self.feeds.hits("/good/rss"), 0)  # refused before connecting

    def test_redirects_to_internal_addresses_and_other_schemes_are_refused(self):
        p = self.canary.port
        targets = [
            ("http://127.0.0.2:%d/" % p, "forbidden_address"),
            ("http://10.0.0.1/", "forbidden_address"),
            ("http://169.254.169.254/latest/meta-data/", "forbidden_address"),
            ("http://[::ffff:127.0.0.2]:%d/" % p, "forbidden_address"),
            ("http://2130706434:%d/" % p, "forbidden_address"),  # 127.0.0.2 as a number
            ("http://0x7f000002:%d/" % p, "forbidden_address"),
            ("http://0177.0.0.2:%d/" % p, "forbidden_address"),
            ("http://127.2:%d/" % p, "forbidden_address"),
            ("http://0:%d/" % p, "forbidden_address"),
            ("//127.0.0.2:%d/" % p, "forbidden_address"),  # scheme-relative
            ("file:///etc/passwd", "forbidden_scheme"),
            ("gopher://127.0.0.2:%d/" % p, "forbidden_scheme"),
            ("dict://127.0.0.2:%d/" % p, "forbidden_scheme"),
            ("ftp://127.0.0.2/", "forbidden_scheme"),
        ]
        if self.canary6:
            targets.append(("http://[::1]:%d/" % self.canary6.port, "forbidden_address"))
        runs = 0
        for target, code in targets:
            for status in (301, 302, 307, 308):
                with self.subTest(target=target, status=status):
                    r = self.check(self.feeds.redirect_url(target, status), settings=ALLOW_LOCAL)
                    runs += 1
                    self.assert_refused(r, code)
                    self.assertNotIn("root:", r.stdout)
                    self.assertLess(r.seconds, 3)
        # Every run got its redirect from the allowed server (so the guard was tested at
        # the second hop), and not one connection reached an internal listener.
        self.assertEqual(self.feeds.hits("/redirect/to"), runs)
        self.assertEqual(self.connections(), 0)

    def test_unroutable_internal_addresses_are_refused_without_trying_them(self):
        for url in ("http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/",
                    self.feeds.redirect_url("http://10.0.0.1/feed", 302),
                    self.feeds.redirect_url("http://169.254.169.254/latest/meta-data/", 307)):
            with self.subTest(url=url):
                # A connection attempt would wait for the connect timeout (10 s).
                r = self.check(url, settings=ALLOW_LOCAL)
                self.assert_refused(r, "forbidden_address")
                self.assertLess(r.seconds, 3)

    def test_another_loopback_address_than_the_allowed_one_is_refused(self):
        r = self.check("http://127.0.0.2:%d/" % self.canary.port, settings=ALLOW_LOCAL)
        self.assert_refused(r, "forbidden_address")
        if self.canary6:
            r = self.check("http://[::1]:%d/" % self.canary6.port, settings=ALLOW_LOCAL)
            self.assert_refused(r, "forbidden_address")
        self.assertEqual(self.connections(), 0)

    def test_a_public_address_on_another_port_is_refused_before_connecting(self):
        # The guard judges the address and port before the connection is made, so
        # this needs no internet: 8080 is neither 80 nor 443.
        r = self.check("http://93.184.216.34:8080/feed")
        self.assert_refused(r, "forbidden_address")
        self.assertIn("8080", r.stdout)
        self.assertLess(r.seconds, 3)


# ---------------------------------------------------------------------------------
# 4. Ingest: sources add + feeds fetch --once on a demo data folder


class IngestTest(ServerTestCase):
    """The CLI runs with the server's settings (server.cli: same data folder and, on
    PostgreSQL, the same database); the server itself fetches nothing (feeds.workers=0)
    and only serves the media files."""

    @classmethod
    def setUpClass(cls):
        cls.feeds = FeedServer()
        cls.server = Server(settings=dict(ALLOW_LOCAL, **{"feeds.workers": "0"}))
        r = cls.server.cli("demo")
        assert r.returncode == 0, r.stdout + r.stderr
        cls.server.sql("UPDATE sources SET next_fetch_at = %d" % FAR_FUTURE)
        cls.free_orgs = cls.server.sql(
            "SELECT slug FROM organisations WHERE status = 'published' ORDER BY id").split()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.feeds.close()

    def org(self):
        """A published demo organisation of its own for each test, with an admin."""
        slug = self.free_orgs.pop()
        admin = unique_email("kanal-admin")
        self.server.add_user(admin, role="org_admin", extra=["--org", slug])
        return slug, admin

    def cli(self, *args, **extra):
        return self.server.cli(*args, settings=dict(self.server.settings, **extra))

    def add(self, slug, url):
        r = self.cli("sources", "add", slug, url)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        m = SOURCE_RE.search(r.stdout)
        self.assertIsNotNone(m, r.stdout)
        return int(m.group(1))

    def fetch(self, *source_ids, **extra):
        """Makes these sources due, runs `feeds fetch --once`, returns its figures:
        (sources, ok, not_modified, failed, new, updated, images)."""
        self.server.sql("UPDATE sources SET next_fetch_at = 0 WHERE id IN (%s)"
                        % ",".join(str(i) for i in source_ids))
        r = self.cli("feeds", "fetch", "--once", **extra)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        m = STATS_RE.search(r.stdout)
        self.assertIsNotNone(m, r.stdout)
        return tuple(int(x) for x in m.groups())

    def source(self, sid, columns):
        return self.server.sql("SELECT %s FROM sources WHERE id = %d" % (columns, sid)).split("|")

    def count(self, where):
        return int(self.server.sql("SELECT count(*) FROM posts WHERE " + where))

    def test_conditional_get_sends_the_validators_and_stores_nothing_twice(self):
        slug, _ = self.org()
        sid = self.add(slug, self.feeds.url("/conditional/rss"))
        self.assertEqual(self.count("source_id = %d" % sid), 3)
        self.assertEqual(self.source(sid, "etag, last_modified"),
                         ['"v1"', self.feeds.conditional_last_modified])

        stats = self.fetch(sid)
        self.assertEqual(stats[:6], (1, 0, 1, 0, 0, 0))
        requests = self.feeds.requests("/conditional/rss")
        self.assertEqual(len(requests), 2)
        self.assertNotIn("if-none-match", requests[0][1])
        self.assertEqual(requests[1][1].get("if-none-match"), '"v1"')
        self.assertEqual(self.source(sid, "last_result, last_status, etag, failures"),
                         ["not_modified", "304", '"v1"', "0"])
        self.assertEqual(self.count("source_id = %d" % sid), 3)
        self.assertEqual(self.count("source_id = %d AND status = 'visible'" % sid), 3)

    def test_a_source_added_twice_is_a_duplicate(self):
        slug, _ = self.org()
        self.add(slug, self.feeds.url("/good/rdf"))
        r = self.cli("sources", "add", slug, self.feeds.url("/good/rdf"))
        self.assertEqual(r.returncode, 1)
        self.assertEqual(error_code(r.stdout), "duplicate")
        self.assertEqual(self.server.sql(
            "SELECT count(*) FROM sources WHERE feed_url = '%s'" % self.feeds.url("/good/rdf")), "1")

    def test_a_source_that_drips_holds_up_only_its_own_worker(self):
        slug, _ = self.org()
        # Added while healthy, then it drips one byte every 2 s until the total timeout.
        self.feeds.set("/slow/drip", self.feeds.good_rss)
        slow = self.add(slug, self.feeds.url("/slow/drip"))
        self.feeds.unset("/slow/drip")
        fast = [self.add(slug, self.feeds.url("/good/rss?quelle=%d" % i)) for i in range(6)]
        stats = self.fetch(slow, *fast, **{"feeds.total_timeout_seconds": "5",
                                           "feeds.workers": "2"})
        self.assertEqual(stats[:4], (7, 6, 0, 1))
        slow_at = int(self.source(slow, "last_fetch_at")[0])
        self.assertEqual(self.source(slow, "last_result")[0], "timeout")
        # The other worker went through all fast sources while the slow one dripped (one
        # batch for both workers would have kept one fast source waiting the 5 s).
        for sid in fast:
            self.assertLessEqual(int(self.source(sid, "last_fetch_at")[0]), slow_at - 3, sid)

    def test_a_rate_limited_source_waits_as_long_as_it_is_told(self):
        slug, _ = self.org()
        # Added while healthy (the check would refuse a 429), then the built-in answers.
        for path in ("/ratelimit/rss", "/ratelimit/date"):
            self.feeds.set(path, self.feeds.good_rss)
        seconds_id = self.add(slug, self.feeds.url("/ratelimit/rss"))
        date_id = self.add(slug, self.feeds.url("/ratelimit/date"))
        for path in ("/ratelimit/rss", "/ratelimit/date"):
            self.feeds.unset(path)
        now = int(time.time())
        stats = self.fetch(seconds_id, date_id)
        self.assertEqual(stats[:4], (2, 0, 0, 2))
        result, status, next_at, failures = self.source(
            seconds_id, "last_result, last_status, next_fetch_at, failures")
        self.assertEqual((result, status, failures), ("rate_limited", "429", "1"))
        self.assertGreaterEqual(int(next_at), now + 120)
        # Retry-After as an HTTP-date one hour ahead: longer than any first back-off.
        result, status, next_at = self.source(date_id, "last_result, last_status, next_fetch_at")
        self.assertEqual((result, status), ("rate_limited", "503"))
        self.assertGreaterEqual(int(next_at), now + int(3600 * 0.9) - 5)

    def test_cache_control_max_age_puts_off_the_next_fetch(self):
        slug, _ = self.org()
        now = int(time.time())
        sid = self.add(slug, self.feeds.url("/cache/rss"))
        self.assertGreaterEqual(int(self.source(sid, "next_fetch_at")[0]), now + 7200 * 0.9)
        # /cache/rss has old posts (a quiet feed waits long anyway): a lively feed shows
        # that max-age is what counts. Posts an hour apart alone give ~15 minutes.
        lively = rss_doc("Lebendig", [("lv-%d" % i, "Beitrag %d" % i,
                                       "https://lebendig.example/%d" % i, now - 3600 * i,
                                       "Text %d" % i) for i in range(1, 6)])
        self.feeds.set("/cache/lively", lively, headers={"Cache-Control": "max-age=7200"})
        self.feeds.set("/cache/plain", lively.replace(b"lebendig.example", b"schlicht.example"))
        cached = self.add(slug, self.feeds.url("/cache/lively"))
        plain = self.add(slug, self.feeds.url("/cache/plain"))
        now = int(time.time())
        self.assertGreaterEqual(int(self.source(cached, "next_fetch_at")[0]), now + 7200 * 0.9)
        self.assertLess(int(self.source(plain, "next_fetch_at")[0]), now + 7200 * 0.9)
        now = int(time.time())
        self.fetch(sid, cached, plain)
        self.assertGreaterEqual(int(self.source(sid, "next_fetch_at")[0]), now + 7200 * 0.9)
        self.assertGreaterEqual(int(self.source(cached, "next_fetch_at")[0]), now + 7200 * 0.9)
        self.assertLess(int(self.source(plain, "next_fetch_at")[0]), now + 7200 * 0.9)

    def test_edits_new_entries_and_tombstones_reach_the_stored_posts(self):
        slug, _ = self.org()
        now = int(time.time())
        tag = "tag:aenderung.example,2024:"
        entries = [(tag + "a", "Erster Beitrag", "https://aenderung.example/a", now - 7200,
                    "Der erste Text."),
                   (tag + "b", "Zweiter Beitrag", "https://aenderung.example/b", now - 5400,
                    "Der zweite Text."),
                   (tag + "c", "Dritter Beitrag", "https://aenderung.example/c", now - 3600,
                    "Der dritte Text.")]
        self.feeds.set("/changing/atom", atom_doc("Änderungen", entries),
                       content_type="application/atom+xml")
        sid = self.add(slug, self.feeds.url("/changing/atom"))
        self.assertEqual(self.count("source_id = %d AND status = 'visible'" % sid), 3)

        changed = [(tag + "a", "Erster Beitrag", "https://aenderung.example/a", now - 7200,
                    "Der erste Text, jetzt mit Uhrzeit: 18 Uhr."),
                   entries[2],
                   (tag + "d", "Vierter Beitrag", "https://aenderung.example/d", now - 60,
                    "Ganz neu.")]
        self.feeds.set("/changing/atom", atom_doc("Änderungen", changed, deleted=[tag + "b"]),
                       content_type="application/atom+xml")
        stats = self.fetch(sid)
        self.assertEqual(stats[:6], (1, 1, 0, 0, 1, 1))

        def post(guid):
            return self.server.sql("SELECT body, status FROM posts WHERE source_id = %d AND "
                                   "guid = '%s'" % (sid, guid)).split("|")
        self.assertEqual(post(tag + "a"), ["Der erste Text, jetzt mit Uhrzeit: 18 Uhr.", "visible"])
        self.assertEqual(post(tag + "b"), ["Der zweite Text.", "deleted"])
        self.assertEqual(post(tag + "c"), ["Der dritte Text.", "visible"])
        self.assertEqual(post(tag + "d"), ["Ganz neu.", "visible"])
        self.assertEqual(self.count("source_id = %d" % sid), 4)

    def fail_repeatedly(self, times):
        slug, admin = self.org()
        path = "/flaky/%s" % uuid.uuid4().hex[:8]
        self.feeds.set(path, self.feeds.good_rss.replace(b"freiwillig-kassel.example",
                                                          b"flaky-%s.example" % path[-8:].encode()))
        sid = self.add(slug, self.feeds.url(path))
        self.feeds.set(path, b"Interner Fehler\n", content_type="text/plain", status=500)
        for n in range(1, times + 1):
            stats = self.fetch(sid)
            self.assertEqual(stats[:4], (1, 0, 0, 1))
            self.assertEqual(self.source(sid, "failures")[0], str(n))
        return sid, admin

    def test_a_failing_source_counts_its_failures(self):
        sid, _ = self.fail_repeatedly(5)
        self.assertEqual(self.source(sid, "last_result, last_status, failures"),
                         ["http_status", "500", "5"])
        # The posts found before stay on the wall.
        self.assertEqual(self.count("source_id = %d AND status = 'visible'" % sid), 3)

    def test_the_fifth_failure_in_a_row_mails_the_admins_once(self):
        sid, admin = self.fail_repeatedly(4)
        self.server.wait_for_outbox_worked()
        self.assertEqual(self.outbox_rows(admin), 0)  # not before the fifth
        for n in (5, 6, 7):
            self.assertEqual(self.fetch(sid)[3], 1)
            self.assertEqual(self.source(sid, "failures")[0], str(n))
        self.server.wait_for_outbox_worked()
        self.assertEqual(self.outbox_rows(admin), 1)
        mails = self.server.mails(to=admin)
        self.assertEqual(len(mails), 1, mails)
        self.assertIn("Ein Kanal Ihrer Organisation lässt sich nicht abrufen", mails[0].subject)
        url = self.server.sql("SELECT feed_url FROM sources WHERE id = %d" % sid)
        body = mails[0].body.replace("=\r\n", "")
        self.assertIn(url, body)
        self.assertIn("/kanaele#kanal-%d" % sid, body)

    def outbox_rows(self, address):
        return int(self.server.sql("SELECT count(*) FROM outbox WHERE recipient LIKE '%%%s%%'"
                                   % address))

    def test_the_first_image_of_a_post_is_fetched_and_served_from_here(self):
        slug, _ = self.org()
        sid = self.add(slug, self.feeds.url("/good/json"))
        self.assertEqual(self.server.sql(
            "SELECT image_state FROM posts WHERE source_id = %d AND guid = 'fwk-2024-1001'" % sid),
            "pending")
        hits = self.feeds.hits("/img/a.jpg")
        stats = self.fetch(sid)
        self.assertEqual(stats[6], 1)
        self.assertGreater(self.feeds.hits("/img/a.jpg"), hits)
        state, key = self.server.sql("SELECT image_state, image_key FROM posts WHERE source_id = "
                                     "%d AND guid = 'fwk-2024-1001'" % sid).split("|")
        self.assertEqual(state, "done")
        self.assertRegex(key, r"^[0-9a-f]{32}$")
        self.assertEqual(self.count("source_id = %d AND image_state = 'none'" % sid), 2)
        self.assertTrue(os.path.isfile(os.path.join(self.server.data_dir, "media",
                                                    key + "-400.jpg")))
        r = Client(self.server).get("/media/%s-400.jpg" % key)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.headers["content-type"], "image/jpeg")
        self.assertTrue(r.body_bytes.startswith(b"\xff\xd8\xff"))
        # Nothing left to do: the next run fetches the image no more.
        hits = self.feeds.hits("/img/a.jpg")
        self.assertEqual(self.fetch(sid)[6], 0)
        self.assertEqual(self.feeds.hits("/img/a.jpg"), hits)

    def test_no_more_than_per_host_requests_run_at_once(self):
        slug, _ = self.org()
        paths = ["/concurrency/%d" % n for n in range(1, 7)]
        for p in paths:  # quick while adding; the built-in route then takes a second
            self.feeds.set(p, self.feeds.good_rss)
        ids = [self.add(slug, self.feeds.url(p)) for p in paths]
        for p in paths:
            self.feeds.unset(p)
        self.feeds.reset()
        stats = self.fetch(*ids, **{"feeds.workers": "8", "feeds.per_host": "2"})
        self.assertEqual(stats[0], 6)
        self.assertEqual(stats[3], 0)
        self.assertEqual([self.feeds.hits(p) for p in paths], [1] * 6)
        self.assertEqual(self.feeds.max_concurrent("/concurrency/"), 2)


# ---------------------------------------------------------------------------------
# 5. The wall and the channels page over HTTP


def wall_ids(page):
    return [int(i) for i in re.findall(r'<li class="post-item" id="beitrag-(\d+)"', page)]


def notices(page):
    return [html.unescape(n) for n in
            re.findall(r'<p class="notice-warn" role="status">([^<]*)</p>', page)]


def field_error(page, name):
    m = re.search(r'<p class="field-error" id="%s-error">([^<]*)</p>' % name, page)
    return html.unescape(m.group(1)) if m else None


def input_value(page, name):
    m = re.search(r'<input id="%s" name="%s"[^>]*value="([^"]*)"' % (name, name), page)
    return html.unescape(m.group(1)) if m else None


class WallTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.feeds = FeedServer()
        cls.server = Server(settings=dict(ALLOW_LOCAL, **{"feeds.workers": "0"}))
        r = cls.server.cli("demo")
        assert r.returncode == 0, r.stdout + r.stderr
        cls.server.sql("UPDATE sources SET next_fetch_at = %d" % FAR_FUTURE)
        orgs = cls.server.sql("SELECT id, slug FROM organisations WHERE status = 'published' "
                              "ORDER BY id").split()
        cls.orgs = [tuple(o.split("|")) for o in orgs]
        cls.org_id, cls.slug = cls.orgs[0]
        cls.other_org_id, cls.other_slug = cls.orgs[1]
        cls.admin = unique_email("wall-admin")
        cls.server.add_user(cls.admin, role="org_admin", extra=["--org", cls.slug])
        cls.other = unique_email("other-admin")
        cls.server.add_user(cls.other, role="org_admin", extra=["--org", cls.other_slug])
        cls.viewer_email = unique_email("viewer")
        cls.server.add_user(cls.viewer_email)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.feeds.close()

    # Signed-in pages are never served from the 10-second visitors' cache, so they
    # show the database as it is now.
    def viewer(self):
        return signed_in_client(self.server, self.viewer_email)

    def admin_client(self):
        return signed_in_client(self.server, self.admin)

    @property
    def channels(self):
        return "/meine-organisationen/%s/kanaele" % self.org_id

    VISIBLE = ("SELECT p.id FROM posts p JOIN organisations o ON o.id = p.organisation_id "
               "LEFT JOIN sources s ON s.id = p.source_id WHERE p.status = 'visible' "
               "AND o.status = 'published' AND (p.source_id IS NULL OR s.blocked_reason IS NULL)")

    def expected(self, where="", limit=20):
        rows = self.server.sql(self.VISIBLE + where +
                               " ORDER BY p.sort_at DESC, p.id DESC LIMIT %d" % limit)
        return [int(x) for x in rows.split()]

    def visible_count(self, where=""):
        return len(self.expected(where, limit=100000))

    def top(self, query):
        """The most common value of a one-column query (a filter value with posts)."""
        return self.server.sql(query + " ORDER BY count(*) DESC LIMIT 1").split("|")[0]

    # -- the wall -----------------------------------------------------------------

    def test_the_wall_lists_visible_posts_newest_first(self):
        r = Client(self.server).get("/social-wall")
        self.assertEqual(r.status, 200)
        times = re.findall(r'<time datetime="([^"]+)"', r.body)
        self.assertEqual(len(wall_ids(r.body)), 20)
        self.assertEqual(times, sorted(times, reverse=True))
        held = self.expected()[0]
        self.assertEqual(wall_ids(self.viewer().get("/social-wall").body), self.expected())
        # A held post is not shown.
        try:
            self.server.sql("UPDATE posts SET status = 'held' WHERE id = %d" % held)
            page = wall_ids(self.viewer().get("/social-wall").body)
            self.assertNotIn(held, page)
            self.assertEqual(page, self.expected())
        finally:
            self.server.sql("UPDATE posts SET status = 'visible' WHERE id = %d" % held)

    def test_filters_narrow_the_wall(self):
        tag = self.top("SELECT tag FROM post_tags GROUP BY tag")
        region = self.top("SELECT r.code FROM organisations o JOIN regions r ON r.id = o.region_id "
                          "JOIN posts p ON p.organisation_id = o.id GROUP BY r.code")
        field = self.top("SELECT ff.field_key FROM organisation_fields ff JOIN posts p ON "
                         "p.organisation_id = ff.organisation_id GROUP BY ff.field_key")
        org = self.top("SELECT o.slug FROM organisations o JOIN posts p ON p.organisation_id = o.id "
                       "WHERE o.status = 'published' GROUP BY o.slug")
        self.direct_post(self.admin_client(), "Ein direkter Beitrag für den Filter #Filterprobe")
        cases = [
            ("tag=" + tag, " AND EXISTS (SELECT 1 FROM post_tags t WHERE t.post_id = p.id "
                           "AND t.tag = '%s')" % tag),
            ("quelle=mastodon", " AND s.kind = 'mastodon'"),
            ("quelle=direct", " AND p.source_id IS NULL"),
            ("landesverband=" + region, " AND o.region_id = (SELECT id FROM regions WHERE "
                                        "code = '%s')" % region),
            ("arbeitsfeld=" + field, " AND EXISTS (SELECT 1 FROM organisation_fields ff WHERE "
                                     "ff.organisation_id = o.id AND ff.field_key = '%s')" % field),
            ("organisation=" + org, " AND o.slug = '%s'" % org),
            ("quelle=mastodon&tag=" + tag, " AND s.kind = 'mastodon' AND EXISTS (SELECT 1 FROM "
                                           "post_tags t WHERE t.post_id = p.id AND t.tag = '%s')"
                                           % tag),
        ]
        total = self.visible_count()
        viewer = self.viewer()
        for query, where in cases:
            with self.subTest(query=query):
                expected = self.expected(where)
                self.assertTrue(expected, "no demo posts for " + query)
                self.assertLess(self.visible_count(where), total)
                r = viewer.get("/social-wall?" + query)
                self.assertEqual(r.status, 200)
                self.assertEqual(wall_ids(r.body), expected)
                self.assertEqual(notices(r.body), [])

    def older_link(self, page):
        m = re.search(r'<a href="([^"]+)" rel="next">', page)
        self.assertIsNotNone(m, "no link to older posts")
        return html.unescape(m.group(1))

    def test_older_pages_follow_without_overlap(self):
        viewer = self.viewer()
        first = viewer.get("/social-wall").body
        cursor = re.search(r"vor=(\d+-\d+)", self.older_link(first)).group(1)
        second = viewer.get("/social-wall?vor=" + cursor)
        self.assertEqual(second.status, 200)
        a, b = wall_ids(first), wall_ids(second.body)
        self.assertEqual(len(b), 20)
        self.assertFalse(set(a) & set(b))
        self.assertEqual(a + b, self.expected(limit=40))
        self.assertIn('href="/social-wall"', second.body)  # back to the newest
        # Paging keeps the filter.
        tag = self.top("SELECT tag FROM post_tags GROUP BY tag")
        where = (" AND EXISTS (SELECT 1 FROM post_tags t WHERE t.post_id = p.id AND t.tag = '%s')"
                 % tag)
        self.assertGreater(self.visible_count(where), 20)
        first = viewer.get("/social-wall?tag=" + tag).body
        older = self.older_link(first)
        self.assertRegex(older, r"^/social-wall\?tag=%s&vor=\d+-\d+$" % tag)
        self.assertEqual(wall_ids(first) + wall_ids(viewer.get(older).body),
                         self.expected(where, limit=40))

    def test_the_older_posts_link_of_the_whole_wall_works(self):
        viewer = self.viewer()
        older = self.older_link(viewer.get("/social-wall").body)
        r = viewer.get(older)
        self.assertEqual(r.status, 200, older)
        self.assertEqual(wall_ids(r.body), self.expected(limit=40)[20:])

    def test_the_live_update_address_of_the_wall_answers(self):
        viewer = self.viewer()
        for wall in ("/social-wall?quelle=mastodon", "/social-wall"):
            with self.subTest(wall=wall):
                m = re.search(r'data-newer-url="([^"]+)"', viewer.get(wall).body)
                self.assertIsNotNone(m)
                url = html.unescape(m.group(1))
                r = viewer.get(url)
                self.assertEqual(r.status, 200, url)
                self.assertEqual(json.loads(r.body)["count"], 0)

    def test_unknown_filter_values_are_ignored_with_a_notice(self):
        viewer = self.viewer()
        expected = self.expected()
        for query, notice in (("landesverband=zz", "Diesen Landesverband gibt es nicht"),
                              ("arbeitsfeld=gibtesnicht", "Dieses Arbeitsfeld gibt es nicht"),
                              ("quelle=fax", "Diese Quelle gibt es nicht"),
                              ("organisation=Kein%20Slug!", "Diese Organisation gibt es nicht")):
            with self.subTest(query=query):
                r = viewer.get("/social-wall?" + query)
                self.assertEqual(r.status, 200)
                self.assertEqual(notices(r.body), [notice + ". Der Filter wurde nicht angewendet."])
                self.assertEqual(wall_ids(r.body), expected)

    def test_an_organisation_that_does_not_exist_is_ignored_with_a_notice(self):
        # A well-formed address name of no organisation is an unknown filter value too.
        r = self.viewer().get("/social-wall?organisation=gibt-es-nicht-e-v")
        self.assertEqual(r.status, 200)
        self.assertEqual(notices(r.body), ["Diese Organisation gibt es nicht. Der Filter wurde "
                                           "nicht angewendet."])
        self.assertEqual(wall_ids(r.body), self.expected())

    def test_newer_posts_are_counted_for_the_live_update(self):
        newest = self.expected(limit=4)
        r = self.viewer().get("/social-wall/neu?nach=%d" % newest[3])
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers["content-type"].startswith("application/json"))
        data = json.loads(r.body)
        self.assertEqual(data["count"], 3)
        self.assertEqual(data["newest"], newest[0])
        self.assertEqual(data["text"], "3 neue Beiträge")
        self.assertEqual(wall_ids(data["html"]), newest[:3])
        data = json.loads(self.viewer().get("/social-wall/neu?nach=%d" % newest[0]).body)
        self.assertEqual((data["count"], data["newest"], data["html"]), (0, newest[0], ""))
        for bad in ("/social-wall/neu", "/social-wall/neu?nach=", "/social-wall/neu?nach=abc"):
            with self.subTest(path=bad):
                self.assertEqual(Client(self.server).get(bad).status, 400)

    def test_the_atom_feed_is_well_formed_and_has_the_newest_posts(self):
        r = Client(self.server).get("/social-wall/feed.atom")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers["content-type"].startswith("application/atom+xml"))
        root = ET.fromstring(r.body_bytes)
        self.assertEqual(root.tag, ATOM_NS + "feed")
        ids = [int(re.search(r"#beitrag-(\d+)$", e.find(ATOM_NS + "id").text).group(1))
               for e in root.findall(ATOM_NS + "entry")]
        self.assertEqual(ids, self.expected(limit=50))
        self.assertTrue(all(e.find(ATOM_NS + "updated") is not None
                            or e.find(ATOM_NS + "published") is not None
                            for e in root.findall(ATOM_NS + "entry")))
        # with a filter
        tag = self.top("SELECT tag FROM post_tags GROUP BY tag")
        root = ET.fromstring(Client(self.server).get("/social-wall/feed.atom?tag=" + tag).body_bytes)
        ids = [int(re.search(r"#beitrag-(\d+)$", e.find(ATOM_NS + "id").text).group(1))
               for e in root.findall(ATOM_NS + "entry")]
        self.assertEqual(ids, self.expected(" AND EXISTS (SELECT 1 FROM post_tags t WHERE "
                                            "t.post_id = p.id AND t.tag = '%s')" % tag, limit=50))

    def test_the_json_feed_parses_and_has_the_newest_posts(self):
        r = Client(self.server).get("/social-wall/feed.json")
        self.assertEqual(r.status, 200)
        data = json.loads(r.body)
        self.assertEqual(data["version"], "https://jsonfeed.org/version/1.1")
        ids = [int(re.search(r"#beitrag-(\d+)$", i["id"]).group(1)) for i in data["items"]]
        self.assertEqual(ids, self.expected(limit=50))

    def test_wall_redirects_permanently_keeping_the_query(self):
        r = Client(self.server).get("/wall")
        self.assertEqual((r.status, r.location), (301, "/social-wall"))
        r = Client(self.server).get("/wall?tag=ehrenamt&quelle=direct")
        self.assertEqual((r.status, r.location), (301, "/social-wall?tag=ehrenamt&quelle=direct"))

    def test_the_wall_page_names_its_atom_feed(self):
        body = Client(self.server).get("/social-wall?tag=ehrenamt").body
        head = body[:body.find("</head>")]
        self.assertRegex(head, r'<link rel="alternate" type="application/atom\+xml"[^>]*'
                               r'href="/social-wall/feed\.atom\?tag=ehrenamt"')

    # -- the channels page --------------------------------------------------------

    def add_channel(self, client, value, page=None):
        page = page or self.channels
        return client.post(page, {"csrf": client.csrf_for(page), "quelle": value})

    def test_an_admin_adds_a_feed_and_sees_it_listed(self):
        admin = self.admin_client()
        url = self.feeds.url("/good/atom")
        r = self.add_channel(admin, url)
        self.assertEqual(r.status, 303, r.body[:1000])
        m = re.match(r"^%s\?neu=(\d+)&hinweis=kanal_hinzugefuegt" % re.escape(self.channels),
                     r.location)
        self.assertIsNotNone(m, r.location)
        sid = int(m.group(1))
        self.assertEqual(self.server.sql(
            "SELECT organisation_id, feed_url, kind FROM sources WHERE id = %d" % sid),
            "%s|%s|feed" % (self.org_id, url))
        self.assertEqual(int(self.server.sql("SELECT count(*) FROM posts WHERE source_id = %d"
                                             % sid)), 3)
        page = admin.get(r.location)
        self.assertEqual(page.status, 200)
        self.assertIn('id="kanal-%d"' % sid, page.body)
        self.assertIn(url, page.body)
        self.assertIn("Das haben wir gefunden", page.body)

    def test_the_found_section_shows_the_posts_of_the_new_channel(self):
        # The organisation has newer demo posts than the feed's; "what we found" must be
        # the feed's posts all the same.
        org_id, slug = self.orgs[2]
        owner = unique_email("fund-admin")
        self.server.add_user(owner, role="org_admin", extra=["--org", slug])
        admin = signed_in_client(self.server, owner)
        old = int(time.time()) - 40 * 86400
        self.feeds.set("/fund/rss", rss_doc("Fundstücke", [
            ("fund-%d" % i, "Fundstück Nummer %d" % i, "https://fund.example/%d" % i,
             old - i * 3600, "Text %d" % i) for i in range(1, 4)]))
        page = "/meine-organisationen/%s/kanaele" % org_id
        r = self.add_channel(admin, self.feeds.url("/fund/rss"), page=page)
        self.assertEqual(r.status, 303, r.body[:1000])
        body = admin.get(r.location).body
        start = body.find('id="found-heading"')
        self.assertGreater(start, 0)
        found = body[start:body.find("</section>", start)]
        titles = [html.unescape(t) for t in
                  re.findall(r'<h3 class="post-title" lang="de">([^<]*)</h3>', found)]
        self.assertEqual(titles, ["Fundstück Nummer 1", "Fundstück Nummer 2",
                                  "Fundstück Nummer 3"])

    def test_a_closed_network_is_explained_at_the_field(self):
        admin = self.admin_client()
        before = self.server.sql("SELECT count(*) FROM sources")
        r = self.add_channel(admin, "https://www.instagram.com/verein/")
        self.assertEqual(r.status, 422)
        self.assertIn("Instagram", field_error(r.body, "quelle") or "")
        self.assertIn("gibt keinen Feed heraus", field_error(r.body, "quelle"))
        self.assertEqual(input_value(r.body, "quelle"), "https://www.instagram.com/verein/")
        self.assertIn('aria-invalid="true"', r.body)
        self.assertEqual(self.server.sql("SELECT count(*) FROM sources"), before)

    def test_an_empty_address_is_refused(self):
        r = self.add_channel(self.admin_client(), "   ")
        self.assertEqual(r.status, 422)
        self.assertEqual(field_error(r.body, "quelle"),
                         "Bitte geben Sie eine Adresse oder ein Konto an.")

    def test_an_internal_address_is_refused_where_it_is_not_allowed(self):
        strict = self.watch(Server(data_dir=self.server.data_dir,
                                   settings={"feeds.workers": "0"}))
        try:
            admin = Client(strict)
            admin.cookies = dict(self.admin_client().cookies)  # sessions live in the database
            hits = self.feeds.hits("/good/rss")
            r = self.add_channel(admin, self.feeds.url("/good/rss"))
            self.assertEqual(r.status, 422, r.body[:1000])
            self.assertIn("führt in ein internes Netz", field_error(r.body, "quelle") or "")
            self.assertEqual(input_value(r.body, "quelle"), self.feeds.url("/good/rss"))
            self.assertEqual(self.feeds.hits("/good/rss"), hits)
        finally:
            strict.close()

    def test_only_the_organisations_admins_reach_its_channels(self):
        other = signed_in_client(self.server, self.other)
        token = other.csrf_for("/meine-organisationen/%s/kanaele" % self.other_org_id)
        self.assertEqual(other.get(self.channels).status, 404)
        self.assertEqual(other.post(self.channels, {"csrf": token,
                                                    "quelle": self.feeds.url("/good/rss")}).status,
                         404)
        sid = self.server.sql("SELECT min(id) FROM sources WHERE organisation_id = %s"
                              % self.org_id)
        self.assertEqual(other.post(self.channels + "/%s/entfernen" % sid,
                                    {"csrf": token}).status, 404)
        self.assertEqual(other.post(self.channels + "/%s/pruefung" % sid,
                                    {"csrf": token, "pruefung": "vorher"}).status, 404)
        self.assertEqual(self.server.sql("SELECT moderation FROM sources WHERE id = %s" % sid),
                         "publish")
        visitor = Client(self.server).get(self.channels)
        self.assertEqual(visitor.status, 303)
        self.assertTrue(visitor.location.startswith("/anmelden"), visitor.location)

    # -- direct posts ---------------------------------------------------------------

    def direct_post(self, client, text, link="", alt="", image=None, token=None):
        token = client.csrf_for(self.channels) if token is None else token
        files = {"bild": ("foto.png", "image/png", image)} if image is not None else {}
        body, ctype = multipart({"csrf": token, "text": text, "link": link, "alt": alt}, files)
        return client.request("POST", self.channels + "/beitrag", body=body,
                              headers={"Content-Type": ctype})

    def direct_count(self):
        return int(self.server.sql("SELECT count(*) FROM posts WHERE source_id IS NULL"))

    def test_a_direct_post_with_a_hashtag_is_on_the_wall(self):
        tag = "vorlese" + uuid.uuid4().hex[:8]
        r = self.direct_post(self.admin_client(), "Wir suchen Vorlesepaten für die Bücherei! #%s"
                             % tag.capitalize(), link="www.example.org/lesen")
        self.assertEqual(r.status, 303, r.body[:1000])
        self.assertIn("hinweis=beitrag_veroeffentlicht", r.location)
        page = self.viewer().get("/social-wall?tag=" + tag).body
        ids = wall_ids(page)
        self.assertEqual(len(ids), 1)
        self.assertIn("Wir suchen Vorlesepaten für die Bücherei!", page)
        self.assertIn('href="/social-wall?tag=%s">#%s</a>' % (tag, tag), page)
        self.assertIn('href="https://www.example.org/lesen"', page)
        self.assertEqual(wall_ids(self.viewer().get("/social-wall?quelle=direct").body)[0], ids[0])
        self.assertEqual(wall_ids(self.viewer().get("/social-wall").body)[0], ids[0])

    def test_a_direct_post_without_text_keeps_the_link(self):
        before = self.direct_count()
        r = self.direct_post(self.admin_client(), "  ", link="https://www.example.org/fest")
        self.assertEqual(r.status, 422)
        self.assertEqual(field_error(r.body, "text"), "Bitte schreiben Sie einen Text.")
        self.assertEqual(input_value(r.body, "link"), "https://www.example.org/fest")
        self.assertEqual(self.direct_count(), before)

    def test_a_direct_post_with_an_image_needs_its_description(self):
        before = self.direct_count()
        media = os.path.join(self.server.data_dir, "media")
        files = sorted(os.listdir(media)) if os.path.isdir(media) else []
        r = self.direct_post(self.admin_client(), "Unser neues Plakat", image=png(800, 600))
        self.assertEqual(r.status, 422)
        self.assertIsNotNone(field_error(r.body, "alt"))
        self.assertIn("Unser neues Plakat", r.body)  # the text stays
        self.assertEqual(self.direct_count(), before)
        self.assertEqual(sorted(os.listdir(media)) if os.path.isdir(media) else [], files)

    def test_removing_a_channel_takes_its_posts_off_the_wall(self):
        admin = self.admin_client()
        now = int(time.time())
        word = uuid.uuid4().hex[:10]
        self.feeds.set("/entfernen/rss", rss_doc("Bald weg", [
            ("weg-%d" % i, "Bald weg %s %d" % (word, i), "https://weg.example/%s/%d" % (word, i),
             now - 60 * i, "Text") for i in range(1, 3)]))
        r = self.add_channel(admin, self.feeds.url("/entfernen/rss"))
        self.assertEqual(r.status, 303, r.body[:1000])
        sid = int(re.search(r"neu=(\d+)", r.location).group(1))
        wall = "/social-wall?organisation=" + self.slug
        self.assertIn("Bald weg %s 1" % word, admin.get(wall).body)
        r = admin.post(self.channels + "/%d/entfernen" % sid, {"csrf": admin.csrf_for(self.channels)})
        self.assertEqual(r.status, 303)
        self.assertIn("hinweis=kanal_entfernt", r.location)
        self.assertNotIn("Bald weg %s" % word, admin.get(wall).body)
        self.assertNotIn("Bald weg %s" % word, admin.get("/social-wall").body)
        self.assertEqual(self.server.sql("SELECT count(*) FROM sources WHERE id = %d" % sid), "0")
        self.assertEqual(self.server.sql("SELECT count(*) FROM posts WHERE source_id = %d" % sid),
                         "0")
        self.assertNotIn('id="kanal-%d"' % sid, admin.get(self.channels).body)

    def test_posts_without_the_csrf_token_are_refused(self):
        admin = self.admin_client()
        sources = self.server.sql("SELECT count(*) FROM sources")
        directs = self.direct_count()
        for token in (None, "falsch"):
            fields = {"quelle": self.feeds.url("/good/rdf")}
            if token is not None:
                fields["csrf"] = token
            self.assertEqual(admin.post(self.channels, fields).status, 403)
            self.assertEqual(self.direct_post(admin, "Ohne Token #csrf", token=token or "")
                             .status, 403)
        sid = self.server.sql("SELECT min(id) FROM sources WHERE organisation_id = %s"
                              % self.org_id)
        self.assertEqual(admin.post(self.channels + "/%s/entfernen" % sid, {}).status, 403)
        self.assertEqual(self.server.sql("SELECT count(*) FROM sources"), sources)
        self.assertEqual(self.direct_count(), directs)


if __name__ == "__main__":
    unittest.main()
