"""Organisations over HTTP: registration, review by the regional editor, scoping of
every route by role and organisation, Markdown made inert, directory search and
facets, slug redirects."""

import html
import json
import re
import unittest

from harness import GOOD_PASSWORD, Client, Server, clone, in_parallel, unique_email
from harness import csrf as harness_csrf


def login(server, email_addr, password=GOOD_PASSWORD):
    c = Client(server)
    token = c.csrf_for("/anmelden")
    r = c.post("/anmelden", {"csrf": token, "email": email_addr, "password": password})
    assert r.status == 303, r
    return c


def org_fields(token, **over):
    chosen = over.pop("_fields", ["familie", "kinder_jugend"])
    fields = {
        "csrf": token,
        "name": "Familienzentrum Löwenzahn Gießen e.V.",
        "legal_form": "e.V.",
        "region": "he",
        "city": "Gießen",
        "postcode": "35390",
        "street": "Marburger Straße 12",
        "short_description": "Offener Treff für Familien mit Kindern, Elternberatung und Krabbelgruppen.",
        "about": "Wir sind **seit 1998** für Familien da.",
    }
    fields.update(over)
    pairs = list(fields.items())
    pairs += [("fields", f) for f in chosen]
    pairs += [("target_groups", "familien")]
    return [(k, v) for k, v in pairs if not k.startswith("_")]


class OrganisationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.server.cli("demo")
        cls.owner = unique_email("owner")
        cls.other = unique_email("other")
        cls.editor_he = unique_email("red-he")
        cls.editor_by = unique_email("red-by")
        cls.server.add_user(cls.owner, name="Olga Owner")
        cls.server.add_user(cls.other, name="Otto Other")
        cls.server.add_user(cls.editor_he, role="regional_editor", extra=["--region", "he"])
        cls.server.add_user(cls.editor_by, role="regional_editor", extra=["--region", "by"])

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def apply(self, client, **over):
        token = client.csrf_for("/meine-organisationen/neu")
        return client.post("/meine-organisationen/neu", org_fields(token, **over))

    def test_application_is_pending_until_the_editor_of_its_association_approves(self):
        owner = login(self.server, self.owner)
        r = self.apply(owner, name="Kinderschutz Wetterau e.V.")
        self.assertEqual(r.status, 303)
        org_id = re.search(r"/meine-organisationen/(\d+)", r.location).group(1)
        slug = "kinderschutz-wetterau-e-v"
        self.assertEqual(Client(self.server).get("/organisationen/" + slug).status, 404)

        # The editor of another association neither sees nor decides it.
        by = login(self.server, self.editor_by)
        self.assertNotIn("Kinderschutz Wetterau", by.get("/redaktion").body)
        token = by.csrf_for("/redaktion")
        r = by.post("/redaktion/%s/entscheidung" % org_id, {"csrf": token, "action": "freigeben"})
        self.assertEqual(r.status, 404)

        he = login(self.server, self.editor_he)
        self.assertIn("Kinderschutz Wetterau", he.get("/redaktion").body)
        token = he.csrf_for("/redaktion")
        # A rejection needs a reason; the applicant sees it.
        r = he.post("/redaktion/%s/entscheidung" % org_id, {"csrf": token, "action": "ablehnen"})
        self.assertEqual(r.status, 422)
        self.assertIn("Bitte schreiben Sie eine Begründung", r.body)
        # the summary at the top links to the reason of this card
        self.assertIn('class="error-summary"', r.body)
        self.assertIn('href="#note-%s"' % org_id, r.body)
        r = he.post("/redaktion/%s/entscheidung" % org_id,
                    {"csrf": token, "action": "ablehnen", "note": "Bitte nennen Sie die Mitgliedsnummer."})
        self.assertEqual(r.status, 303)
        page = owner.get("/meine-organisationen/%s" % org_id)
        self.assertIn("Bitte nennen Sie die Mitgliedsnummer.", page.body)
        # the list and the mail use the same word; the reply box comes first in the form
        self.assertIn("Rückfrage der Redaktion", owner.get("/meine-organisationen").body)
        form = page.body[page.body.index("<form"):]
        self.assertLess(form.index('id="reply"'), form.index('id="name"'))
        deadline = __import__("time").time() + 10
        while not any("Mitgliedsnummer." in m.body for m in self.server.mails(to=self.owner)):
            self.assertLess(__import__("time").time(), deadline, "rejection mail")
            __import__("time").sleep(0.1)

        # The applicant answers; it is pending again and the answer reaches the editor.
        version = re.search(r'name="version" value="(\d+)"', page.body).group(1)
        token = owner.csrf_for("/meine-organisationen/%s" % org_id)
        r = owner.post("/meine-organisationen/%s" % org_id,
                       org_fields(token, name="Kinderschutz Wetterau e.V.", version=version,
                                  reply="Mitgliedsnummer 4711"))
        self.assertEqual(r.status, 303)
        self.assertIn("Mitgliedsnummer 4711", he.get("/redaktion").body)
        # the editor's mail says it is an answer, not a new registration
        deadline = __import__("time").time() + 10
        while not any(m.subject.startswith("Antwort auf Ihre Rückfrage")
                      for m in self.server.mails(to=self.editor_he)):
            self.assertLess(__import__("time").time(), deadline, "resubmission mail")
            __import__("time").sleep(0.1)
        r = he.post("/redaktion/%s/entscheidung" % org_id, {"csrf": token_of(he), "action": "freigeben"})
        self.assertEqual(r.status, 303)
        public = Client(self.server).get("/organisationen/" + slug)
        self.assertEqual(public.status, 200)
        self.assertIn("Kinderschutz Wetterau e.V.", public.body)

    def test_an_application_can_wait_as_a_draft_until_it_is_sent(self):
        owner = login(self.server, self.owner)
        r = self.apply(owner, name="Entwurf Nachbarschaftshilfe e.V.", aktion="entwurf")
        self.assertEqual(r.status, 303)
        self.assertIn("hinweis=entwurf_gespeichert", r.location)
        org_id = re.search(r"/meine-organisationen/(\d+)", r.location).group(1)
        page = owner.get(r.location).body
        self.assertIn("Die Redaktion sieht ihn erst, wenn Sie ihn zur Prüfung senden.", page)
        self.assertIn('value="entwurf"', page)
        self.assertIn("Entwurf, noch nicht gesendet", owner.get("/meine-organisationen").body)
        self.assertIn("Entwurf, noch nicht gesendet", owner.get("/start").body)
        he = login(self.server, self.editor_he)
        self.assertNotIn("Entwurf Nachbarschaftshilfe", he.get("/redaktion").body)
        r = he.post("/redaktion/%s/entscheidung" % org_id, {"csrf": token_of(he), "action": "freigeben"})
        self.assertEqual(r.status, 404)
        # saving it again (also from the preview) keeps it a draft; "senden" sends it
        r = self.edit(owner, org_id, name="Entwurf Nachbarschaftshilfe e.V.", aktion="entwurf",
                      city="Wetzlar")
        self.assertIn("hinweis=entwurf_gespeichert", r.location)
        self.assertNotIn("Entwurf Nachbarschaftshilfe", he.get("/redaktion").body)
        # (other tests of this class mail the same editor: only this one's mails count)
        about_it = lambda: [m for m in self.server.mails(to=self.editor_he)
                            if "Entwurf Nachbarschaftshilfe e.V." in m.body]
        self.server.wait_for_outbox_worked()
        self.assertEqual(about_it(), [])
        r = self.edit(owner, org_id, name="Entwurf Nachbarschaftshilfe e.V.", aktion="senden")
        self.assertIn("hinweis=organisation_beantragt", r.location)
        self.assertIn("Entwurf Nachbarschaftshilfe", he.get("/redaktion").body)
        self.server.wait_for_outbox_worked()
        self.assertEqual(len(about_it()), 1)
        self.assertIn("Wird geprüft", owner.get("/meine-organisationen").body)

    def test_the_editor_sees_the_whole_pending_profile_and_its_history(self):
        owner = login(self.server, self.owner)
        r = self.apply(owner, name="Beratungsstelle Verlauf e.V.",
                       about="Wir beraten **Familien** in der Wetterau.")
        org_id = re.search(r"/meine-organisationen/(\d+)", r.location).group(1)
        path = "/redaktion/organisation/%s" % org_id
        details = owner.get("/meine-organisationen/%s/details" % org_id).body
        owner.post("/meine-organisationen/%s/details" % org_id, [
            ("csrf", harness_csrf(details)),
            ("version", re.search(r'name="version" value="(\d+)"', details).group(1)),
            ("opening_hours", "Mo–Fr 9–13 Uhr"), ("why", "Weil wir gemeinsam mehr erreichen.")])
        he, by = login(self.server, self.editor_he), login(self.server, self.editor_by)
        self.assertIn('href="%s"' % path, he.get("/redaktion").body)
        page = he.get(path)
        self.assertEqual(page.status, 200)
        # the whole profile as it would be published, not just the summary
        self.assertIn("<strong>Familien</strong>", page.body)
        self.assertIn("Mo–Fr 9–13 Uhr", page.body)
        self.assertIn("Weil wir gemeinsam mehr erreichen.", page.body)
        self.assertIn("Marburger Straße 12", page.body)
        self.assertNotIn("qr.svg", page.body)  # no QR code of a page that does not exist yet
        self.assertIn("Zur Prüfung gesendet", page.body)
        # out of reach: another association's editor, the applicant, a visitor
        self.assertEqual(by.get(path).status, 404)
        self.assertEqual(owner.get(path).status, 403)
        self.assertEqual(Client(self.server).get(path).status, 303)
        self.assertEqual(he.get("/redaktion/organisation/999999").status, 404)

        # deciding from this page: a question without a reason comes back here
        r = he.post("/redaktion/%s/entscheidung" % org_id,
                    {"csrf": harness_csrf(page.body), "action": "ablehnen", "seite": "organisation"})
        self.assertEqual(r.status, 422)
        self.assertIn('class="error-summary"', r.body)
        self.assertIn("Bitte schreiben Sie eine Begründung", r.body)
        self.assertIn("<strong>Familien</strong>", r.body)
        r = he.post("/redaktion/%s/entscheidung" % org_id,
                    {"csrf": token_of(he), "action": "ablehnen", "seite": "organisation",
                     "note": "x" * 2001})
        self.assertEqual(r.status, 422)
        self.assertIn("höchstens 2.000 Zeichen", r.body)
        self.assertIn("x" * 2001, r.body)  # the typed text is kept
        r = he.post("/redaktion/%s/entscheidung" % org_id,
                    {"csrf": token_of(he), "action": "ablehnen", "note": "Welche Mitgliedsnummer?"})
        self.assertEqual(r.status, 303)
        self.edit(owner, org_id, name="Beratungsstelle Verlauf e.V.", reply="Nummer 815")
        r = he.post("/redaktion/%s/entscheidung" % org_id,
                    {"csrf": token_of(he), "action": "freigeben"})
        self.assertEqual(r.status, 303)

        # every step in order, with who did it and what was written
        page = he.get(path).body
        history = page[page.index('class="plain history"'):page.index("</ol>")]
        steps = ["Zur Prüfung gesendet", "Rückfrage gesendet", "Welche Mitgliedsnummer?",
                 "Überarbeitet und wieder gesendet", "Nummer 815", "Freigegeben"]
        positions = [history.index(s) for s in steps]
        self.assertEqual(positions, sorted(positions), history)
        self.assertIn("Olga Owner", history)
        self.assertNotIn("name=\"note\"", page)  # decided: no decision form any more
        # a move asked for later is part of the history too, seen by both associations
        self.edit(owner, org_id, name="Beratungsstelle Verlauf e.V.", region="by")
        self.assertIn("Hessen → Bayern", by.get(path).body)
        by.post("/redaktion/wechsel/%s/entscheidung" % org_id,
                {"csrf": token_of(by), "action": "ablehnen"})
        self.assertIn("Wechsel des Landesverbands abgelehnt", he.get(path).body)

    def test_a_draft_is_not_shown_to_the_editors(self):
        owner = login(self.server, self.owner)
        r = self.apply(owner, name="Entwurf nicht sichtbar e.V.", aktion="entwurf")
        org_id = re.search(r"/meine-organisationen/(\d+)", r.location).group(1)
        he = login(self.server, self.editor_he)
        self.assertEqual(he.get("/redaktion/organisation/%s" % org_id).status, 404)

    def test_another_member_cannot_see_or_edit_the_organisation(self):
        owner = login(self.server, self.owner)
        r = self.apply(owner, name="Tafel Vogelsberg e.V.")
        org_id = re.search(r"/meine-organisationen/(\d+)", r.location).group(1)
        other = login(self.server, self.other)
        self.assertEqual(other.get("/meine-organisationen/%s" % org_id).status, 404)
        token = other.csrf_for("/meine-organisationen/neu")
        r = other.post("/meine-organisationen/%s" % org_id,
                       org_fields(token, name="Übernommen", version="1"))
        self.assertEqual(r.status, 404)
        self.assertEqual(self.server.sql("SELECT name FROM organisations WHERE id = %s" % org_id),
                         "Tafel Vogelsberg e.V.")
        # Visitors are sent to log in.
        r = Client(self.server).get("/meine-organisationen/%s" % org_id)
        self.assertEqual(r.status, 303)
        self.assertIn("/anmelden", r.location)

    def test_bad_input_is_refused_at_the_field_and_kept(self):
        owner = login(self.server, self.owner)
        before = self.server.sql("SELECT count(*) FROM organisations")
        r = self.apply(owner, name="Al", region="xx", postcode="123",
                       short_description="x" * 301, website="javascript:alert(1)", _fields=[])
        self.assertEqual(r.status, 422)
        for msg in ("3 bis 150 Zeichen", "Landesverband", "fünf Ziffern", "höchstens 300 Zeichen",
                    "https://", "mindestens ein Arbeitsfeld"):
            self.assertIn(msg, r.body)
        self.assertIn('value="Al"', r.body)
        self.assertIn("x" * 301, r.body)
        self.assertEqual(self.server.sql("SELECT count(*) FROM organisations"), before)
        # required fields say so: name, legal form, association, summary, fields, place
        self.assertEqual(r.body.count('<span class="required">(Pflichtfeld)</span>'), 6)
        self.assertIn('data-limit="300"', r.body)  # counted, never cut by the browser
        self.assertNotIn('maxlength="300"', r.body)

    def test_a_web_address_without_scheme_gets_https(self):
        owner = login(self.server, self.owner)
        r = self.apply(owner, name="Ohne Schema Beratung e.V.", website="www.ohne-schema.example")
        self.assertEqual(r.status, 303)
        org_id = re.search(r"/meine-organisationen/(\d+)", r.location).group(1)
        self.assertEqual(self.server.sql("SELECT website FROM organisations WHERE id = %s" % org_id),
                         "https://www.ohne-schema.example")
        # the error summary follows the order of the form
        r = self.apply(owner, name="", short_description="", city="", _fields=[])
        self.assertEqual(r.status, 422)
        summary = r.body[r.body.index('class="error-summary"'):r.body.index("</ul>", r.body.index('class="error-summary"'))]
        links = re.findall(r'href="#([a-z_]+)"', summary)
        self.assertEqual(links, ["name", "short_description", "fields", "city"])

    def test_concurrent_edits_are_detected(self):
        owner = login(self.server, self.owner)
        r = self.apply(owner, name="Frauenhaus Mittelhessen e.V.")
        org_id = re.search(r"/meine-organisationen/(\d+)", r.location).group(1)
        page = owner.get("/meine-organisationen/%s" % org_id)
        version = re.search(r'name="version" value="(\d+)"', page.body).group(1)
        token = owner.csrf_for("/meine-organisationen/%s" % org_id)
        first = owner.post("/meine-organisationen/%s" % org_id,
                           org_fields(token, name="Frauenhaus Mittelhessen e.V.", version=version,
                                      city="Wetzlar"))
        self.assertEqual(first.status, 303)
        second = owner.post("/meine-organisationen/%s" % org_id,
                            org_fields(token, name="Frauenhaus Mittelhessen e.V.", version=version,
                                       city="Limburg"))
        self.assertEqual(second.status, 409)
        self.assertIn("inzwischen gespeichert", second.body)
        self.assertIn('value="Limburg"', second.body)  # the second writer's input is kept
        self.assertEqual(self.server.sql("SELECT city FROM organisations WHERE id = %s" % org_id),
                         "Wetzlar")

    def test_line_breaks_survive_the_edit_form(self):
        # ctemplate's HTML escaping turns line breaks into spaces: without :pre_escape in
        # the textareas every save of the form merged the paragraphs of "about".
        owner = login(self.server, self.owner)
        r = self.apply(owner, name="Zeilenumbruch Beratung e.V.",
                       about="Erster Absatz.\n\nZweiter <b>Absatz</b>.")
        page = owner.get(r.location).body
        self.assertIn(">Erster Absatz.\n\nZweiter &lt;b&gt;Absatz&lt;/b&gt;.</textarea>", page)

    def test_markdown_with_scripts_and_bad_links_comes_out_inert(self):
        org_id = self.published_org(
            "Beratungsstelle Inert e.V.",
            about="Hallo <script>alert(1)</script>\n\n[klick](javascript:alert(1)) "
                  "[web](https://beratung.example) <img src=x onerror=alert(1)>")
        body = Client(self.server).get("/organisationen/beratungsstelle-inert-e-v").body
        self.assertNotIn("<script>alert", body)
        self.assertNotIn("javascript:", body)
        self.assertNotIn("onerror", body)
        self.assertIn('<a rel="nofollow ugc" href="https://beratung.example">', body)

    def published_org(self, name, **over):
        owner = login(self.server, self.owner)
        r = self.apply(owner, name=name, **over)
        org_id = re.search(r"/meine-organisationen/(\d+)", r.location).group(1)
        he = login(self.server, self.editor_he)
        r = he.post("/redaktion/%s/entscheidung" % org_id, {"csrf": token_of(he), "action": "freigeben"})
        self.assertEqual(r.status, 303)
        return org_id

    def edit(self, client, org_id, **over):
        page = client.get("/meine-organisationen/%s" % org_id).body
        version = re.search(r'name="version" value="(\d+)"', page).group(1)
        return client.post("/meine-organisationen/%s" % org_id,
                           org_fields(harness_csrf(page), version=version, **over))

    def region_of(self, org_id):
        return self.server.sql("SELECT r.code FROM organisations o JOIN regions r "
                               "ON r.id = o.region_id WHERE o.id = %s" % org_id)

    def test_a_published_organisation_moves_to_another_association_only_by_review(self):
        org_id = self.published_org("Umzugshilfe Wechsel e.V.")
        owner = login(self.server, self.owner)
        r = self.edit(owner, org_id, name="Umzugshilfe Wechsel e.V.", region="by",
                      city="Würzburg")
        self.assertEqual((r.status, r.location),
                         (303, "/meine-organisationen/%s?hinweis=wechsel_beantragt" % org_id))
        self.assertIn("entscheidet dessen Redaktion", owner.get(r.location).body)
        # the other changes are saved, the association stays until its editors agree
        self.assertEqual(self.region_of(org_id), "he")
        self.assertEqual(self.server.sql("SELECT city FROM organisations WHERE id = %s" % org_id),
                         "Würzburg")
        self.server.wait_for_outbox_worked()
        self.assertTrue(any("wechseln" in m.subject and "Umzugshilfe Wechsel" in m.body
                            for m in self.server.mails(to=self.editor_by)))
        he, by = login(self.server, self.editor_he), login(self.server, self.editor_by)
        self.assertNotIn("Umzugshilfe Wechsel", he.get("/redaktion").body)
        queue = by.get("/redaktion").body
        self.assertIn("Umzugshilfe Wechsel e.V.", queue)
        self.assertIn("von Hessen nach Bayern", queue)
        path = "/redaktion/wechsel/%s/entscheidung" % org_id
        # the editors of the old association cannot decide it
        self.assertEqual(he.post(path, {"csrf": token_of(he), "action": "zustimmen"}).status, 404)
        self.assertEqual(by.post(path, {"csrf": token_of(by), "action": "vielleicht"}).status, 400)
        self.assertEqual(by.post(path, {"action": "zustimmen"}).status, 403)
        r = by.post(path, {"csrf": token_of(by), "action": "zustimmen"})
        self.assertEqual((r.status, r.location), (303, "/redaktion?hinweis=wechsel_bestaetigt"))
        self.assertEqual(self.region_of(org_id), "by")
        # the owner gets other mails of this class too: look for this one by its subject
        self.server.wait_for_outbox_worked()
        self.assertTrue(any("Wechsel des Landesverbands ist bestätigt" in m.subject
                            and "Umzugshilfe Wechsel" in m.body
                            for m in self.server.mails(to=self.owner)))
        self.assertIn("Umzugshilfe Wechsel e.V.",
                      Client(self.server).get("/organisationen?verband=by").body)
        # decided once: a second click finds nothing
        self.assertEqual(by.post(path, {"csrf": token_of(by), "action": "ablehnen"}).status, 404)

    def test_a_rejected_move_leaves_the_organisation_where_it_was(self):
        org_id = self.published_org("Bleibt in Hessen e.V.")
        owner = login(self.server, self.owner)
        self.assertEqual(self.edit(owner, org_id, name="Bleibt in Hessen e.V.", region="by").status,
                         303)
        by = login(self.server, self.editor_by)
        r = by.post("/redaktion/wechsel/%s/entscheidung" % org_id,
                    {"csrf": token_of(by), "action": "ablehnen"})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.region_of(org_id), "he")
        self.assertEqual(self.server.sql(
            "SELECT COUNT(*) FROM organisations WHERE id = %s AND requested_region_id IS NULL"
            % org_id), "1")
        # an application still under review may change its association freely
        r = self.apply(owner, name="Noch offen Wechsel e.V.")
        pending = re.search(r"/meine-organisationen/(\d+)", r.location).group(1)
        r = self.edit(owner, pending, name="Noch offen Wechsel e.V.", region="by")
        self.assertEqual(r.location, "/meine-organisationen/%s?hinweis=gespeichert" % pending)
        self.assertEqual(self.region_of(pending), "by")

    def test_the_preview_of_a_page_not_yet_public_has_a_working_qr_code(self):
        owner = login(self.server, self.owner)
        r = self.apply(owner, name="QR Vorschau Beratung e.V.")
        org_id = re.search(r"/meine-organisationen/(\d+)", r.location).group(1)
        page = owner.get("/meine-organisationen/%s" % org_id).body
        version = re.search(r'name="version" value="(\d+)"', page).group(1)
        r = owner.post("/meine-organisationen/%s" % org_id,
                       org_fields(harness_csrf(page), version=version, aktion="vorschau",
                                  name="QR Vorschau Beratung e.V."))
        self.assertEqual(r.status, 200)
        qr = re.search(r'<figure class="qr"><img src="([^"]+)"', r.body).group(1)
        self.assertEqual(qr, "/meine-organisationen/%s/qr.svg" % org_id)
        svg = owner.get(qr)
        self.assertEqual((svg.status, svg.headers["content-type"]), (200, "image/svg+xml"))
        self.assertIn("<svg", svg.body)
        # and the vCard link works too
        vcard = re.search(r'<a href="([^"]+\.vcf)" download>', r.body).group(1)
        self.assertEqual(vcard, "/meine-organisationen/%s/visitenkarte.vcf" % org_id)
        card = owner.get(vcard)
        self.assertEqual(card.status, 200)
        self.assertIn("BEGIN:VCARD", card.body)
        self.assertIn("QR Vorschau Beratung e.V.", card.body)
        # only its admins get them
        self.assertEqual(login(self.server, self.other).get(qr).status, 404)
        self.assertEqual(login(self.server, self.other).get(vcard).status, 404)

    def test_the_profile_dials_by_tap_and_shows_contact_first(self):
        self.published_org("Telefon Beratung e.V.", phone="0561 / 123-45")
        body = Client(self.server).get("/organisationen/telefon-beratung-e-v").body
        self.assertIn('<a href="tel:056112345">0561 / 123-45</a>', body)
        # contact comes before the long "about" text (phones show the page in this order)
        self.assertLess(body.index('id="contact-heading"'), body.index('id="about-heading"'))
        # German content is marked as such, also inside an English page
        english = Client(self.server).get("/organisationen/telefon-beratung-e-v",
                                          headers={"Cookie": "sprache=en"}).body
        self.assertIn('<html lang="en">', english)
        self.assertIn('<h1 lang="de">Telefon Beratung e.V.</h1>', english)
        self.assertIn('<div class="prose" lang="de">', english)

    def test_old_slugs_redirect_permanently(self):
        org_id = self.published_org("Suchthilfe Umzug e.V.")
        self.server.sql("INSERT INTO organisation_slugs (slug, organisation_id) VALUES ('alter-name', %s)" % org_id)
        r = Client(self.server).get("/organisationen/alter-name")
        self.assertEqual(r.status, 301)
        self.assertEqual(r.location, "/organisationen/suchthilfe-umzug-e-v")


    def test_preview_shows_the_typed_changes_and_saves_nothing_until_asked(self):
        owner = login(self.server, self.owner)
        r = self.apply(owner, name="Vorschau Beratung e.V.")
        org_id = re.search(r"/meine-organisationen/(\d+)", r.location).group(1)
        page = owner.get("/meine-organisationen/%s" % org_id)
        self.assertIn('value="vorschau"', page.body)
        version = re.search(r'name="version" value="(\d+)"', page.body).group(1)
        token = owner.csrf_for("/meine-organisationen/%s" % org_id)
        fields = org_fields(token, name="Vorschau Beratung Neu e.V.", version=version,
                            about="Erster Absatz.\n\nZweiter **Absatz**.")
        r = owner.post("/meine-organisationen/%s" % org_id, fields + [("aktion", "vorschau")])
        self.assertEqual(r.status, 200)
        self.assertIn("Noch ist nichts gespeichert", r.body)
        self.assertIn('<h1 lang="de">Vorschau Beratung Neu e.V.</h1>', r.body)
        self.assertIn("<strong>Absatz</strong>", r.body)
        self.assertEqual(self.server.sql("SELECT name FROM organisations WHERE id = %s" % org_id),
                         "Vorschau Beratung e.V.")
        # The preview carries the typed values on: back to the form, or save them.
        hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', r.body)
        data = [(html.unescape(k), html.unescape(v)) for k, v in hidden]
        self.assertIn(("about", "Erster Absatz.\n\nZweiter **Absatz**."), data)
        back = owner.post("/meine-organisationen/%s" % org_id, data + [("aktion", "bearbeiten")])
        self.assertEqual(back.status, 200)
        self.assertIn('value="Vorschau Beratung Neu e.V."', back.body)
        saved = owner.post("/meine-organisationen/%s" % org_id, data + [("aktion", "speichern")])
        self.assertEqual(saved.status, 303)
        self.assertEqual(self.server.sql("SELECT about FROM organisations WHERE id = %s" % org_id),
                         "Erster Absatz.\n\nZweiter **Absatz**.")
        # Bad input in the preview goes back to the form with the message at the field.
        bad = owner.post("/meine-organisationen/%s" % org_id,
                         org_fields(token, version=str(int(version) + 1), postcode="12") +
                         [("aktion", "vorschau")])
        self.assertEqual(bad.status, 422)
        self.assertIn('id="postcode-error"', bad.body)

    def test_profile_has_json_ld_open_graph_vcard_and_qr_code(self):
        self.published_org("Schuldnerberatung </script> Wetzlar e.V.",
                           about="Beratung", short_description="Kostenlose Beratung bei Schulden; "
                           "auch in leichter Sprache, \"ohne\" Termin.")
        slug = "schuldnerberatung-script-wetzlar-e-v"
        page = Client(self.server).get("/organisationen/" + slug)
        self.assertEqual(page.status, 200)
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.body, re.S)
        self.assertEqual(len(blocks), 1)
        data = json.loads(blocks[0])
        self.assertEqual(data["@type"], "Organization")
        self.assertEqual(data["name"], "Schuldnerberatung </script> Wetzlar e.V.")
        self.assertEqual(data["address"]["postalCode"], "35390")
        self.assertEqual(data["address"]["addressLocality"], "Gießen")
        self.assertTrue(data["url"].endswith("/organisationen/" + slug))
        self.assertIn('<meta property="og:title" content="Schuldnerberatung &lt;/script&gt; Wetzlar e.V.">',
                      page.body)
        self.assertIn('<link rel="canonical" href="http://', page.body)

        v = Client(self.server).get("/organisationen/%s/visitenkarte.vcf" % slug)
        self.assertEqual(v.status, 200)
        self.assertEqual(v.headers["content-type"], "text/vcard; charset=utf-8")
        self.assertIn("attachment", v.headers["content-disposition"])
        self.assertIn("BEGIN:VCARD\r\nVERSION:4.0\r\n", v.body)
        self.assertIn("ADR;TYPE=work:;;Marburger Straße 12;Gießen;", v.body)

        q = Client(self.server).get("/organisationen/%s/qr.svg" % slug)
        self.assertEqual(q.status, 200)
        self.assertEqual(q.headers["content-type"], "image/svg+xml")
        self.assertTrue(q.body.startswith("<svg "))
        # Pending or unknown organisations have neither.
        for path in ("/organisationen/gibt-es-nicht/visitenkarte.vcf",
                     "/organisationen/gibt-es-nicht/qr.svg"):
            self.assertEqual(Client(self.server).get(path).status, 404)


