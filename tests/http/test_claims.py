"""Claiming an organisation without admin (demo content, imported lists): a signed-in
person asks, the editor of its association decides, the claimant becomes its admin."""

import re
import unittest

from harness import Client, Server, ServerTestCase, clone, in_parallel, unique_email
from test_orgs import login


class ClaimTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.server.cli("demo")
        cls.editor_he = unique_email("red-he")
        cls.editor_by = unique_email("red-by")
        cls.server.add_user(cls.editor_he, role="regional_editor", extra=["--region", "he"])
        cls.server.add_user(cls.editor_by, role="regional_editor", extra=["--region", "by"])

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def unclaimed_in_hesse(self, skip=0, region="he"):
        slug = self.server.sql(
            "SELECT o.slug FROM organisations o JOIN regions r ON r.id = o.region_id "
            "WHERE r.code = '%s' AND o.status = 'published' AND NOT EXISTS (SELECT 1 FROM "
            "user_roles ur WHERE ur.organisation_id = o.id AND ur.role = 'org_admin') "
            "ORDER BY o.id LIMIT 1 OFFSET %d" % (region, skip))
        self.assertTrue(slug, "demo content has unclaimed organisations in %s" % region)
        return slug

    def claim(self, client, slug, message):
        path = "/organisationen/%s/beanspruchen" % slug
        return client.post(path, {"csrf": client.csrf_for(path), "message": message})

    def test_claim_is_decided_by_the_editor_of_the_association(self):
        slug = self.unclaimed_in_hesse()
        page = Client(self.server).get("/organisationen/" + slug).body
        self.assertIn("Seite als Organisation übernehmen", page)
        person = unique_email("leitung")
        self.server.add_user(person, name="Lena Leitung")
        c = login(self.server, person)
        r = self.claim(c, slug, "kurz")
        self.assertEqual(r.status, 422)
        self.assertIn('id="message-error"', r.body)
        self.assertIn(">kurz</textarea>", r.body)
        r = self.claim(c, slug, "Ich bin die Geschäftsführerin, erreichbar unter der Nummer der Seite.")
        self.assertEqual(r.status, 303)
        r = self.claim(c, slug, "Noch einmal dieselbe Anfrage, bitte.")
        self.assertEqual(r.status, 422)
        self.assertIn("liegt der Redaktion schon vor", r.body)

        by = login(self.server, self.editor_by)
        self.assertNotIn("Lena Leitung", by.get("/redaktion").body)
        he = login(self.server, self.editor_he)
        queue = he.get("/redaktion").body
        self.assertIn("Lena Leitung", queue)
        claim_id = re.search(r"/redaktion/anspruch/(\d+)/entscheidung", queue).group(1)
        token = he.csrf_for("/redaktion")
        r = by.post("/redaktion/anspruch/%s/entscheidung" % claim_id,
                    {"csrf": by.csrf_for("/redaktion"), "action": "zustimmen"})
        self.assertEqual(r.status, 404)
        r = he.post("/redaktion/anspruch/%s/entscheidung" % claim_id,
                    {"csrf": token, "action": "zustimmen"})
        self.assertEqual(r.status, 303)
        mails = self.server.wait_for_mail(1, to=person)
        self.assertIn("Sie verwalten jetzt", mails[-1].subject)
        org_id = self.server.sql("SELECT id FROM organisations WHERE slug = '%s'" % slug)
        self.assertEqual(c.get("/meine-organisationen/%s" % org_id).status, 200)
        # Now it has an admin: no more claims, no more claim link.
        self.assertNotIn("Seite als Organisation übernehmen",
                         Client(self.server).get("/organisationen/" + slug).body)
        other = unique_email("zweite")
        self.server.add_user(other)
        o = login(self.server, other)
        self.assertEqual(o.get("/organisationen/%s/beanspruchen" % slug).status, 404)
        # A decided claim cannot be decided again.
        r = he.post("/redaktion/anspruch/%s/entscheidung" % claim_id,
                    {"csrf": token, "action": "ablehnen"})
        self.assertEqual(r.status, 404)

    def test_of_two_competing_claims_approved_at_once_one_wins(self):
        slug = self.unclaimed_in_hesse(region="by")
        org_id = self.server.sql("SELECT id FROM organisations WHERE slug = '%s'" % slug)
        for name in ("erste", "zweite"):
            person = unique_email(name)
            self.server.add_user(person)
            r = self.claim(login(self.server, person), slug, "Ich leite diese Organisation seit Jahren.")
            self.assertEqual(r.status, 303)
        ids = self.server.sql("SELECT id FROM org_claims WHERE organisation_id = %s "
                              "AND status = 'open' ORDER BY id" % org_id).split()
        self.assertEqual(len(ids), 2)
        by = login(self.server, self.editor_by)
        token = by.csrf_for("/redaktion")
        results = in_parallel(2, lambda i: clone(by).post(
            "/redaktion/anspruch/%s/entscheidung" % ids[i], {"csrf": token, "action": "zustimmen"}))
        statuses = sorted(getattr(r, "status", repr(r)) for r in results)
        self.assertEqual(statuses, [303, 409], statuses)
        loser = [r for r in results if r.status == 409][0]
        self.assertIn("hat inzwischen eine Verwaltung", loser.body)
        self.assertEqual(self.server.sql(
            "SELECT COUNT(*) FROM user_roles WHERE organisation_id = %s AND role = 'org_admin'"
            % org_id), "1")
        # the other claim stays open for a decision (the editor rejects it with a reason)
        self.assertEqual(self.server.sql(
            "SELECT COUNT(*) FROM org_claims WHERE organisation_id = %s AND status = 'open'"
            % org_id), "1")

    def test_rejection_reaches_the_claimant_and_gives_no_rights(self):
        slug = self.unclaimed_in_hesse(1)
        person = unique_email("falsch")
        self.server.add_user(person)
        c = login(self.server, person)
        self.assertEqual(self.claim(c, slug, "Ich möchte diese Seite gerne verwalten.").status, 303)
        he = login(self.server, self.editor_he)
        queue = he.get("/redaktion").body
        ids = re.findall(r"/redaktion/anspruch/(\d+)/entscheidung", queue)
        r = he.post("/redaktion/anspruch/%s/entscheidung" % ids[-1],
                    {"csrf": he.csrf_for("/redaktion"), "action": "ablehnen",
                     "note": "Bitte melden Sie sich über die Geschäftsstelle."})
        self.assertEqual(r.status, 303)
        mail = self.server.wait_for_mail(1, to=person)[-1]
        self.assertIn("Geschäftsstelle", mail.body)
        org_id = self.server.sql("SELECT id FROM organisations WHERE slug = '%s'" % slug)
        self.assertEqual(c.get("/meine-organisationen/%s" % org_id).status, 404)

    def test_visitors_and_forged_requests_change_nothing(self):
        slug = self.server.sql(
            "SELECT slug FROM organisations o WHERE NOT EXISTS (SELECT 1 FROM user_roles ur "
            "WHERE ur.organisation_id = o.id) ORDER BY o.id DESC LIMIT 1")
        self.assertTrue(slug)
        r = Client(self.server).get("/organisationen/%s/beanspruchen" % slug)
        self.assertEqual(r.status, 303)
        self.assertIn("/anmelden", r.location)
        person = unique_email("ohne-token")
        self.server.add_user(person)
        c = login(self.server, person)
        r = c.post("/organisationen/%s/beanspruchen" % slug, {"message": "Ohne CSRF-Token gesendet."})
        self.assertEqual(r.status, 403)
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM org_claims WHERE user_id = "
                                         "(SELECT id FROM users WHERE email = '%s')" % person), "0")
        member = login(self.server, person)
        r = member.post("/redaktion/anspruch/1/entscheidung",
                        {"csrf": member.csrf_for("/meine-organisationen"), "action": "zustimmen"})
        self.assertEqual(r.status, 403)


if __name__ == "__main__":
    unittest.main()
