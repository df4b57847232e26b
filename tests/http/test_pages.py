"""Public pages: home and navigation, legal pages, health and metrics, static files,
error pages, security headers, language, no cookies for visitors, the directory."""

import os
import html
import re
import tempfile
import unittest

import harness
from harness import Server, ServerTestCase

NAV = [
    ("Organisationen", "Organisations", "/organisationen"),
    ("Social Wall", "Social wall", "/social-wall"),
    ("Veranstaltungen", "Events", "/veranstaltungen"),
]
# Areas still being built: not in the menu, listed as coming on the home page, and
# their addresses already answer with what will be there.
COMING = [
    ("Webzeugkoffer", "/webzeugkoffer"),
    ("Austausch", "/austausch"),
    ("Kampagnen", "/kampagnen"),
]


class PagesTest(ServerTestCase):
    """One server with 60 demo organisations for every public page."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(start=False)
        # --orgs 60: exactly 60, whatever the size of the embedded demo table
        r = cls.server.cli("demo", "--orgs", "60")
        if r.returncode != 0:
            cls.server.close()
            raise RuntimeError("verbund demo failed: %s %s" % (r.stdout, r.stderr))
        cls.demo_output = r.stdout
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def setUp(self):
        self.c = self.server.client()

    # -- security headers --------------------------------------------------------

    def assert_security_headers(self, r, what):
        csp = r.headers.get("content-security-policy", "")
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            self.assertIn(directive, csp, "%s: CSP %r" % (what, csp))
        self.assertNotIn("unsafe-inline", csp, what)
        self.assertNotIn("unsafe-eval", csp, what)
        self.assertEqual(r.headers.get("x-content-type-options"), "nosniff", what)
        self.assertEqual(r.headers.get("referrer-policy"), "same-origin", what)

    def test_security_headers_on_every_kind_of_response(self):
        css = self.css_url()
        cases = [
            ("GET", "/", None, 200),
            ("GET", "/anmelden", None, 200),
            ("GET", "/healthz", None, 200),
            ("GET", "/metrics", None, 200),
            ("GET", css, None, 200),
            ("GET", "/gibt-es-nicht", None, 404),
            ("GET", "/konto", None, 303),
            ("POST", "/", b"", 405),
            ("POST", "/anmelden", b"email=x", 403),
        ]
        for method, path, body, status in cases:
            with self.subTest(method=method, path=path):
                r = self.c.request(method, path, body=body,
                                   headers={"Content-Type": "application/x-www-form-urlencoded"}
                                   if body is not None else None)
                self.assertEqual(r.status, status)
                self.assert_security_headers(r, "%s %s" % (method, path))

    # -- home, navigation, placeholder and legal pages ------------------------------

    def test_home_has_navigation_to_every_area(self):
        r = self.c.get("/")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers["content-type"].startswith("text/html"))
        self.assertIn('<html lang="de">', r.body)
        nav = r.body[r.body.index('class="main-nav"'):]
        for label, _, path in NAV:
            self.assertRegex(nav, r'<a href="%s"[^>]*>%s</a>' % (re.escape(path),
                                                                  re.escape(label)))

    def test_areas_still_being_built_are_marked_as_coming_not_linked(self):
        body = self.c.get("/").body
        nav = body[body.index('class="main-nav"'):body.index("</nav>", body.index('class="main-nav"'))]
        soon = body[body.index('id="soon-heading"'):]
        for label, path in COMING:
            with self.subTest(path=path):
                self.assertNotIn('href="%s"' % path, body)
                self.assertNotIn(label, nav)
                self.assertIn("<strong>%s</strong>" % label, soon)
                r = self.c.get(path)
                self.assertEqual(r.status, 200)
                self.assertIn("<h1", r.body)

    def test_home_shows_the_latest_wall_posts(self):
        body = self.c.get("/").body
        section = body[body.index('id="wall-heading"'):body.index('id="soon-heading"')]
        self.assertIn("Neu auf der Social Wall", section)
        self.assertEqual(section.count('class="post-item"'), 3)
        newest = self.server.sql("SELECT body FROM posts WHERE status = 'visible' "
                                 "ORDER BY sort_at DESC, id DESC LIMIT 1")
        self.assertIn(html.escape(newest.split("\n")[0][:40], quote=False), section)
        self.assertIn('href="/social-wall"', section)

    def test_home_shows_search_counts_statements_and_the_newest(self):
        body = self.c.get("/").body
        self.assertIn('<form method="get" action="/organisationen"', body)
        self.assertIn('name="q" type="search"', body)
        regions = self.server.sql("SELECT COUNT(DISTINCT region_id) FROM organisations "
                                  "WHERE status = 'published'")
        self.assertIn("60 Organisationen in %s Landesverbänden" % regions, body)
        statements = body[body.index('id="why-heading"'):body.index('id="new-heading"')]
        self.assertEqual(statements.count("<blockquote"), 3)
        newest = self.server.sql("SELECT name FROM organisations WHERE status = 'published' "
                                 "ORDER BY COALESCE(reviewed_at, created_at) DESC, id DESC LIMIT 1")
        self.assertIn(newest, body[body.index('id="new-heading"'):])

    def test_every_area_page_answers(self):
        for label, _, path in NAV:
            with self.subTest(path=path):
                r = self.c.get(path)
                self.assertEqual(r.status, 200)
                self.assertIn("<h1", r.body)
                # the navigation marks the current area
                self.assertRegex(r.body, r'<a href="%s" aria-current="page">' % re.escape(path))

    def test_legal_pages(self):
        for path, heading in (("/impressum", "Impressum"), ("/datenschutz", "Datenschutz")):
            with self.subTest(path=path):
                r = self.c.get(path)
                self.assertEqual(r.status, 200)
                self.assertIn("<h1>%s</h1>" % heading, r.body)
            # the footer links to both on every page
            self.assertIn('href="%s"' % path, self.c.get("/").body)

    def test_healthz(self):
        r = self.c.get("/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, "ok\n")

    def test_metrics_from_loopback(self):
        self.c.get("/")
        self.c.get("/gibt-es-nicht")
        r = self.c.get("/metrics")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers["content-type"].startswith("text/plain"))
        for name in ("verbund_http_requests_total", "verbund_http_request_duration_seconds_bucket",
                     "verbund_jobs_queued"):
            self.assertRegex(r.body, r"(?m)^%s[{ ]" % name)
        self.assertRegex(r.body, r'(?m)^verbund_http_requests_total\{route="/",status="200"\} \d+')
        self.assertRegex(r.body, r'(?m)^verbund_http_requests_total\{[^}]*status="404"\} \d+')
        self.assertRegex(r.body, r'(?m)^verbund_jobs_queued \d+')

    # -- static files --------------------------------------------------------------

    def css_url(self):
        r = self.c.get("/")
        head = r.body[:r.body.index("</head>")]
        m = re.search(r'<link rel="stylesheet" href="(/static/css/site\.[0-9a-f]+\.css)">', head)
        self.assertIsNotNone(m, head)
        return m.group(1)

    def test_static_css_is_cacheable_forever(self):
        url = self.css_url()
        r = self.c.get(url)
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers["content-type"].startswith("text/css"))
        self.assertEqual(r.headers.get("cache-control"), "public, max-age=31536000, immutable")
        etag = r.headers.get("etag")
        self.assertTrue(etag and etag.startswith('"') and etag.endswith('"'), etag)
        self.assertGreater(len(r.body), 100)
        r2 = self.c.get(url, headers={"If-None-Match": etag})
        self.assertEqual(r2.status, 304)
        self.assertEqual(r2.body, "")
        self.assertEqual(r2.headers.get("etag"), etag)
        r3 = self.c.get(url, headers={"If-None-Match": '"0000"'})
        self.assertEqual(r3.status, 200)

    def test_unknown_static_file(self):
        self.assertEqual(self.c.get("/static/css/site.000000000000.css").status, 404)
        self.assertEqual(self.c.get("/static/../verbund.db").status, 404)

    # -- errors --------------------------------------------------------------------

    def test_unknown_path_is_404_page(self):
        r = self.c.get("/gibt-es-nicht")
        self.assertEqual(r.status, 404)
        self.assertTrue(r.headers["content-type"].startswith("text/html"))
        self.assertIn("Seite nicht gefunden", r.body)
        self.assertIn('<html lang="de">', r.body)

    def test_post_to_get_only_path_is_405_before_csrf(self):
        # No CSRF token at all: the method check comes first.
        for path in ("/", "/impressum", "/healthz"):
            with self.subTest(path=path):
                r = self.c.post(path, {"x": "1"})
                self.assertEqual(r.status, 405)
                self.assertEqual(r.headers.get("allow"), "GET")
        # A POST-only path answers GET with 405 and Allow: POST.
        r = self.c.get("/abmelden")
        self.assertEqual(r.status, 405)
        self.assertEqual(r.headers.get("allow"), "POST")

    def test_head_has_no_body(self):
        r = self.c.head("/impressum")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, "")
        self.assertGreater(int(r.headers["content-length"]), 0)

    # -- language ----------------------------------------------------------------

    def test_german_by_default(self):
        r = self.c.get("/")
        self.assertIn('<html lang="de">', r.body)
        self.assertIn(">Organisationen</a>", r.body)

    def test_accept_language_english(self):
        for header in ("en", "en-US,en;q=0.9", "fr-FR, en;q=0.8, de;q=0.5"):
            with self.subTest(header=header):
                r = self.c.get("/", headers={"Accept-Language": header})
                self.assertEqual(r.status, 200)
                self.assertIn('<html lang="en">', r.body)
                self.assertIn(">Organisations</a>", r.body)
                for _, english, path in NAV:
                    self.assertIn('href="%s">%s</a>' % (path, english), r.body)
        r = self.c.get("/", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})
        self.assertIn('<html lang="de">', r.body)

    def test_language_switch_sets_cookie(self):
        # The switch is a link: GET /sprache?zu=en&zurueck=PATH (no form, no CSRF).
        r = self.c.get("/")
        self.assertIn('href="/sprache?zu=en&amp;zurueck=/"', r.body)
        r = self.c.get("/sprache?zu=en&zurueck=/")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/")
        self.assertEqual(r.cookie("sprache"), "en")
        self.assertEqual(len(r.set_cookies), 1)
        self.assertIn("Path=/", r.set_cookies[0])
        # the cookie wins over Accept-Language
        r = self.c.get("/impressum", headers={"Accept-Language": "de"})
        self.assertIn('<html lang="en">', r.body)
        r = self.c.get("/sprache?zu=de&zurueck=/impressum")
        self.assertEqual(r.location, "/impressum")
        self.assertEqual(self.c.cookies.get("sprache"), "de")
        self.assertIn('<html lang="de">', self.c.get("/").body)

    def test_language_switch_rejects_bad_input(self):
        r = self.c.get("/sprache?zu=xx&zurueck=/")
        self.assertEqual(r.status, 400)
        self.assertEqual(r.set_cookies, [])
        for target in ("//evil.example/", "https://evil.example/", "/\\evil.example",
                       "/\t/evil.example", "/\n/evil.example", "\t//evil.example"):
            with self.subTest(target=target):
                r = self.c.get("/sprache?zu=en&zurueck=" + harness.urllib.parse.quote(target))
                self.assertEqual(r.status, 303)
                self.assertEqual(r.location, "/")

    # -- privacy: no cookie before sign-in ---------------------------------------------

    def test_visitors_get_no_cookie(self):
        for path in ("/", "/anmelden", "/registrieren", "/passwort-vergessen",
                     "/organisationen", "/impressum", "/gibt-es-nicht"):
            with self.subTest(path=path):
                c = self.server.client()
                r = c.get(path)
                self.assertIn(r.status, (200, 404))
                self.assertEqual(r.set_cookies, [], path)
                self.assertNotIn("set-cookie", r.headers)

    def test_visitor_forms_carry_signed_token(self):
        r = self.c.get("/registrieren")
        token = harness.csrf(r.body)
        self.assertRegex(token, r"^\d+\.[^.]+\.[^.]+$")
        self.assertEqual(r.set_cookies, [])

    # -- directory -----------------------------------------------------------------

    def test_demo_directory_first_page(self):
        self.assertIn("60 organisations, 2 applications waiting for review", self.demo_output)
        self.assertEqual(self.server.sql(
            "SELECT count(*) FROM organisations WHERE status = 'published'"), "60")
        r = self.c.get("/organisationen")
        self.assertEqual(r.status, 200)
        self.assertIn("60 Organisationen", r.body)
        self.assertEqual(r.body.count('class="card"'), 50)
        self.assertRegex(r.body, r'href="/organisationen\?[^"]*seite=2"')

    def test_demo_directory_second_page(self):
        r = self.c.get("/organisationen?seite=2")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body.count('class="card"'), 10)
        self.assertNotRegex(r.body, r'seite=3"')

    def test_directory_rejects_bad_page_numbers(self):
        for value in ("0", "abc", "-1", "1.5", "9999999"):
            with self.subTest(seite=value):
                r = self.c.get("/organisationen?seite=" + value)
                self.assertEqual(r.status, 400)
                self.assertIn("<html", r.body)

    def test_phones_get_a_filter_link_above_the_results_that_counts_active_filters(self):
        body = self.c.get("/organisationen").body
        results = body.index('id="results-heading"')
        self.assertLess(results, body.index('<p class="filter-jump"><a href="#facets-heading">Filter</a></p>'))
        self.assertLess(body.index('href="#facets-heading">Filter</a>'), body.index('class="cards"'))
        body = self.c.get("/organisationen?feld=familie&verband=he").body
        self.assertIn('href="#facets-heading">Filter (2 aktiv)</a>', body)
        self.assertIn('href="#results-heading">Zu den Ergebnissen</a>', body)

    # -- development mail folder -----------------------------------------------------

    def test_dev_mail_listed_in_dev_mode(self):
        r = self.c.get("/dev/mail")
        self.assertEqual(r.status, 200)
        self.assertIn('href="/dev/mail"', self.c.get("/impressum").body)


class DemoCommandTest(ServerTestCase):
    """`verbund demo` without options loads the documented 60 organisations."""

    def test_demo_loads_sixty_organisations(self):
        with Server(start=False) as s:
            r = s.cli("demo")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("60 organisations", r.stdout)
            self.assertEqual(s.sql("SELECT count(*) FROM organisations "
                                   "WHERE status = 'published'"), "60")
            # a second run refuses (not empty); --if-empty succeeds without loading
            r2 = s.cli("demo")
            self.assertNotEqual(r2.returncode, 0)
            r3 = s.cli("demo", "--if-empty")
            self.assertEqual(r3.returncode, 0, r3.stderr)
            self.assertEqual(s.sql("SELECT count(*) FROM organisations"), "62")


class RemoteAccessTest(ServerTestCase):
    """/metrics answers loopback clients and platform admins only. The server listens on
    a non-loopback address of this machine so that the client is not 127.0.0.1."""

    @classmethod
    def setUpClass(cls):
        host = harness.non_loopback_address()
        if host is None:
            raise unittest.SkipTest("this machine has no non-loopback IPv4 address")
        cls.server = Server(host=host, start=False)
        cls.server.add_user("ops@x.example", "Betrieb rund um die Uhr 24", role="platform_admin")
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_metrics_refused_for_remote_visitor(self):
        c = self.server.client()
        self.assertEqual(c.get("/healthz").status, 200)
        r = c.get("/metrics")
        self.assertEqual(r.status, 403)
        self.assertNotIn("verbund_http_requests_total", r.body)

    def test_metrics_for_remote_admin(self):
        c = harness.signed_in_client(self.server, "ops@x.example", "Betrieb rund um die Uhr 24")
        r = c.get("/metrics")
        self.assertEqual(r.status, 200)
        self.assertIn("verbund_http_requests_total", r.body)

    def test_metrics_refused_for_remote_user(self):
        addr = harness.unique_email("remote")
        self.server.add_user(addr)
        c = harness.signed_in_client(self.server, addr)
        self.assertEqual(c.get("/metrics").status, 403)


class ProductionModeTest(ServerTestCase):
    """Without --dev there is no /dev/mail."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(dev=False)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_dev_mail_is_404_without_dev(self):
        c = self.server.client()
        self.assertEqual(c.get("/dev/mail").status, 404)
        self.assertEqual(c.get("/dev/mail/1").status, 404)
        self.assertNotIn('href="/dev/mail"', c.get("/impressum").body)
        self.assertEqual(c.get("/healthz").status, 200)


