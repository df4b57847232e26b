"""Events over HTTP, for every role: the list and its filters, the event page with its
free places, JSON-LD and calendar file (read back by python3-icalendar), audiences
(members, scouts, staff) refused with the right status, registration of signed-in
people with the waitlist and the promotion mail, guests confirmed by a link that only
a POST uses, bad input at its field, and a race: 40 people pressing "Anmelden" at once
for 10 places. Runs on SQLite and, as http.pg.test_events, on PostgreSQL.
"""

import concurrent.futures
import html
import json
import re
import time
import unittest
import uuid

import icalendar

from harness import (GOOD_PASSWORD, Server, ServerTestCase, login, signed_in_client,
                     unique_email)

DAY = 86400


def free_places(page, session_id):
    m = re.search(r'id="sitzung-%d".*?<p class="places"[^>]*data-free="(\d+)" data-capacity="(\d+)"'
                  % session_id, page, re.S)
    return (int(m.group(1)), int(m.group(2))) if m else None


def field_error(page, field_id):
    m = re.search(r'<p class="field-error" id="%s-error">([^<]*)</p>' % re.escape(field_id), page)
    return html.unescape(m.group(1)) if m else None


class EventsTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.emails = {}
        for name, role, extra in (("member", "org_member", None), ("scout", "online_scout", []),
                                  ("editor", "regional_editor", None), ("plain", None, []),
                                  ("plain2", None, []), ("plain3", None, [])):
            cls.emails[name] = unique_email("ev-" + name)
        # An organisation for the member role and a region for the editor.
        cls.server.cli("demo")
        org = cls.server.sql("SELECT slug FROM organisations WHERE status = 'published' "
                             "ORDER BY id LIMIT 1")
        region = cls.server.sql("SELECT code FROM regions ORDER BY id LIMIT 1")
        cls.server.add_user(cls.emails["member"], role="org_member", extra=["--org", org])
        cls.server.add_user(cls.emails["scout"], role="online_scout")
        cls.server.add_user(cls.emails["editor"], role="regional_editor",
                            extra=["--region", region])
        for name in ("plain", "plain2", "plain3"):
            cls.server.add_user(cls.emails[name])
        cls.org_id = int(cls.server.sql("SELECT id FROM organisations WHERE slug = '%s'" % org))
        cls.org_slug = org
        cls.emails["org_admin"] = unique_email("ev-orgadmin")
        cls.server.add_user(cls.emails["org_admin"], role="org_admin", extra=["--org", org])
        cls.emails["admin"] = unique_email("ev-admin")
        cls.server.add_user(cls.emails["admin"], role="platform_admin")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def as_(self, name):
        return signed_in_client(self.server, self.emails[name])

    def event(self, capacity=10, audience="public", sessions=1, fmt="online", starts_in=7 * DAY,
              title="Testveranstaltung", **extra):
        """An event straight in the database; returns (slug, [session ids])."""
        slug = "test-" + uuid.uuid4().hex[:10]
        now = int(time.time())
        start = now + starts_in
        cols = {"slug": slug, "title": title, "summary": "Kurz gesagt", "organiser_kind": "federation",
                "format": fmt, "audience": audience, "online_url": "https://meet.example.org/" + slug,
                "place": "Saal 1" if fmt != "online" else "", "starts_at": start,
                "ends_at": start + sessions * 7200, "created_at": now, "updated_at": now}
        cols.update(extra)
        names = ", ".join(cols)
        values = ", ".join("'%s'" % str(v).replace("'", "''") if isinstance(v, str) else
                           ("NULL" if v is None else str(v)) for v in cols.values())
        self.server.sql("INSERT INTO events (%s) VALUES (%s)" % (names, values))
        eid = int(self.server.sql("SELECT id FROM events WHERE slug = '%s'" % slug))
        ids = []
        for i in range(sessions):
            self.server.sql(
                "INSERT INTO event_sessions (event_id, uid, title, starts_at, ends_at, capacity, "
                "updated_at) VALUES (%d, '%s-%d@test', 'Teil %d', %d, %d, %s, %d)"
                % (eid, slug, i, i + 1, start + i * 7200, start + i * 7200 + 5400,
                   "NULL" if capacity is None else capacity, now))
            ids.append(int(self.server.sql(
                "SELECT id FROM event_sessions WHERE uid = '%s-%d@test'" % (slug, i))))
        return slug, ids

    def visitor_get(self, path):
        """A visitor's view, past the page cache (a cookie that names no session)."""
        return self.server.client().get(path, headers={"Cookie": "verbund=keine-sitzung"})

    def register(self, client, slug, session_id, **fields):
        path = "/veranstaltungen/" + slug
        data = {"csrf": client.csrf_for(path), "sitzung": str(session_id)}
        data.update(fields)
        return client.post(path + "/anmelden", data)

    def mail_to(self, addr, subject_part, count=1):
        self.server.wait_for_outbox_worked()
        mails = [m for m in self.server.mails(to=addr) if subject_part in m.subject]
        self.assertGreaterEqual(len(mails), count, [m.subject for m in self.server.mails(to=addr)])
        return mails[-1]

    # --- pages -----------------------------------------------------------------

    def test_the_list_shows_what_the_reader_may_see(self):
        public, _ = self.event(title="Öffentlicher Termin")
        scouts, _ = self.event(audience="scouts", title="Nur Scouts")
        page = self.visitor_get("/veranstaltungen").body
        self.assertIn('href="/veranstaltungen/%s"' % public, page)
        self.assertNotIn(scouts, page)
        self.assertIn(scouts, self.as_("scout").get("/veranstaltungen").body)
        self.assertIn('aria-current="page">Veranstaltungen</a>', page)
        # Filters are URLs; a format that does not exist is ignored.
        self.assertNotIn(public, self.visitor_get("/veranstaltungen?format=in_person").body)
        self.assertIn(public, self.visitor_get("/veranstaltungen?format=quatsch").body)
        past = self.visitor_get("/veranstaltungen?zeit=vergangen")
        self.assertEqual(past.status, 200)
        self.assertNotIn(public, past.body)

    def test_the_event_page_shows_free_places_json_ld_and_its_calendar_file(self):
        slug, (sid,) = self.event(capacity=12, title="Digi-Dienstag Test")
        page = self.server.client().get("/veranstaltungen/" + slug).body
        self.assertEqual(free_places(page, sid), (12, 12))
        self.assertIn("noch 12 von 12 Plätzen frei", page)
        self.assertIn('href="/veranstaltungen/%s/kalender.ics"' % slug, page)
        self.assertNotIn("meet.example.org", page)  # the online link is for participants
        m = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
        ld = json.loads(m.group(1))
        self.assertEqual((ld["@type"], ld["name"]), ("Event", "Digi-Dienstag Test"))
        self.assertEqual(ld["eventAttendanceMode"], "https://schema.org/OnlineEventAttendanceMode")
        r = self.server.client().get("/veranstaltungen/%s/kalender.ics" % slug)
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers["content-type"].startswith("text/calendar"))
        self.assertNotIn("meet.example.org", r.body)
        cal = icalendar.Calendar.from_ical(r.body)
        events = [c for c in cal.walk("VEVENT")]
        self.assertEqual(len(events), 1)
        start = int(self.server.sql("SELECT starts_at FROM event_sessions WHERE id = %d" % sid))
        self.assertEqual(int(events[0].decoded("DTSTART").timestamp()), start)
        self.assertEqual(str(events[0]["UID"]), "%s-0@test" % slug)
        self.assertEqual(len(cal.walk("VTIMEZONE")), 1)

    def test_unknown_events_are_not_found(self):
        self.assertEqual(self.server.client().get("/veranstaltungen/gibt-es-nicht").status, 404)
        slug, _ = self.event(status="draft")
        self.assertEqual(self.server.client().get("/veranstaltungen/" + slug).status, 404)

    def test_audiences_refuse_others_with_the_right_status(self):
        cases = (("members", {"member": 200, "scout": 200, "editor": 200, "plain": 403}),
                 ("scouts", {"scout": 200, "editor": 200, "member": 403, "plain": 403}),
                 ("staff", {"editor": 200, "scout": 403, "member": 403}))
        for audience, expected in cases:
            slug, _ = self.event(audience=audience)
            with self.subTest(audience=audience):
                r = self.server.client().get("/veranstaltungen/" + slug)
                self.assertEqual(r.status, 403)
                self.assertIn("Bitte melden Sie sich an", r.body)
                self.assertEqual(self.server.client().get(
                    "/veranstaltungen/%s/kalender.ics" % slug).status, 403)
                for who, status in expected.items():
                    self.assertEqual(self.as_(who).get("/veranstaltungen/" + slug).status, status,
                                     who)

    # --- registration ----------------------------------------------------------

    def test_a_signed_in_person_registers_and_gets_the_link_by_mail_only(self):
        slug, (sid,) = self.event(capacity=5)
        c = self.as_("plain")
        self.assertEqual(c.post("/veranstaltungen/%s/anmelden" % slug, {"sitzung": str(sid)}).status,
                         403)  # no CSRF token
        r = self.register(c, slug, sid)
        self.assertEqual(r.status, 303, r.body[:600])
        self.assertIn("hinweis=platz_sicher", r.location)
        page = c.get("/veranstaltungen/" + slug).body
        self.assertIn("Sie sind angemeldet.", page)
        self.assertIn("https://meet.example.org/" + slug, page)
        self.assertEqual(free_places(page, sid), (4, 5))
        mail = self.mail_to(self.emails["plain"], "Anmeldung ist bestätigt")
        self.assertIn("meet.example.org/" + slug, mail.body)
        again = self.register(c, slug, sid)
        self.assertEqual(again.status, 409)
        self.assertIn("schon angemeldet", again.body)
        self.assertEqual(self.server.sql("SELECT confirmed FROM event_sessions WHERE id = %d" % sid),
                         "1")

    def test_a_cancellation_promotes_the_first_on_the_waitlist_with_a_mail(self):
        slug, (sid,) = self.event(capacity=1)
        first, second = self.as_("plain2"), self.as_("plain3")
        self.assertEqual(self.register(first, slug, sid).status, 303)
        r = self.register(second, slug, sid)
        self.assertIn("hinweis=auf_warteliste", r.location)
        self.assertIn("Platz 1 der Warteliste", second.get("/veranstaltungen/" + slug).body)
        self.assertNotIn("meet.example.org", second.get("/veranstaltungen/" + slug).body)
        self.mail_to(self.emails["plain3"], "Warteliste")
        reg = self.server.sql("SELECT id FROM registrations WHERE session_id = %d AND status = "
                              "'confirmed'" % sid)
        path = "/veranstaltungen/" + slug
        r = first.post(path + "/abmelden", {"csrf": first.csrf_for(path), "anmeldung": reg})
        self.assertEqual(r.status, 303)
        promoted = self.mail_to(self.emails["plain3"], "Platz ist frei geworden")
        self.assertIn("meet.example.org/" + slug, promoted.body)
        self.assertIn("Sie sind angemeldet.", second.get(path).body)
        # Another person's registration cannot be cancelled by id.
        other = self.server.sql("SELECT id FROM registrations WHERE session_id = %d AND status = "
                                "'confirmed'" % sid)
        r = first.post(path + "/abmelden", {"csrf": first.csrf_for(path), "anmeldung": other})
        self.assertEqual(r.status, 404)

    def test_a_guest_confirms_by_a_post_from_the_mailed_link(self):
        slug, (sid,) = self.event(capacity=3)
        c = self.server.client()
        path = "/veranstaltungen/" + slug
        token = c.csrf_for(path)
        r = c.post(path + "/gast", {"csrf": token, "sitzung": str(sid), "name": "Gabi Gast",
                                    "email": "kein-at-zeichen"})
        self.assertEqual(r.status, 422)
        self.assertIn("gültige E-Mail-Adresse", field_error(r.body, "email"))
        self.assertIn('value="Gabi Gast"', r.body)  # kept
        r = c.post(path + "/gast", {"csrf": token, "sitzung": str(sid), "name": "  ",
                                    "email": "gabi@example.org"})
        self.assertEqual(r.status, 422)
        self.assertIsNotNone(field_error(r.body, "name"))
        addr = unique_email("gast")
        r = c.post(path + "/gast", {"csrf": token, "sitzung": str(sid), "name": "Gabi Gast",
                                    "email": addr})
        self.assertEqual((r.status, "hinweis=gast_pruefen" in r.location), (303, True))
        mail = self.mail_to(addr, "bestätigen Sie Ihre Anmeldung")
        link = [l for l in self.server.links(mail.body) if "/anmeldung/" in l][0]
        link = link[link.index("/anmeldung/"):]
        # Opening the link (as a mail scanner does) changes nothing.
        page = c.get(link).body
        self.assertIn("Anmeldung bestätigen", page)
        self.assertEqual(self.server.sql("SELECT status FROM registrations WHERE email = '%s'"
                                         % addr), "unconfirmed")
        self.assertEqual(self.server.sql("SELECT confirmed FROM event_sessions WHERE id = %d"
                                         % sid), "0")
        r = c.post(link + "/bestaetigen", {"csrf": c.csrf_for(link)})
        self.assertEqual(r.status, 303)
        self.assertIn("Sie sind angemeldet.", c.get(link).body)
        self.mail_to(addr, "Anmeldung ist bestätigt")
        # Registering the same address again tells the stranger nothing new.
        r = c.post(path + "/gast", {"csrf": token, "sitzung": str(sid), "name": "Jemand",
                                    "email": addr})
        self.assertEqual((r.status, "hinweis=gast_pruefen" in r.location), (303, True))
        r = c.post(link + "/abmelden", {"csrf": c.csrf_for(link)})
        self.assertEqual(r.status, 303)
        self.assertIn("Anmeldung ist beendet", c.get(link).body)
        self.assertEqual(c.get("/anmeldung/1.falsch").status, 404)

    def test_members_only_events_take_no_guests(self):
        slug, (sid,) = self.event(audience="members")
        public, _ = self.event()
        c = self.server.client()
        r = c.post("/veranstaltungen/%s/gast" % slug,
                   {"csrf": c.csrf_for("/veranstaltungen/" + public), "sitzung": str(sid),
                    "name": "X",
                    "email": unique_email("x")})
        self.assertEqual(r.status, 403)

    def test_registration_outside_the_window_says_why(self):
        now = int(time.time())
        slug, (sid,) = self.event(registration_closes_at=now - 60)
        c = self.as_("plain")
        page = c.get("/veranstaltungen/" + slug).body
        self.assertIn("Die Anmeldefrist ist vorbei.", page)
        r = self.register(c, slug, sid)
        self.assertEqual(r.status, 409)
        self.assertIn("Die Anmeldefrist ist vorbei.", r.body)

    def test_the_reminder_job_writes_once_a_day_ahead(self):
        slug, (sid,) = self.event(capacity=5, starts_in=30 * 3600)
        c = self.as_("plain2")
        self.assertEqual(self.register(c, slug, sid).status, 303)
        # Registered long before; the session now starts in 23 hours.
        now = int(time.time())
        self.server.sql("UPDATE registrations SET created_at = %d WHERE session_id = %d"
                        % (now - 3 * DAY, sid))
        self.server.sql("UPDATE event_sessions SET starts_at = %d, ends_at = %d WHERE id = %d"
                        % (now + 23 * 3600, now + 25 * 3600, sid))
        for _ in range(2):  # the schedule twice: still one mail
            self.server.sql("INSERT INTO jobs (kind, payload, run_at, max_attempts, created_at) "
                            "VALUES ('events.reminders', '', 0, 3, 0)")
        deadline = time.time() + 15
        while time.time() < deadline and self.server.sql(
                "SELECT count(*) FROM jobs WHERE kind = 'events.reminders' AND run_at = 0") != "0":
            time.sleep(0.2)
        mail = self.mail_to(self.emails["plain2"], "Erinnerung")
        self.assertIn("Morgen geht es los", mail.body)
        self.assertIn("meet.example.org/" + slug, mail.body)
        reminders = [m for m in self.server.mails(to=self.emails["plain2"])
                     if "Erinnerung" in m.subject]
        self.assertEqual(len(reminders), 1)

    def test_organisers_see_the_participants_mark_attendance_and_export_them(self):
        slug, (sid,) = self.event(capacity=1, organiser_kind="organisation",
                                  organisation_id=self.org_id)
        self.assertEqual(self.register(self.as_("plain"), slug, sid).status, 303)
        self.assertEqual(self.register(self.as_("plain2"), slug, sid).status, 303)  # waitlist
        path = "/veranstaltungen/%s/teilnehmende" % slug
        for who, status in (("plain", 404), ("member", 404), ("editor", 404), ("admin", 200),
                            ("org_admin", 200)):
            self.assertEqual(self.as_(who).get(path).status, status, who)
            self.assertEqual(self.as_(who).get(path + ".csv").status, status, who)
        self.assertEqual(self.server.client().get(path).status, 303)  # to the log-in
        org_admin = self.as_("org_admin")
        page = org_admin.get(path).body
        self.assertIn(self.emails["plain"], page)
        self.assertIn(self.emails["plain2"], page)  # on the waitlist
        self.assertIn("Teilnehmende ansehen", org_admin.get("/veranstaltungen/" + slug).body)
        self.assertNotIn("Teilnehmende ansehen", self.as_("plain").get("/veranstaltungen/" + slug).body)
        reg = self.server.sql("SELECT id FROM registrations WHERE session_id = %d AND status = "
                              "'confirmed'" % sid)
        r = org_admin.post("%s/%s/anwesend" % (path, reg), {"csrf": org_admin.csrf_for(path),
                                                          "anwesend": "ja"})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.server.sql("SELECT attended FROM registrations WHERE id = %s" % reg),
                         "1")
        # A registration of another event through this event's address: not found.
        other_slug, (other_sid,) = self.event()
        self.assertEqual(self.register(self.as_("plain3"), other_slug, other_sid).status, 303)
        other = self.server.sql("SELECT id FROM registrations WHERE session_id = %d" % other_sid)
        r = org_admin.post("%s/%s/anwesend" % (path, other), {"csrf": org_admin.csrf_for(path),
                                                            "anwesend": "ja"})
        self.assertEqual(r.status, 404)
        plain = self.as_("plain")
        self.assertEqual(plain.post("%s/%s/anwesend" % (path, reg), {
            "csrf": plain.csrf_for("/veranstaltungen/" + slug), "anwesend": "nein"}).status, 404)
        csv = org_admin.get(path + ".csv")
        self.assertTrue(csv.headers["content-disposition"].startswith("attachment;"))
        self.assertTrue(csv.headers["content-type"].startswith("text/csv"))
        lines = csv.body.lstrip("\ufeff").strip().split("\r\n")
        self.assertEqual(lines[0].split(";")[0], "Termin")
        self.assertEqual(len(lines), 3)
        self.assertIn(self.emails["plain"], lines[1])
        self.assertTrue(lines[1].endswith(";ja"))  # attended
        self.assertIn("Warteliste", lines[2])

    def test_an_organisations_profile_lists_its_upcoming_events(self):
        slug, _ = self.event(organiser_kind="organisation", organisation_id=self.org_id,
                             title="Workshop im Familienzentrum")
        members_only, _ = self.event(organiser_kind="organisation", organisation_id=self.org_id,
                                     audience="members", title="Nur für Mitglieder")
        page = self.visitor_get("/organisationen/" + self.org_slug).body
        self.assertIn('href="/veranstaltungen/%s"' % slug, page)
        self.assertNotIn(members_only, page)
        self.assertIn('href="/veranstaltungen?veranstalter=%s"' % self.org_slug, page)
        listed = self.visitor_get("/veranstaltungen?veranstalter=" + self.org_slug).body
        self.assertIn(slug, listed)

    def test_an_invitation_only_event_takes_registrations_with_its_code(self):
        import hashlib
        slug, (sid,) = self.event(audience="invitation",
                                  access_code_hash=hashlib.sha256(b"Einladung-42").hexdigest())
        page = self.visitor_get("/veranstaltungen/" + slug).body
        self.assertIn("Nur mit Einladung", page)
        self.assertNotIn("Ohne Konto anmelden", page)  # no guests without the code's check
        c = self.as_("plain3")
        self.assertIn('name="code"', c.get("/veranstaltungen/" + slug).body)
        for wrong in ("", "einladung-42", "x" * 200):
            r = self.register(c, slug, sid, code=wrong)
            self.assertEqual(r.status, 422, wrong)
            self.assertIn("Der Zugangscode stimmt nicht", r.body)
        self.assertEqual(self.server.sql("SELECT count(*) FROM registrations WHERE session_id = %d"
                                         % sid), "0")
        r = self.register(c, slug, sid, code="Einladung-42")
        self.assertEqual(r.status, 303)
        self.assertIn("platz_sicher", r.location)

    def test_forty_people_at_once_for_ten_places(self):
        slug, (sid,) = self.event(capacity=10)
        # Forty accounts with one password hash (argon2id once, not forty times).
        template = self.server.sql("SELECT password_hash FROM users WHERE email = '%s'"
                                   % self.emails["plain"])
        tag = uuid.uuid4().hex[:6]
        now = int(time.time())
        for i in range(40):
            self.server.sql("INSERT INTO users (email, display_name, password_hash, "
                            "email_confirmed_at, created_at) VALUES ('race%s-%d@example.org', "
                            "'Race %d', '%s', %d, %d)" % (tag, i, i, template, now, now))
        clients = [signed_in_client(self.server, "race%s-%d@example.org" % (tag, i))
                   for i in range(40)]
        path = "/veranstaltungen/" + slug
        tokens = [c.csrf_for(path) for c in clients]
        with concurrent.futures.ThreadPoolExecutor(40) as pool:
            results = list(pool.map(lambda ct: ct[0].post(path + "/anmelden", {
                "csrf": ct[1], "sitzung": str(sid)}), zip(clients, tokens)))
        self.assertEqual([r.status for r in results], [303] * 40)
        placed = sum("platz_sicher" in r.location for r in results)
        self.assertEqual(placed, 10)
        self.assertEqual(self.server.sql("SELECT confirmed FROM event_sessions WHERE id = %d" % sid),
                         "10")
        positions = self.server.sql("SELECT waitlist_position FROM registrations WHERE session_id "
                                    "= %d AND status = 'waitlisted' ORDER BY 1" % sid).split()
        self.assertEqual(len(positions), 30)
        self.assertEqual(len(set(positions)), 30)


if __name__ == "__main__":
    unittest.main()
