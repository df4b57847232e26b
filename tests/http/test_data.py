"""Moving and keeping data: `verbund migrate-data` from SQLite to PostgreSQL and back,
`verbund backup` on both drivers, and a restore drill for each (a server started on the
restored copy serves the same accounts and directory). Needs the throwaway PostgreSQL
server that ctest starts (VERBUND_TEST_PG_DIR)."""

import os
import re
import shutil
import subprocess
import tempfile
import unittest

import harness
from harness import Server, login


def demo_password(output):
    m = re.search(r"password shown only now\): (\S+)", output)
    if not m:
        raise AssertionError("no demo password in:\n" + output)
    return m.group(1)


def directory_names(server, query):
    r = server.client().get("/organisationen?q=" + query)
    assert r.status == 200, r.status
    return re.findall(r'<h3[^>]*>\s*<a href="/organisationen/[^"]+"[^>]*>([^<]+)</a>', r.body)


def table_counts(output):
    return {m.group(1): (int(m.group(2)), int(m.group(3)))
            for m in re.finditer(r"^  (\w+): (\d+) rows, (\d+) on the target", output, re.M)}


class DataTest(unittest.TestCase):
    def setUp(self):
        harness.pg_server_url(required=True)
        self.dirs = []
        self.databases = []

    def tearDown(self):
        for name in self.databases:
            harness.drop_pg_database(name)
        for d in self.dirs:
            shutil.rmtree(d, ignore_errors=True)

    def new_pg(self):
        name = harness.create_pg_database()
        self.databases.append(name)
        return harness.pg_database_url(name)

    def new_dir(self):
        d = tempfile.mkdtemp(prefix="verbund-data-")
        self.dirs.append(d)
        return d

    def sqlite_server_with_content(self):
        s = Server(settings={"database": "sqlite:%s/verbund.db" % self.new_dir()})
        self.addCleanup(s.close)
        r = s.cli("demo")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.password = demo_password(r.stdout)
        self.person = harness.create_account(s)  # one signed up over HTTP, with mail
        return s

    def test_migrate_data_from_sqlite_to_postgres_keeps_everything(self):
        s = self.sqlite_server_with_content()
        before = directory_names(s, "Kindern")
        self.assertTrue(before)
        s.stop()
        target = self.new_pg()
        r = harness.run_cli(["migrate-data", "--from", s.settings["database"], "--to", target])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        counts = table_counts(r.stdout)
        self.assertEqual(counts["organisations"], (62, 62))  # 60 published, 2 applications
        self.assertGreaterEqual(counts["users"][0], 2)
        for table, (src, dst) in counts.items():
            self.assertEqual(src, dst, table)
        self.assertIn("row counts verified", r.stdout)
        self.assertNotIn("password", r.stdout + r.stderr.replace("password_hash", ""))

        pg = Server(settings={"database": target})
        self.addCleanup(pg.close)
        self.assertEqual(directory_names(pg, "Kindern"), before)
        self.assertEqual(login(pg.client(), "admin@verbund.example", self.password).status, 303)
        self.assertEqual(login(pg.client(), self.person).status, 303)
        # New rows get fresh ids after the copied ones.
        harness.create_account(pg)
        self.assertEqual(pg.sql("SELECT count(*) FROM users"), str(counts["users"][0] + 1))

    def test_migrate_data_back_from_postgres_to_sqlite(self):
        s = self.sqlite_server_with_content()
        s.stop()
        target = self.new_pg()
        r = harness.run_cli(["migrate-data", "--from", s.settings["database"], "--to", target])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        back = "sqlite:%s/back.db" % self.new_dir()
        r = harness.run_cli(["migrate-data", "--from", target, "--to", back])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(table_counts(r.stdout)["organisations"], (62, 62))

    def test_migrate_data_refuses_a_target_with_content_and_changes_nothing(self):
        s = self.sqlite_server_with_content()
        s.stop()
        target = self.new_pg()
        first = harness.run_cli(["migrate-data", "--from", s.settings["database"], "--to", target])
        self.assertEqual(first.returncode, 0, first.stderr)
        again = harness.run_cli(["migrate-data", "--from", s.settings["database"], "--to", target])
        self.assertEqual(again.returncode, 1)
        self.assertIn("holds accounts or organisations already", again.stderr)
        self.assertIn("nothing copied", again.stderr)
        pg = Server(settings={"database": target})
        self.addCleanup(pg.close)
        self.assertEqual(pg.sql("SELECT count(*) FROM organisations"), "62")

    def test_migrate_data_bad_use(self):
        r = harness.run_cli(["migrate-data", "--from", "sqlite:/nonexistent/x.db",
                             "--to", self.new_pg()])
        self.assertEqual(r.returncode, 2)
        self.assertIn("no database at /nonexistent/x.db", r.stderr)
        r = harness.run_cli(["migrate-data", "--to", self.new_pg()])
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage", r.stderr)
        r = harness.run_cli(["migrate-data", "--from", self.new_pg(),
                             "--to", "postgres://verbund:wrong@127.0.0.1:1/none"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("cannot connect", r.stderr)
        self.assertNotIn("wrong", r.stderr)

    def restore_drill(self, server, restored_settings):
        """A server on the restored copy serves the same people and organisations."""
        restored = Server(settings=restored_settings)
        self.addCleanup(restored.close)
        self.assertEqual(restored.sql("SELECT count(*) FROM organisations"), "62")
        self.assertEqual(login(restored.client(), self.person).status, 303)
        self.assertEqual(directory_names(restored, "Kindern"), directory_names(server, "Kindern"))

    def test_backup_and_restore_on_sqlite_while_serving(self):
        s = self.sqlite_server_with_content()
        path = os.path.join(self.new_dir(), "backup.db")
        r = s.cli("backup", path)  # the server keeps running
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(s.running())
        again = s.cli("backup", path)
        self.assertEqual(again.returncode, 2)
        self.assertIn("exists already", again.stderr)
        self.restore_drill(s, {"database": "sqlite:" + path})

    def test_backup_and_restore_on_postgres_while_serving(self):
        s = Server(settings={"database": self.new_pg()})
        self.addCleanup(s.close)
        r = s.cli("demo")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.person = harness.create_account(s)
        path = os.path.join(self.new_dir(), "backup.pgdump")
        r = s.cli("backup", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.getsize(path) > 1000)
        with open(path, "rb") as f:
            self.assertEqual(f.read(5), b"PGDMP")  # pg_dump's custom format
        target = self.new_pg()
        p = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname=" + target,
                            path], capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.restore_drill(s, {"database": target})


if __name__ == "__main__":
    unittest.main()