if __name__ == "__main__":
    unittest.main()


class BarrierReportTest(ServerTestCase):
    """'Barriere melden' reaches the operator (every platform admin) by mail; the Leichte
    Sprache page follows its rules and leads there too."""

    def setUp(self):
        self.server = Server(start=False)
        self.admin = harness.unique_email("betreiber")
        self.server.add_user(self.admin, role="platform_admin")
        self.server.start()
        self.c = self.server.client()

    def tearDown(self):
        self.server.close()

    def report(self, **fields):
        token = self.c.csrf_for("/barriere-melden")
        return self.c.post("/barriere-melden", dict({"csrf": token}, **fields))

    def test_a_report_reaches_the_operator_and_bad_input_is_kept(self):
        r = self.c.get("/barriere-melden?seite=/registrieren")
        self.assertEqual(r.status, 200)
        self.assertIn('name="where" type="text" value="/registrieren"', r.body)
        r = self.report(where="/registrieren", description="   ", contact="keine-adresse")
        self.assertEqual(r.status, 422)
        self.assertIn("Bitte beschreiben Sie kurz, was passiert ist.", r.body)
        self.assertIn('id="contact-error"', r.body)
        self.assertIn('value="keine-adresse"', r.body)
        self.assertIn('value="/registrieren"', r.body)
        r = self.report(description="x" * 2001)
        self.assertEqual(r.status, 422)
        self.assertIn("höchstens 2.000 Zeichen", r.body)
        self.assertIn("x" * 2001, r.body)  # kept whole, never cut
        r = self.report(where="Registrieren", contact="leser@example.org",
                        description="Der Knopf „Konto anlegen“ ist mit dem Screenreader stumm.")
        self.assertEqual(r.status, 200)
        self.assertIn("Danke für Ihre Meldung", r.body)
        mail = self.server.wait_for_mail(1, 10, to=self.admin)[-1]
        self.assertEqual(mail.subject, "Barriere gemeldet auf Verbund")
        self.assertIn("mit dem Screenreader stumm", mail.body)
        self.assertIn("leser@example.org", mail.body)
        # without the form's token nothing is sent
        self.assertEqual(self.c.post("/barriere-melden", {"description": "x"}).status, 403)

    def test_reports_are_limited_per_connection(self):
        for i in range(5):
            self.assertEqual(self.report(description="Meldung %d" % i).status, 200)
        r = self.report(description="Die sechste Meldung")
        self.assertEqual(r.status, 429)
        self.assertIn("schon mehrere Meldungen", r.body)
        self.assertIn("Die sechste Meldung", r.body)

    def test_easy_language_has_one_sentence_per_line_and_no_negations(self):
        body = self.c.get("/leichte-sprache").body
        main = body[body.index("<main"):body.index("</main>")]
        lines = re.findall(r"<p>([^<]+)</p>", main)
        self.assertGreater(len(lines), 30)
        for line in lines:
            with self.subTest(line=line):
                self.assertRegex(line, r"^[^.?!]+[.?!:]$")  # one sentence ("Zum Beispiel: …" is one)
                self.assertNotRegex(line.lower(), r"\b(nicht|kein\w*|nie|niemand\w*)\b")
                self.assertNotRegex(line, r",\s*(weil|dass|wenn|ob|damit|obwohl)\b")
        self.assertIn('href="/barriere-melden"', main)
        self.assertIn('href="/barrierefreiheit"', main)
        # a picture for each section, served by us
        pictures = re.findall(r'<img class="easy-picture" src="([^"]+)" alt=""', main)
        self.assertEqual(len(pictures), main.count("<h2"))
        for src in pictures:
            r = self.c.get(src)
            self.assertEqual((r.status, r.headers["content-type"]), (200, "image/svg+xml"), src)
        statement = self.c.get("/barrierefreiheit").body
        self.assertIn('href="/barriere-melden"', statement)
        self.assertIn('href="/leichte-sprache"', statement)
        self.assertNotIn('href="/impressum">Impressum</a></p>', statement[:statement.index("</main>")])


