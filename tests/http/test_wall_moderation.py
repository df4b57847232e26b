"""Moderation of the Social Wall over HTTP, for every role: the queue
(/redaktion/social-wall) for platform admins and the regional editors of a post's
association only; hiding and showing posts and blocking sources, each with its reason,
logged and reversible from the same page; reports by anyone signed in, once per person
and post (raced); organisation admins hiding their own posts; the word list that holds
matching posts for review; the kiosk's controls from a moderator's phone (raced: every
press counts). Runs on SQLite and, as http.pg.test_wall_moderation, on PostgreSQL.
"""

import concurrent.futures
import html
import json
import re
import time
import unittest
import uuid

from harness import (Server, ServerTestCase, csrf, signed_in_client, unique_email)
from test_images import multipart

FAR_FUTURE = 4102444800
QUEUE = "/redaktion/social-wall"


def wall_ids(page):
    return [int(i) for i in re.findall(r'<li class="post-item" id="beitrag-(\d+)"', page)]


def field_error(page, field_id):
    m = re.search(r'<p class="field-error" id="%s-error">([^<]*)</p>' % re.escape(field_id), page)
    return html.unescape(m.group(1)) if m else None


class WallModerationTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(settings={"feeds.workers": "0"})
        r = cls.server.cli("demo")
        assert r.returncode == 0, r.stdout + r.stderr
        cls.server.sql("UPDATE sources SET next_fetch_at = %d" % FAR_FUTURE)
        # Two published organisations of different associations, each with visible
        # posts from a feed source.
        rows = cls.server.sql(
            "SELECT o.id, o.slug, r.code FROM organisations o JOIN regions r ON r.id = o.region_id "
            "WHERE o.status = 'published' AND EXISTS (SELECT 1 FROM posts p WHERE "
            "p.organisation_id = o.id AND p.status = 'visible' AND p.source_id IS NOT NULL) "
            "ORDER BY o.id").split()
        orgs = [tuple(x.split("|")) for x in rows]
        cls.org_id, cls.slug, cls.region = orgs[0]
        cls.other_id, cls.other_slug, cls.other_region = next(o for o in orgs
                                                              if o[2] != cls.region)
        users = {
            "admin": ("platform_admin", []),
            "editor": ("regional_editor", ["--region", cls.region]),
            "far_editor": ("regional_editor", ["--region", cls.other_region]),
            "org_admin": ("org_admin", ["--org", cls.slug]),
            "other_admin": ("org_admin", ["--org", cls.other_slug]),
            "member": (None, []),
            "member2": (None, []),
        }
        cls.emails = {}
        for name, (role, extra) in users.items():
            cls.emails[name] = unique_email("mod-" + name)
            cls.server.add_user(cls.emails[name], role=role, extra=extra)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def as_(self, name):
        return signed_in_client(self.server, self.emails[name])

    def status_of(self, post_id):
        return self.server.sql("SELECT status FROM posts WHERE id = %d" % post_id)

    def visible_post(self, org_id=None):
        """The newest visible feed post of an organisation (a fresh one for each test
        would be nicer; these tests put every post they touch back)."""
        return int(self.server.sql(
            "SELECT max(id) FROM posts WHERE organisation_id = %s AND status = 'visible' "
            "AND source_id IS NOT NULL" % (org_id or self.org_id)))

    def fresh_post(self, org_id=None, text=None):
        """A new direct post of the organisation, visible on the wall."""
        org_id = org_id or self.org_id
        word = uuid.uuid4().hex[:12]
        now = int(time.time())
        self.server.sql(
            "INSERT INTO posts (organisation_id, guid, body, status, content_hash, "
            "published_at, sort_at, fetched_at, updated_at) VALUES (%s, 'direct:%s', "
            "'%s', 'visible', 'test', %d, %d, %d, %d)"
            % (org_id, word, (text or "Testbeitrag %s" % word).replace("'", "''"),
               now, now, now, now))
        return int(self.server.sql("SELECT id FROM posts WHERE guid = 'direct:%s'" % word))

    def log_actions(self, post_id=None, source_id=None):
        where = "post_id = %d" % post_id if post_id else "source_id = %d" % source_id
        out = self.server.sql("SELECT action || ':' || reason FROM wall_moderation_log "
                              "WHERE %s ORDER BY id" % where)
        return out.split("\n") if out else []

    def on_wall(self, post_id):
        return post_id in wall_ids(self.as_("member").get(
            "/social-wall?organisation=%s" % self.server.sql(
                "SELECT o.slug FROM posts p JOIN organisations o ON o.id = p.organisation_id "
                "WHERE p.id = %d" % post_id)).body)

    def post_form(self, client, path, fields, token_page=QUEUE):
        fields = dict(fields)
        fields["csrf"] = client.csrf_for(token_page)
        return client.post(path, fields)

    # --- who reaches the queue -------------------------------------------------

    def test_the_queue_is_for_platform_admins_and_regional_editors(self):
        r = self.server.client().get(QUEUE)
        self.assertEqual(r.status, 303)
        self.assertTrue(r.location.startswith("/anmelden?weiter="))
        for name, status in (("admin", 200), ("editor", 200), ("far_editor", 200),
                             ("org_admin", 403), ("member", 403)):
            with self.subTest(role=name):
                self.assertEqual(self.as_(name).get(QUEUE).status, status)

    def test_moderation_steps_are_refused_to_everyone_else(self):
        post = self.fresh_post()
        source = int(self.server.sql("SELECT min(id) FROM sources WHERE organisation_id = %s"
                                     % self.org_id))
        steps = [("/beitrag/%d/ausblenden" % post, {"grund": "Test"}),
                 ("/beitrag/%d/anzeigen" % post, {}),
                 ("/beitrag/%d/meldungen-verwerfen" % post, {}),
                 ("/quelle/%d/sperren" % source, {"grund": "Test"}),
                 ("/quelle/%d/entsperren" % source, {}),
                 ("/wortliste", {"woerter": "bloed"})]
        for name in ("org_admin", "member"):
            client = self.as_(name)
            token = client.csrf_for("/konto")
            for path, fields in steps:
                with self.subTest(role=name, path=path):
                    r = client.post(QUEUE + path, dict(fields, csrf=token))
                    self.assertEqual(r.status, 403)
        anonymous = self.server.client()
        r = anonymous.post(QUEUE + steps[0][0], {"grund": "Test"})
        self.assertIn(r.status, (303, 403))
        self.assertEqual(self.status_of(post), "visible")
        self.assertEqual(self.server.sql("SELECT blocked_reason IS NULL FROM sources WHERE id = %d"
                                         % source), "1")
        self.assertEqual(self.server.sql("SELECT count(*) FROM wall_words"), "0")

    def test_an_editor_of_another_association_cannot_touch_the_post(self):
        post = self.fresh_post()
        far = self.as_("far_editor")
        r = self.post_form(far, QUEUE + "/beitrag/%d/ausblenden" % post, {"grund": "Nicht meins"})
        self.assertEqual(r.status, 404)
        self.assertEqual(self.status_of(post), "visible")
        source = int(self.server.sql("SELECT min(id) FROM sources WHERE organisation_id = %s"
                                     % self.org_id))
        r = self.post_form(far, QUEUE + "/quelle/%d/sperren" % source, {"grund": "Nicht meins"})
        self.assertEqual(r.status, 404)
        self.assertEqual(self.server.sql("SELECT blocked_reason IS NULL FROM sources WHERE id = %d"
                                         % source), "1")

    def test_steps_without_the_csrf_token_are_refused(self):
        post = self.fresh_post()
        editor = self.as_("editor")
        for fields in ({"grund": "Ohne Token"}, {"grund": "Falsch", "csrf": "x" * 43}):
            r = editor.post(QUEUE + "/beitrag/%d/ausblenden" % post, fields)
            self.assertEqual(r.status, 403)
        self.assertEqual(self.status_of(post), "visible")

    # --- hiding and showing ------------------------------------------------------

    def test_an_editor_hides_a_post_with_its_reason_and_shows_it_again(self):
        post = self.fresh_post()
        self.assertTrue(self.on_wall(post))
        editor = self.as_("editor")
        r = self.post_form(editor, QUEUE + "/beitrag/%d/ausblenden" % post,
                           {"grund": "  Enthält eine Telefonnummer  "})
        self.assertEqual(r.status, 303, r.body[:800])
        self.assertEqual(r.location, QUEUE + "?hinweis=beitrag_ausgeblendet")
        self.assertEqual(self.status_of(post), "hidden")
        self.assertFalse(self.on_wall(post))
        self.assertEqual(self.log_actions(post_id=post), ["hide:Enthält eine Telefonnummer"])
        # The way back is on the same page, and the log says who did what.
        page = editor.get(QUEUE).body
        undo = page[page.index('id="undo-heading"'):]
        self.assertIn('id="ausgeblendet-%d"' % post, undo)
        self.assertIn("Enthält eine Telefonnummer", undo)
        self.assertIn('action="%s/beitrag/%d/anzeigen"' % (QUEUE, post), undo)
        r = self.post_form(editor, QUEUE + "/beitrag/%d/anzeigen" % post, {})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.status_of(post), "visible")
        self.assertTrue(self.on_wall(post))
        self.assertEqual(self.log_actions(post_id=post)[-1], "unhide:")
        self.assertNotIn('id="ausgeblendet-%d"' % post, editor.get(QUEUE).body)

    def test_hiding_without_a_reason_keeps_the_post_and_says_so_at_the_field(self):
        post = self.fresh_post()
        # Reported, so that it is in the queue with its form.
        self.assertEqual(self.report(self.as_("member"), post, "spam").status, 303)
        editor = self.as_("editor")
        for reason, message in (("   ", "Bitte nennen Sie einen Grund. Die Organisation sieht ihn."),
                                ("x" * 501, "Bitte fassen Sie den Grund kürzer (höchstens 500 "
                                            "Zeichen).")):
            with self.subTest(reason=reason[:5]):
                r = self.post_form(editor, QUEUE + "/beitrag/%d/ausblenden" % post,
                                   {"grund": reason})
                self.assertEqual(r.status, 422)
                self.assertEqual(field_error(r.body, "grund-%d" % post), message)
                if reason.strip():
                    self.assertIn('value="%s"' % reason, r.body)
        self.assertEqual(self.status_of(post), "visible")
        self.assertEqual(self.log_actions(post_id=post), [])

    def test_hiding_a_post_that_does_not_exist_is_not_found(self):
        r = self.post_form(self.as_("admin"), QUEUE + "/beitrag/99999999/ausblenden",
                           {"grund": "Gibt es nicht"})
        self.assertEqual(r.status, 404)

    def test_organisation_admins_hide_and_show_their_own_posts(self):
        post = self.fresh_post()
        channels = "/meine-organisationen/%s/kanaele" % self.org_id
        admin = self.as_("org_admin")
        path = channels + "/beitraege/%d/sichtbarkeit" % post
        r = self.post_form(admin, path, {"sichtbar": "nein"}, token_page=channels)
        self.assertEqual(r.status, 303)
        self.assertIn("hinweis=beitrag_ausgeblendet", r.location)
        self.assertEqual(self.status_of(post), "hidden")
        self.assertFalse(self.on_wall(post))
        r = self.post_form(admin, path, {"sichtbar": "ja"}, token_page=channels)
        self.assertEqual(r.status, 303)
        self.assertEqual(self.status_of(post), "visible")
        # Another organisation's admin reaches neither.
        other = self.as_("other_admin")
        other_channels = "/meine-organisationen/%s/kanaele" % self.other_id
        r = self.post_form(other, path, {"sichtbar": "nein"}, token_page=other_channels)
        self.assertEqual(r.status, 404)
        self.assertEqual(self.status_of(post), "visible")

    def test_what_a_moderator_hid_the_organisation_cannot_show_again(self):
        post = self.fresh_post()
        r = self.post_form(self.as_("editor"), QUEUE + "/beitrag/%d/ausblenden" % post,
                           {"grund": "Beleidigung"})
        self.assertEqual(r.status, 303)
        channels = "/meine-organisationen/%s/kanaele" % self.org_id
        r = self.post_form(self.as_("org_admin"), channels + "/beitraege/%d/sichtbarkeit" % post,
                           {"sichtbar": "ja"}, token_page=channels)
        self.assertEqual(r.status, 404)
        self.assertEqual(self.status_of(post), "hidden")
        self.post_form(self.as_("admin"), QUEUE + "/beitrag/%d/anzeigen" % post, {})
        self.assertEqual(self.status_of(post), "visible")

    # --- reports -----------------------------------------------------------------

    def report(self, client, post, reason, note=""):
        form = "/social-wall/beitrag/%d/melden" % post
        return client.post(form, {"csrf": client.csrf_for(form), "grund": reason,
                                  "hinweis_text": note})

    def test_anyone_signed_in_reports_a_post_once_and_moderators_see_it(self):
        post = self.fresh_post()
        form = "/social-wall/beitrag/%d/melden" % post
        r = self.server.client().get(form)
        self.assertEqual(r.status, 303)
        self.assertTrue(r.location.startswith("/anmelden?weiter="))
        member = self.as_("member")
        r = self.report(member, post, "privacy", "Name eines Kindes im Text")
        self.assertEqual((r.status, r.location), (303, "/social-wall?hinweis=gemeldet"))
        r = self.report(member, post, "spam")
        self.assertEqual((r.status, r.location), (303, "/social-wall?hinweis=schon_gemeldet"))
        self.assertEqual(self.report(self.as_("member2"), post, "hate").status, 303)
        self.assertEqual(self.server.sql("SELECT count(*) FROM post_reports WHERE post_id = %d"
                                         % post), "2")
        self.assertEqual(self.status_of(post), "visible")  # a report alone hides nothing
        page = self.as_("editor").get(QUEUE).body
        item = page[page.index('id="beitrag-%d"' % post):]
        item = item[:item.index("</li>")]
        self.assertIn("Meldungen: 2", item)
        self.assertIn('action="%s/beitrag/%d/meldungen-verwerfen"' % (QUEUE, post), item)
        self.assertNotIn('id="beitrag-%d"' % post, self.as_("far_editor").get(QUEUE).body)
        # Dismissed, it leaves the queue and stays on the wall.
        r = self.post_form(self.as_("editor"), QUEUE + "/beitrag/%d/meldungen-verwerfen" % post, {})
        self.assertEqual(r.status, 303)
        self.assertNotIn('id="beitrag-%d"' % post, self.as_("editor").get(QUEUE).body)
        self.assertTrue(self.on_wall(post))
        self.assertEqual(self.log_actions(post_id=post), ["dismiss:"])

    def test_a_report_needs_a_known_reason_and_a_short_note(self):
        post = self.fresh_post()
        member = self.as_("member")
        r = self.report(member, post, "")
        self.assertEqual(r.status, 422)
        self.assertEqual(field_error(r.body, "grund"), "Bitte wählen Sie, was nicht stimmt.")
        self.assertEqual(self.report(member, post, "langweilig").status, 422)
        r = self.report(member, post, "other", "ä" * 1001)
        self.assertEqual(r.status, 422)
        self.assertEqual(field_error(r.body, "hinweis_text"),
                         "Bitte fassen Sie Ihren Hinweis kürzer (höchstens 1.000 Zeichen).")
        self.assertIn("ä" * 1001, r.body)  # the note as typed
        self.assertIn('value="other" checked', r.body)
        self.assertEqual(self.server.sql("SELECT count(*) FROM post_reports WHERE post_id = %d"
                                         % post), "0")

    def test_a_hidden_or_missing_post_cannot_be_reported(self):
        post = self.fresh_post()
        self.server.sql("UPDATE posts SET status = 'hidden' WHERE id = %d" % post)
        member = self.as_("member")
        self.assertEqual(member.get("/social-wall/beitrag/%d/melden" % post).status, 404)
        token = member.csrf_for("/konto")
        r = member.post("/social-wall/beitrag/%d/melden" % post, {"csrf": token, "grund": "spam"})
        self.assertEqual(r.status, 404)
        self.assertEqual(member.get("/social-wall/beitrag/99999999/melden").status, 404)

    def test_the_same_report_sent_ten_times_at_once_is_stored_once(self):
        post = self.fresh_post()
        member = self.as_("member")
        form = "/social-wall/beitrag/%d/melden" % post
        token = member.csrf_for(form)

        def send(_):
            return member.post(form, {"csrf": token, "grund": "spam"})

        with concurrent.futures.ThreadPoolExecutor(10) as pool:
            results = list(pool.map(send, range(10)))
        self.assertEqual([r.status for r in results], [303] * 10)
        locations = sorted(r.location for r in results)
        self.assertEqual(locations, ["/social-wall?hinweis=gemeldet"] +
                         ["/social-wall?hinweis=schon_gemeldet"] * 9)
        self.assertEqual(self.server.sql("SELECT count(*) FROM post_reports WHERE post_id = %d"
                                         % post), "1")

    # --- sources -----------------------------------------------------------------

    def test_a_blocked_source_leaves_the_wall_until_the_block_is_lifted(self):
        post = self.visible_post(self.other_id)
        source = int(self.server.sql("SELECT source_id FROM posts WHERE id = %d" % post))
        self.assertTrue(self.on_wall(post))
        admin = self.as_("admin")
        # Reported, so that the queue shows its source's block form.
        self.assertEqual(self.report(self.as_("member2"), post, "spam").status, 303)
        r = self.post_form(admin, QUEUE + "/quelle/%d/sperren" % source,
                           {"grund": " ", "beitrag": str(post)})
        self.assertEqual(r.status, 422)
        self.assertEqual(field_error(r.body, "sperrgrund-%d" % post),
                         "Bitte nennen Sie einen Grund. Die Organisation sieht ihn.")
        r = self.post_form(admin, QUEUE + "/quelle/%d/sperren" % source,
                           {"grund": "Werbung statt Vereinsleben"})
        self.assertEqual((r.status, r.location), (303, QUEUE + "?hinweis=quelle_gesperrt"))
        self.assertFalse(self.on_wall(post))
        self.assertEqual(self.log_actions(source_id=source), ["block:Werbung statt Vereinsleben"])
        page = admin.get(QUEUE).body
        undo = page[page.index('id="undo-heading"'):]
        self.assertIn('action="%s/quelle/%d/entsperren"' % (QUEUE, source), undo)
        self.assertIn("Werbung statt Vereinsleben", undo)
        # The organisation's admins see the block and its reason on their channels page.
        channels = self.as_("other_admin").get("/meine-organisationen/%s/kanaele"
                                               % self.other_id).body
        self.assertIn("Werbung statt Vereinsleben", channels)
        r = self.post_form(admin, QUEUE + "/quelle/%d/entsperren" % source, {})
        self.assertEqual((r.status, r.location), (303, QUEUE + "?hinweis=quelle_entsperrt"))
        self.assertTrue(self.on_wall(post))
        self.assertEqual(self.log_actions(source_id=source)[-1], "unblock:")
        self.post_form(admin, QUEUE + "/beitrag/%d/meldungen-verwerfen" % post, {})

    def popular(self):
        """The hashtags the wall suggests, as a member sees them (no page cache)."""
        page = self.as_("member").get("/social-wall").body
        m = re.search(r'<nav class="popular-tags".*?</nav>', page, re.S)
        return re.findall(r">#([^<]+)</a>", m.group(0)) if m else []

    def wait_popular(self, tag, present):
        deadline = time.time() + 20
        while time.time() < deadline:
            if (tag in self.popular()) == present:
                return True
            time.sleep(0.3)
        return False

    def test_a_blocked_source_takes_its_hashtags_out_of_the_suggestions_within_seconds(self):
        post = self.visible_post(self.other_id)
        source = int(self.server.sql("SELECT source_id FROM posts WHERE id = %d" % post))
        tag = "welle" + uuid.uuid4().hex[:8]
        now = int(time.time())
        for i in range(80):  # more than any demo hashtag: first among the suggestions
            self.server.sql(
                "INSERT INTO posts (organisation_id, source_id, guid, body, status, content_hash, "
                "published_at, sort_at, fetched_at, updated_at) VALUES (%s, %d, '%s-%d', "
                "'Beitrag #%s', 'visible', 't', %d, %d, %d, %d)"
                % (self.other_id, source, tag, i, tag, now - i, now - i, now, now))
        self.server.sql("INSERT INTO post_tags (post_id, tag, sort_at) SELECT id, '%s', sort_at "
                        "FROM posts WHERE guid LIKE '%s-%%'" % (tag, tag))
        # The counts follow every 10 minutes; a queued count stands in for the schedule.
        self.server.sql("INSERT INTO jobs (kind, payload, run_at, max_attempts, created_at) "
                        "VALUES ('wall.tag_counts', '', 0, 3, 0)")
        self.assertTrue(self.wait_popular(tag, True), self.popular())
        self.assertEqual(self.popular()[0], tag)
        admin = self.as_("admin")
        r = self.post_form(admin, QUEUE + "/quelle/%d/sperren" % source, {"grund": "Spamwelle"})
        self.assertEqual(r.status, 303)
        self.assertTrue(self.wait_popular(tag, False), self.popular())  # queued by the block
        r = self.post_form(admin, QUEUE + "/quelle/%d/entsperren" % source, {})
        self.assertEqual(r.status, 303)
        self.assertTrue(self.wait_popular(tag, True), self.popular())
        self.server.sql("DELETE FROM posts WHERE guid LIKE '%s-%%'" % tag)

    # --- the word list -----------------------------------------------------------

    def test_only_platform_admins_edit_the_word_list_and_it_holds_matching_posts(self):
        editor = self.as_("editor")
        self.assertNotIn('id="woerter"', editor.get(QUEUE).body)
        admin = self.as_("admin")
        self.assertIn('id="woerter"', admin.get(QUEUE).body)
        try:
            r = self.post_form(admin, QUEUE + "/wortliste",
                               {"woerter": "Pöbelei\n  Schimpfwort  \n\n"})
            self.assertEqual((r.status, r.location), (303, QUEUE + "?hinweis=wortliste_gespeichert"))
            self.assertEqual(self.server.sql("SELECT word FROM wall_words ORDER BY word"),
                             "pöbelei\nschimpfwort")
            r = self.post_form(admin, QUEUE + "/wortliste",
                               {"woerter": "\n".join("wort%d" % i for i in range(501))})
            self.assertEqual(r.status, 422)
            self.assertIn("höchstens 500 Wörter", r.body)
            self.assertEqual(self.server.sql("SELECT count(*) FROM wall_words"), "2")
            # A direct post with a listed word waits for review; a moderator releases it.
            org_admin = self.as_("org_admin")
            channels = "/meine-organisationen/%s/kanaele" % self.org_id
            mark = uuid.uuid4().hex[:8]
            body, ctype = multipart({"csrf": org_admin.csrf_for(channels),
                                     "text": "Keine PÖBELEI beim Sommerfest %s" % mark,
                                     "link": "", "alt": ""}, {})
            r = org_admin.request("POST", channels + "/beitrag", body=body,
                                  headers={"Content-Type": ctype})
            self.assertEqual(r.status, 303, r.body[:800])
            post = int(self.server.sql("SELECT id FROM posts WHERE body LIKE '%%%s%%'" % mark))
            self.assertEqual(self.status_of(post), "held")
            self.assertFalse(self.on_wall(post))
            page = editor.get(QUEUE).body
            item = page[page.index('id="beitrag-%d"' % post):]
            self.assertIn("Zurückgehalten wegen des Wortes <strong>pöbelei</strong>", item)
            r = self.post_form(editor, QUEUE + "/beitrag/%d/anzeigen" % post, {})
            self.assertEqual(r.status, 303)
            self.assertEqual(self.status_of(post), "visible")
            self.assertEqual(self.log_actions(post_id=post)[-1], "approve:")
        finally:
            self.post_form(admin, QUEUE + "/wortliste", {"woerter": ""})
        self.assertEqual(self.server.sql("SELECT count(*) FROM wall_words"), "0")

    # --- the kiosk's controls ------------------------------------------------------

    def kiosk(self, name):
        return json.loads(self.server.client().get("/social-wall/kiosk/zustand?name=" + name).body)

    def test_kiosk_controls_are_for_moderators(self):
        name = "k" + uuid.uuid4().hex[:8]
        path = "/social-wall/kiosk/steuerung?name=" + name
        r = self.server.client().get(path)
        self.assertEqual(r.status, 303)
        for who, status in (("member", 403), ("org_admin", 403), ("editor", 200),
                            ("admin", 200)):
            with self.subTest(role=who):
                self.assertEqual(self.as_(who).get(path).status, status)
        member = self.as_("member")
        r = member.post(path, {"csrf": member.csrf_for("/konto"), "aktion": "blank"})
        self.assertEqual(r.status, 403)
        self.assertEqual(self.kiosk(name)["blank"], 0)

    def test_a_moderator_pauses_blanks_and_speeds_up_the_screen(self):
        name = "saal-" + uuid.uuid4().hex[:6]
        path = "/social-wall/kiosk/steuerung?name=" + name
        editor = self.as_("editor")
        self.assertEqual(self.kiosk(name), {"name": name, "speed": "normal", "paused": 0,
                                            "blank": 0, "version": 0})
        for action, key, value in (("pause", "paused", 1), ("blank", "blank", 1),
                                   ("faster", "speed", "fast"), ("show", "blank", 0),
                                   ("play", "paused", 0), ("slower", "speed", "normal")):
            with self.subTest(action=action):
                r = editor.post(path, {"csrf": csrf(editor.get(path).body), "aktion": action})
                self.assertEqual(r.status, 303)
                self.assertIn("hinweis=kiosk_geaendert", r.location)
                self.assertEqual(self.kiosk(name)[key], value)
        self.assertEqual(self.kiosk(name)["version"], 6)
        r = editor.post(path, {"csrf": csrf(editor.get(path).body), "aktion": "explodieren"})
        self.assertEqual(r.status, 400)
        self.assertEqual(self.kiosk(name)["version"], 6)

    def test_presses_from_two_phones_at_once_all_count(self):
        name = "festival-" + uuid.uuid4().hex[:6]
        path = "/social-wall/kiosk/steuerung?name=" + name
        phones = [self.as_("editor"), self.as_("admin")]
        tokens = [csrf(p.get(path).body) for p in phones]

        def press(i):
            return phones[i % 2].post(path, {"csrf": tokens[i % 2], "aktion": "faster"}).status

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(press, range(16)))
        self.assertEqual(statuses, [303] * 16)
        state = self.kiosk(name)
        self.assertEqual(state["version"], 16)
        self.assertEqual(state["speed"], "fast")


if __name__ == "__main__":
    unittest.main()
