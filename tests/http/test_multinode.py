"""Several nodes: two `verbund serve` on one PostgreSQL database behind Debian's nginx on
loopback, as docs/deployment.md describes. Sessions, rate limits, the job queue and
schedules are shared through the database; killing one node loses no acknowledged
write. Needs the throwaway PostgreSQL server that ctest starts (VERBUND_TEST_PG_DIR)."""

import concurrent.futures
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import uuid

import harness
from harness import GOOD_PASSWORD, Client, Server, ServerTestCase, login, signup, unique_email

NGINX = "/usr/sbin/nginx"

NGINX_CONF = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 512; }}
http {{
  access_log off;
  client_body_temp_path {dir}/tmp/body;
  proxy_temp_path {dir}/tmp/proxy;
  fastcgi_temp_path {dir}/tmp/fastcgi;
  uwsgi_temp_path {dir}/tmp/uwsgi;
  scgi_temp_path {dir}/tmp/scgi;
  upstream verbund {{
    server 127.0.0.1:{p1};
    server 127.0.0.1:{p2};
    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{port};
    client_max_body_size 13m;
    location / {{
      proxy_pass http://verbund;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }}
  }}
}}
"""


class Nginx:
    def __init__(self, upstream_ports):
        if not os.access(NGINX, os.X_OK):
            raise AssertionError("nginx is missing (Debian package nginx-light)")
        self.dir = tempfile.mkdtemp(prefix="verbund-nginx-")
        os.makedirs(os.path.join(self.dir, "tmp"))
        os.chmod(self.dir, 0o755)
        os.chmod(os.path.join(self.dir, "tmp"), 0o777)
        self.port = harness.free_port()
        with open(os.path.join(self.dir, "nginx.conf"), "w") as f:
            f.write(NGINX_CONF.format(dir=self.dir, p1=upstream_ports[0], p2=upstream_ports[1],
                                      port=self.port))
        self.proc = subprocess.Popen([NGINX, "-p", self.dir, "-c", "nginx.conf",
                                      "-g", "daemon off;"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if Client(self.port, timeout=2).get("/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("nginx did not answer: %s" % self.error_log())

    def error_log(self):
        try:
            with open(os.path.join(self.dir, "error.log")) as f:
                return f.read()[-3000:]
        except OSError:
            return ""

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class MultiNodeTest(ServerTestCase):

    def setUp(self):
        harness.pg_server_url(required=True)
        self.database = harness.create_pg_database()
        url = harness.pg_database_url(self.database)
        # The public address is the proxy's; it is known once nginx has a port, so the
        # nodes start after a port is reserved for it.
        self.proxy_port = harness.free_port()
        common = {"database": url, "trusted_proxies": "127.0.0.1/32",
                  "base_url": "http://127.0.0.1:%d" % self.proxy_port}
        self.node1 = self.watch(Server(settings=dict(common)))
        self.node2 = self.watch(Server(settings=dict(common)))
        self.server = self.node1
        self.nginx = None

    def tearDown(self):
        if self.nginx:
            self.nginx.close()
        self.node1.close()
        self.node2.close()
        harness.drop_pg_database(self.database)

    def start_nginx(self):
        self.nginx = Nginx([self.node1.port, self.node2.port])
        return self.nginx

    @staticmethod
    def requests_of(node, route):
        """Requests a node answered on `route`, from its own /metrics."""
        text = node.client().get("/metrics").body
        return sum(int(float(v)) for v in re.findall(
            r'verbund_http_requests_total\{route="%s",status="\d+"\} (\S+)' % re.escape(route),
            text))

    def mails_to(self, addr):
        return self.node1.mails(to=addr) + self.node2.mails(to=addr)

    def confirm(self, addr, client):
        """Confirms `addr` with the link of its mail, whichever node sent it."""
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            for m in self.mails_to(addr):
                for link in m.links(self.proxy_port):
                    if "/registrieren/bestaetigen?token=" in link:
                        r = harness.follow_mail_link(client, link)
                        self.assertEqual(r.status, 303)
                        return
            time.sleep(0.05)
        self.fail("no confirmation mail to %s" % addr)

    def test_sign_up_on_one_node_and_log_in_on_the_other(self):
        addr = unique_email("multi")
        self.assertEqual(signup(self.node1.client(), addr, name="Zwei Knoten").status, 200)
        self.confirm(addr, self.node2.client())  # the token issued by node 1 works on node 2
        c = self.node2.client()
        self.assertEqual(login(c, addr).status, 303)
        # The session created by node 2 is valid on node 1.
        c1 = Client(self.node1.port)
        c1.cookies = dict(c.cookies)
        r = c1.get("/konto")
        self.assertEqual(r.status, 200)
        self.assertIn("Zwei Knoten", r.body)

    def test_the_login_limit_counts_across_both_nodes(self):
        addr = unique_email("limit")
        self.assertEqual(signup(self.node1.client(), addr).status, 200)
        self.confirm(addr, self.node1.client())
        nodes = [self.node1, self.node2]
        for i in range(10):
            r = login(nodes[i % 2].client(), addr, "falsch-%d" % i)
            self.assertNotEqual(r.status, 429, "attempt %d throttled too early" % i)
        for node in nodes:
            self.assertEqual(login(node.client(), addr, "noch falscher").status, 429)
            self.assertEqual(login(node.client(), addr).status, 429)  # even the right one

    def test_through_nginx_both_nodes_serve_and_forwarded_addresses_count(self):
        nginx = self.start_nginx()
        self.assertEqual(nginx.port, nginx.port)
        addr = unique_email("proxy")
        c = Client(nginx.port)
        self.assertEqual(signup(c, addr, name="Hinter Nginx").status, 200)
        self.confirm(addr, Client(nginx.port))
        self.assertEqual(login(c, addr).status, 303)
        # Round robin: every request may land on the other node; the session holds.
        for _ in range(6):
            r = c.get("/konto")
            self.assertEqual(r.status, 200)
            self.assertIn("Hinter Nginx", r.body)
        seen = [self.requests_of(s, "/konto") for s in (self.node1, self.node2)]
        self.assertEqual(sum(seen), 6)
        self.assertTrue(all(n > 0 for n in seen), "requests per node: %s" % seen)
        # The address nginx forwards is the client's: a claim of being elsewhere is
        # believed only because the test's own address is a trusted proxy, and then
        # /metrics (loopback only) is refused for that "remote" client.
        r = Client(nginx.port).get("/metrics", headers={"X-Forwarded-For": "203.0.113.7"})
        self.assertEqual(r.status, 403)
        self.assertEqual(Client(nginx.port).get("/metrics").status, 200)

    def test_500_jobs_are_worked_by_both_nodes_none_twice(self):
        run = uuid.uuid4().hex[:8]
        self.node1.sql(
            "INSERT INTO outbox (message_id, recipient, subject, body, created_at) "
            "SELECT '<mn-%s-' || g || '@test>', 'mn-%s-' || g || '@example.org', "
            "'Nachricht ' || g, 'Hallo', 0 FROM generate_series(1, 500) g" % (run, run))
        self.node1.sql(
            "INSERT INTO jobs (kind, payload, run_at, max_attempts, created_at) "
            "SELECT 'mail.send', CAST(id AS TEXT), 0, 3, 0 FROM outbox "
            "WHERE message_id LIKE '<mn-%s-%%'" % run)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.node1.sql("SELECT count(*) FROM jobs WHERE kind = 'mail.send'") == "0":
                break
            time.sleep(0.2)
        per_node = []
        recipients = []
        for node in (self.node1, self.node2):
            mine = [m for m in node.mails() if ("mn-%s-" % run) in m.to]
            per_node.append(len(mine))
            recipients += [m.to for m in mine]
        self.assertEqual(sum(per_node), 500, "mails per node: %s" % per_node)
        self.assertEqual(len(set(recipients)), 500, "some mail was sent twice")
        self.assertTrue(all(n > 0 for n in per_node), "one node did all the work: %s" % per_node)
        self.assertEqual(self.node1.sql(
            "SELECT count(*) FROM outbox WHERE message_id LIKE '<mn-%s-%%' AND sent_at IS NULL"
            % run), "0")

    def test_a_schedule_fires_once_per_period_with_two_nodes(self):
        time.sleep(1.5)  # both nodes' workers have polled several times
        row = self.node1.sql("SELECT next_run_at - last_fired_at, last_fired_by "
                             "FROM job_schedules WHERE name = 'accounts.purge'")
        period, fired_by = row.split("|")
        self.assertEqual(period, "600", "fired more than once this period")
        self.assertTrue(fired_by)

    def test_kill_9_of_one_node_under_write_load_loses_no_acknowledged_write(self):
        for node in (self.node1, self.node2):
            node.settings["auth.password_hash_strength"] = "interactive"
            node.restart()
        run = uuid.uuid4().hex[:8]
        addresses = ["k9m-%s-%03d@example.org" % (run, i) for i in range(120)]
        acknowledged, lock = [], threading.Lock()
        ports = [self.node1.port, self.node2.port]

        def sign_up(i, addr):
            try:
                r = signup(Client(ports[i % 2], timeout=30), addr, name="Zwei Neun")
            except Exception:
                return  # node 1 was killed under this request
            if r.status == 200 and "Bitte schauen Sie in Ihr Postfach" in r.body:
                with lock:
                    acknowledged.append(addr)

        pool = concurrent.futures.ThreadPoolExecutor(max_workers=24)
        futures = [pool.submit(sign_up, i, a) for i, a in enumerate(addresses)]
        time.sleep(1.0)
        self.node1.kill9()
        concurrent.futures.wait(futures, timeout=120)
        pool.shutdown(wait=True)
        self.assertTrue(acknowledged)
        self.assertLess(len(acknowledged), len(addresses), "node 1 died after all its work")
        self.assertEqual(self.node2.client().get("/healthz").status, 200)
        quoted = ",".join("'%s'" % a for a in acknowledged)
        found = int(self.node2.sql("SELECT count(*) FROM users WHERE email IN (%s)" % quoted))
        self.assertEqual(found, len(acknowledged),
                         "%d acknowledged sign-ups lost" % (len(acknowledged) - found))
        # Every stored account has its confirmation mail queued with it (one transaction).
        orphans = self.node2.sql(
            "SELECT count(*) FROM users u WHERE u.email LIKE 'k9m-%s-%%' AND NOT EXISTS "
            "(SELECT 1 FROM outbox o WHERE o.recipient = u.email)" % run)
        self.assertEqual(orphans, "0")


if __name__ == "__main__":
    unittest.main()