class BrandingTest(ServerTestCase):
    """The federation's name, address, contact, logo and colour from the configuration."""

    def test_the_footer_header_and_colour_come_from_the_configuration(self):
        logo = tempfile.NamedTemporaryFile(suffix=".png", delete=False)
        logo.write(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
        logo.close()
        self.addCleanup(os.unlink, logo.name)
        server = Server(settings={"site.operator": "Der Paritätische Hessen",
                                  "site.address": "Auf der Körnerwiese 5|60322 Frankfurt am Main",
                                  "site.email": "kontakt@paritaet-hessen.example",
                                  "site.logo": logo.name, "site.accent_color": "#7a1f5c"})
        self.addCleanup(server.close)
        c = server.client()
        body = c.get("/").body
        self.assertIn('<address class="operator"><strong>Der Paritätische Hessen</strong><br>'
                      'Auf der Körnerwiese 5<br>60322 Frankfurt am Main<br>'
                      '<a href="mailto:kontakt@paritaet-hessen.example">', body)
        self.assertIn('<img src="/logo" alt="" height="36">', body)
        self.assertIn('<link rel="stylesheet" href="/farben.css?v=7a1f5c">', body)
        css = c.get("/farben.css?v=7a1f5c")
        self.assertEqual(css.headers["content-type"], "text/css; charset=utf-8")
        self.assertIn("--brand: #7a1f5c;", css.body)
        r = c.get("/logo")
        self.assertEqual((r.status, r.headers["content-type"]), (200, "image/png"))

    def test_a_colour_too_light_for_white_text_and_a_bad_logo_are_refused_at_start(self):
        r = harness.run_cli(["serve", "--listen", "127.0.0.1:0"],
                            data_dir=tempfile.mkdtemp(), settings={"site.accent_color": "#ffcc00"})
        self.assertEqual(r.returncode, 2)
        self.assertIn("site.accent_color", r.stderr)
        self.assertIn("needs 4.5:1", r.stderr)
        r = harness.run_cli(["serve", "--listen", "127.0.0.1:0"],
                            data_dir=tempfile.mkdtemp(), settings={"site.logo": "/tmp/logo.svg"})
        self.assertEqual(r.returncode, 2)
        self.assertIn("must be a .png, .jpg or .webp file", r.stderr)
        # without configuration nothing of it appears
        server = Server()
        self.addCleanup(server.close)
        body = server.client().get("/").body
        self.assertNotIn('class="operator"', body)
        self.assertNotIn("/farben.css", body)
        self.assertEqual(server.client().get("/farben.css").status, 404)
