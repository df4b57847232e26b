"""The start page after signing in, per person: their organisations with the next step,
the editor's queue counts, the platform admin's tasks; visitors are sent to log in."""

import re
import unittest

import harness
from harness import Server, ServerTestCase, unique_email
from test_orgs import login, org_fields


class StartPageTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.editor = unique_email("red-he")
        cls.admin = unique_email("admin")
        cls.server.add_user(cls.editor, role="regional_editor", extra=["--region", "he"])
        cls.server.add_user(cls.admin, role="platform_admin")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def start(self, client):
        r = client.get("/start")
        self.assertEqual(r.status, 200)
        return r.body[r.body.index("<main"):]

    def test_visitors_are_sent_to_log_in_and_log_in_lands_here(self):
        r = self.server.client().get("/start")
        self.assertEqual((r.status, r.location), (303, "/anmelden?weiter=%2Fstart"))
        addr = unique_email("neu")
        self.server.add_user(addr)
        r = harness.login(self.server.client(), addr)
        self.assertEqual((r.status, r.location), (303, "/start"))

    def test_someone_without_an_organisation_is_shown_how_to_start(self):
        addr = unique_email("ohneorg")
        self.server.add_user(addr, name="Nina Neu")
        body = self.start(login(self.server, addr))
        self.assertIn("<h1>Hallo Nina Neu</h1>", body)
        self.assertIn("Sie vertreten noch keine Organisation.", body)
        self.assertIn('href="/meine-organisationen/neu"', body)
        self.assertIn("übernehmen Sie die Seite", body)
        self.assertNotIn('id="review-heading"', body)
        self.assertNotIn('id="admin-heading"', body)

    def test_an_applicant_sees_the_state_and_the_next_step(self):
        addr = unique_email("antrag")
        self.server.add_user(addr)
        c = login(self.server, addr)
        r = c.post("/meine-organisationen/neu",
                   org_fields(c.csrf_for("/meine-organisationen/neu"), name="Startseite Tafel e.V."))
        org_id = re.search(r"/meine-organisationen/(\d+)", r.location).group(1)
        body = self.start(c)
        self.assertIn("<h3>Startseite Tafel e.V.</h3>", body)
        self.assertIn("Wird geprüft", body)
        self.assertIn("prüft Ihre Anmeldung", body)
        self.assertIn('href="/meine-organisationen/%s"' % org_id, body)
        # the editor counts it, then asks a question; the applicant sees what to do
        ed = login(self.server, self.editor)
        waiting = self.server.sql("SELECT COUNT(*) FROM organisations o JOIN regions r "
                                  "ON r.id = o.region_id WHERE r.code = 'he' "
                                  "AND o.status = 'pending'")
        self.assertIn("Offen: Anmeldungen %s · Übernahmen 0 · Wechsel des Landesverbands 0" % waiting,
                      self.start(ed))
        r = ed.post("/redaktion/%s/entscheidung" % org_id,
                    {"csrf": ed.csrf_for("/redaktion"), "action": "ablehnen",
                     "note": "Bitte nennen Sie Ihre Mitgliedsnummer."})
        self.assertEqual(r.status, 303)
        body = self.start(c)
        self.assertIn("Rückfrage der Redaktion", body)
        self.assertIn("Bitte ergänzen Sie Ihre Angaben und antworten Sie.", body)

    def test_the_admin_is_reminded_of_empty_legal_texts_on_every_page(self):
        a = login(self.server, self.admin)
        body = self.start(a)
        self.assertIn('id="admin-heading"', body)
        self.assertIn("Das Impressum ist noch leer.", body)
        for path in ("/organisationen", "/konto", "/start"):
            self.assertIn("Impressum oder Datenschutzerklärung sind noch leer", a.get(path).body)
        # others do not see it
        other = unique_email("sieht-nichts")
        self.server.add_user(other)
        self.assertNotIn("sind noch leer", login(self.server, other).get("/organisationen").body)
        r = a.post("/admin/einstellungen", {"csrf": a.csrf_for("/admin/einstellungen"),
                                            "impressum": "Verband e.V., Musterstraße 1",
                                            "datenschutz": "Wir speichern nur, was nötig ist."})
        self.assertEqual(r.status, 303)
        self.assertNotIn("sind noch leer", a.get("/organisationen").body)
        self.assertNotIn("Das Impressum ist noch leer.", self.start(a))


if __name__ == "__main__":
    unittest.main()
