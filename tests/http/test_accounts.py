"""Accounts over HTTP: sign-up with confirmation mail, log-in and log-out, sessions,
CSRF, password reset, change of e-mail and password, the log-in rate limit."""

import html
import re
import time
import unittest
import urllib.parse
import uuid

import harness
from harness import (GOOD_PASSWORD, Server, ServerTestCase, create_account, login, path_of,
                     signed_in_client, signup, unique_email)

CONFIRM_SUBJECT = "Bitte bestätigen Sie Ihre E-Mail-Adresse bei Verbund"
ALREADY_SUBJECT = "Registrierung bei Verbund"


class AccountsTest(ServerTestCase):
    """Shares one server. Every test uses fresh addresses. Failed log-ins also count per
    IP (10 per 15 minutes, all tests come from 127.0.0.1), so this class keeps them few;
    the rate limit has its own server below."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def setUp(self):
        self.c = self.server.client()

    def confirm_mail(self, addr):
        mails = [m for m in self.server.wait_for_mail(1, 10, to=addr)
                 if m.subject == CONFIRM_SUBJECT]
        self.assertEqual(len(mails), 1, mails)
        return mails[0]

    def queued_mail_count(self, addr):
        return int(self.server.sql(
            "SELECT count(*) FROM outbox WHERE recipient = '%s'" % addr.replace("'", "''")))

    # -- sign-up -------------------------------------------------------------------

    def test_home_without_organisations_says_what_to_do(self):
        # this server has no demo content
        body = self.c.get("/").body
        self.assertIn("0 Organisationen in 0 Landesverbänden", body)
        self.assertIn("Registrieren Sie sich und stellen Sie Ihre Organisation als erste vor.", body)
        self.assertNotIn('id="why-heading"', body)

    def test_signup_form_for_visitor(self):
        r = self.c.get("/registrieren")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.set_cookies, [])
        self.assertIn('<form method="post" action="/registrieren"', r.body)
        self.assertTrue(harness.csrf(r.body))
        for name in ("display_name", "email", "password", "password_repeat"):
            self.assertIn('name="%s"' % name, r.body)

    def test_signup_confirm_login_flow(self):
        addr = unique_email("flow")
        r = signup(self.c, addr, name="Erika Müller")
        self.assertEqual(r.status, 200, r.body[:2000])
        self.assertIn("Bitte schauen Sie in Ihr Postfach", r.body)
        self.assertIn(addr, r.body)
        self.assertEqual(r.set_cookies, [])

        mail = self.confirm_mail(addr)
        self.assertEqual(mail.to, addr)
        self.assertTrue(mail.raw_subject.startswith("=?UTF-8?"), mail.raw_subject)
        self.assertIn("\r\n", mail.raw)
        self.assertIn("Hallo Erika Müller", mail.body)
        links = mail.links(self.server.port)
        self.assertEqual(len(links), 1, links)
        self.assertRegex(links[0], r"^http://127\.0\.0\.1:%d/registrieren/bestaetigen\?token=[A-Za-z0-9_-]{20,}$"
                         % self.server.port)

        # not confirmed yet: log-in refused with a hint (the password is right)
        r = login(self.c, addr)
        self.assertEqual(r.status, 422)
        self.assertIn("Bitte bestätigen Sie zuerst", r.body)
        self.assertNotIn("verbund", self.c.cookies)

        # opening the link (as mail scanners do) changes nothing; its page has a button
        r = self.c.get(path_of(links[0]))
        self.assertEqual(r.status, 200)
        self.assertIn("<h1>E-Mail-Adresse bestätigen</h1>", r.body)
        token = harness.hidden_value(r.body, "token")
        self.assertEqual(login(self.server.client(), addr).status, 422)
        # the button needs the form's CSRF token
        self.assertEqual(self.c.post("/registrieren/bestaetigen", {"token": token}).status, 403)
        self.assertEqual(login(self.server.client(), addr).status, 422)
        r = harness.follow_mail_link(self.c, links[0])
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/anmelden?hinweis=bestaetigt")
        # a second visit says it is done (and how to go on), not that the link is invalid
        r = self.c.get(path_of(links[0]))
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/anmelden?hinweis=schon_bestaetigt")
        self.assertIn("Ihre E-Mail-Adresse ist schon bestätigt. Sie können sich anmelden.",
                      self.c.get(r.location).body)
        r = self.c.post("/registrieren/bestaetigen",
                        {"csrf": self.c.csrf_for("/anmelden"), "token": token})
        self.assertEqual((r.status, r.location), (303, "/anmelden?hinweis=bestaetigt"))
        self.assertEqual(self.c.get("/registrieren/bestaetigen?token=nonsense").status, 410)
        self.assertEqual(self.c.get("/registrieren/bestaetigen").status, 410)
        r = self.c.post("/registrieren/bestaetigen",
                        {"csrf": self.c.csrf_for("/anmelden"), "token": "x" * 43})
        self.assertEqual(r.status, 410)

        r = login(self.c, addr)
        self.assertEqual(r.status, 303, r.body[:2000])
        self.assertEqual(r.location, "/start")
        self.assertEqual(len(r.set_cookies), 1, r.set_cookies)
        cookie = r.set_cookies[0]
        self.assertRegex(cookie, r"^verbund=[^;]{20,}; ")
        attrs = [a.strip() for a in cookie.split(";")[1:]]
        self.assertIn("Path=/", attrs)
        self.assertIn("HttpOnly", attrs)
        self.assertIn("SameSite=Lax", attrs)
        self.assertNotIn("Secure", attrs)  # plain HTTP

        r = self.c.get("/konto")
        self.assertEqual(r.status, 200)
        self.assertIn("Erika Müller", r.body)
        self.assertIn(addr, r.body)
        self.assertIn("private", r.headers.get("cache-control", ""))

    def signup_error(self, field_values, message, *, name="Max Mustermann", email=None):
        email = email if email is not None else unique_email("err")
        fields = {"display_name": name, "email": email, "password": GOOD_PASSWORD,
                  "password_repeat": GOOD_PASSWORD}
        fields.update(field_values)
        fields["csrf"] = self.c.csrf_for("/registrieren")
        r = self.c.post("/registrieren", fields)
        self.assertEqual(r.status, 422, r.body[:2000])
        self.assertIn('class="error-summary"', r.body)
        self.assertIn(message, r.body)
        self.assertIn('aria-invalid="true"', r.body)
        # the form comes back with the input, never with the password
        self.assertIn('<form method="post" action="/registrieren"', r.body)
        if fields["display_name"].strip():
            # (in an attribute a line break or tab comes back as a space)
            kept = re.sub(r"[\n\t]", " ", fields["display_name"].strip())
            self.assertIn('value="%s"' % html.escape(kept, quote=True), r.body)
        if fields["email"]:
            self.assertIn('value="%s"' % html.escape(fields["email"], quote=True), r.body)
        if fields["password"]:
            self.assertNotIn(fields["password"], r.body)
            self.assertNotIn(html.escape(fields["password"], quote=True), r.body)
        self.assertTrue(harness.csrf(r.body))
        return r

    def assert_no_account(self, addr):
        self.assertEqual(self.server.sql(
            "SELECT count(*) FROM users WHERE email = '%s'" % addr), "0")

    def test_signup_empty_name(self):
        addr = unique_email("noname")
        r = self.signup_error({"display_name": "   "}, "Bitte geben Sie Ihren Namen ein.",
                              email=addr)
        self.assertRegex(r.body, r'id="display_name-error">Bitte geben Sie Ihren Namen ein.')
        self.assert_no_account(addr)

    def test_signup_bad_email(self):
        r = self.signup_error({"email": "kein-at-zeichen.example"},
                              "Diese E-Mail-Adresse ist ungültig")
        self.assertIn('id="email-error"', r.body)
        self.signup_error({"email": "a@b"}, "Diese E-Mail-Adresse ist ungültig")

    def test_signup_short_password(self):
        r = self.signup_error({"password": "kurz123", "password_repeat": "kurz123"},
                              "Das Passwort ist zu kurz")
        self.assertIn('id="password-error"', r.body)

    def test_signup_common_password_numbers(self):
        self.signup_error({"password": "1234567890", "password_repeat": "1234567890"},
                          "häufig benutzter Passwörter")

    def test_signup_common_password_word(self):
        addr = unique_email("common")
        self.signup_error({"password": "password123", "password_repeat": "password123"},
                          "häufig benutzter Passwörter", email=addr)
        self.assert_no_account(addr)

    def test_signup_passwords_easy_to_guess_are_explained(self):
        # what a security review saw accepted; each reason is named in plain German
        for pw, reason in (("passwort123", "besteht vor allem aus bekannten Wörtern"),
                           ("Sommer2024!", "besteht vor allem aus bekannten Wörtern"),
                           ("qwertzuiop", "Tastaturfolgen"),
                           ("Verbund2026!", "den Namen dieser Seite"),
                           ("Erika Gärtner 1", "Ihren Namen")):
            addr = unique_email("schwach")
            r = self.signup_error({"password": pw, "password_repeat": pw}, reason, email=addr,
                                  name="Erika Gärtner")
            self.assertIn("ein kurzer Satz ist sicher", r.body)
            self.assertIn('id="password-error"', r.body)
            self.assert_no_account(addr)

    def test_reset_and_change_refuse_easy_passwords_too(self):
        addr = create_account(self.server, unique_email("starkbleiben"))
        c = signed_in_client(self.server, addr)
        r = c.post("/konto/passwort", {"csrf": harness.csrf(c.get("/konto").body),
                                       "current_password_pw": GOOD_PASSWORD,
                                       "new_password": "Sommer2024!",
                                       "new_password_repeat": "Sommer2024!"})
        self.assertEqual(r.status, 422)
        self.assertIn("bekannten Wörtern", r.body)
        before = len(self.server.mails(to=addr))
        self.assertEqual(self.request_reset(addr).status, 200)
        r = self.use_reset_link(self.reset_link(addr, before), "Herbstlaub42")
        self.assertEqual(r.status, 422)
        self.assertIn("bekannten Wörtern", r.body)
        self.assertEqual(login(self.server.client(), addr).status, 303)

    def test_signup_password_mismatch(self):
        r = self.signup_error({"password_repeat": GOOD_PASSWORD + "x"},
                              "stimmen nicht überein")
        self.assertIn('id="password_repeat-error"', r.body)

    def test_signup_escapes_input(self):
        r = self.signup_error({"display_name": '<b>"Max"</b>', "email": "<x>"},
                              "Diese E-Mail-Adresse ist ungültig")
        self.assertNotIn('<b>"Max"</b>', r.body)
        self.assertIn("&lt;b&gt;", r.body)

    def test_signup_taken_address_mails_owner(self):
        addr = create_account(self.server, unique_email("taken"))
        before = len(self.server.mails(to=addr))
        r = signup(self.c, addr, password="Ganz anderes Passwort 9", name="Eindringling")
        self.assertEqual(r.status, 200)
        self.assertIn("Bitte schauen Sie in Ihr Postfach", r.body)
        mails = self.server.wait_for_mail(before + 1, 10, to=addr)
        self.assertEqual(mails[-1].subject, ALREADY_SUBJECT)
        self.assertIn("http://127.0.0.1:%d/passwort-vergessen" % self.server.port,
                      mails[-1].body)
        # only that mail: none queued besides it, and none sent once the queue has worked
        # everything queued so far (a confirmation mail would have been queued with it)
        self.assertEqual(self.queued_mail_count(addr), before + 1)
        self.server.wait_for_outbox_worked()
        self.assertEqual(len(self.server.mails(to=addr)), before + 1)
        # the account is unchanged: the old password still works, the new one does not
        self.assertEqual(login(self.server.client(), addr).status, 303)

    def test_signup_name_stays_on_one_line_without_links(self):
        # names appear in invitation mails to others: no second line, no web address
        self.signup_error({"display_name": "Erika\nKlicken Sie hier"}, "muss in eine Zeile passen")
        self.signup_error({"display_name": "Erika\tMüller"}, "muss in eine Zeile passen")
        for name in ("Erika (www.evil.example)", "Erika https://evil.example"):
            self.signup_error({"display_name": name}, "keine Internetadresse")

    def test_signup_name_too_long(self):
        self.signup_error({"display_name": "x" * 101}, "Der Name ist zu lang")

    def test_address_case_does_not_matter(self):
        local = "Gross.Klein-%s" % uuid.uuid4().hex[:8]
        addr = create_account(self.server, "%s@Example.ORG" % local)
        # the domain is stored in lower case, the local part as typed
        self.assertEqual(self.server.sql(
            "SELECT email FROM users WHERE lower(email) = lower('%s')" % addr), "%s@example.org" % local)
        self.assertEqual(login(self.server.client(), addr.lower()).status, 303)
        # the same address in other capitals is the same account
        r = signup(self.c, addr.upper())
        self.assertEqual(r.status, 200)
        self.assertEqual(self.server.sql(
            "SELECT count(*) FROM users WHERE lower(email) = '%s'" % addr.lower()), "1")
        mails = self.server.wait_for_mail(2, 10, to="%s@example.org" % local)
        self.assertEqual(mails[-1].subject, ALREADY_SUBJECT)

    def test_resend_confirmation(self):
        addr = unique_email("resend")
        self.assertEqual(signup(self.c, addr).status, 200)
        first = self.confirm_mail(addr)
        r = login(self.c, addr)
        self.assertEqual(r.status, 422)
        self.assertIn('action="/registrieren/erneut-senden"', r.body)
        r = self.c.post("/registrieren/erneut-senden", {"csrf": harness.csrf(r.body),
                                                         "email": addr})
        self.assertEqual(r.status, 200)
        mails = self.server.wait_for_mail(2, 10, to=addr)
        self.assertEqual([m.subject for m in mails], [CONFIRM_SUBJECT] * 2)
        second = mails[-1].links(self.server.port)[0]
        self.assertNotEqual(second, first.links(self.server.port)[0])
        self.assertEqual(harness.follow_mail_link(self.c, second).status, 303)
        self.assertEqual(login(self.server.client(), addr).status, 303)
        # for a confirmed account nothing is sent
        r = self.c.post("/registrieren/erneut-senden", {"csrf": self.c.csrf_for("/anmelden"),
                                                         "email": addr})
        self.assertEqual(r.status, 200)
        self.assertEqual(self.queued_mail_count(addr), 2)

    def test_a_mistyped_address_is_corrected_on_the_check_mail_page(self):
        typo = unique_email("tippfehler")
        right = unique_email("richtig")
        r = signup(self.c, typo, name="Tippfehler Person")
        self.assertEqual(r.status, 200)
        self.assertIn('action="/registrieren/erneut-senden"', r.body)
        self.assertIn('action="/registrieren/adresse"', r.body)
        old_link = harness.confirm_link(self.server, typo)
        fields = {"csrf": harness.csrf(r.body), "email": typo,
                  "fix": harness.hidden_value(r.body, "fix")}
        # bad input: the page again, with the message at the field and the input kept
        for bad, message in (("", "Bitte geben Sie Ihre E-Mail-Adresse ein."),
                             ("kein-at", "Diese E-Mail-Adresse ist ungültig."),
                             (typo.upper(), "Das ist dieselbe Adresse.")):
            r = self.c.post("/registrieren/adresse", dict(fields, new_email=bad))
            self.assertEqual(r.status, 422, bad)
            self.assertIn(message, r.body)
            self.assertIn('aria-describedby="new_email-error"', r.body)
            self.assertIn('value="%s"' % html.escape(bad), r.body)
        r = self.c.post("/registrieren/adresse", dict(fields, new_email=right))
        self.assertEqual(r.status, 200)
        self.assertIn("<strong>%s</strong>" % right, r.body)
        # the link to the wrong address stops working; the new one confirms the account,
        # which then logs in with the right address only
        self.assertEqual(self.c.get(path_of(old_link)).status, 410)
        self.assertEqual(harness.follow_mail_link(self.c, harness.confirm_link(self.server, right))
                         .status, 303)
        self.assertEqual(login(self.server.client(), right).status, 303)
        self.assertEqual(login(self.server.client(), typo).status, 422)
        # the page's signature is spent: the confirmed account does not move again
        r = self.c.post("/registrieren/adresse",
                        dict(fields, email=right, new_email=unique_email("nochmal"),
                             fix=harness.hidden_value(r.body, "fix")))
        self.assertEqual(r.status, 200)
        self.assertEqual(login(self.server.client(), right).status, 303)

    def test_nobody_else_can_move_an_unconfirmed_account(self):
        victim = unique_email("opfer")
        self.assertEqual(signup(self.server.client(), victim).status, 200)
        # signing up with the victim's address gives the same page, with a signature that
        # fits no account; with it or a made-up one the victim's account stays put
        r = signup(self.c, victim)
        self.assertEqual(r.status, 200)
        attacker = unique_email("angreifer")
        for fix in (harness.hidden_value(r.body, "fix"), "%d.%s" % (time.time(), "0" * 64),
                    "", "nonsense"):
            r2 = self.c.post("/registrieren/adresse",
                             {"csrf": harness.csrf(r.body), "email": victim, "fix": fix,
                              "new_email": attacker})
            self.assertEqual(r2.status, 200, fix)
        self.assertEqual(self.server.sql(
            "SELECT count(*) FROM users WHERE email = '%s'" % victim), "1")
        self.assertEqual(self.queued_mail_count(attacker), 0)
        self.assertEqual(harness.follow_mail_link(self.c, harness.confirm_link(self.server, victim))
                         .status, 303)

    def test_deleting_the_own_account(self):
        addr = create_account(self.server, unique_email("loeschen"), name="Lotte Löschen")
        c = signed_in_client(self.server, addr)
        page = c.get("/konto").body
        self.assertIn('action="/konto/loeschen"', page)
        token = harness.csrf(page)
        # without the form's token, or with the wrong password, nothing happens
        self.assertEqual(c.post("/konto/loeschen", {"current_password_del": GOOD_PASSWORD}).status,
                         403)
        r = c.post("/konto/loeschen", {"csrf": token, "current_password_del": "falsch falsch 1"})
        self.assertEqual(r.status, 422)
        self.assertIn('id="current_password_del-error"', r.body)
        self.assertIn("Das aktuelle Passwort ist falsch.", r.body)
        self.assertEqual(c.get("/konto").status, 200)
        r = c.post("/konto/loeschen", {"csrf": token, "current_password_del": GOOD_PASSWORD})
        self.assertEqual((r.status, r.location), (303, "/?hinweis=konto_geloescht"))
        self.assertIn("Ihr Konto ist gelöscht.", c.get(r.location).body)
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM users WHERE email = '%s'" % addr),
                         "0")
        self.assertEqual(c.get("/konto").status, 303)  # the session is gone
        self.assertEqual(login(self.server.client(), addr).status, 422)
        mails = self.server.wait_for_mail(2, 10, to=addr)
        self.assertEqual(mails[-1].subject, "Ihr Konto bei Verbund ist gelöscht")
        self.assertIn("Hallo Lotte Löschen", mails[-1].body)
        # the address is free again
        self.assertEqual(signup(self.server.client(), addr).status, 200)
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM users WHERE email = '%s'" % addr),
                         "1")

    def test_secrets_stay_out_of_the_log(self):
        addr = unique_email("secret")
        password = "Geheimnis im Logbuch 77"
        create_account(self.server, addr, password=password)
        link = [l for l in self.server.mails(to=addr)[0].links(self.server.port)][0]
        token = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["token"][0]
        c = signed_in_client(self.server, addr, password)
        c.get("/konto")
        log = self.server.wait_for_log("path=/konto ")
        self.assertIn("path=/registrieren/bestaetigen", log)
        self.assertNotIn(password, log)
        self.assertNotIn(urllib.parse.quote_plus(password), log)
        self.assertNotIn(token, log)
        self.assertNotIn(c.cookies["verbund"], log)

    # -- log-in ----------------------------------------------------------------------

    def test_login_form(self):
        r = self.c.get("/anmelden")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.set_cookies, [])
        self.assertTrue(harness.csrf(r.body))

    def test_wrong_password(self):
        addr = create_account(self.server, unique_email("wrong"))
        r = login(self.c, addr, "Falsches Passwort 123")
        self.assertEqual(r.status, 422)
        self.assertIn("E-Mail-Adresse oder Passwort sind falsch.", r.body)
        self.assertEqual(r.set_cookies, [])
        self.assertIn('value="%s"' % addr, r.body)
        self.assertNotIn("Falsches Passwort 123", r.body)
        # an unknown address gets the same answer (no enumeration)
        r2 = login(self.c, unique_email("nobody"), "Falsches Passwort 123")
        self.assertEqual(r2.status, 422)
        self.assertIn("E-Mail-Adresse oder Passwort sind falsch.", r2.body)

    def test_login_missing_fields(self):
        token = self.c.csrf_for("/anmelden")
        r = self.c.post("/anmelden", {"csrf": token, "email": "", "password": ""})
        self.assertEqual(r.status, 422)
        self.assertIn('class="error-summary"', r.body)

    def test_login_redirects_to_local_next_only(self):
        addr = create_account(self.server, unique_email("next"))
        r = login(self.server.client(), addr, next_path="/organisationen?q=Kinder")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/organisationen?q=Kinder")
        # Browsers drop tabs and newlines and read "\\" as "/"; only printable ASCII passes.
        for evil in ("//evil.example", "//evil.example/konto", "https://evil.example/",
                     "/\\evil.example", "evil.example", "/\t/evil.example", "/\n/evil.example",
                     "/\r\n/evil.example", " //evil.example", "/ /evil.example", "/\x7f/x"):
            with self.subTest(weiter=evil):
                r = login(self.server.client(), addr, next_path=evil)
                self.assertEqual(r.status, 303)
                self.assertEqual(r.location, "/start")

    def test_login_form_keeps_next(self):
        r = self.c.get("/konto")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/anmelden?weiter=%2Fkonto")
        r = self.c.get(r.location)
        self.assertEqual(harness.hidden_value(r.body, "weiter"), "/konto")
        r = self.c.get("/anmelden?weiter=//evil.example")
        self.assertEqual(harness.hidden_value(r.body, "weiter"), "")

    def test_account_page_needs_sign_in(self):
        r = self.c.get("/konto")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/anmelden?weiter=%2Fkonto")
        r = self.c.get("/konto", headers={"Cookie": "verbund=erfunden"})
        self.assertEqual(r.status, 303)

    def test_signed_in_visits_of_login_and_signup_go_to_account(self):
        c = signed_in_client(self.server, create_account(self.server))
        for path in ("/anmelden", "/registrieren"):
            r = c.get(path)
            self.assertEqual(r.status, 303)
            self.assertEqual(r.location, "/start")

    def test_forwarded_proto_is_ignored_without_proxy(self):
        addr = create_account(self.server)
        token = self.c.csrf_for("/anmelden")
        r = self.c.post("/anmelden", {"csrf": token, "email": addr, "password": GOOD_PASSWORD},
                        headers={"X-Forwarded-Proto": "https"})
        self.assertEqual(r.status, 303)
        self.assertIsNotNone(r.cookie("verbund"))
        self.assertIsNone(r.cookie("__Host-verbund"))

    # -- sessions ----------------------------------------------------------------------

    def test_session_id_is_rotated_at_login(self):
        addr = create_account(self.server, unique_email("rotate"))
        # a session id planted before log-in is never taken over
        self.c.cookies["verbund"] = "planted-by-attacker-0123456789"
        r = login(self.c, addr)
        self.assertEqual(r.status, 303)
        first = r.cookie("verbund")
        self.assertTrue(first)
        self.assertNotEqual(first, "planted-by-attacker-0123456789")
        self.assertEqual(self.c.get("/konto").status, 200)
        # signing in again while signed in gives a new id and ends the old session
        token = harness.csrf(self.c.get("/konto").body)
        r = self.c.post("/anmelden", {"csrf": token, "email": addr, "password": GOOD_PASSWORD})
        self.assertEqual(r.status, 303)
        second = r.cookie("verbund")
        self.assertTrue(second)
        self.assertNotEqual(second, first)
        old = self.c.get("/konto", headers={"Cookie": "verbund=" + first})
        self.assertEqual(old.status, 303)
        self.assertEqual(self.c.get("/konto").status, 200)

    def test_two_sessions_are_independent(self):
        addr = create_account(self.server)
        a = signed_in_client(self.server, addr)
        b = signed_in_client(self.server, addr)
        self.assertNotEqual(a.cookies["verbund"], b.cookies["verbund"])
        self.assertNotEqual(harness.csrf(a.get("/konto").body), harness.csrf(b.get("/konto").body))
        r = a.post("/abmelden", {"csrf": harness.csrf(a.get("/konto").body)})
        self.assertEqual(r.status, 303)
        self.assertEqual(b.get("/konto").status, 200)

    def test_logout(self):
        addr = create_account(self.server, unique_email("logout"))
        c = signed_in_client(self.server, addr)
        cookie = c.cookies["verbund"]
        page = c.get("/konto")
        token = harness.csrf(page.body)
        self.assertIn('action="/abmelden"', page.body)
        r = c.post("/abmelden", {"csrf": token})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/?hinweis=abgemeldet")
        self.assertEqual(len(r.set_cookies), 1)
        self.assertRegex(r.set_cookies[0], r"^verbund=;")
        self.assertIn("Max-Age=0", r.set_cookies[0])
        self.assertNotIn("verbund", c.cookies)
        # the server-side session is gone: the old cookie no longer works
        r = self.c.get("/konto", headers={"Cookie": "verbund=" + cookie})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/anmelden?weiter=%2Fkonto")
        r = self.c.get("/", headers={"Cookie": "verbund=" + cookie})
        self.assertIn('href="/anmelden"', r.body)
        self.assertIn("Sie sind abgemeldet.", self.server.client().get("/?hinweis=abgemeldet").body)

    def test_logout_without_session_goes_to_login(self):
        r = self.c.post("/abmelden", {"csrf": self.c.csrf_for("/anmelden")})
        self.assertEqual(r.status, 303)
        self.assertTrue(r.location.startswith("/anmelden"))

    # -- CSRF --------------------------------------------------------------------------

    def test_logout_with_wrong_token_is_refused(self):
        c = signed_in_client(self.server, create_account(self.server))
        visitor_token = self.server.client().csrf_for("/anmelden")
        session_token = harness.csrf(c.get("/konto").body)
        for fields in ({"csrf": "falsch"}, {}, {"csrf": visitor_token},
                       {"csrf": session_token + "x"}, {"csrf": session_token[:-1]}):
            with self.subTest(fields=fields):
                r = c.post("/abmelden", fields)
                self.assertEqual(r.status, 403)
                self.assertEqual(r.set_cookies, [])
        self.assertEqual(c.get("/konto").status, 200)

    def test_signed_in_forms_need_the_session_token(self):
        addr = create_account(self.server)
        c = signed_in_client(self.server, addr)
        # a visitor token (valid signature) is not good enough for a session
        visitor_token = self.server.client().csrf_for("/registrieren")
        r = c.post("/konto/passwort", {"csrf": visitor_token, "current_password_pw": GOOD_PASSWORD,
                                        "new_password": "Neues Passwort für Tests",
                                        "new_password_repeat": "Neues Passwort für Tests"})
        self.assertEqual(r.status, 403)
        # the password did not change
        self.assertEqual(login(self.server.client(), addr).status, 303)

    def test_login_without_csrf_is_refused(self):
        addr = create_account(self.server)
        r = self.c.post("/anmelden", {"email": addr, "password": GOOD_PASSWORD})
        self.assertEqual(r.status, 403)
        self.assertEqual(r.set_cookies, [])
        self.assertIn("Das Formular ist abgelaufen", r.body)
        r = self.c.post("/anmelden", {"csrf": "1.2.3", "email": addr, "password": GOOD_PASSWORD})
        self.assertEqual(r.status, 403)

    def test_signup_without_csrf_creates_nothing(self):
        addr = unique_email("nocsrf")
        fields = {"display_name": "Ohne Token", "email": addr, "password": GOOD_PASSWORD,
                  "password_repeat": GOOD_PASSWORD}
        r = self.c.post("/registrieren", fields)
        self.assertEqual(r.status, 403)
        self.assert_no_account(addr)
        self.assertEqual(self.queued_mail_count(addr), 0)
        # a proper sign-up afterwards gets the confirmation mail of a new account
        r = signup(self.c, addr)
        self.assertEqual(r.status, 200)
        self.confirm_mail(addr)
        self.assertEqual([m.subject for m in self.server.mails(to=addr)], [CONFIRM_SUBJECT])

    def test_cross_site_post_with_valid_token_is_refused(self):
        addr = unique_email("crosssite")
        for headers in ({"Origin": "http://evil.example"},
                        {"Origin": "null"},
                        {"Referer": "http://evil.example/form.html"}):
            with self.subTest(headers=headers):
                r = signup(self.c, addr, headers=headers)
                self.assertEqual(r.status, 403)
        self.assert_no_account(addr)
        # the same request from this site's origin is fine
        r = signup(self.c, addr, headers={"Origin": "http://127.0.0.1:%d" % self.server.port})
        self.assertEqual(r.status, 200)
        self.confirm_mail(addr)

    def test_forged_visitor_token_is_refused(self):
        token = self.c.csrf_for("/registrieren")
        issued, nonce, mac = token.split(".")
        forged = "%d.%s.%s" % (int(issued) + 3600, nonce, mac)
        addr = unique_email("forged")
        r = self.c.post("/registrieren", {"csrf": forged, "display_name": "X", "email": addr,
                                          "password": GOOD_PASSWORD,
                                          "password_repeat": GOOD_PASSWORD})
        self.assertEqual(r.status, 403)
        self.assert_no_account(addr)

    # -- password reset ------------------------------------------------------------------

    def request_reset(self, addr):
        token = self.c.csrf_for("/passwort-vergessen")
        return self.c.post("/passwort-vergessen", {"csrf": token, "email": addr})

    def reset_link(self, addr, before):
        mails = self.server.wait_for_mail(before + 1, 10, to=addr)
        mail = mails[-1]
        self.assertEqual(mail.subject, "Neues Passwort für Verbund")
        links = [l for l in mail.links(self.server.port) if "/passwort-neu?token=" in l]
        self.assertEqual(len(links), 1, mail.body)
        return path_of(links[0])

    def test_password_reset(self):
        addr = create_account(self.server, unique_email("reset"))
        signed_in = signed_in_client(self.server, addr)
        before = len(self.server.mails(to=addr))
        r = self.request_reset(addr)
        self.assertEqual(r.status, 200)
        self.assertIn("Link verschickt", r.body)
        link = self.reset_link(addr, before)

        r = self.c.get(link)
        self.assertEqual(r.status, 200)
        token = harness.hidden_value(r.body, "token")
        self.assertTrue(token)
        self.assertEqual(token, urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["token"][0])
        new_password = "Neues Passwort am Fluss 7"
        r = self.c.post("/passwort-neu", {"csrf": harness.csrf(r.body), "token": token,
                                          "password": new_password,
                                          "password_repeat": new_password})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/anmelden?hinweis=passwort_geaendert")
        # sessions of the account ended
        self.assertEqual(signed_in.get("/konto").status, 303)
        self.assertEqual(login(self.server.client(), addr, GOOD_PASSWORD).status, 422)
        self.assertEqual(login(self.server.client(), addr, new_password).status, 303)
        # the link works once
        self.assertEqual(self.c.get(link).status, 410)
        r = self.c.post("/passwort-neu", {"csrf": self.c.csrf_for("/anmelden"), "token": token,
                                          "password": "Noch ein neues Passwort",
                                          "password_repeat": "Noch ein neues Passwort"})
        self.assertEqual(r.status, 410)
        self.assertEqual(login(self.server.client(), addr, new_password).status, 303)

    def use_reset_link(self, link, password):
        """Posts a new password with the link's token (also when its page says 410)."""
        token = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["token"][0]
        return self.c.post("/passwort-neu", {"csrf": self.c.csrf_for("/anmelden"),
                                             "token": token, "password": password,
                                             "password_repeat": password})

    def test_using_a_reset_link_spends_the_others(self):
        addr = create_account(self.server, unique_email("resettwo"))
        before = len(self.server.mails(to=addr))
        self.assertEqual(self.request_reset(addr).status, 200)
        first = self.reset_link(addr, before)
        self.assertEqual(self.request_reset(addr).status, 200)
        second = self.reset_link(addr, before + 1)
        self.assertNotEqual(first, second)
        self.assertEqual(self.use_reset_link(second, "Neues Passwort am Fluss 8").status, 303)
        self.assertEqual(self.c.get(first).status, 410)
        self.assertEqual(self.use_reset_link(first, "Jemand anderes 12345").status, 410)
        self.assertEqual(login(self.server.client(), addr, "Neues Passwort am Fluss 8").status, 303)

    def test_changing_the_password_spends_reset_links(self):
        addr = create_account(self.server, unique_email("resetpw"))
        before = len(self.server.mails(to=addr))
        self.assertEqual(self.request_reset(addr).status, 200)
        link = self.reset_link(addr, before)
        c = signed_in_client(self.server, addr)
        r = c.post("/konto/passwort", {"csrf": harness.csrf(c.get("/konto").body),
                                       "current_password_pw": GOOD_PASSWORD,
                                       "new_password": "Ein neues Passwort 2",
                                       "new_password_repeat": "Ein neues Passwort 2"})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.c.get(link).status, 410)
        self.assertEqual(self.use_reset_link(link, "Jemand anderes 12345").status, 410)

    def test_changing_the_address_spends_reset_links_sent_to_the_old_one(self):
        addr = create_account(self.server, unique_email("resetold"))
        new_addr = unique_email("resetnew")
        before = len(self.server.mails(to=addr))
        self.assertEqual(self.request_reset(addr).status, 200)
        link = self.reset_link(addr, before)
        c = signed_in_client(self.server, addr)
        r = c.post("/konto/email", {"csrf": harness.csrf(c.get("/konto").body),
                                    "new_email": new_addr, "current_password": GOOD_PASSWORD})
        self.assertEqual(r.status, 303)
        mail = self.server.wait_for_mail(1, 10, to=new_addr)[0]
        confirm = [l for l in mail.links(self.server.port) if "/konto/email-bestaetigen?" in l]
        self.assertEqual(harness.follow_mail_link(self.server.client(), confirm[0]).status, 303)
        # whoever still reads the old mailbox cannot take the account over
        self.assertEqual(self.c.get(link).status, 410)
        self.assertEqual(self.use_reset_link(link, "Jemand anderes 12345").status, 410)
        self.assertEqual(login(self.server.client(), new_addr).status, 303)

    def test_password_reset_unknown_address(self):
        addr = unique_email("unknown")
        r = self.request_reset(addr)
        self.assertEqual(r.status, 200)
        self.assertIn("Link verschickt", r.body)
        self.assertEqual(self.queued_mail_count(addr), 0)
        self.server.wait_for_outbox_worked()
        self.assertEqual(self.server.mails(to=addr), [])

    def test_password_reset_invalid_address(self):
        r = self.request_reset("kein-at")
        self.assertEqual(r.status, 422)
        self.assertIn("Diese E-Mail-Adresse ist ungültig", r.body)

    def test_password_reset_bad_password_keeps_token(self):
        addr = create_account(self.server, unique_email("resetbad"))
        before = len(self.server.mails(to=addr))
        self.assertEqual(self.request_reset(addr).status, 200)
        link = self.reset_link(addr, before)
        page = self.c.get(link)
        token = harness.hidden_value(page.body, "token")
        r = self.c.post("/passwort-neu", {"csrf": harness.csrf(page.body), "token": token,
                                          "password": "kurz", "password_repeat": "kurz"})
        self.assertEqual(r.status, 422)
        self.assertIn("Das Passwort ist zu kurz", r.body)
        self.assertEqual(harness.hidden_value(r.body, "token"), token)
        r = self.c.post("/passwort-neu", {"csrf": harness.csrf(page.body), "token": token,
                                          "password": "Ein gutes Passwort 42",
                                          "password_repeat": "Ein anderes Passwort 42"})
        self.assertEqual(r.status, 422)
        self.assertIn("stimmen nicht überein", r.body)
        self.assertEqual(self.c.get(link).status, 200)
        r = self.c.post("/passwort-neu", {"csrf": harness.csrf(page.body), "token": token,
                                          "password": "Ein gutes Passwort 42",
                                          "password_repeat": "Ein gutes Passwort 42"})
        self.assertEqual(r.status, 303)
        self.assertEqual(login(self.server.client(), addr, "Ein gutes Passwort 42").status, 303)

    def test_password_reset_bad_token(self):
        self.assertEqual(self.c.get("/passwort-neu?token=abc").status, 410)
        r = self.c.post("/passwort-neu", {"csrf": self.c.csrf_for("/anmelden"), "token": "abc",
                                          "password": GOOD_PASSWORD,
                                          "password_repeat": GOOD_PASSWORD})
        self.assertEqual(r.status, 410)

    def test_reset_confirms_unconfirmed_account(self):
        addr = unique_email("resetconfirm")
        self.assertEqual(signup(self.c, addr).status, 200)
        self.confirm_mail(addr)
        self.assertEqual(self.request_reset(addr).status, 200)
        link = self.reset_link(addr, 1)
        page = self.c.get(link)
        r = self.c.post("/passwort-neu", {"csrf": harness.csrf(page.body),
                                          "token": harness.hidden_value(page.body, "token"),
                                          "password": "Zurückgesetzt und gut 1",
                                          "password_repeat": "Zurückgesetzt und gut 1"})
        self.assertEqual(r.status, 303)
        self.assertEqual(login(self.server.client(), addr, "Zurückgesetzt und gut 1").status, 303)

    # -- account settings ----------------------------------------------------------------

    def test_change_password_wrong_current(self):
        addr = create_account(self.server)
        c = signed_in_client(self.server, addr)
        token = harness.csrf(c.get("/konto").body)
        r = c.post("/konto/passwort", {"csrf": token, "current_password_pw": "nicht das Passwort",
                                       "new_password": "Ein neues Passwort 1",
                                       "new_password_repeat": "Ein neues Passwort 1"})
        self.assertEqual(r.status, 422)
        self.assertIn("Das aktuelle Passwort ist falsch.", r.body)
        self.assertIn('id="current_password_pw-error"', r.body)
        self.assertNotIn("nicht das Passwort", r.body)
        self.assertEqual(c.get("/konto").status, 200)

    def test_change_password(self):
        addr = create_account(self.server)
        c = signed_in_client(self.server, addr)
        other = signed_in_client(self.server, addr)
        old_cookie = c.cookies["verbund"]
        token = harness.csrf(c.get("/konto").body)
        r = c.post("/konto/passwort", {"csrf": token, "current_password_pw": GOOD_PASSWORD,
                                       "new_password": "kurz", "new_password_repeat": "kurz"})
        self.assertEqual(r.status, 422)
        self.assertIn("Das Passwort ist zu kurz", r.body)
        r = c.post("/konto/passwort", {"csrf": token, "current_password_pw": GOOD_PASSWORD,
                                       "new_password": "Ein neues Passwort 1",
                                       "new_password_repeat": "Ein neues Passwort 1"})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/konto?hinweis=passwort_geaendert")
        self.assertNotEqual(c.cookies.get("verbund"), old_cookie)
        self.assertEqual(c.get("/konto").status, 200)
        self.assertEqual(other.get("/konto").status, 303)  # other devices signed out
        self.assertEqual(login(self.server.client(), addr, "Ein neues Passwort 1").status, 303)

    def test_change_email(self):
        addr = create_account(self.server, unique_email("old"))
        new_addr = unique_email("new")
        c = signed_in_client(self.server, addr)
        token = harness.csrf(c.get("/konto").body)
        r = c.post("/konto/email", {"csrf": token, "new_email": new_addr,
                                    "current_password": "nicht das Passwort"})
        self.assertEqual(r.status, 422)
        self.assertIn("Das aktuelle Passwort ist falsch.", r.body)
        self.assertIn('value="%s"' % new_addr, r.body)
        self.assertEqual(self.queued_mail_count(new_addr), 0)

        r = c.post("/konto/email", {"csrf": token, "new_email": new_addr,
                                    "current_password": GOOD_PASSWORD})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/konto?hinweis=email_gesendet")
        mail = self.server.wait_for_mail(1, 10, to=new_addr)[0]
        self.assertEqual(mail.subject, "Bitte bestätigen Sie Ihre neue E-Mail-Adresse bei Verbund")
        links = [l for l in mail.links(self.server.port) if "/konto/email-bestaetigen?token=" in l]
        self.assertEqual(len(links), 1, mail.body)
        # nothing changes before the click
        self.assertIn(addr, c.get("/konto").body)

        # the link's page changes nothing; it names the new address
        r = self.server.client().get(path_of(links[0]))
        self.assertEqual(r.status, 200)
        self.assertIn("<strong>%s</strong>" % new_addr, r.body)
        self.assertIn(addr, c.get("/konto").body)
        r = harness.follow_mail_link(self.server.client(), links[0])
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/konto?hinweis=email_geaendert")
        self.assertIn(new_addr, c.get("/konto").body)
        self.assertEqual(login(self.server.client(), new_addr).status, 303)
        self.assertEqual(login(self.server.client(), addr).status, 422)
        # a second visit says it is done: signed out to the log-in, signed in to the account
        r = self.server.client().get(path_of(links[0]))
        self.assertEqual((r.status, r.location), (303, "/anmelden?hinweis=email_schon_geaendert"))
        r = signed_in_client(self.server, new_addr).get(path_of(links[0]))
        self.assertEqual((r.status, r.location), (303, "/konto?hinweis=email_geaendert"))

    def test_change_email_link_after_address_was_taken(self):
        addr = create_account(self.server)
        wanted = unique_email("wanted")
        c = signed_in_client(self.server, addr)
        r = c.post("/konto/email", {"csrf": harness.csrf(c.get("/konto").body),
                                    "new_email": wanted, "current_password": GOOD_PASSWORD})
        self.assertEqual(r.status, 303)
        link = [l for l in self.server.wait_for_mail(1, 10, to=wanted)[0].links(self.server.port)
                if "/konto/email-bestaetigen" in l][0]
        # meanwhile someone else signs up with that address
        create_account(self.server, wanted)
        r = harness.follow_mail_link(self.server.client(), link)
        self.assertEqual(r.status, 409)
        self.assertIn("gehört inzwischen zu einem anderen Konto", r.body)
        self.assertIn(addr, c.get("/konto").body)

    def test_change_email_to_taken_address_sends_nothing(self):
        taken = create_account(self.server, unique_email("takenmail"))
        addr = create_account(self.server)
        before = len(self.server.mails(to=taken))
        queued = self.queued_mail_count(taken)
        c = signed_in_client(self.server, addr)
        r = c.post("/konto/email", {"csrf": harness.csrf(c.get("/konto").body),
                                    "new_email": taken, "current_password": GOOD_PASSWORD})
        self.assertEqual(r.status, 303)  # same answer: no enumeration
        self.assertEqual(r.location, "/konto?hinweis=email_gesendet")
        self.assertEqual(self.queued_mail_count(taken), queued)
        self.server.wait_for_outbox_worked()
        self.assertEqual(len(self.server.mails(to=taken)), before)


