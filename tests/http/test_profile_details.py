"""The second section of an organisation's profile over HTTP ("Weitere Angaben"): saved
details appear on the public page (social links with rel="me" for Mastodon, a donation
button, the Impressum, JSON-LD sameAs, no coordinates as numbers); bad input is refused
at the field and kept; concurrent edits of either section are detected; nobody outside
the organisation reaches the page; no save without a CSRF token."""

import html
import json
import re
import unittest

from harness import Client, Server, ServerTestCase, hidden_value, unique_email
from test_orgs import login, org_fields, token_of

GOOD = {
    "why": "Weil wir gemeinsam mit anderen Familienzentren mehr erreichen.",
    "founded": "1998",
    "opening_hours": "Mo–Fr 9–16 Uhr\nDo bis 18 Uhr",
    "accessibility": "Stufenloser Zugang, barrierefreies WC",
    "latitude": "50,58727",
    "longitude": "8.67554",
    "mastodon": "@loewenzahn@social.example",
    "instagram": "@fz.loewenzahn",
    "facebook": "https://www.facebook.com/fzloewenzahn?mibextid=abc",
    "linkedin": "https://de.linkedin.com/company/fz-loewenzahn/",
    "youtube": "@FZLoewenzahn",
    "feed_url": "https://loewenzahn.example/feed.xml",
    "donation_url": "https://loewenzahn.example/spenden",
    "legal_representative": "Vorstand: Anna Beispiel (Vorsitzende), Jonas Muster",
    "register_entry": "Amtsgericht Gießen, VR 4711",
    "content_responsible": "Anna Beispiel, Marburger Straße 12, 35390 Gießen",
}

STORED = ("why, founded, languages, opening_hours, latitude, longitude, social_mastodon, "
          "social_instagram, social_facebook, social_linkedin, social_youtube, feed_url, "
          "donation_url, legal_representative, register_entry, content_responsible, version")


def details_fields(token, version, **over):
    fields = dict(GOOD)
    fields.update(over)
    languages = fields.pop("_languages", ["de", "ar", "tr"])
    return ([("csrf", token), ("version", version)] + list(fields.items())
            + [("languages", code) for code in languages])


def field_error(body, field):
    m = re.search(r'<p class="field-error" id="%s-error">([^<]*)</p>' % field, body)
    return html.unescape(m.group(1)) if m else None


class ProfileDetailsTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.server.cli("demo")
        cls.owner = unique_email("owner")
        cls.other = unique_email("other")
        cls.admin = unique_email("admin")
        cls.editor_he = unique_email("red-he")
        cls.server.add_user(cls.owner, name="Olga Owner")
        cls.server.add_user(cls.other, name="Otto Other")
        cls.server.add_user(cls.admin, role="platform_admin")
        cls.server.add_user(cls.editor_he, role="regional_editor", extra=["--region", "he"])

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def new_org(self, name):
        owner = login(self.server, self.owner)
        token = owner.csrf_for("/meine-organisationen/neu")
        r = owner.post("/meine-organisationen/neu", org_fields(token, name=name))
        self.assertEqual(r.status, 303)
        return owner, re.search(r"/meine-organisationen/(\d+)", r.location).group(1)

    def publish(self, org_id):
        he = login(self.server, self.editor_he)
        r = he.post("/redaktion/%s/entscheidung" % org_id, {"csrf": token_of(he), "action": "freigeben"})
        self.assertEqual(r.status, 303)

    def page(self, org_id):
        return "/meine-organisationen/%s/details" % org_id

    def form(self, client, org_id):
        """(csrf token, version) of the details form as loaded now."""
        body = client.get(self.page(org_id)).body
        return hidden_value(body, "csrf"), hidden_value(body, "version")

    def stored(self, org_id):
        return self.server.sql("SELECT %s FROM organisations WHERE id = %s" % (STORED, org_id))

    def test_saved_details_appear_on_the_public_page(self):
        owner, org_id = self.new_org("Familienzentrum Löwenzahn Details e.V.")
        basics = owner.get("/meine-organisationen/%s" % org_id).body
        self.assertIn('<a href="%s">Weitere Angaben (Öffnungszeiten, Social Media, Impressum)</a>'
                      % self.page(org_id), basics)
        token, version = self.form(owner, org_id)
        r = owner.post(self.page(org_id), details_fields(token, version))
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, self.page(org_id) + "?hinweis=gespeichert")
        form = owner.get(r.location).body
        self.assertIn("Gespeichert.", form)
        self.assertIn('value="https://social.example/@loewenzahn"', form)  # normalised
        self.assertIn('value="50.58727"', form)
        self.assertRegex(form, r'value="ar" checked')
        self.assertEqual(hidden_value(form, "version"), str(int(version) + 1))

        self.publish(org_id)
        body = Client(self.server).get("/organisationen/familienzentrum-loewenzahn-details-e-v").body
        self.assertIn('<a href="https://social.example/@loewenzahn" rel="me nofollow ugc">Mastodon</a>', body)
        self.assertEqual(body.count('rel="me'), 1)
        for url, label in (("https://www.instagram.com/fz.loewenzahn", "Instagram"),
                           ("https://www.facebook.com/fzloewenzahn", "Facebook"),
                           ("https://www.linkedin.com/company/fz-loewenzahn", "LinkedIn"),
                           ("https://www.youtube.com/@FZLoewenzahn", "YouTube"),
                           ("https://loewenzahn.example/feed.xml", "Neuigkeiten (Feed)")):
            self.assertIn('<a href="%s" rel="nofollow ugc">%s</a>' % (url, label), body)
        self.assertIn('<a class="button" href="https://loewenzahn.example/spenden" '
                      'rel="nofollow ugc">Spenden</a>', body)
        self.assertIn('<blockquote lang="de"><p class="lines">Weil wir gemeinsam', body)
        self.assertIn("<dd>1998</dd>", body)
        self.assertIn("<dd>Deutsch, Arabisch, Türkisch</dd>", body)
        self.assertIn("Mo–Fr 9–16 Uhr\nDo bis 18 Uhr", body)
        self.assertIn('<h2 id="impressum-heading">Impressum</h2>', body)
        impressum = body[body.index('id="impressum-heading"'):]
        for text in ("Familienzentrum Löwenzahn Details e.V.", "Marburger Straße 12", "35390 Gießen",
                     "Vorstand: Anna Beispiel (Vorsitzende), Jonas Muster",
                     "Amtsgericht Gießen, VR 4711"):
            self.assertIn(html.escape(text, quote=False), impressum)
        # Coordinates are not shown as numbers; they go to machines (JSON-LD geo) only.
        visible = body.split("</head>", 1)[1]
        self.assertNotIn("50.58727", visible)
        self.assertNotIn("50,58727", visible)
        self.assertIn('"geo":{"@type":"GeoCoordinates","latitude":50.587270', body)
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                    body, re.S).group(1))
        self.assertEqual(data["sameAs"], ["https://social.example/@loewenzahn",
                                          "https://www.instagram.com/fz.loewenzahn",
                                          "https://www.facebook.com/fzloewenzahn",
                                          "https://www.linkedin.com/company/fz-loewenzahn",
                                          "https://www.youtube.com/@FZLoewenzahn"])
        self.assertEqual(self.server.sql("SELECT latitude || ' ' || longitude FROM organisations "
                                         "WHERE id = %s" % org_id), "50.58727 8.67554")

        # Emptied again: no Impressum without a representative, no links, no button.
        token, version = self.form(owner, org_id)
        empty = {k: "" for k in GOOD}
        r = owner.post(self.page(org_id), details_fields(token, version, _languages=[], **empty))
        self.assertEqual(r.status, 303)
        body = Client(self.server).get("/organisationen/familienzentrum-loewenzahn-details-e-v").body
        for gone in ("impressum-heading", "loewenzahn.example", "social.example",
                     "Warum wir dabei sind"):
            self.assertNotIn(gone, body)
        self.assertEqual(self.server.sql("SELECT latitude IS NULL AND founded IS NULL "
                                         "FROM organisations WHERE id = %s" % org_id), "1")

    def test_bad_input_is_refused_at_the_field_and_kept(self):
        owner, org_id = self.new_org("Beratungsstelle Eingabefehler e.V.")
        cases = [
            ("mastodon", {"mastodon": "@nur-ein-name"},
             "Bitte geben Sie Ihr Mastodon-Konto als @name@server.de oder als Link ein"),
            ("donation_url", {"donation_url": "javascript:alert(1)"},
             "Der Link zur Spendenseite beginnt mit https:// oder http://"),
            ("founded", {"founded": "3000"}, "zwischen 1800 und dem laufenden Jahr"),
            ("longitude", {"latitude": "51.3", "longitude": ""},
             "Bitte geben Sie Breitengrad und Längengrad beide an"),
            ("latitude", {"latitude": "80"}, "Der Breitengrad ist eine Zahl zwischen 47 und 55,1"),
        ]
        for field, over, message in cases:
            with self.subTest(field=field):
                before = self.stored(org_id)
                token, version = self.form(owner, org_id)
                r = owner.post(self.page(org_id), details_fields(token, version, **over))
                self.assertEqual(r.status, 422)
                self.assertIn(message, field_error(r.body, field) or "")
                self.assertRegex(r.body, r'<input id="%s" [^>]*aria-invalid="true"' % field)
                self.assertIn('href="#%s"' % field, r.body)  # in the summary at the top
                typed = dict(GOOD, **over)
                for name in ("mastodon", "donation_url", "founded", "latitude", "longitude",
                             "register_entry"):
                    self.assertIn('value="%s"' % html.escape(typed[name]), r.body, name)
                self.assertIn(html.escape(GOOD["opening_hours"]), r.body)
                self.assertRegex(r.body, r'value="tr" checked')
                self.assertEqual(hidden_value(r.body, "version"), version)
                self.assertEqual(self.stored(org_id), before)

    def test_concurrent_edits_of_either_section_are_detected(self):
        owner, org_id = self.new_org("Frauenberatung Gleichzeitig e.V.")
        token, version = self.form(owner, org_id)
        first = owner.post(self.page(org_id), details_fields(token, version, why="Erste Fassung"))
        self.assertEqual(first.status, 303)
        second = owner.post(self.page(org_id), details_fields(token, version, why="Zweite Fassung"))
        self.assertEqual(second.status, 409)
        conflict = re.search(r'<p class="field-error" id="conflict">([^<]*)</p>', second.body)
        self.assertIn("inzwischen gespeichert", conflict.group(1))
        self.assertIn('href="#conflict"', second.body)
        self.assertIn(">Zweite Fassung</textarea>", second.body)  # the second writer's input
        self.assertEqual(self.server.sql("SELECT why FROM organisations WHERE id = %s" % org_id),
                         "Erste Fassung")

        # A save of the basics in between is a conflict for the details form, too.
        token, version = self.form(owner, org_id)
        basics = owner.post("/meine-organisationen/%s" % org_id,
                            org_fields(token, name="Frauenberatung Gleichzeitig e.V.",
                                       version=version, city="Wetzlar"))
        self.assertEqual(basics.status, 303)
        r = owner.post(self.page(org_id), details_fields(token, version, why="Dritte Fassung"))
        self.assertEqual(r.status, 409)
        self.assertEqual(self.server.sql("SELECT why FROM organisations WHERE id = %s" % org_id),
                         "Erste Fassung")

    def test_only_admins_of_the_organisation_reach_the_page(self):
        owner, org_id = self.new_org("Tafel Zugriff e.V.")
        before = self.stored(org_id)
        for who in (self.other, self.editor_he):
            client = login(self.server, who)
            self.assertEqual(client.get(self.page(org_id)).status, 404)
            token = client.csrf_for("/meine-organisationen/neu")
            r = client.post(self.page(org_id), details_fields(token, "1", why="Übernommen"))
            self.assertEqual(r.status, 404)
        self.assertEqual(self.stored(org_id), before)
        self.assertEqual(login(self.server, self.admin).get(self.page(org_id)).status, 200)
        r = Client(self.server).get(self.page(org_id))
        self.assertEqual(r.status, 303)
        self.assertIn("/anmelden", r.location)

    def test_without_a_csrf_token_nothing_changes(self):
        owner, org_id = self.new_org("Suchtberatung Token e.V.")
        before = self.stored(org_id)
        _, version = self.form(owner, org_id)
        for token in ("", "falsch"):
            r = owner.post(self.page(org_id), details_fields(token, version))
            self.assertEqual(r.status, 403)
        fields = [(k, v) for k, v in details_fields("", version) if k != "csrf"]
        self.assertEqual(owner.post(self.page(org_id), fields).status, 403)
        self.assertEqual(self.stored(org_id), before)


if __name__ == "__main__":
    unittest.main()