class SlugRaceTest(unittest.TestCase):
    """Ten registrations of organisations with the same name at the same moment."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.owner = unique_email("slugs")
        cls.server.add_user(cls.owner, name="Sina Slug")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_ten_parallel_registrations_of_one_name_get_ten_distinct_slugs(self):
        owner = login(self.server, self.owner)
        token = owner.csrf_for("/meine-organisationen/neu")
        name = "Nachbarschaftshilfe Gleichzeitig e.V."
        results = in_parallel(10, lambda i: clone(owner).post(
            "/meine-organisationen/neu", org_fields(token, name=name)))
        statuses = [getattr(r, "status", repr(r)) for r in results]
        self.assertEqual(statuses, [303] * 10, statuses)
        rows = self.server.sql("SELECT slug FROM organisations WHERE name = '%s'" % name).split()
        self.assertEqual(len(rows), 10, rows)
        self.assertEqual(len(set(rows)), 10, rows)
        self.assertIn("nachbarschaftshilfe-gleichzeitig-e-v", rows)


def token_of(client):
    return client.csrf_for("/redaktion")


class DirectoryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.server.cli("demo")
        cls.client = Client(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def names(self, query):
        body = self.client.get("/organisationen?" + query).body
        return re.findall(r'<h3 lang="de"><a href="/organisationen/[^"]+">([^<]+)</a></h3>', body)

    def cards(self, query):
        """(name, distance in km or None) of each card."""
        body = self.client.get("/organisationen?" + query).body
        out = []
        for card in body.split('<li class="card">')[1:]:
            name = re.search(r'<h3 lang="de"><a href="/organisationen/[^"]+">([^<]+)</a>', card)
            dist = re.search(r'<strong class="distance">([0-9.,]+) (k?m)</strong>', card)
            km = None
            if dist:
                km = float(dist.group(1).replace(",", ".")) / (1000 if dist.group(2) == "m" else 1)
            out.append((html.unescape(name.group(1)), km))
        return out

    def test_a_postcode_or_place_finds_organisations_nearest_first_with_the_distance(self):
        for q in ("50825", "51103", "K%C3%B6ln", "Koeln", "50825+K%C3%B6ln"):
            with self.subTest(q=q):
                cards = self.cards("q=%s&umkreis=50" % q)
                self.assertTrue(cards, q)
                self.assertEqual(cards[0][0], "Familienzentrum Veedelsknirpse Ehrenfeld e.V.")
                distances = [km for _, km in cards]
                self.assertNotIn(None, distances)
                self.assertEqual(distances, sorted(distances))
                self.assertLessEqual(distances[-1], 50)
        body = self.client.get("/organisationen?q=50825").body
        self.assertIn("In und um 50825 Köln, bis 25 km, die nächsten zuerst.", body)
        # the radius is a named field of the search form, and the credit for the data
        self.assertIn('<select id="umkreis" name="umkreis">', body)
        self.assertIn('<option value="25" selected>25 km</option>', body)
        self.assertIn("GeoNames (CC BY 4.0)", body)

    def test_a_name_that_is_also_a_place_finds_the_organisation_and_offers_the_place(self):
        # "Sonnenberg" is a place too, but far from "Jugendhilfe Sonnenberg gGmbH"
        body = self.client.get("/organisationen?q=Sonnenberg").body
        names = self.names("q=Sonnenberg")
        self.assertTrue(names and all("Sonnenberg" in n for n in names), names)
        self.assertIn("Organisationen mit „Sonnenberg“ im Namen", body)
        link = re.search(r'<a href="(/organisationen\?q=Sonnenberg&amp;als=ort)">Oder suchen Sie '
                         r'Organisationen in und um ([^<?]+)\?</a>', body)
        self.assertTrue(link, body[body.index("<main"):body.index("<main") + 3000])
        self.assertNotIn('class="distance"', body)
        # the map shows the same organisations as the list
        points = json.loads(self.client.get("/organisationen/karte.json?q=Sonnenberg").body)
        self.assertEqual(sorted(p["name"] for p in points["points"]), sorted(map(html.unescape, names)))
        # the link keeps it a place search, also when the visitor changes the radius
        place = self.client.get(html.unescape(link.group(1))).body
        self.assertIn("um " + link.group(2).strip(), place)
        self.assertIn('class="distance"', place)
        self.assertIn('<input type="hidden" name="als" value="ort">', place)
        # a place where organisations are stays a place search ("Kassel" is in names too)
        body = self.client.get("/organisationen?q=Kassel").body
        self.assertIn("In und um", body)
        self.assertNotIn("Oder suchen Sie", body)

    def test_words_and_a_place_together_and_nearby_when_nothing_is_that_near(self):
        # "Kita Köln": the words are searched, the place orders (and here widens)
        body = self.client.get("/organisationen?q=Familie+K%C3%B6ln&umkreis=5").body
        self.assertIn("um Köln", body)
        cards = self.cards("q=Familie+K%C3%B6ln&umkreis=50")
        self.assertEqual(cards[0][0], "Familienzentrum Veedelsknirpse Ehrenfeld e.V.")
        # a village far from every demo organisation: the nearest are offered, and said so
        body = self.client.get("/organisationen?q=25999&umkreis=5").body
        self.assertIn("Im Umkreis von 5 km um 25999", body)
        self.assertIn("Das sind die nächsten.", body)
        far = self.cards("q=25999&umkreis=5")
        self.assertTrue(far)
        self.assertEqual([km for _, km in far], sorted(km for _, km in far))
        self.assertGreater(far[0][1], 5)

    def test_a_bad_radius_is_refused(self):
        for value in ("7", "abc", "-5", "1000"):
            with self.subTest(umkreis=value):
                r = self.client.get("/organisationen?q=50825&umkreis=" + value)
                self.assertEqual(r.status, 400)
                self.assertIn("5, 10, 25 oder 50 km", r.body)

    def test_the_bundesland_comes_from_the_postcode(self):
        owner = unique_email("plz-land")
        self.server.add_user(owner)
        c = login(self.server, owner)
        r = c.post("/meine-organisationen/neu",
                   org_fields(c.csrf_for("/meine-organisationen/neu"), name="Kölner Tafel Land e.V.",
                              region="nw", postcode="50825", city="Köln"))
        self.assertEqual(r.status, 303)
        self.assertEqual(self.server.sql(
            "SELECT state FROM organisations WHERE name = 'Kölner Tafel Land e.V.'"),
            "Nordrhein-Westfalen")
        body = self.client.get("/organisationen").body
        self.assertIn("Landesverband (Mitgliedschaft)", body)
        self.assertIn("Bundesland (wo sie ist)", body)

    def test_stemmed_umlaut_and_prefix_forms_find_organisations(self):
        self.assertTrue(any("Familienzentrum" in n for n in self.names("q=Familienzentren")))
        self.assertTrue(any("Familienzentrum Regenbogen" in n for n in self.names("q=Kindern")))
        self.assertTrue(any("Fürth" in n for n in self.names("q=Fuerth")))
        self.assertTrue(any("Seniorenhilfe" in n for n in self.names("q=Hilfe")))
        self.assertTrue(any("Familienzentrum" in n for n in self.names("q=Familienz")))

    def test_facet_counts_agree_with_the_rows(self):
        body = self.client.get("/organisationen").body
        facets = re.findall(r'<a href="(/organisationen\?feld=[^"]+)"[^>]*>[^<]+</a> <span class="count">\((\d+)\)</span>', body)
        self.assertTrue(facets)
        for url, count in facets:
            page = self.client.get(url.replace("&amp;", "&")).body
            total = re.search(r'<h2 id="results-heading"[^>]*>(\d+) Organisation', page).group(1)
            self.assertEqual(total, count, url)

    def test_only_the_chosen_facet_is_marked_active(self):
        body = self.client.get("/organisationen?q=Kindern&feld=familie").body
        self.assertEqual(body.count('aria-current="true"'), 1)
        self.assertIn("Eingegrenzt auf <strong>Familie</strong>", body)

    def test_every_search_is_a_plain_url_and_bad_parameters_are_refused(self):
        self.assertEqual(self.client.get("/organisationen?q=Familie&sortierung=name&seite=1").status, 200)
        self.assertEqual(self.client.get("/organisationen?sortierung=beliebig").status, 400)
        self.assertEqual(self.client.get("/organisationen?seite=0").status, 400)
        self.assertEqual(self.client.get("/organisationen?seite=abc").status, 400)
        self.assertEqual(self.client.get("/organisationen?q=" + "x" * 300).status, 400)
        empty = self.client.get("/organisationen?q=xyzzyqq").body
        self.assertIn("Keine Organisation passt zu", empty)
        self.assertIn("Alle Filter zurücksetzen", empty)


if __name__ == "__main__":
    unittest.main()
