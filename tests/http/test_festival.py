"""The Digital-Festival's call for proposals over HTTP, for every role: members submit
(bad input re-rendered at its field, nothing written; a receipt mail), change and
withdraw their organisation's proposals while that is allowed; only assigned
reviewers review, each only in their region and never their own organisation, with
anonymous review hiding who submitted, every category scored, and "save and next" to
the least-reviewed proposal; only the committee decides, in bulk, each decision
mailed, and the reviewers' comments reach submitters only when the decision includes
them; accepted proposals are scheduled into the programme (by day and slot, with
topic and format filters, and a calendar feed read back by python3-icalendar). Runs
on SQLite and, as http.pg.test_festival, on PostgreSQL.
"""

import datetime
import time
import unittest
import uuid
import zoneinfo

import icalendar

import test_events
from harness import Server, ServerTestCase, signed_in_client, unique_email

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
DAY = 86400
SECRET_COMMENT = "Interner Hinweis: Referentin war letztes Jahr unpuenktlich"


class FestivalTest(ServerTestCase):
    mail_to = test_events.EventsTest.mail_to

    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.server.cli("demo")
        rows = cls.server.sql(
            "SELECT o.id, o.slug, r.code FROM organisations o JOIN regions r ON r.id = o.region_id "
            "WHERE o.status = 'published' ORDER BY o.id LIMIT 40").splitlines()
        orgs = [r.split("|") for r in rows]
        # Two organisations in different regional associations.
        first = orgs[0]
        second = next(o for o in orgs if o[2] != first[2])
        cls.org, cls.org_slug, cls.region = int(first[0]), first[1], first[2]
        cls.other_org, cls.other_slug, cls.other_region = int(second[0]), second[1], second[2]
        cls.emails = {name: unique_email("fe-" + name) for name in
                      ("member", "colleague", "other_member", "reviewer", "region_reviewer",
                       "far_reviewer", "own_reviewer", "admin", "plain")}
        add = cls.server.add_user
        add(cls.emails["member"], role="org_member", extra=["--org", cls.org_slug],
            name="Mia Mitglied")
        add(cls.emails["colleague"], role="org_admin", extra=["--org", cls.org_slug])
        add(cls.emails["other_member"], role="org_admin", extra=["--org", cls.other_slug])
        add(cls.emails["reviewer"], role="online_scout", name="Rita Review")
        add(cls.emails["region_reviewer"], role="regional_editor", extra=["--region", cls.region])
        add(cls.emails["far_reviewer"], role="regional_editor",
            extra=["--region", cls.other_region])
        # A reviewer for everything who is a member of the submitting organisation.
        add(cls.emails["own_reviewer"], role="org_member", extra=["--org", cls.org_slug])
        add(cls.emails["admin"], role="platform_admin")
        add(cls.emails["plain"])
        cls.region_id = int(cls.server.sql("SELECT id FROM regions WHERE code = '%s'" % cls.region))
        cls.other_region_id = int(cls.server.sql(
            "SELECT id FROM regions WHERE code = '%s'" % cls.other_region))

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def as_(self, name):
        return signed_in_client(self.server, self.emails[name])

    # --- fixtures -------------------------------------------------------------------

    def festival(self, phase="submission", anonymous=0):
        """A festival straight in the database whose call is in `phase` now, with two
        categories and the standard reviewers; returns its slug."""
        now = int(time.time())
        opens, closes, review_closes, decisions_by, starts = {
            "submission": (-5, 5, 10, 15, 20),
            "review": (-20, -1, 5, 10, 15),
            "decision": (-30, -20, -1, 5, 10)}[phase]
        opens, closes, review_closes, decisions_by = (now + d * DAY for d in (
            opens, closes, review_closes, decisions_by))
        starts = now + starts * DAY
        starts -= starts % 3600
        slug = "fest-" + uuid.uuid4().hex[:8]
        self.server.sql(
            "INSERT INTO festivals (slug, title, summary, starts_at, ends_at, submission_opens_at, "
            "submission_closes_at, review_closes_at, decisions_by, anonymous_review, created_at) "
            "VALUES ('%s', 'Testfestival %s', 'Eine Woche', %d, %d, %d, %d, %d, %d, %d, %d)"
            % (slug, slug, starts, starts + 5 * DAY, opens, closes, review_closes, decisions_by,
               anonymous, now))
        fid = self.fid(slug)
        for pos, name in enumerate(("Nutzen", "Praxisnähe"), 1):
            self.server.sql("INSERT INTO festival_categories (festival_id, name, position) "
                            "VALUES (%d, '%s', %d)" % (fid, name, pos))
        admin = self.as_("admin")
        for who, region in (("reviewer", ""), ("region_reviewer", str(self.region_id)),
                            ("far_reviewer", str(self.other_region_id)), ("own_reviewer", "")):
            r = admin.post("/festival/%s/gutachter" % slug,
                           {"csrf": admin.csrf_for("/festival/%s/verwaltung" % slug),
                            "email": self.emails[who], "region": region, "thema": ""})
            self.assertEqual(r.status, 303, r.body[:2000])
        return slug

    def fid(self, slug):
        return int(self.server.sql("SELECT id FROM festivals WHERE slug = '%s'" % slug))

    def set_phase(self, slug, phase):
        now = int(time.time())
        if phase == "review":
            self.server.sql("UPDATE festivals SET submission_closes_at = %d WHERE slug = '%s'"
                            % (now - 60, slug))
        elif phase == "decision":
            self.server.sql("UPDATE festivals SET submission_closes_at = %d, review_closes_at = %d "
                            "WHERE slug = '%s'" % (now - 120, now - 60, slug))

    def proposal_fields(self, **kw):
        data = {"titel": "Videoberatung sicher einrichten",
                "beschreibung": "Wir zeigen **Schritt für Schritt**, wie es geht.",
                "art": "workshop", "format": "online", "thema": "datenschutz", "dauer": "60",
                "mitwirkende": "Anna Beispiel", "hinweise": "Gern am Vormittag."}
        data.update(kw)
        return data

    def submit(self, slug, who="member", **kw):
        c = self.as_(who)
        page = "/festival/%s/einreichen" % slug
        data = {"csrf": c.csrf_for(page)}
        data.update(self.proposal_fields(**kw))
        r = c.post(page, data)
        self.assertEqual(r.status, 303, r.body[:3000])
        return int(r.location.split("/vorschlag/")[1].split("?")[0])

    def proposals(self, slug):
        return int(self.server.sql("SELECT count(*) FROM proposals WHERE festival_id = %d"
                                   % self.fid(slug)))

    def review(self, who, slug, pid, scores=(4, 5), comment="", next_=False):
        c = self.as_(who)
        page = "/festival/%s/begutachtung/%d" % (slug, pid)
        ids = self.server.sql("SELECT id FROM festival_categories WHERE festival_id = %d "
                              "ORDER BY position" % self.fid(slug)).split()
        data = {"csrf": c.csrf_for("/festival/" + slug), "kommentar": comment}
        for cid, s in zip(ids, scores):
            data["k" + cid] = str(s)
        if next_:
            data["weiter"] = "ja"
        return c.post(page, data)

    def decide(self, slug, ids, decision, reason="", comments=False):
        c = self.as_("admin")
        fields = [("csrf", c.csrf_for("/festival/%s/verwaltung" % slug)),
                  ("entscheidung", decision), ("grund", reason)]
        fields += [("vorschlag", str(i)) for i in ids]
        if comments:
            fields.append(("kommentare", "ja"))
        return c.post("/festival/%s/entscheidungen" % slug, fields)

    def submit_in_review(self, slug):
        """A proposal withdrawn straight in the database (the festival is past submission)."""
        fid = self.fid(slug)
        now = int(time.time())
        self.server.sql(
            "INSERT INTO proposals (festival_id, organisation_id, region_id, title, abstract, "
            "kind, format, topic, duration_minutes, status, created_at, updated_at) VALUES "
            "(%d, %d, %d, 'Zurückgezogen', 'x', 'talk', 'online', 'ki', 30, 'withdrawn', %d, %d)"
            % (fid, self.org, self.region_id, now, now))
        return int(self.server.sql("SELECT max(id) FROM proposals WHERE festival_id = %d" % fid))

    def status(self, pid):
        return self.server.sql("SELECT status FROM proposals WHERE id = %d" % pid)

    # --- who may --------------------------------------------------------------------

    def test_every_page_answers_each_role_as_it_should(self):
        slug = self.festival()
        pid = self.submit(slug)
        base = "/festival/" + slug
        visitor = self.server.client()
        self.assertEqual(visitor.get(base).status, 200)
        self.assertEqual(visitor.get(base + "/programm").status, 200)
        for path in ("/einreichen", "/meine-vorschlaege", "/begutachtung", "/verwaltung",
                     "/vorschlag/%d" % pid):
            with self.subTest(visitor=path):
                self.assertEqual(visitor.get(base + path).status, 303)
        expect = {
            "/einreichen": {"member": 200, "other_member": 200, "plain": 403, "reviewer": 403,
                            "admin": 403},
            "/vorschlag/%d" % pid: {"member": 200, "colleague": 200, "other_member": 404,
                                    "plain": 404, "reviewer": 404, "admin": 404},
            "/begutachtung": {"member": 403, "plain": 403, "reviewer": 200, "far_reviewer": 200,
                              "admin": 403},
            "/verwaltung": {"member": 403, "reviewer": 403, "plain": 403, "admin": 200},
            "/verwaltung/%d" % pid: {"member": 403, "reviewer": 403, "admin": 200},
        }
        for path, roles in expect.items():
            for who, code in roles.items():
                with self.subTest(path=path, who=who):
                    self.assertEqual(self.as_(who).get(base + path).status, code)
        # The refusals say why, in German.
        self.assertIn("Mitgliedsorganisationen ein", self.as_("plain").get(base + "/einreichen").body)
        self.assertIn("Festivalteam", self.as_("member").get(base + "/verwaltung").body)
        self.assertEqual(self.as_("member").get("/festival/gibt-es-nicht").status, 404)
        # Others' POSTs change nothing.
        plain = self.as_("plain")
        token = plain.csrf_for(base)
        for path, fields in (("/entscheidungen", [("entscheidung", "accepted"),
                                                  ("vorschlag", str(pid))]),
                             ("/vorschlag/%d/zurueckziehen" % pid, [("bestaetigt", "ja")]),
                             ("/vorschlag/%d/bearbeiten" % pid, list(self.proposal_fields(
                                 titel="Gekapert").items())),
                             ("/gutachter", [("email", self.emails["plain"])])):
            with self.subTest(post=path):
                r = plain.post(base + path, [("csrf", token)] + fields)
                self.assertIn(r.status, (403, 404))
        self.assertEqual(self.status(pid), "submitted")
        self.assertEqual(self.server.sql("SELECT title FROM proposals WHERE id = %d" % pid),
                         "Videoberatung sicher einrichten")

    # --- submitting -----------------------------------------------------------------

    def test_bad_proposals_come_back_with_the_message_at_the_field(self):
        slug = self.festival()
        c = self.as_("member")
        page = "/festival/%s/einreichen" % slug
        before = self.proposals(slug)
        cases = [
            ({"titel": "  "}, "titel", "Bitte geben Sie einen Titel ein."),
            ({"titel": "x" * 151}, "titel", "höchstens 150 Zeichen"),
            ({"beschreibung": ""}, "beschreibung", "Bitte beschreiben Sie Ihr Angebot."),
            ({"beschreibung": "a" * 3001}, "beschreibung", "höchstens 3.000 Zeichen"),
            ({"art": "party"}, "art", "Art des Angebots"),
            ({"format": "mond"}, "format", "online, vor Ort oder hybrid"),
            ({"thema": "kochen"}, "thema", "Bitte wählen Sie ein Thema."),
            ({"dauer": "50"}, "dauer", "angebotenen Längen"),
            ({"mitwirkende": "m" * 301}, "mitwirkende", "höchstens 300 Zeichen"),
            ({"hinweise": "h" * 1001}, "hinweise", "höchstens 1.000 Zeichen"),
        ]
        for fields, field, text in cases:
            with self.subTest(field=field, value=str(fields)[:40]):
                data = {"csrf": c.csrf_for(page)}
                data.update(self.proposal_fields(**fields))
                r = c.post(page, data)
                self.assertEqual(r.status, 422)
                self.assertIn('id="%s-error"' % field, r.body)
                self.assertIn(text, r.body)
                # The rest of the input is still there.
                if field != "titel":
                    self.assertIn('value="Videoberatung sicher einrichten"', r.body)
        self.assertEqual(self.proposals(slug), before)

    def test_a_member_submits_changes_and_withdraws_a_proposal(self):
        slug = self.festival()
        pid = self.submit(slug)
        mail = self.mail_to(self.emails["member"], "Vorschlag ist eingegangen")
        self.assertIn("Videoberatung sicher einrichten", mail.body)
        self.assertIn("/festival/%s/vorschlag/%d" % (slug, pid), mail.body)
        # The colleague of the same organisation sees it, with its status.
        colleague = self.as_("colleague")
        mine = colleague.get("/festival/%s/meine-vorschlaege" % slug).body
        self.assertIn("Videoberatung sicher einrichten", mine)
        self.assertIn("eingereicht", mine)
        page = "/festival/%s/vorschlag/%d" % (slug, pid)
        self.assertIn("<strong>Schritt für Schritt</strong>", colleague.get(page).body)
        # Changing it while submission is open.
        edit = page + "/bearbeiten"
        data = {"csrf": colleague.csrf_for(edit)}
        data.update(self.proposal_fields(titel="Videoberatung datenschutzfreundlich"))
        self.assertEqual(colleague.post(edit, data).status, 303)
        self.assertEqual(self.server.sql("SELECT title FROM proposals WHERE id = %d" % pid),
                         "Videoberatung datenschutzfreundlich")
        bad = dict(data, titel="")
        r = colleague.post(edit, bad)
        self.assertEqual(r.status, 422)
        self.assertIn('id="titel-error"', r.body)
        # Withdrawing needs the tick.
        c = self.as_("member")
        r = c.post(page + "/zurueckziehen", {"csrf": c.csrf_for(page)})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.status(pid), "submitted")
        r = c.post(page + "/zurueckziehen", {"csrf": c.csrf_for(page), "bestaetigt": "ja"})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.status(pid), "withdrawn")
        self.assertEqual(c.get(edit).status, 403)  # withdrawn: no more changes

    def test_after_submission_closes_nothing_new_and_no_changes(self):
        slug = self.festival()
        pid = self.submit(slug)
        self.set_phase(slug, "review")
        c = self.as_("member")
        page = "/festival/%s/einreichen" % slug
        r = c.get(page)
        self.assertEqual(r.status, 403)
        self.assertIn("Die Einreichung für dieses Festival ist geschlossen.", r.body)
        token = c.csrf_for("/festival/" + slug)
        data = {"csrf": token}
        data.update(self.proposal_fields())
        self.assertEqual(c.post(page, data).status, 403)
        self.assertEqual(c.get("/festival/%s/vorschlag/%d/bearbeiten" % (slug, pid)).status, 403)
        r = c.post("/festival/%s/vorschlag/%d/bearbeiten" % (slug, pid),
                   dict(data, titel="Zu spät"))
        self.assertEqual(r.status, 409)
        self.assertEqual(self.proposals(slug), 1)

    # --- reviewing ------------------------------------------------------------------

    def test_reviewers_see_their_scope_score_every_category_and_go_on(self):
        slug = self.festival(anonymous=1)
        mine = self.submit(slug)  # the member's organisation, region A
        far = self.submit(slug, who="other_member", titel="Instagram im Verein", thema="social_media")
        # Not before review opens.
        r = self.review("reviewer", slug, mine)
        self.assertEqual(r.status, 409)
        self.assertEqual(self.server.sql("SELECT count(*) FROM proposal_reviews"
                                         " WHERE proposal_id = %d" % mine), "0")
        self.set_phase(slug, "review")
        base = "/festival/%s/begutachtung" % slug
        # The region reviewer sees region A only; the far one region B only; the
        # reviewer of the submitting organisation never sees its proposal.
        self.assertEqual(self.as_("region_reviewer").get("%s/%d" % (base, far)).status, 404)
        self.assertEqual(self.as_("far_reviewer").get("%s/%d" % (base, mine)).status, 404)
        self.assertEqual(self.as_("own_reviewer").get("%s/%d" % (base, mine)).status, 404)
        self.assertEqual(self.review("far_reviewer", slug, mine).status, 404)
        listing = self.as_("region_reviewer").get(base).body
        self.assertIn("Videoberatung sicher einrichten", listing)
        self.assertNotIn("Instagram im Verein", listing)
        # Anonymous: who submitted is not on the reviewer's pages.
        page = self.as_("reviewer").get("%s/%d" % (base, mine)).body
        org_name = self.server.sql("SELECT name FROM organisations WHERE id = %d" % self.org)
        self.assertNotIn(org_name, page)
        self.assertNotIn("Anna Beispiel", page)
        self.assertIn("Anonyme Begutachtung", page)
        # Every category needs a score 1-5; the comment is kept on error.
        r = self.review("reviewer", slug, mine, scores=(4,), comment="Gut gemacht")
        self.assertEqual(r.status, 422)
        self.assertIn("Praxisnähe: Bitte wählen Sie eine Bewertung von 1 bis 5.", r.body)
        self.assertIn("Gut gemacht", r.body)
        r = self.review("reviewer", slug, mine, scores=(4, 9))
        self.assertEqual(r.status, 422)
        self.assertEqual(self.server.sql("SELECT count(*) FROM proposal_reviews"
                                         " WHERE proposal_id = %d" % mine), "0")
        # Save and next: to the other proposal (the least reviewed one not scored yet).
        r = self.review("reviewer", slug, mine, scores=(4, 5), next_=True)
        self.assertEqual(r.status, 303)
        self.assertIn("%s/%d" % (base, far), r.location)
        r = self.review("reviewer", slug, far, scores=(2, 3), next_=True)
        self.assertEqual(r.status, 303)
        self.assertIn("alles_begutachtet", r.location)
        # Saving again replaces the review.
        self.assertEqual(self.review("reviewer", slug, mine, scores=(1, 1)).status, 303)
        self.assertEqual(self.server.sql(
            "SELECT count(*), CAST(sum(s.score) AS BIGINT) FROM proposal_reviews pr JOIN review_scores s "
            "ON s.review_id = pr.id WHERE pr.proposal_id = %d" % mine), "2|2")
        # Review closed: the form is gone and a POST is refused.
        self.set_phase(slug, "decision")
        page = self.as_("reviewer").get("%s/%d" % (base, mine)).body
        self.assertIn("Die Begutachtung ist abgeschlossen.", page)
        self.assertNotIn('name="weiter"', page)
        self.assertEqual(self.review("reviewer", slug, mine, scores=(5, 5)).status, 409)

    # --- deciding -------------------------------------------------------------------

    def test_bulk_decisions_are_mailed_and_comments_only_when_included(self):
        slug = self.festival()
        a = self.submit(slug, titel="Angebot A")
        b = self.submit(slug, titel="Angebot B")
        c = self.submit(slug, titel="Angebot C")
        self.set_phase(slug, "review")
        for pid in (a, b, c):
            self.assertEqual(self.review("reviewer", slug, pid, comment=SECRET_COMMENT).status, 303)
        # The committee sees reviews and averages.
        detail = self.as_("admin").get("/festival/%s/verwaltung/%d" % (slug, a)).body
        self.assertIn(SECRET_COMMENT, detail)
        self.assertIn("4,5", detail)
        # Bad decisions: nothing chosen, no decision, a decline without reason.
        for ids, decision, reason, field in (([], "accepted", "", "vorschlaege"),
                                             ([a], "", "", "entscheidung"),
                                             ([a], "declined", " ", "grund")):
            with self.subTest(field=field):
                r = self.decide(slug, ids, decision, reason)
                self.assertEqual(r.status, 422)
                self.assertIn('id="%s-error"' % field, r.body)
        self.assertEqual(self.status(a), "submitted")
        # Accept two without comments, decline one with them.
        self.assertEqual(self.decide(slug, [a, b], "accepted").status, 303)
        self.assertEqual(self.decide(slug, [c], "declined", "Thema schon vergeben.",
                                     comments=True).status, 303)
        self.assertEqual([self.status(p) for p in (a, b, c)], ["accepted", "accepted", "declined"])
        to = self.emails["member"]
        accepted = self.mail_to(to, "Angenommen: „Angebot A“")
        self.assertNotIn(SECRET_COMMENT, accepted.body)
        self.mail_to(to, "Angenommen: „Angebot B“")
        declined = self.mail_to(to, "Entscheidung zu „Angebot C“")
        self.assertIn("Thema schon vergeben.", declined.body)
        self.assertIn(SECRET_COMMENT, declined.body)
        self.assertNotIn("Rita Review", declined.body)  # comments without names
        # The submitters' pages show what the mail said, and nothing more.
        member = self.as_("member")
        self.assertNotIn(SECRET_COMMENT,
                         member.get("/festival/%s/vorschlag/%d" % (slug, a)).body)
        page_c = member.get("/festival/%s/vorschlag/%d" % (slug, c)).body
        self.assertIn("Thema schon vergeben.", page_c)
        self.assertIn(SECRET_COMMENT, page_c)
        # A withdrawn proposal is left out of a decision.
        w = self.submit_in_review(slug)
        self.assertEqual(self.decide(slug, [w], "declined", "Nein.").status, 303)
        self.assertIn("nichts_entschieden", self.decide(slug, [w], "declined", "Nein.").location)
        self.assertEqual(self.status(w), "withdrawn")

    def test_changes_requested_reopens_the_proposal_until_decisions(self):
        slug = self.festival()
        pid = self.submit(slug)
        self.set_phase(slug, "decision")
        self.assertEqual(self.decide(slug, [pid], "changes_requested",
                                     "Bitte nennen Sie die Zielgruppe.").status, 303)
        self.mail_to(self.emails["member"], "Bitte um Änderungen")
        c = self.as_("member")
        edit = "/festival/%s/vorschlag/%d/bearbeiten" % (slug, pid)
        page = c.get(edit)
        self.assertEqual(page.status, 200)
        self.assertIn("bittet um Änderungen", self.as_("member").get(
            "/festival/%s/vorschlag/%d" % (slug, pid)).body)
        data = {"csrf": c.csrf_for(edit)}
        data.update(self.proposal_fields(beschreibung="Für Beratungsstellen ohne IT-Abteilung."))
        self.assertEqual(c.post(edit, data).status, 303)
        self.assertEqual(self.status(pid), "submitted")

    # --- the programme --------------------------------------------------------------

    def test_accepted_proposals_are_scheduled_into_the_programme(self):
        slug = self.festival()
        a = self.submit(slug, titel="Workshop Datenschutz", thema="datenschutz", format="online")
        b = self.submit(slug, titel="Vor-Ort-Treffen", thema="austausch", format="in_person",
                        dauer="90")
        self.set_phase(slug, "decision")
        self.assertEqual(self.decide(slug, [a, b], "accepted").status, 303)
        starts = int(self.server.sql("SELECT starts_at FROM festivals WHERE slug = '%s'" % slug))
        # The festival starts at some hour of its first day: the second day is all inside.
        first_day = datetime.datetime.fromtimestamp(starts + DAY, BERLIN).date().isoformat()
        admin = self.as_("admin")
        detail = "/festival/%s/verwaltung/%d" % (slug, a)
        token = admin.csrf_for(detail)
        # Outside the festival week, a bad time, bad places: at the field, nothing made.
        for fields, field in (({"datum": "2001-01-01", "von": "10:00"}, "datum"),
                              ({"datum": first_day, "von": "25:99"}, "von"),
                              ({"datum": first_day, "von": "10:00", "plaetze": "viele"},
                               "plaetze")):
            with self.subTest(field=field):
                r = admin.post(detail + "/einplanen", dict(fields, csrf=token))
                self.assertEqual(r.status, 422)
                self.assertIn('id="%s-error"' % field, r.body)
        self.assertEqual(self.server.sql("SELECT count(*) FROM events WHERE festival_id = %d"
                                         % self.fid(slug)), "0")
        for pid, hour in ((a, "10:00"), (b, "14:00")):
            r = admin.post("/festival/%s/verwaltung/%d/einplanen" % (slug, pid),
                           {"csrf": token, "datum": first_day, "von": hour, "plaetze": "25"})
            self.assertEqual(r.status, 303)
            self.assertIn("hinweis=eingeplant", r.location)
        # Twice is once.
        r = admin.post(detail + "/einplanen", {"csrf": token, "datum": first_day, "von": "11:00"})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.server.sql("SELECT count(*) FROM events WHERE festival_id = %d"
                                         % self.fid(slug)), "2")
        event_slug = self.server.sql("SELECT e.slug FROM events e JOIN proposals p "
                                     "ON p.event_id = e.id WHERE p.id = %d" % a)
        # The programme, by day and slot, with its filters.
        programme = self.server.client().get("/festival/%s/programm" % slug).body
        self.assertIn("10:00 Uhr", programme)
        self.assertIn("14:00 Uhr", programme)
        self.assertIn('href="/veranstaltungen/%s"' % event_slug, programme)
        self.assertIn("noch 25 von 25 Plätzen frei", programme)
        online = self.server.client().get("/festival/%s/programm?format=online" % slug).body
        self.assertIn("Workshop Datenschutz", online)
        self.assertNotIn("Vor-Ort-Treffen", online)
        topic = self.server.client().get("/festival/%s/programm?thema=austausch" % slug).body
        self.assertNotIn("Workshop Datenschutz", topic)
        self.assertIn("Vor-Ort-Treffen", topic)
        none = self.server.client().get("/festival/%s/programm?thema=ki" % slug).body
        self.assertIn("Keine Veranstaltung passt zu diesen Filtern.", none)
        # The event is the organisation's: its admin organises it; people register.
        self.assertEqual(self.as_("colleague").get(
            "/veranstaltungen/%s/bearbeiten" % event_slug).status, 200)
        # The festival's feed, read back by python3-icalendar.
        r = self.server.client().get("/festival/%s/kalender.ics" % slug)
        self.assertEqual(r.status, 200)
        cal = icalendar.Calendar.from_ical(r.body)
        summaries = sorted(str(e.get("summary")) for e in cal.walk("VEVENT"))
        self.assertEqual(summaries, ["Vor-Ort-Treffen", "Workshop Datenschutz"])
        # A scheduled proposal cannot be withdrawn any more.
        c = self.as_("member")
        page = "/festival/%s/vorschlag/%d" % (slug, a)
        self.assertIn("Zur Veranstaltung im Programm", c.get(page).body)
        r = c.post(page + "/zurueckziehen", {"csrf": c.csrf_for(page), "bestaetigt": "ja"})
        self.assertEqual(r.status, 409)
        self.assertEqual(self.status(a), "accepted")

    def test_reviewer_assignments_refuse_unknown_people_and_doubles(self):
        slug = self.festival()
        admin = self.as_("admin")
        page = "/festival/%s/verwaltung" % slug
        for fields, text in (({"email": "niemand@example.org"}, "kein Konto"),
                             ({"email": self.emails["reviewer"]}, "schon eingetragen"),
                             ({"email": ""}, "Bitte geben Sie eine E-Mail-Adresse ein."),
                             ({"email": self.emails["plain"], "region": "999999"},
                              "Diesen Landesverband gibt es nicht.")):
            with self.subTest(fields=fields):
                r = admin.post("/festival/%s/gutachter" % slug,
                               dict(fields, csrf=admin.csrf_for(page)))
                self.assertEqual(r.status, 422)
                self.assertIn(text, r.body)
        rid = self.server.sql("SELECT fr.id FROM festival_reviewers fr JOIN users u ON "
                              "u.id = fr.user_id WHERE fr.festival_id = %d AND u.email = '%s'"
                              % (self.fid(slug), self.emails["reviewer"]))
        r = admin.post("/festival/%s/gutachter/%s/entfernen" % (slug, rid),
                       {"csrf": admin.csrf_for(page)})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.as_("reviewer").get("/festival/%s/begutachtung" % slug).status, 403)



if __name__ == "__main__":
    unittest.main()
