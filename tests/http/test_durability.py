"""Durability: what the server acknowledged survives a restart and a kill -9."""

import concurrent.futures
import signal
import sys
import threading
import time
import unittest
import uuid

import harness
from harness import (GOOD_PASSWORD, Server, ServerTestCase, create_account, login,
                     signed_in_client, unique_email)


class RestartTest(ServerTestCase):

    def setUp(self):
        self.server = Server()

    def tearDown(self):
        self.server.close()

    def test_account_and_session_survive_restart(self):
        addr = create_account(self.server, unique_email("restart"), name="Bleibt Bestehen")
        c = signed_in_client(self.server, addr)
        visitor = self.server.client()
        visitor_token = visitor.csrf_for("/anmelden")

        code = self.server.stop(signal.SIGTERM)
        self.assertEqual(code, 0)
        self.server.start(port=self.server.port)

        # log-in works with the same password
        self.assertEqual(login(self.server.client(), addr).status, 303)
        # the session from before the restart is still valid
        r = c.get("/konto")
        self.assertEqual(r.status, 200)
        self.assertIn("Bleibt Bestehen", r.body)
        # the signing secret persisted: a visitor token from before still works
        r = visitor.post("/anmelden", {"csrf": visitor_token, "email": addr,
                                       "password": GOOD_PASSWORD})
        self.assertEqual(r.status, 303)

    def test_queued_mail_is_sent_after_restart(self):
        # jobs.workers=0: nothing is sent while the first process runs
        self.server.settings["jobs.workers"] = "0"
        self.server.restart()
        addr = unique_email("queued")
        self.assertEqual(harness.signup(self.server.client(), addr).status, 200)
        self.assertEqual(self.server.stop(), 0)
        # The first process is gone and left the mail unsent: queued, its job never claimed.
        # (Without this the test would pass if the mail had been sent before the restart.)
        self.assertEqual(self.server.mails(to=addr), [])
        self.assertEqual(self.server.sql(
            "SELECT count(*) FROM outbox WHERE recipient = '%s' AND sent_at IS NULL" % addr), "1")
        self.assertEqual(self.server.sql(
            "SELECT j.state, j.attempts, coalesce(j.locked_by, '-') FROM jobs j JOIN outbox o"
            " ON o.id = CAST(j.payload AS INTEGER)"
            " WHERE j.kind = 'mail.send' AND o.recipient = '%s'" % addr), "queued|0|-")
        del self.server.settings["jobs.workers"]
        self.server.start()
        mails = self.server.wait_for_mail(1, 10, to=addr)
        self.assertEqual(len(mails), 1)


class KillNineTest(ServerTestCase):
    """200 concurrent sign-ups, kill -9 while they are in flight: every sign-up that was
    answered with 200 must be in the database after a restart."""

    def setUp(self):
        # Real (interactive) argon2 hashing, so requests are still in flight at the kill.
        self.server = Server(settings={"auth.password_hash_strength": "interactive"})

    def tearDown(self):
        self.server.close()

    def test_acknowledged_signups_survive_kill_9(self):
        run = uuid.uuid4().hex[:8]
        addresses = ["k9-%s-%03d@example.org" % (run, i) for i in range(200)]
        acknowledged = []
        failed = []
        lock = threading.Lock()
        port = self.server.port

        def sign_up(addr):
            c = harness.Client(port, timeout=30)
            try:
                r = harness.signup(c, addr, name="Kill Neun")
            except Exception as e:  # the server is killed under us
                with lock:
                    failed.append((addr, repr(e)))
                return
            if r.status == 200 and "Bitte schauen Sie in Ihr Postfach" in r.body:
                with lock:
                    acknowledged.append(addr)
            else:
                with lock:
                    failed.append((addr, r.status))

        pool = concurrent.futures.ThreadPoolExecutor(max_workers=32)
        futures = [pool.submit(sign_up, a) for a in addresses]
        # Kill after about a second, once the first answers are in (the server answers
        # in bursts), while most sign-ups are still in flight.
        started = time.monotonic()
        time.sleep(1.0)
        while time.monotonic() - started < 20:
            with lock:
                if len(acknowledged) >= 10:
                    break
            time.sleep(0.02)
        self.server.kill9()
        with lock:
            acked_at_kill = list(acknowledged)
        concurrent.futures.wait(futures, timeout=60)
        pool.shutdown(wait=True)

        print("\n  kill -9 after %d acknowledged, %d failed/in flight"
              % (len(acked_at_kill), len(failed)), file=sys.stderr)
        self.assertGreater(len(acked_at_kill), 0, "nothing was acknowledged before the kill")
        self.assertEqual(sorted(acked_at_kill), sorted(acknowledged),
                         "answers arrived after the kill")
        # Proof that the kill hit requests in flight (otherwise this test proves little).
        self.assertLess(len(acknowledged), len(addresses),
                        "all sign-ups finished before the kill; the test needs slower hashing")

        self.server.start(port=self.server.port)
        self.assertEqual(self.server.client().get("/healthz").status, 200)
        self.assertEqual(self.server.stop(), 0)

        if not self.server.on_postgres:  # PostgreSQL's WAL replay has no such check
            self.assertEqual(self.server.sql("PRAGMA integrity_check"), "ok")
        quoted = ",".join("'%s'" % a for a in acknowledged)
        found = int(self.server.sql("SELECT count(*) FROM users WHERE email IN (%s)" % quoted))
        self.assertEqual(found, len(acknowledged),
                         "%d of %d acknowledged sign-ups lost" % (len(acknowledged) - found,
                                                                  len(acknowledged)))
        # Each account and its confirmation mail were written in one transaction.
        orphans = self.server.sql(
            "SELECT count(*) FROM users u WHERE u.email LIKE 'k9-%s-%%' AND NOT EXISTS "
            "(SELECT 1 FROM outbox o WHERE o.recipient = u.email)" % run)
        self.assertEqual(orphans, "0")


if __name__ == "__main__":
    unittest.main()