class BehindProxyTest(ServerTestCase):
    """behind_proxy = true: X-Forwarded-Proto: https from nginx makes the session cookie
    __Host-verbund with Secure."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(settings={"behind_proxy": "true"})

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_secure_cookie_over_https(self):
        addr = create_account(self.server)
        c = self.server.client()
        c.default_headers = {"X-Forwarded-Proto": "https"}
        r = login(c, addr)
        self.assertEqual(r.status, 303)
        self.assertIsNone(r.cookie("verbund"))
        value = r.cookie("__Host-verbund")
        self.assertTrue(value)
        attrs = [a.strip() for a in r.set_cookies[0].split(";")[1:]]
        for a in ("Path=/", "HttpOnly", "SameSite=Lax", "Secure"):
            self.assertIn(a, attrs)
        self.assertFalse(any(a.lower().startswith("domain=") for a in attrs))
        self.assertEqual(c.get("/konto").status, 200)
        # the language cookie is Secure too
        r = c.get("/sprache?zu=en&zurueck=/")
        self.assertIn("Secure", r.set_cookies[0])
        # log-out clears the __Host- cookie
        r = c.post("/abmelden", {"csrf": harness.csrf(c.get("/konto").body)})
        self.assertEqual(r.status, 303)
        self.assertTrue(r.set_cookies[0].startswith("__Host-verbund=;"))
        self.assertIn("Secure", r.set_cookies[0])

    def test_language_link_changes_nothing_stored_the_form_does(self):
        addr = create_account(self.server)
        c = signed_in_client(self.server, addr)
        locale = lambda: self.server.sql(
            "SELECT locale FROM users WHERE email = '%s'" % addr)
        self.assertEqual(locale(), "de")
        # A GET (a link, also one on another site) sets this browser's cookie only.
        r = c.get("/sprache?zu=en&zurueck=/konto")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.cookie("sprache"), "en")
        self.assertEqual(locale(), "de")
        # Signed in, the header offers a form that stores the choice.
        body = c.get("/konto").body
        self.assertIn('<form method="post" action="/sprache"', body)
        self.assertNotIn('href="/sprache?', body)
        token = harness.csrf(body)
        r = c.post("/sprache", {"zu": "en", "zurueck": "/konto"})
        self.assertEqual(r.status, 403)
        self.assertEqual(locale(), "de")
        r = c.post("/sprache", {"csrf": token, "zu": "xx", "zurueck": "/konto"})
        self.assertEqual(r.status, 400)
        self.assertEqual(locale(), "de")
        r = c.post("/sprache", {"csrf": token, "zu": "en", "zurueck": "/\t/evil.example"})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/")
        self.assertEqual(r.cookie("sprache"), "en")
        self.assertEqual(locale(), "en")
        # Visitors cannot post it.
        v = self.server.client()
        r = v.post("/sprache", {"csrf": v.csrf_for("/anmelden"), "zu": "en", "zurueck": "/"})
        self.assertEqual(r.status, 303)
        self.assertTrue(r.location.startswith("/anmelden?weiter="), r.location)
        self.assertIsNone(r.cookie("sprache"))

    def test_plain_http_keeps_plain_cookie(self):
        addr = create_account(self.server)
        r = login(self.server.client(), addr)
        self.assertEqual(r.status, 303)
        self.assertIsNotNone(r.cookie("verbund"))
        self.assertNotIn("Secure", r.set_cookies[0])


class LoginRateLimitTest(ServerTestCase):
    """A server of its own: the failures here count for 127.0.0.1 as a whole."""

    def setUp(self):
        self.server = Server()

    def tearDown(self):
        self.server.close()

    def test_ten_failures_lock_the_account_for_a_while(self):
        addr = create_account(self.server, unique_email("locked"))
        c = self.server.client()
        for i in range(10):
            r = login(c, addr, "Falsches Passwort %d" % i)
            self.assertEqual(r.status, 422, "attempt %d" % (i + 1))
        # the 11th attempt is refused even with the right password
        r = login(c, addr, GOOD_PASSWORD)
        self.assertEqual(r.status, 429)
        self.assertEqual(r.set_cookies, [])
        retry = r.headers.get("retry-after")
        self.assertIsNotNone(retry)
        self.assertTrue(retry.isdigit(), retry)
        self.assertTrue(1 <= int(retry) <= 15 * 60, retry)
        self.assertIn("Zu viele fehlgeschlagene Anmeldeversuche", r.body)
        r = login(c, addr, "Falsches Passwort x")
        self.assertEqual(r.status, 429)

    def test_failures_also_count_per_ip(self):
        # Ten failures spread over ten unknown addresses: then every log-in from this
        # address is refused for a while, also for an account without failures.
        addr = create_account(self.server, unique_email("ipvictim"))
        c = self.server.client()
        for i in range(10):
            self.assertEqual(login(c, unique_email("spray"), "Falsches Passwort 1").status, 422)
        r = login(c, addr, GOOD_PASSWORD)
        self.assertEqual(r.status, 429)
        self.assertTrue(r.headers.get("retry-after", "").isdigit())

    def test_sixty_parallel_wrong_passwords_get_ten_checks(self):
        # Each checked password answers 422, each refused attempt 429 without a check:
        # the attempt is counted in the same statement that decides, so no more than
        # login_max_failures (10) of 60 simultaneous guesses reach argon2.
        self.server.close()
        self.server = Server(args=["--workers", "16"])
        addr = create_account(self.server, unique_email("parallel"))
        clients = [self.server.client() for _ in range(60)]
        tokens = [c.csrf_for("/anmelden") for c in clients]
        results = harness.in_parallel(60, lambda i: clients[i].post(
            "/anmelden", {"csrf": tokens[i], "email": addr, "password": "Falsch %d" % i}))
        statuses = [getattr(r, "status", repr(r)) for r in results]
        checked = [s for s in statuses if s != 429]
        self.assertEqual(sorted(checked), [422] * 10, statuses)

    def test_success_resets_the_account_count(self):
        addr = create_account(self.server, unique_email("reset-count"))
        c = self.server.client()
        for i in range(5):
            self.assertEqual(login(c, addr, "Falsches Passwort %d" % i).status, 422)
        self.assertEqual(login(self.server.client(), addr).status, 303)
        # account count cleared; the IP count (5) is still below 10
        for i in range(4):
            self.assertEqual(login(c, addr, "Falsches Passwort %d" % i).status, 422)
        self.assertEqual(login(self.server.client(), addr).status, 303)


if __name__ == "__main__":
    unittest.main()


class SignupAndResetRateLimitTest(ServerTestCase):
    """Sign-ups and reset requests per IP and hour, and reset mails per account."""

    def setUp(self):
        self.server = Server(settings={"auth.signups_per_ip_hour": "3",
                                       "auth.resets_per_ip_hour": "5"})

    def tearDown(self):
        self.server.close()

    def test_the_fourth_sign_up_within_an_hour_gets_429_and_keeps_the_input(self):
        c = self.server.client()
        for i in range(3):
            self.assertEqual(signup(c, unique_email("viele%d" % i)).status, 200)
        addr = unique_email("vierte")
        r = signup(c, addr, name="Vierte Person")
        self.assertEqual(r.status, 429)
        self.assertTrue(1 <= int(r.headers["retry-after"]) <= 3600)
        self.assertIn("sehr viele Registrierungen", r.body)
        self.assertIn('value="Vierte Person"', r.body)
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM users WHERE email = '%s'" % addr), "0")

    def reset(self, c, addr):
        token = c.csrf_for("/passwort-vergessen")
        return c.post("/passwort-vergessen", {"csrf": token, "email": addr})

    def test_resends_are_capped_per_account_silently_and_per_ip_with_429(self):
        addr = unique_email("erneut")
        c = self.server.client()
        r = signup(c, addr)
        self.assertEqual(r.status, 200)
        token = harness.csrf(r.body)
        for i in range(5):
            r = c.post("/registrieren/erneut-senden", {"csrf": token, "email": addr})
            self.assertEqual(r.status, 200, "resend %d" % (i + 1))
        # the sign-up's mail and three resends; the fourth and fifth looked the same
        self.server.wait_for_outbox_worked()
        self.assertEqual(len([m for m in self.server.mails(to=addr)
                              if m.subject == CONFIRM_SUBJECT]), 4)
        r = c.post("/registrieren/erneut-senden", {"csrf": token, "email": unique_email("x")})
        self.assertEqual(r.status, 429)
        self.assertIn("sehr viele Anfragen", r.body)
        self.assertTrue(r.headers["retry-after"].isdigit())

    def test_reset_mails_are_capped_per_account_silently_and_per_ip_with_429(self):
        addr = create_account(self.server, unique_email("reset"))
        c = self.server.client()
        for i in range(4):
            r = self.reset(c, addr)
            self.assertEqual(r.status, 200, "request %d" % (i + 1))
        # every mail queued by the four requests has been worked: the fourth looked the
        # same but sent nothing
        self.server.wait_for_outbox_worked()
        resets = [m for m in self.server.mails(to=addr) if "Neues Passwort" in m.subject]
        self.assertEqual(len(resets), 3)
        r = self.reset(c, unique_email("andere"))
        self.assertEqual(r.status, 200)
        r = self.reset(c, unique_email("noch-eine"))
        self.assertEqual(r.status, 429)
        self.assertIn("sehr viele Anfragen", r.body)
        self.assertTrue(r.headers["retry-after"].isdigit())
