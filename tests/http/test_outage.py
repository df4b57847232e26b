"""A PostgreSQL outage as a node sees it: /healthz says 503 (quickly, no hang) while the
server is down, pages that need the database fail with an error page, and once the
server is back the node reconnects by itself: log-in works again without a restart.
The test starts a PostgreSQL server of its own (scripts/pg-throwaway) so that stopping
it disturbs no other test."""

import os
import subprocess
import tempfile
import time
import unittest

import harness
from harness import Server, ServerTestCase, create_account, login

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "pg-throwaway")


def pg(*args):
    r = subprocess.run([SCRIPT] + list(args), capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise AssertionError("pg-throwaway %s: %s%s" % (args, r.stdout, r.stderr))


class OutageTest(ServerTestCase):

    def setUp(self):
        self.pg_dir = tempfile.mkdtemp(prefix="verbund-outage-")
        pg("start", self.pg_dir)
        with open(os.path.join(self.pg_dir, "url")) as f:
            url = f.read().strip()
        self.server = Server(settings={"database": url})

    def tearDown(self):
        self.server.close()
        pg("stop", self.pg_dir)

    def test_healthz_follows_the_database_and_the_node_reconnects(self):
        addr = create_account(self.server)
        self.assertEqual(self.server.client().get("/healthz").status, 200)
        pg("halt", self.pg_dir)
        started = time.monotonic()
        r = self.server.client().get("/healthz")
        self.assertEqual(r.status, 503)
        self.assertIn("database unavailable", r.body)
        self.assertLess(time.monotonic() - started, 8, "healthz hung on the dead database")
        c = self.server.client()
        token = c.csrf_for("/anmelden")  # the form itself needs no database
        r = c.post("/anmelden", {"csrf": token, "email": addr, "password": harness.GOOD_PASSWORD})
        self.assertEqual(r.status, 503)  # says so at once, no hang
        self.assertIn("nicht erreichbar", r.body)
        self.assertIn("Ihre Eingaben wurden nicht gespeichert", r.body)
        self.assertEqual(r.headers.get("retry-after"), "60")
        pg("resume", self.pg_dir)
        deadline = time.monotonic() + 20
        while self.server.client().get("/healthz").status != 200:
            self.assertLess(time.monotonic(), deadline, "the node did not reconnect")
            time.sleep(0.2)
        self.assertEqual(login(self.server.client(), addr).status, 303)
        self.assertTrue(self.server.running())

    def test_an_unreachable_database_stops_start_up_with_a_clear_message(self):
        r = harness.run_cli(["migrate", "--database",
                             "postgres://verbund:geheim@127.0.0.1:1/verbund"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("cannot connect to postgres://verbund@127.0.0.1:1/verbund", r.stderr)
        self.assertNotIn("geheim", r.stderr)


if __name__ == "__main__":
    unittest.main()
