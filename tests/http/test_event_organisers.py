"""The organisers' side of events over HTTP, for every role: creating an event with
German times (the skipped hour in March refused at its field, the doubled hour in
October read as summer time), drafts seen only by organisers, moving a session (every
registered person mailed with the new calendar entry: same UID, raised SEQUENCE, read
back by python3-icalendar), more places promoting the waitlist and fewer than given
refused, a cancellation mailed as METHOD:CANCEL, writing to all participants, and a
place from the waitlist shortly before the start that must be confirmed. Runs on
SQLite and, as http.pg.test_event_organisers, on PostgreSQL.
"""

import datetime
import re
import time
import unittest
import uuid
import zoneinfo

import icalendar

import test_events
from harness import Server, ServerTestCase, path_of, signed_in_client, unique_email

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
DAY = 86400


def future_date(days):
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


def event_form(client, path, **fields):
    data = {"csrf": client.csrf_for(path), "titel": "Social Media für Vereine",
            "kurz": "Wie kleine Vereine Instagram nutzen", "format": "online",
            "zielgruppe": "public", "sprache": "de", "datum": future_date(30), "von": "18:00",
            "bis": "19:30", "plaetze": "20", "status": "published"}
    data.update(fields)
    return data


class OrganisersTest(ServerTestCase):
    event = test_events.EventsTest.event
    register = test_events.EventsTest.register
    mail_to = test_events.EventsTest.mail_to
    visitor_get = test_events.EventsTest.visitor_get

    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.server.cli("demo")
        org = cls.server.sql("SELECT slug FROM organisations WHERE status = 'published' "
                             "ORDER BY id LIMIT 1")
        region = cls.server.sql("SELECT code FROM regions ORDER BY id LIMIT 1")
        cls.org_id = int(cls.server.sql("SELECT id FROM organisations WHERE slug = '%s'" % org))
        cls.emails = {name: unique_email("eo-" + name) for name in
                      ("org_admin", "member", "editor", "admin", "plain", "plain2", "plain3")}
        cls.server.add_user(cls.emails["org_admin"], role="org_admin", extra=["--org", org])
        cls.server.add_user(cls.emails["member"], role="org_member", extra=["--org", org])
        cls.server.add_user(cls.emails["editor"], role="regional_editor",
                            extra=["--region", region])
        cls.server.add_user(cls.emails["admin"], role="platform_admin")
        for name in ("plain", "plain2", "plain3"):
            cls.server.add_user(cls.emails[name])

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def as_(self, name):
        return signed_in_client(self.server, self.emails[name])

    def org_event(self, **kw):
        """An event of the organisation, its times on whole minutes as the form sends them."""
        slug, ids = self.event(organiser_kind="organisation", organisation_id=self.org_id, **kw)
        self.server.sql("UPDATE event_sessions SET starts_at = starts_at - starts_at %% 60, "
                        "ends_at = ends_at - ends_at %% 60 WHERE uid LIKE '%s-%%'" % slug)
        return slug, ids

    def post(self, client, path, **fields):
        data = {"csrf": client.csrf_for(path.rsplit("/", 1)[0] if "/termine" in path else path)}
        data.update(fields)
        return client.post(path, data)

    def edit(self, client, slug, action="", **fields):
        page = "/veranstaltungen/%s/bearbeiten" % slug
        data = {"csrf": client.csrf_for(page)}
        data.update(fields)
        return client.post("/veranstaltungen/%s/%s" % (slug, action) if action else page, data)

    def session_fields(self, sid):
        r = self.server.sql("SELECT starts_at, ends_at, COALESCE(capacity, -1) FROM event_sessions "
                            "WHERE id = %d" % sid).split("|")
        start = datetime.datetime.fromtimestamp(int(r[0]), BERLIN)
        end = datetime.datetime.fromtimestamp(int(r[1]), BERLIN)
        out = {"datum": start.date().isoformat(), "von": start.strftime("%H:%M"),
               "bis": end.strftime("%H:%M")}
        if r[2] != "-1":
            out["plaetze"] = r[2]
        return out

    # --- who may -----------------------------------------------------------------

    def test_only_organisers_create_and_edit(self):
        self.assertEqual(self.server.client().get("/veranstaltungen/neu").status, 303)
        for who, status in (("plain", 403), ("member", 403), ("org_admin", 200),
                            ("editor", 200), ("admin", 200)):
            with self.subTest(who=who):
                self.assertEqual(self.as_(who).get("/veranstaltungen/neu").status, status)
        slug, (sid,) = self.org_event()
        edit = "/veranstaltungen/%s/bearbeiten" % slug
        for who, status in (("plain", 404), ("member", 404), ("editor", 404), ("org_admin", 200),
                            ("admin", 200)):
            with self.subTest(who=who):
                self.assertEqual(self.as_(who).get(edit).status, status)
                self.assertEqual(self.as_(who).get(
                    "/veranstaltungen/%s/nachricht" % slug).status, status)
        # Someone else's POSTs change nothing.
        plain = self.as_("plain")
        for action, fields in (("termine/%d" % sid, {"datum": future_date(3), "von": "10:00",
                                                     "bis": "11:00"}),
                               ("termine/%d/absagen" % sid, {"wirklich": "ja"}),
                               ("absagen", {"wirklich": "ja"}),
                               ("nachricht", {"betreff": "x", "nachricht": "y"}),
                               ("bearbeiten", {"titel": "Übernommen", "format": "online",
                                               "zielgruppe": "public"})):
            data = {"csrf": plain.csrf_for("/veranstaltungen/" + slug)}
            data.update(fields)
            self.assertEqual(plain.post("/veranstaltungen/%s/%s" % (slug, action), data).status,
                             404, action)
        self.assertEqual(self.server.sql("SELECT status || title FROM events WHERE slug = '%s'"
                                         % slug), "publishedTestveranstaltung")
        self.assertEqual(self.server.sql("SELECT status FROM event_sessions WHERE id = %d" % sid),
                         "scheduled")
        # The event page offers the organisers their tools, nobody else.
        self.assertIn(edit, self.as_("org_admin").get("/veranstaltungen/" + slug).body)
        self.assertNotIn(edit, plain.get("/veranstaltungen/" + slug).body)

    # --- the form ------------------------------------------------------------------

    def test_bad_input_comes_back_at_its_field_and_writes_nothing(self):
        c = self.as_("org_admin")
        before = self.server.sql("SELECT count(*) FROM events")
        cases = (({"titel": ""}, "titel", "Bitte geben Sie einen Titel an."),
                 ({"bis": "17:00"}, "bis", "Das Ende liegt vor dem Beginn."),
                 ({"datum": "31.02.2027"}, "datum", "Diesen Tag gibt es nicht."),
                 ({"datum": "morgen"}, "datum", "Bitte geben Sie ein Datum wie 08.12.2026 an."),
                 ({"von": "25:00"}, "von", "Bitte geben Sie eine Uhrzeit wie 18:00 an."),
                 ({"datum": "2020-01-07"}, "datum", "Der Beginn liegt in der Vergangenheit."),
                 ({"plaetze": "viele"}, "plaetze", "Bitte geben Sie eine Zahl von 1 bis 100.000"),
                 ({"link": "ftp://x"}, "link", "https://meet.example.org/raum"),
                 ({"format": "in_person"}, "ort", "Bitte geben Sie den Ort an"),
                 ({"zielgruppe": "invitation"}, "code", "Bitte geben Sie einen Zugangscode an"),
                 ({"code": "kurz", "zielgruppe": "invitation"}, "code", "6 bis 64 Zeichen"),
                 ({"titel": "x" * 151}, "titel", "höchstens 150 Zeichen"),
                 ({"anmeldung_ab": future_date(10), "anmeldung_bis": future_date(5)},
                  "anmeldung_bis", "Das Ende der Anmeldung liegt vor ihrem Beginn."))
        for fields, field, message in cases:
            with self.subTest(field=field, fields=fields):
                r = c.post("/veranstaltungen/neu", event_form(c, "/veranstaltungen/neu", **fields))
                self.assertEqual(r.status, 422)
                self.assertIn(message, test_events.field_error(r.body, field) or "")
                # What was typed is still there.
                self.assertIn('value="%s"' % fields.get("titel", "Social Media für Vereine"), r.body)
        self.assertEqual(self.server.sql("SELECT count(*) FROM events"), before)

    def test_german_times_across_the_clock_changes(self):
        c = self.as_("org_admin")
        year = datetime.date.today().year + 1
        # The last Sunday of March: 02:00-02:59 does not exist.
        march = max(datetime.date(year, 3, d) for d in range(25, 32)
                    if datetime.date(year, 3, d).weekday() == 6)
        r = c.post("/veranstaltungen/neu", event_form(
            c, "/veranstaltungen/neu", datum=march.strftime("%d.%m.%Y"), von="02:30", bis="04:00"))
        self.assertEqual(r.status, 422)
        self.assertIn("Diese Uhrzeit gibt es am %s nicht" % march.strftime("%d.%m.%Y"),
                      test_events.field_error(r.body, "von"))
        r = c.post("/veranstaltungen/neu", event_form(
            c, "/veranstaltungen/neu", titel="Sommerzeit-Test", datum=march.isoformat(),
            von="10:00", bis="12:00"))
        self.assertEqual(r.status, 303, r.body[:3000])
        self.assertIn("/bearbeiten?hinweis=veranstaltung_veroeffentlicht", r.location)
        start = int(self.server.sql("SELECT s.starts_at FROM event_sessions s JOIN events e ON "
                                    "e.id = s.event_id WHERE e.title = 'Sommerzeit-Test'"))
        self.assertEqual(start, int(datetime.datetime(year, 3, march.day, 8, 0,
                                                      tzinfo=datetime.timezone.utc).timestamp()))
        # The last Sunday of October: 02:30 happens twice; the first (summer time) is meant.
        october = max(datetime.date(year, 10, d) for d in range(25, 32)
                      if datetime.date(year, 10, d).weekday() == 6)
        r = c.post("/veranstaltungen/neu", event_form(
            c, "/veranstaltungen/neu", titel="Winterzeit-Test", datum=october.isoformat(),
            von="02:30", bis="04:00"))
        self.assertEqual(r.status, 303)
        start, end = map(int, self.server.sql(
            "SELECT s.starts_at, s.ends_at FROM event_sessions s JOIN events e ON e.id = "
            "s.event_id WHERE e.title = 'Winterzeit-Test'").split("|"))
        self.assertEqual(start, int(datetime.datetime(year, 10, october.day, 0, 30,
                                                      tzinfo=datetime.timezone.utc).timestamp()))
        self.assertEqual(end - start, 2.5 * 3600)  # 02:30 CEST to 04:00 CET
        slug = self.server.sql("SELECT slug FROM events WHERE title = 'Winterzeit-Test'")
        self.assertIn("02:30–04:00 Uhr", self.visitor_get("/veranstaltungen/" + slug).body)
        self.assertEqual(self.server.sql("SELECT organiser_kind || ':' || organisation_id FROM "
                                         "events WHERE slug = '%s'" % slug),
                         "organisation:%d" % self.org_id)

    def test_a_draft_is_seen_by_its_organisers_until_it_is_published(self):
        c = self.as_("editor")
        r = c.post("/veranstaltungen/neu", event_form(
            c, "/veranstaltungen/neu", titel="Entwurf Regionaltreffen", status="draft"))
        self.assertEqual(r.status, 303)
        slug = self.server.sql("SELECT slug FROM events WHERE title = 'Entwurf Regionaltreffen'")
        self.assertEqual(self.server.sql("SELECT organiser_kind || status FROM events WHERE slug "
                                         "= '%s'" % slug), "regiondraft")
        self.assertEqual(self.visitor_get("/veranstaltungen/" + slug).status, 404)
        self.assertEqual(self.as_("plain").get("/veranstaltungen/" + slug).status, 404)
        page = c.get("/veranstaltungen/" + slug)
        self.assertEqual(page.status, 200)
        self.assertIn("Vorschau eines Entwurfs", page.body)
        self.assertNotIn(slug, self.visitor_get("/veranstaltungen").body)
        r = self.edit(c, slug, **{"titel": "Entwurf Regionaltreffen", "format": "online",
                                  "zielgruppe": "public", "status": "published"})
        self.assertEqual(r.status, 303)
        self.assertIn("veranstaltung_veroeffentlicht", r.location)
        self.assertEqual(self.visitor_get("/veranstaltungen/" + slug).status, 200)

    # --- changes reach the people registered -------------------------------------------

    def test_moving_a_session_mails_everyone_the_new_calendar_entry(self):
        slug, (sid,) = self.org_event(capacity=1, title="Verschiebe-Test")
        for who in ("plain", "plain2"):  # a place, the waitlist
            self.assertEqual(self.register(self.as_(who), slug, sid).status, 303)
        fields = self.session_fields(sid)
        moved = (datetime.date.fromisoformat(fields["datum"]) + datetime.timedelta(days=1))
        fields.update({"datum": moved.isoformat(), "von": "09:00", "bis": "10:30"})
        r = self.edit(self.as_("org_admin"), slug, "termine/%d" % sid, **fields)
        self.assertEqual(r.status, 303)
        self.assertIn("termin_verschoben_mail", r.location)
        placed = self.mail_to(self.emails["plain"], "Geänderter Termin")
        self.assertIn("09:00–10:30 Uhr", placed.body)
        cal = icalendar.Calendar.from_ical(placed.calendar)
        (ev,) = cal.walk("VEVENT")
        self.assertEqual(str(ev["UID"]), "%s-0@test" % slug)
        self.assertEqual(int(ev["SEQUENCE"]), 1)
        self.assertEqual(ev.decoded("DTSTART"),
                         datetime.datetime(moved.year, moved.month, moved.day, 9, 0, tzinfo=BERLIN))
        self.assertIn("meet.example.org/" + slug, placed.calendar)  # theirs: with the link
        waiting = self.mail_to(self.emails["plain2"], "Geänderter Termin")
        self.assertIsNone(waiting.calendar)
        self.assertNotIn("meet.example.org", waiting.body)
        public = self.server.client().get("/veranstaltungen/%s/kalender.ics" % slug).body
        self.assertIn("SEQUENCE:1", public)
        self.assertNotIn("meet.example.org", public)
        # A move into the past is refused at the date.
        fields["datum"] = "2020-01-07"
        r = self.edit(self.as_("org_admin"), slug, "termine/%d" % sid, **fields)
        self.assertEqual(r.status, 422)
        self.assertIn("Vergangenheit", test_events.field_error(r.body, "s%d-datum" % sid))

    def test_more_places_promote_the_waitlist_and_fewer_than_given_are_refused(self):
        slug, (sid,) = self.org_event(capacity=1, title="Plätze-Test")
        for who in ("plain", "plain2", "plain3"):
            self.register(self.as_(who), slug, sid)
        fields = self.session_fields(sid)
        fields["plaetze"] = "2"
        r = self.edit(self.as_("org_admin"), slug, "termine/%d" % sid, **fields)
        self.assertEqual(r.status, 303)
        self.assertIn("termin_nachgerueckt", r.location)
        self.mail_to(self.emails["plain2"], "Ein Platz ist frei geworden")
        self.assertEqual(self.server.sql("SELECT status FROM registrations WHERE session_id = %d "
                                         "ORDER BY id" % sid).split(),
                         ["confirmed", "confirmed", "waitlisted"])
        fields["plaetze"] = "1"
        r = self.edit(self.as_("org_admin"), slug, "termine/%d" % sid, **fields)
        self.assertEqual(r.status, 409)
        self.assertIn("Es sind schon 2 Personen angemeldet",
                      test_events.field_error(r.body, "s%d-plaetze" % sid))
        self.assertEqual(self.server.sql("SELECT capacity FROM event_sessions WHERE id = %d" % sid),
                         "2")

    def test_a_cancelled_session_is_mailed_as_a_calendar_cancellation(self):
        slug, (first, second) = self.org_event(capacity=5, sessions=2, title="Absage-Test")
        self.register(self.as_("plain3"), slug, first)
        c = self.as_("org_admin")
        r = self.edit(c, slug, "termine/%d/absagen" % first)
        self.assertEqual(r.status, 422)  # the box not ticked
        self.assertIn("wirklich absagen", r.body)
        self.assertEqual(self.server.sql("SELECT status FROM event_sessions WHERE id = %d" % first),
                         "scheduled")
        r = self.edit(c, slug, "termine/%d/absagen" % first, wirklich="ja")
        self.assertEqual(r.status, 303)
        mail = self.mail_to(self.emails["plain3"], "Abgesagt")
        self.assertEqual(mail.calendar_method, "CANCEL")
        cal = icalendar.Calendar.from_ical(mail.calendar)
        self.assertEqual(str(cal["METHOD"]), "CANCEL")
        (ev,) = cal.walk("VEVENT")
        self.assertEqual((str(ev["UID"]), int(ev["SEQUENCE"]), str(ev["STATUS"])),
                         ("%s-0@test" % slug, 1, "CANCELLED"))
        self.assertIn("mailto:", str(ev["ORGANIZER"]))
        self.assertNotIn("meet.example.org", mail.calendar)
        # The other session still takes registrations; the cancelled one none.
        self.assertEqual(self.register(self.as_("plain"), slug, first).status, 409)
        self.assertEqual(self.register(self.as_("plain"), slug, second).status, 303)
        # The whole event: the rest of it, and then nothing more to cancel.
        r = self.edit(c, slug, "absagen", wirklich="ja")
        self.assertEqual(r.status, 303)
        self.mail_to(self.emails["plain"], "Abgesagt")
        self.assertEqual(self.server.sql("SELECT status FROM events WHERE slug = '%s'" % slug),
                         "cancelled")
        self.assertEqual(self.edit(c, slug, "absagen", wirklich="ja").status, 409)

    def test_writing_to_all_participants(self):
        slug, (sid,) = self.org_event(capacity=1, title="Nachricht-Test")
        self.register(self.as_("plain"), slug, sid)
        self.register(self.as_("plain2"), slug, sid)  # waits
        c = self.as_("org_admin")
        path = "/veranstaltungen/%s/nachricht" % slug
        r = c.post(path, {"csrf": c.csrf_for(path), "betreff": " ", "nachricht": "Hallo"})
        self.assertEqual(r.status, 422)
        self.assertIn("Bitte geben Sie einen Betreff an.", test_events.field_error(r.body, "betreff"))
        self.assertIn(">Hallo</textarea>", r.body)
        r = c.post(path, {"csrf": c.csrf_for(path), "betreff": "Raum geändert",
                          "nachricht": "Bitte bringen Sie Ihr Laptop mit."})
        self.assertEqual(r.status, 303)
        self.assertIn("nachricht_gesendet", r.location)
        mail = self.mail_to(self.emails["plain"], "Raum geändert")
        self.assertEqual(mail.subject, "Nachricht-Test: Raum geändert")
        self.assertIn("Bitte bringen Sie Ihr Laptop mit.", mail.body)
        self.assertEqual([m for m in self.server.mails(to=self.emails["plain2"])
                          if "Raum geändert" in m.subject], [])
        r = c.post(path, {"csrf": c.csrf_for(path), "betreff": "Auch Warteliste",
                          "nachricht": "Vielleicht wird noch etwas frei.", "warteliste": "ja"})
        self.assertEqual(r.status, 303)
        self.mail_to(self.emails["plain2"], "Auch Warteliste")

    def test_a_place_from_the_waitlist_shortly_before_the_start_must_be_confirmed(self):
        slug, (sid,) = self.org_event(capacity=1, starts_in=20 * 3600, title="Kurzfristig")
        self.register(self.as_("plain"), slug, sid)
        self.register(self.as_("plain2"), slug, sid)
        reg = self.server.sql("SELECT id FROM registrations WHERE session_id = %d AND status = "
                              "'confirmed'" % sid)
        c = self.as_("plain")
        r = c.post("/veranstaltungen/%s/abmelden" % slug,
                   {"csrf": c.csrf_for("/veranstaltungen/" + slug), "anmeldung": reg})
        self.assertEqual(r.status, 303)
        mail = self.mail_to(self.emails["plain2"], "Ein Platz ist frei geworden")
        self.assertIn("bestätigen Sie den Platz bitte bis", mail.body)
        link = path_of([u for u in mail.links(self.server.port) if "/anmeldung/" in u][0])
        client = self.server.client()
        page = client.get(link)
        self.assertIn("Platz bestätigen", page.body)
        r = client.post(link + "/bestaetigen", {"csrf": client.csrf_for(link)})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.server.sql("SELECT count(*) FROM registrations WHERE session_id = %d "
                                         "AND status = 'confirmed' AND confirm_by IS NULL" % sid),
                         "1")
        self.assertNotIn("Platz bestätigen", client.get(link).body)


    # --- calendars to subscribe ----------------------------------------------------

    def test_my_registrations_and_my_secret_calendar_feed(self):
        placed, (sa,) = self.org_event(capacity=5, title="Mit Platz")
        full, (sb,) = self.org_event(capacity=1, title="Nur Warteliste")
        self.register(self.as_("plain3"), full, sb)
        fresh = unique_email("eo-feed")
        self.server.add_user(fresh)
        c = signed_in_client(self.server, fresh)
        self.assertIn("Sie sind zurzeit für keine Veranstaltung angemeldet",
                      c.get("/meine-anmeldungen").body)
        self.register(c, placed, sa)
        self.register(c, full, sb)
        page = c.get("/meine-anmeldungen").body
        self.assertIn("Mit Platz", page)
        self.assertIn("Nur Warteliste", page)
        self.assertIn("Sie stehen auf Platz 1 der Warteliste", page)
        feed = re.search(r'id="feed-url" type="text" readonly value="([^"]+)"', page).group(1)
        r = self.server.client().get(path_of(feed))  # a calendar app: no session
        self.assertEqual(r.status, 200)
        self.assertIn("private", r.headers["cache-control"])
        cal = icalendar.Calendar.from_ical(r.body)
        uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
        self.assertEqual(uids, ["%s-0@test" % placed])  # the waitlist is no appointment
        self.assertIn("meet.example.org/" + placed, r.body)  # theirs: with the link
        self.assertEqual(self.server.client().get(path_of(feed).replace(".ics", "x.ics")).status,
                         404)
        other = path_of(feed).split("/kalender/")[1].split(".")[0]
        self.assertEqual(self.server.client().get(
            "/kalender/%d.%s" % (int(other) + 1, path_of(feed).split(".", 1)[1])).status, 404)
        self.assertEqual(self.server.client().get("/meine-anmeldungen").status, 303)

    def test_a_feed_of_an_organisations_public_events(self):
        public, _ = self.org_event(title="Offen für alle")
        members, _ = self.org_event(title="Nur Mitglieder", audience="members")
        slug = self.server.sql("SELECT slug FROM organisations WHERE id = %d" % self.org_id)
        profile = self.visitor_get("/organisationen/" + slug).body
        self.assertIn("/veranstaltungen/kalender.ics?veranstalter=" + slug, profile)
        r = self.server.client().get("/veranstaltungen/kalender.ics?veranstalter=" + slug)
        self.assertEqual(r.status, 200)
        uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(r.body).walk("VEVENT")]
        self.assertIn("%s-0@test" % public, uids)
        self.assertNotIn("%s-0@test" % members, uids)
        self.assertNotIn("meet.example.org", r.body)


if __name__ == "__main__":
    unittest.main()
