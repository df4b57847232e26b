"""The people of an organisation over HTTP: admins invite by e-mail, the invited person
accepts once with the link, roles change, people leave; the last admin cannot leave or
step down; nobody outside the organisation reaches any of it."""

import re
import time
import unittest

from harness import (GOOD_PASSWORD, Client, Server, ServerTestCase, clone, in_parallel, path_of,
                     unique_email)
from test_orgs import login, org_fields


class MembersTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.server.cli("demo")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def new_org(self, name):
        owner_email = unique_email("owner")
        self.server.add_user(owner_email, name="Olga Owner")
        owner = login(self.server, owner_email)
        token = owner.csrf_for("/meine-organisationen/neu")
        r = owner.post("/meine-organisationen/neu", org_fields(token, name=name))
        org_id = re.search(r"/meine-organisationen/(\d+)", r.location).group(1)
        return owner, owner_email, org_id

    def invite(self, client, org_id, email_addr, role="mitglied"):
        page = "/meine-organisationen/%s/mitglieder" % org_id
        token = client.csrf_for("/meine-organisationen/neu")
        return client.post(page + "/einladen", {"csrf": token, "email": email_addr, "rolle": role})

    def invitation_link(self, email_addr):
        mails = self.server.wait_for_mail(1, to=email_addr)
        links = [l for l in mails[-1].links(self.server.port) if "/einladung?token=" in l]
        self.assertEqual(len(links), 1, mails[-1].body)
        return path_of(links[0])

    def people(self, client, org_id):
        return client.get("/meine-organisationen/%s/mitglieder" % org_id).body

    def user_id(self, email_addr):
        return self.server.sql("SELECT id FROM users WHERE email = '%s'" % email_addr)

    def test_ten_parallel_invitations_of_one_address_make_one(self):
        owner, _, org_id = self.new_org("Einladungs-Wettlauf e.V.")
        guest = unique_email("gast")
        page = "/meine-organisationen/%s/mitglieder" % org_id
        token = owner.csrf_for(page)
        results = in_parallel(10, lambda i: clone(owner).post(
            page + "/einladen", {"csrf": token, "email": guest, "rolle": "mitglied"}))
        statuses = sorted(getattr(r, "status", repr(r)) for r in results)
        self.assertEqual(statuses, [303] + [422] * 9, statuses)
        for r in results:
            if r.status == 422:
                self.assertIn("schon eine Einladung unterwegs", r.body)
        self.assertEqual(self.server.sql(
            "SELECT COUNT(*) FROM org_invitations WHERE organisation_id = %s AND accepted_at IS NULL"
            % org_id), "1")
        self.server.wait_for_mail(1, to=guest)
        time.sleep(0.5)
        self.assertEqual(len(self.server.mails(to=guest)), 1)

    def test_invite_accept_once_and_see_the_organisation_as_member(self):
        owner, _, org_id = self.new_org("Mitgliedertest Tafel e.V.")
        colleague = unique_email("kollegin")
        self.server.add_user(colleague, name="Karla Kollegin")
        r = self.invite(owner, org_id, colleague)
        self.assertEqual(r.status, 303)
        page = owner.get(r.location).body
        self.assertIn("Die Einladung ist verschickt.", page)
        self.assertIn(colleague, page)
        link = self.invitation_link(colleague)
        mail = self.server.mails(to=colleague)[-1]
        self.assertIn("Mitgliedertest Tafel e.V.", mail.body)
        self.assertIn("Olga Owner", mail.body)

        # A visitor sees whom the invitation is from and is asked to log in first.
        visitor = Client(self.server).get(link)
        self.assertEqual(visitor.status, 200)
        self.assertIn("Mitgliedertest Tafel e.V.", visitor.body)
        self.assertIn("/anmelden?weiter=%2Feinladung%3Ftoken%3D", visitor.body)

        k = login(self.server, colleague)
        page = k.get(link)
        self.assertIn("Einladung annehmen", page.body)
        token = re.search(r'name="token" value="([^"]+)"', page.body).group(1)
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.body).group(1)
        r = k.post("/einladung", {"csrf": csrf, "token": token})
        self.assertEqual(r.status, 303)
        self.assertIn("einladung_angenommen", r.location)
        mine = k.get("/meine-organisationen").body
        self.assertIn("Mitgliedertest Tafel e.V.", mine)
        self.assertIn("Sie sind Mitglied", mine)
        self.assertIn("Karla Kollegin", self.people(owner, org_id))
        # A member looks but does not edit or manage.
        self.assertEqual(k.get("/meine-organisationen/%s" % org_id).status, 404)
        self.assertEqual(k.get("/meine-organisationen/%s/mitglieder" % org_id).status, 404)
        self.assertEqual(self.invite(k, org_id, unique_email("x")).status, 404)
        # The link works once.
        r = k.post("/einladung", {"csrf": csrf, "token": token})
        self.assertEqual(r.status, 404)
        self.assertEqual(Client(self.server).get(link).status, 404)

    def test_bad_addresses_and_double_invitations_get_messages_at_the_field(self):
        owner, owner_email, org_id = self.new_org("Einladungsfehler Beratung e.V.")
        r = self.invite(owner, org_id, "keine-adresse")
        self.assertEqual(r.status, 422)
        self.assertIn('id="email-error"', r.body)
        self.assertIn('value="keine-adresse"', r.body)
        r = self.invite(owner, org_id, "")
        self.assertEqual(r.status, 422)
        r = self.invite(owner, org_id, owner_email)
        self.assertEqual(r.status, 422)
        self.assertIn("gehört schon zur Organisation", r.body)
        addr = unique_email("doppelt")
        self.assertEqual(self.invite(owner, org_id, addr).status, 303)
        r = self.invite(owner, org_id, addr.upper())
        self.assertEqual(r.status, 422)
        self.assertIn("schon eine Einladung unterwegs", r.body)
        self.assertEqual(self.server.sql(
            "SELECT COUNT(*) FROM org_invitations WHERE organisation_id = %s" % org_id), "1")

    def test_withdrawn_and_expired_invitations_no_longer_work(self):
        owner, _, org_id = self.new_org("Zurückgezogen Hilfe e.V.")
        a, b = unique_email("a"), unique_email("b")
        self.server.add_user(a)
        self.invite(owner, org_id, a)
        self.invite(owner, org_id, b)
        link_a = self.invitation_link(a)
        inv_id = self.server.sql("SELECT id FROM org_invitations WHERE email = '%s'" % a)
        page = "/meine-organisationen/%s/mitglieder" % org_id
        r = owner.post(page + "/einladungen/%s/zurueckziehen" % inv_id,
                       {"csrf": owner.csrf_for(page)})
        self.assertEqual(r.status, 303)
        self.assertEqual(Client(self.server).get(link_a).status, 404)
        link_b = self.invitation_link(b)
        self.server.sql("UPDATE org_invitations SET expires_at = 1 WHERE email = '%s'" % b)
        r = Client(self.server).get(link_b)
        self.assertEqual(r.status, 404)
        self.assertIn("gilt nicht mehr", r.body)

    def test_the_last_admin_can_neither_step_down_nor_leave(self):
        owner, owner_email, org_id = self.new_org("Letzte Admin Kita e.V.")
        me = self.user_id(owner_email)
        page = "/meine-organisationen/%s/mitglieder" % org_id
        body = self.people(owner, org_id)
        self.assertIn("braucht mindestens eine Administratorin", body)
        token = owner.csrf_for(page)
        r = owner.post(page + "/%s/rolle" % me, {"csrf": token, "rolle": "mitglied"})
        self.assertEqual(r.status, 409)
        self.assertIn("Das geht nicht", r.body)
        r = owner.post(page + "/%s/entfernen" % me, {"csrf": token})
        self.assertEqual(r.status, 409)
        self.assertEqual(self.server.sql(
            "SELECT COUNT(*) FROM user_roles WHERE organisation_id = %s AND role = 'org_admin'"
            % org_id), "1")

        # With a second admin the first may step down and then leave.
        second = unique_email("zweite")
        self.server.add_user(second, name="Zweite Admin")
        self.invite(owner, org_id, second, role="admin")
        link = self.invitation_link(second)
        s = login(self.server, second)
        body = s.get(link).body
        s.post("/einladung", {"csrf": re.search(r'name="csrf" value="([^"]+)"', body).group(1),
                              "token": re.search(r'name="token" value="([^"]+)"', body).group(1)})
        self.assertEqual(s.get(page).status, 200)
        r = owner.post(page + "/%s/rolle" % me, {"csrf": token, "rolle": "mitglied"})
        self.assertEqual(r.status, 303)
        r = owner.post(page + "/%s/entfernen" % me, {"csrf": token})
        self.assertEqual(r.status, 303)
        self.assertIn("hinweis=verlassen", r.location)
        self.assertNotIn("Letzte Admin Kita", owner.get("/meine-organisationen").body)
        # Now the second admin is the last one.
        r = s.post(page + "/%s/entfernen" % self.user_id(second), {"csrf": s.csrf_for(page)})
        self.assertEqual(r.status, 409)

    def accept_form(self, client, link):
        body = client.get(link).body
        return {"csrf": re.search(r'name="csrf" value="([^"]+)"', body).group(1),
                "token": re.search(r'name="token" value="([^"]+)"', body).group(1)}

    def withdraw_all(self, owner, org_id, email_addr):
        page = "/meine-organisationen/%s/mitglieder" % org_id
        for inv in self.server.sql(
                "SELECT id FROM org_invitations WHERE organisation_id = %s AND email = '%s' "
                "AND revoked_at IS NULL" % (org_id, email_addr)).split():
            r = owner.post(page + "/einladungen/%s/zurueckziehen" % inv,
                           {"csrf": owner.csrf_for(page)})
            self.assertEqual(r.status, 303)

    def test_invite_withdraw_invite_is_limited_per_address(self):
        owner, _, org_id = self.new_org("Einladungsschleife e.V.")
        guest = unique_email("dauergast")
        for _ in range(3):
            self.assertEqual(self.invite(owner, org_id, guest).status, 303)
            self.withdraw_all(owner, org_id, guest)
        r = self.invite(owner, org_id, guest)
        self.assertEqual(r.status, 422)
        self.assertIn("schon drei Einladungen", r.body)
        self.assertIn('value="%s"' % guest, r.body)
        self.server.wait_for_mail(3, to=guest)
        time.sleep(0.3)
        self.assertEqual(len(self.server.mails(to=guest)), 3)

    def test_an_organisation_under_review_invites_very_few_even_at_once(self):
        owner, _, org_id = self.new_org("Noch in Prüfung e.V.")
        page = "/meine-organisationen/%s/mitglieder" % org_id
        token = owner.csrf_for(page)
        guests = [unique_email("viele%d" % i) for i in range(8)]
        results = in_parallel(8, lambda i: clone(owner).post(
            page + "/einladen", {"csrf": token, "email": guests[i], "rolle": "mitglied"}))
        statuses = sorted(getattr(r, "status", repr(r)) for r in results)
        self.assertEqual(statuses, [303] * 5 + [422] * 3, statuses)
        for r in results:
            if r.status == 422:
                self.assertIn("höchstens fünf Einladungen", r.body)
        # withdrawing makes no room: the five count until the organisation is published
        self.withdraw_all(owner, org_id, [g for g, r in zip(guests, results)
                                          if r.status == 303][0])
        self.assertEqual(self.invite(owner, org_id, unique_email("noch")).status, 422)
        # published, it may send 30 a day
        self.server.sql("UPDATE organisations SET status = 'published' WHERE id = %s" % org_id)
        self.assertEqual(self.invite(owner, org_id, unique_email("danach")).status, 303)
        self.server.sql(
            "INSERT INTO org_invitations (organisation_id, email, role, token_hash, created_at, "
            "expires_at, revoked_at) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
            "FROM n WHERE i < 30) SELECT %s, 'alt' || i || '@example.org', 'org_member', "
            "'h' || i, %d, %d, %d FROM n"
            % (org_id, time.time() - 3600, time.time() + 3600, time.time() - 1800))
        r = self.invite(owner, org_id, unique_email("zuviel"))
        self.assertEqual(r.status, 422)
        self.assertIn("heute schon 30 Einladungen", r.body)

    def test_only_the_invited_address_can_accept(self):
        owner, _, org_id = self.new_org("Nur für Eingeladene e.V.")
        invited, other = unique_email("eingeladen"), unique_email("weitergeleitet")
        self.server.add_user(invited)
        self.server.add_user(other)
        self.assertEqual(self.invite(owner, org_id, invited).status, 303)
        link = self.invitation_link(invited)
        o = login(self.server, other)
        page = o.get(link)
        self.assertEqual(page.status, 200)
        self.assertIn("Diese Einladung ging an <strong>%s</strong>" % invited, page.body)
        self.assertNotIn("Einladung annehmen", page.body)
        form = self.accept_form(login(self.server, invited), link)
        r = o.post("/einladung", dict(form, csrf=re.search(
            r'name="csrf" value="([^"]+)"', o.get("/konto").body).group(1)))
        self.assertEqual(r.status, 403)
        self.assertIn("für eine andere E-Mail-Adresse", r.body)
        self.assertNotIn("Nur für Eingeladene", o.get("/meine-organisationen").body)
        # the link still works for the invited person
        i = login(self.server, invited)
        r = i.post("/einladung", self.accept_form(i, link))
        self.assertEqual(r.status, 303)
        self.assertIn("Nur für Eingeladene", i.get("/meine-organisationen").body)

    def delete_account(self, client):
        return client.post("/konto/loeschen", {"csrf": client.csrf_for("/konto"),
                                               "current_password_del": GOOD_PASSWORD})

    def second_admin(self, owner, org_id, tag):
        """A new account invited as admin of `org_id`, signed in, having accepted."""
        second = unique_email(tag)
        self.server.add_user(second)
        self.invite(owner, org_id, second, role="admin")
        s = login(self.server, second)
        self.assertEqual(s.post("/einladung", self.accept_form(
            s, self.invitation_link(second))).status, 303)
        return s

    def test_the_only_admin_hands_over_before_deleting_the_account(self):
        owner, owner_email, org_id = self.new_org("Übergabe vor dem Löschen e.V.")
        r = self.delete_account(owner)
        self.assertEqual(r.status, 409)
        self.assertIn("Sie sind die einzige Verwaltung dieser Organisationen", r.body)
        self.assertIn("<li>Übergabe vor dem Löschen e.V.</li>", r.body)
        self.assertEqual(owner.get("/konto").status, 200)
        # with a second admin the first may go; the organisation keeps the second
        s = self.second_admin(owner, org_id, "nachfolge")
        self.assertEqual(self.delete_account(owner).status, 303)
        self.assertEqual(self.server.sql(
            "SELECT COUNT(*) FROM user_roles WHERE organisation_id = %s AND role = 'org_admin'"
            % org_id), "1")
        self.assertEqual(self.delete_account(s).status, 409)

    def test_two_admins_deleting_their_accounts_at_once_leave_one(self):
        owner, _, org_id = self.new_org("Gleichzeitig weg e.V.")
        s = self.second_admin(owner, org_id, "gleichzeitig")
        forms = [{"csrf": c.csrf_for("/konto"), "current_password_del": GOOD_PASSWORD}
                 for c in (owner, s)]
        clients = [owner, s]
        results = in_parallel(2, lambda i: clients[i].post("/konto/loeschen", forms[i]))
        statuses = sorted(getattr(r, "status", repr(r)) for r in results)
        self.assertEqual(statuses, [303, 409], statuses)
        self.assertEqual(self.server.sql(
            "SELECT COUNT(*) FROM user_roles WHERE organisation_id = %s AND role = 'org_admin'"
            % org_id), "1")

    def test_outsiders_reach_nothing_and_forms_need_csrf(self):
        owner, _, org_id = self.new_org("Fremdzugriff Verein e.V.")
        other, _, _ = self.new_org("Anderer Verein e.V.")
        page = "/meine-organisationen/%s/mitglieder" % org_id
        self.assertEqual(other.get(page).status, 404)
        self.assertEqual(self.invite(other, org_id, unique_email("x")).status, 404)
        r = Client(self.server).get(page)
        self.assertEqual(r.status, 303)
        self.assertIn("/anmelden", r.location)
        r = Client(self.server).post("/einladung", {"token": "x"})
        self.assertIn(r.status, (303, 403))
        r = owner.post(page + "/einladen", {"email": unique_email("y"), "rolle": "mitglied"})
        self.assertEqual(r.status, 403)
        self.assertEqual(self.server.sql(
            "SELECT COUNT(*) FROM org_invitations WHERE organisation_id = %s" % org_id), "0")


if __name__ == "__main__":
    unittest.main()
