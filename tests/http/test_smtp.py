"""Mail over SMTP to an aiosmtpd sink in this process: headers and body of the
confirmation mail, and retries when the SMTP server is down (sent once, never twice)."""

import email
import email.policy
import email.utils
import threading
import time
import unittest

from aiosmtpd.controller import Controller

import harness
from harness import Server, ServerTestCase, signup, unique_email

CONFIRM_SUBJECT = "Bitte bestätigen Sie Ihre E-Mail-Adresse bei Verbund"


class Sink:
    """aiosmtpd handler that keeps every message."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []  # (mail_from, rcpt_tos, content bytes)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                                  bytes(envelope.original_content or envelope.content)))
        return "250 OK"

    def to(self, addr):
        with self.lock:
            return [m for m in self.messages if addr in m[1]]

    def wait_for(self, addr, count=1, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(addr)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError("expected %d message(s) to %s within %.0f s, got %d"
                             % (count, addr, timeout, len(self.to(addr))))


def smtp_settings(port):
    return {"smtp.host": "127.0.0.1", "smtp.port": str(port), "smtp.security": "none",
            "jobs.poll_milliseconds": "50", "jobs.retry_base_seconds": "1"}


def start_controller(sink, port):
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


class SmtpDeliveryTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        cls.sink = Sink()
        cls.smtp_port = harness.free_port()
        cls.controller = start_controller(cls.sink, cls.smtp_port)
        try:
            cls.server = Server(settings=smtp_settings(cls.smtp_port))
        except Exception:
            cls.controller.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.controller.stop()

    def test_confirmation_mail_over_smtp(self):
        addr = unique_email("smtp")
        r = signup(self.server.client(), addr, name="Susi Smtp")
        self.assertEqual(r.status, 200)
        messages = self.sink.wait_for(addr, 1, 10)
        time.sleep(0.5)
        messages = self.sink.to(addr)
        self.assertEqual(len(messages), 1)
        mail_from, rcpts, content = messages[0]

        self.assertEqual(rcpts, [addr])
        self.assertIn("noreply@", mail_from)
        msg = email.message_from_bytes(content, policy=email.policy.compat32)
        self.assertIn("noreply@", msg["From"])
        self.assertEqual(email.utils.parseaddr(msg["To"])[1], addr)
        self.assertEqual(harness.decode_header(msg["Subject"]), CONFIRM_SUBJECT)
        self.assertTrue(msg["Subject"].startswith("=?UTF-8?"), msg["Subject"])
        self.assertIsNotNone(email.utils.parsedate_to_datetime(msg["Date"]))
        self.assertRegex(msg["Message-ID"], r"^<[^<>@\s]+@[^<>@\s]+>$")
        self.assertEqual(msg["Content-Type"].replace(" ", "").lower(),
                         "text/plain;charset=utf-8")
        body = msg.get_payload(decode=True).decode("utf-8")
        self.assertIn("Hallo Susi Smtp", body)
        links = self.server.links(body)
        self.assertEqual(len(links), 1, body)
        self.assertIn("/registrieren/bestaetigen?token=", links[0])
        # with SMTP configured nothing is written to the mail folder
        self.assertEqual(self.server.mails(), [])
        # the link works
        c = self.server.client()
        self.assertEqual(harness.follow_mail_link(c, links[0]).status, 303)
        self.assertEqual(harness.login(c, addr).status, 303)

    def test_header_injection_in_name_stays_in_body(self):
        addr = unique_email("inject")
        name = "Eva\r\nBcc: victim@example.org"
        # the sign-up form refuses a name on two lines ...
        r = signup(self.server.client(), addr, name=name)
        self.assertEqual(r.status, 422)
        self.assertIn("muss in eine Zeile passen", r.body)
        # ... and a name from before that rule, in a mail, stays in its body
        self.assertEqual(signup(self.server.client(), addr, name="Eva").status, 200)
        self.sink.wait_for(addr, 1, 10)
        crlf = "chr(13) || chr(10)" if self.server.on_postgres else "char(13) || char(10)"
        self.server.sql("UPDATE users SET display_name = 'Eva' || %s || 'Bcc: victim@example.org' "
                        "WHERE email = '%s'" % (crlf, addr))
        c = self.server.client()
        r = c.post("/registrieren/erneut-senden",
                   {"csrf": c.csrf_for("/anmelden"), "email": addr})
        self.assertEqual(r.status, 200)
        _, rcpts, content = self.sink.wait_for(addr, 2, 10)[-1]
        body = email.message_from_bytes(content, policy=email.policy.compat32).get_payload(
            decode=True).decode("utf-8")
        self.assertIn("Bcc: victim@example.org", body)  # the name, in the body
        self.assertEqual(rcpts, [addr])
        head = content.split(b"\r\n\r\n", 1)[0]
        self.assertNotIn(b"Bcc", head)
        self.assertEqual(self.sink.to("victim@example.org"), [])

    def test_each_mail_once(self):
        addrs = [unique_email("once") for _ in range(5)]
        for a in addrs:
            self.assertEqual(signup(self.server.client(), a).status, 200)
        for a in addrs:
            self.sink.wait_for(a, 1, 10)
        time.sleep(1.0)
        for a in addrs:
            self.assertEqual(len(self.sink.to(a)), 1, a)
        self.assertEqual(self.server.sql("SELECT count(*) FROM jobs WHERE state = 'queued'"), "0")


class SmtpRetryTest(ServerTestCase):

    def setUp(self):
        self.sink = Sink()
        self.smtp_port = harness.free_port()  # nothing listens there yet
        self.controller = None
        self.server = Server(settings=smtp_settings(self.smtp_port))

    def tearDown(self):
        self.server.close()
        if self.controller is not None:
            self.controller.stop()

    def test_mail_is_retried_until_the_smtp_server_answers_and_sent_once(self):
        addr = unique_email("retry")
        r = signup(self.server.client(), addr)
        self.assertEqual(r.status, 200)
        time.sleep(2.0)
        log = self.server.log_text()
        self.assertIn("event=job_retry", log)
        self.assertRegex(log, r"event=job_retry[^\n]*kind=mail\.send")
        self.assertNotIn("event=job_failed", log)

        self.controller = start_controller(self.sink, self.smtp_port)
        messages = self.sink.wait_for(addr, 1, 10)
        self.assertEqual(len(messages), 1)
        time.sleep(3.0)
        self.assertEqual(len(self.sink.to(addr)), 1, "mail sent twice")
        self.assertEqual(len(self.sink.messages), 1)
        msg = email.message_from_bytes(messages[0][2], policy=email.policy.compat32)
        self.assertEqual(harness.decode_header(msg["Subject"]), CONFIRM_SUBJECT)
        self.assertEqual(self.server.sql("SELECT count(*) FROM jobs"), "0")
        self.assertEqual(self.server.sql(
            "SELECT count(*) FROM outbox WHERE recipient = '%s' AND sent_at IS NOT NULL" % addr),
            "1")


if __name__ == "__main__":
    unittest.main()
