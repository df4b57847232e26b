"""The admin area: access rules, users and roles, background jobs, the legal texts; and
`verbund user add` for the first admin."""

import html
import re
import unittest

import harness
from harness import (GOOD_PASSWORD, Server, ServerTestCase, create_account, signed_in_client,
                     unique_email)

ADMIN = "admin@x.example"
ADMIN_PASSWORD = "Verwaltung mit Weitblick 1"


class AdminTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = Server(start=False)
        cls.server.add_user(ADMIN, ADMIN_PASSWORD, role="platform_admin", name="Ada Admin")
        cls.server.start()
        cls.admin = signed_in_client(cls.server, ADMIN, ADMIN_PASSWORD)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def user_row(self, page_html, addr):
        """The card of `addr` on /admin/benutzer, and the user's id."""
        for row in page_html.split('<li class="card">')[1:]:
            if "<dd>%s</dd>" % html.escape(addr) in row:
                m = re.search(r'action="/admin/benutzer/(\d+)/rollen"', row)
                return row, int(m.group(1))
        self.fail("no row for %s on the users page" % addr)

    def user_id(self, addr):
        r = self.admin.get("/admin/benutzer?q=" + harness.urllib.parse.quote(addr))
        self.assertEqual(r.status, 200)
        return self.user_row(r.body, addr)[1]

    def change_role(self, client, user_id, **fields):
        token = harness.csrf(client.get("/konto").body)
        fields.setdefault("action", "grant")
        fields["csrf"] = token
        return client.post("/admin/benutzer/%d/rollen" % user_id, fields)

    # -- access ------------------------------------------------------------------------

    def test_admin_lists_users(self):
        addr = create_account(self.server, unique_email("listed"), name="Liste Lotte")
        r = self.admin.get("/admin/benutzer")
        self.assertEqual(r.status, 200)
        self.assertIn(ADMIN, r.body)
        self.assertIn(addr, r.body)
        self.assertIn("Liste Lotte", r.body)
        self.assertRegex(r.body, r"\d+ Konten")
        row, _ = self.user_row(r.body, ADMIN)
        self.assertIn("Plattform-Verwaltung", row)
        # the admin sees the admin link in the header
        self.assertIn('href="/admin/benutzer"', self.admin.get("/konto").body)

    def test_admin_search(self):
        addr = create_account(self.server, unique_email("findme"), name="Suchbare Susi")
        r = self.admin.get("/admin/benutzer?q=Suchbare")
        self.assertEqual(r.status, 200)
        self.assertIn(addr, r.body)
        self.assertNotIn(ADMIN, r.body.split('<ul class="plain user-list">')[1])

    def test_admin_redirect(self):
        r = self.admin.get("/admin")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/admin/benutzer")

    def test_normal_user_is_forbidden(self):
        c = signed_in_client(self.server, create_account(self.server))
        self.assertNotIn('href="/admin/benutzer"', c.get("/konto").body)
        for path in ("/admin", "/admin/benutzer", "/admin/jobs", "/admin/einstellungen"):
            with self.subTest(path=path):
                self.assertEqual(c.get(path).status, 403)
        token = harness.csrf(c.get("/konto").body)
        r = c.post("/admin/einstellungen", {"csrf": token, "impressum": "gehackt",
                                            "datenschutz": "gehackt"})
        self.assertEqual(r.status, 403)
        self.assertNotIn("gehackt", self.server.client().get("/impressum").body)
        r = self.change_role(c, self.user_id(ADMIN), action="revoke", role="platform_admin")
        self.assertEqual(r.status, 403)

    def test_visitor_is_sent_to_login(self):
        c = self.server.client()
        for path in ("/admin/benutzer", "/admin/jobs", "/admin/einstellungen"):
            with self.subTest(path=path):
                r = c.get(path)
                self.assertEqual(r.status, 303)
                self.assertEqual(r.location, "/anmelden?weiter=" + harness.urllib.parse.quote(
                    path, safe=""))
        r = c.post("/admin/einstellungen", {"csrf": c.csrf_for("/anmelden"),
                                            "impressum": "x", "datenschutz": "x"})
        self.assertEqual(r.status, 303)
        self.assertTrue(r.location.startswith("/anmelden"))

    def test_admin_post_needs_session_token(self):
        r = self.admin.post("/admin/einstellungen", {"csrf": "falsch", "impressum": "falsch",
                                                     "datenschutz": "falsch"})
        self.assertEqual(r.status, 403)

    # -- roles -------------------------------------------------------------------------

    def test_grant_and_revoke_online_scout(self):
        addr = create_account(self.server, unique_email("scout"), name="Sandra Scout")
        user = signed_in_client(self.server, addr)
        self.assertIn("Noch keine.", user.get("/konto").body)
        uid = self.user_id(addr)
        r = self.change_role(self.admin, uid, role="online_scout")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/admin/benutzer?hinweis=rolle_gespeichert")
        page = user.get("/konto").body
        self.assertIn("Online-Scout", page)
        row, _ = self.user_row(self.admin.get("/admin/benutzer").body, addr)
        self.assertIn("Online-Scout", row)
        # granting twice is harmless
        self.assertEqual(self.change_role(self.admin, uid, role="online_scout").status, 303)
        # revoking asks first, and changes nothing until confirmed
        r = self.change_role(self.admin, uid, action="revoke", role="online_scout")
        self.assertEqual(r.status, 200)
        self.assertIn("<h1>Rolle entziehen?</h1>", r.body)
        self.assertIn("Sandra Scout (%s)" % addr, r.body)
        self.assertIn('name="confirmed" value="ja"', r.body)
        self.assertIn("Online-Scout", user.get("/konto").body)
        r = self.change_role(self.admin, uid, action="revoke", role="online_scout",
                             confirmed="ja")
        self.assertEqual(r.status, 303)
        self.assertNotIn("Online-Scout", user.get("/konto").body)

    def test_no_role_is_preselected_and_none_is_granted_without_a_choice(self):
        addr = create_account(self.server, unique_email("ohnewahl"))
        row, uid = self.user_row(self.admin.get("/admin/benutzer").body, addr)
        self.assertIn('<option value="" selected>– Rolle wählen –</option>', row)
        r = self.change_role(self.admin, uid, role="")
        self.assertEqual(r.status, 422)
        self.assertIn("Bitte wählen Sie eine Rolle aus.", r.body)
        self.assertIn("Noch keine.", signed_in_client(self.server, addr).get("/konto").body)

    def test_organisation_roles_are_granted_by_the_page_address(self):
        self.server.cli("demo")
        slug = self.server.sql("SELECT slug FROM organisations WHERE status = 'published' "
                               "ORDER BY id LIMIT 1")
        name = self.server.sql("SELECT name FROM organisations WHERE slug = '%s'" % slug)
        addr = create_account(self.server, unique_email("orgrolle"))
        uid = self.user_id(addr)
        r = self.change_role(self.admin, uid, role="org_admin", organisation="gibt-es-nicht")
        self.assertEqual(r.status, 422)
        self.assertIn("Diese Organisation gibt es nicht.", r.body)
        r = self.change_role(self.admin, uid, role="org_member",
                             organisation="http://127.0.0.1/organisationen/" + slug)
        self.assertEqual(r.status, 303)
        page = signed_in_client(self.server, addr).get("/konto").body
        self.assertIn("Mitglied der Organisation – %s" % html.escape(name), page)

    def test_grant_regional_editor_needs_region(self):
        addr = create_account(self.server, unique_email("editor"))
        uid = self.user_id(addr)
        r = self.change_role(self.admin, uid, role="regional_editor")
        self.assertEqual(r.status, 400)
        r = self.change_role(self.admin, uid, role="regional_editor", region_id="")
        self.assertEqual(r.status, 400)
        r = self.change_role(self.admin, uid, role="regional_editor", region_id="999999")
        self.assertEqual(r.status, 400)
        # with a region from the form it works
        row, _ = self.user_row(self.admin.get("/admin/benutzer").body, addr)
        m = re.search(r'<option value="(\d+)">([^<]+)</option>', row)
        self.assertIsNotNone(m, row)
        r = self.change_role(self.admin, uid, role="regional_editor", region_id=m.group(1))
        self.assertEqual(r.status, 303)
        page = signed_in_client(self.server, addr).get("/konto").body
        self.assertIn("Redaktion Landesverband", page)
        self.assertIn(html.escape(html.unescape(m.group(2))), page)

    def test_invalid_role_changes(self):
        addr = create_account(self.server)
        uid = self.user_id(addr)
        self.assertEqual(self.change_role(self.admin, uid, role="kaiser").status, 400)
        self.assertEqual(self.change_role(self.admin, uid, role="online_scout",
                                          action="delete").status, 400)
        self.assertEqual(self.change_role(self.admin, 99999999, role="online_scout").status, 404)
        # the admin cannot take the admin role from himself
        r = self.change_role(self.admin, self.user_id(ADMIN), action="revoke",
                             role="platform_admin")
        self.assertEqual(r.status, 409)
        self.assertEqual(self.admin.get("/admin/benutzer").status, 200)

    def test_the_organisations_page_shows_state_association_and_admins(self):
        self.server.cli("demo")
        r = self.admin.get("/admin/organisationen")
        self.assertEqual(r.status, 200)
        total = self.server.sql("SELECT COUNT(*) FROM organisations")
        self.assertIn("%s Organisationen" % total, r.body)
        self.assertIn("niemand – die Seite kann übernommen werden", r.body)
        r = self.admin.get("/admin/organisationen?q=veedels")
        self.assertIn("Familienzentrum Veedelsknirpse Ehrenfeld e.V.", r.body)
        self.assertEqual(r.body.count('<li class="card">'), 1)
        self.assertIn("Nordrhein-Westfalen", r.body)
        pending = self.admin.get("/admin/organisationen?status=pending").body
        self.assertIn("%s Organisationen" % self.server.sql(
            "SELECT COUNT(*) FROM organisations WHERE status = 'pending'"), pending)
        for bad in ("status=geloescht", "seite=0", "seite=abc"):
            self.assertEqual(self.admin.get("/admin/organisationen?" + bad).status, 400, bad)
        c = signed_in_client(self.server, create_account(self.server))
        self.assertEqual(c.get("/admin/organisationen").status, 403)

    # -- jobs and settings -------------------------------------------------------------

    def test_jobs_page(self):
        r = self.admin.get("/admin/jobs")
        self.assertEqual(r.status, 200)
        self.assertRegex(r.body, r"\d+ Aufträge in der Warteschlange")
        self.assertIn("Keine fehlgeschlagenen Aufträge.", r.body)

    def test_settings_are_saved_and_escaped(self):
        r = self.admin.get("/admin/einstellungen")
        self.assertEqual(r.status, 200)
        self.assertIn('name="impressum"', r.body)
        token = harness.csrf(r.body)
        impressum = "Verbund e.V., Musterstraße 1\n\n<script>alert(1)</script> & Co"
        datenschutz = "Wir speichern nur das Nötigste. <img src=x onerror=alert(2)>"
        r = self.admin.post("/admin/einstellungen", {"csrf": token, "impressum": impressum,
                                                     "datenschutz": datenschutz})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/admin/einstellungen?hinweis=gespeichert")
        r = self.admin.get(r.location)
        self.assertIn("Gespeichert.", r.body)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", r.body)  # in the textarea
        # The paragraphs survive the round trip through the form (saving it again).
        self.assertIn("Musterstraße 1\n\n&lt;script&gt;", r.body)

        page = self.server.client().get("/impressum").body
        self.assertIn("<p>Verbund e.V., Musterstraße 1</p>", page)  # paragraphs
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co", page)
        self.assertNotIn("<script>alert(1)</script>", page)
        page = self.server.client().get("/datenschutz").body
        self.assertIn("&lt;img src=x onerror=alert(2)&gt;", page)
        self.assertNotIn("<img src=x", page)

    def test_settings_too_long(self):
        token = harness.csrf(self.admin.get("/admin/einstellungen").body)
        r = self.admin.post("/admin/einstellungen", {"csrf": token, "impressum": "x" * 50001,
                                                     "datenschutz": "kurz"})
        self.assertEqual(r.status, 422)
        self.assertIn("zu lang", r.body)

    # -- metrics for admins ------------------------------------------------------------

    def test_admin_can_read_metrics(self):
        r = self.admin.get("/metrics")
        self.assertEqual(r.status, 200)
        self.assertIn("verbund_http_requests_total", r.body)

    # -- the command line while the server runs ------------------------------------------

    def test_user_add_while_serving(self):
        addr = unique_email("cli")
        r = self.server.cli("user", "add", addr, "--password-stdin", "--name", "Kommando Karl",
                            stdin=GOOD_PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        c = signed_in_client(self.server, addr)  # confirmed right away
        self.assertIn("Kommando Karl", c.get("/konto").body)
        self.assertEqual(c.get("/admin/benutzer").status, 403)
        r = self.server.cli("user", "role", addr, "platform_admin")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(c.get("/admin/benutzer").status, 200)

    def test_user_add_refuses_bad_input(self):
        for args, stdin in (([unique_email("weak"), "--password-stdin"], "1234567890\n"),
                            ([unique_email("short"), "--password-stdin"], "kurz\n"),
                            (["kein-at", "--password-stdin"], GOOD_PASSWORD + "\n"),
                            ([ADMIN, "--password-stdin"], GOOD_PASSWORD + "\n"),
                            ([unique_email("role"), "--role", "kaiser", "--password-stdin"],
                             GOOD_PASSWORD + "\n")):
            with self.subTest(args=args):
                r = self.server.cli("user", "add", *args, stdin=stdin)
                self.assertNotEqual(r.returncode, 0, r.stdout)
                self.assertTrue(r.stderr.strip())
        self.assertEqual(self.server.sql("SELECT count(*) FROM users WHERE email LIKE 'weak-%' "
                                         "OR email LIKE 'short-%' OR email LIKE 'role-%'"), "0")


if __name__ == "__main__":
    unittest.main()
