"""`verbund import orgs FILE.csv` against a running server: a federation's member list
goes in all at once (and shows in the directory at once) or not at all, and the report
names every bad row by its line, column and reason."""

import html
import os
import re
import shutil
import tempfile
import unittest
import urllib.parse

from harness import Client, Server

GERMAN_HEADER = ("Name;Kurzname;Rechtsform;Landesverband;Straße;PLZ;Ort;Arbeitsfelder;"
                 "Zielgruppen;Kurzbeschreibung;Über uns;Gründungsjahr;E-Mail;Telefon;Website")


def german_row(name, region="Hessen", postcode="34117", city="Kassel",
               about="Seit 1998 im Viertel.", fields="Familie|Kinder- und Jugendhilfe"):
    return ";".join([name, "", "e.V.", region, "Weserstraße 38", postcode, city, fields,
                     "Familien, Kinder", "Offener Treff für Familien mit Kindern.",
                     '"%s"' % about.replace('"', '""'), "1998", "info@example.org",
                     "0561 123456", "www.example.org"])


class ImportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        r = cls.server.cli("demo")
        assert r.returncode == 0, r.stderr
        cls.client = Client(cls.server)
        cls.tmp = tempfile.mkdtemp(prefix="verbund-import-")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def write(self, name, text=None, data=None, newline="\n"):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data if data is not None else text.replace("\n", newline).encode("utf-8"))
        return path

    def run_import(self, path, *args):
        return self.server.cli("import", "orgs", path, *args)

    def count(self):
        return int(self.server.sql("SELECT count(*) FROM organisations"))

    def found(self, query):
        body = self.client.get("/organisationen?q=" + urllib.parse.quote(query)).body
        return [html.unescape(n) for n in
                re.findall(r'<h3 lang="de"><a href="/organisationen/[^"]+">([^<]+)</a></h3>', body)]

    def profile(self, slug):
        r = self.client.get("/organisationen/" + slug)
        return r.status, html.unescape(r.body)

    # -- files that import -----------------------------------------------------

    def test_semicolon_file_with_german_columns_imports_and_shows_at_once(self):
        # The running server has its directory facts cached before the import.
        self.assertEqual(self.found("Zwergenstube"), [])
        about = ("Die Zwergenstube gibt es seit 1998.\n\nWir spielen, singen und kochen; "
                 "Eltern treffen sich im \"Café Kunterbunt\".")
        text = "\n".join([GERMAN_HEADER,
                          german_row("Zwergenstube Nordstadt e.V.", about=about),
                          german_row("Zwergenstube Gießen e.V.", region="he", postcode="35390",
                                     city="Gießen")]) + "\n"
        path = self.write("mitglieder.csv", "\ufeff" + text, newline="\r\n")
        before = self.count()
        r = self.run_import(path)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("2 rows, separator ';'", r.stdout)
        self.assertIn("imported 2 organisations (status published)", r.stdout)
        self.assertEqual(self.count(), before + 2)

        self.assertEqual(sorted(self.found("Zwergenstube")),
                         ["Zwergenstube Gießen e.V.", "Zwergenstube Nordstadt e.V."])
        self.assertIn("Zwergenstube Gießen e.V.", self.found("Giessen"))
        status, page = self.profile("zwergenstube-nordstadt-e-v")
        self.assertEqual(status, 200)
        self.assertIn("<p>Die Zwergenstube gibt es seit 1998.</p>", page)
        self.assertIn('Eltern treffen sich im "Café Kunterbunt".', page)
        self.assertIn("Weserstraße 38", page)
        self.assertIn("https://www.example.org", page)

    def test_comma_file_with_internal_columns_imports_multi_line_text_and_umlauts(self):
        text = (
            "name,legal_form,region,street,postcode,city,state,fields,target_groups,"
            "short_description,about,founded,languages,opening_hours\n"
            'Nachbarschaftshilfe Überlingen e.V.,e.V.,bw,"Münsterstraße 5, Hinterhaus",88662,'
            'Überlingen,Baden-Württemberg,"senioren,selbsthilfe",senioren,'
            '"Besuche, Einkäufe und Fahrten für ältere Menschen.",'
            '"Wir sind 40 Ehrenamtliche.\n\nÄltere Nachbarinnen sagen: ""Endlich!""\n",'
            '1987,"de, tr",Mo–Fr 9–12 Uhr\n'
            "Mütterzentrum Größenwahn gGmbH,gGmbH,by,,,Würzburg,,familie,,"
            "Treffpunkt für Mütter.,,,,\n")
        path = self.write("mitglieder-komma.csv", text)
        r = self.run_import(path)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("separator ','", r.stdout)
        self.assertIn("imported 2 organisations", r.stdout)
        self.assertEqual(self.found("Überlingen"), ["Nachbarschaftshilfe Überlingen e.V."])
        self.assertEqual(self.found("Muetterzentrum"), ["Mütterzentrum Größenwahn gGmbH"])
        status, page = self.profile("nachbarschaftshilfe-ueberlingen-e-v")
        self.assertEqual(status, 200)
        self.assertIn("Münsterstraße 5, Hinterhaus", page)
        self.assertIn('Ältere Nachbarinnen sagen: "Endlich!"', page)
        self.assertIn("Türkisch", page)
        self.assertIn("1987", page)
        self.assertEqual(self.profile("muetterzentrum-groessenwahn-ggmbh")[0], 200)

    def test_pending_status_waits_for_the_editors(self):
        path = self.write("pending.csv", "\n".join([
            GERMAN_HEADER, german_row("Tauschring Wartestand e.V.")]) + "\n")
        r = self.run_import(path, "--status", "pending")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("imported 1 organisation (status pending)", r.stdout)
        self.assertEqual(self.server.sql(
            "SELECT status FROM organisations WHERE slug = 'tauschring-wartestand-e-v'"), "pending")
        self.assertEqual(self.found("Wartestand"), [])
        self.assertEqual(self.profile("tauschring-wartestand-e-v")[0], 404)

    # -- files that import nothing ---------------------------------------------

    def test_two_bad_rows_among_good_ones_import_nothing_and_are_both_reported(self):
        text = "\n".join([
            GERMAN_HEADER,
            german_row("Wichtelwerkstatt Alpha e.V.", about="Zeile eins\nZeile zwei"),  # 2-3
            german_row("Wichtelwerkstatt Beta e.V.", postcode="350"),                 # 4
            german_row("Wichtelwerkstatt Gamma e.V."),                                # 5
            german_row("Wichtelwerkstatt Delta e.V.", region="Atlantis"),             # 6
        ]) + "\n"
        path = self.write("halb.csv", text)
        before = self.count()
        r = self.run_import(path)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("line 4, PLZ '350': The postcode has five digits, for example 34117.",
                      r.stdout)
        self.assertIn("line 6, Landesverband 'Atlantis': Not a regional association", r.stdout)
        self.assertIn("2 of 4 rows have problems; nothing imported", r.stdout)
        self.assertEqual(self.count(), before)
        self.assertEqual(self.found("Wichtelwerkstatt"), [])
        self.assertEqual(self.profile("wichtelwerkstatt-alpha-e-v")[0], 404)

    def test_dry_run_reports_and_changes_nothing(self):
        good = self.write("probe.csv", "\n".join([
            GERMAN_HEADER, german_row("Probelauf Eins e.V."), german_row("Probelauf Zwei e.V.")])
            + "\n")
        before = self.count()
        r = self.run_import(good, "--dry-run")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("would import 2 organisations (status published); dry run, nothing changed",
                      r.stdout)
        self.assertEqual(self.count(), before)
        self.assertEqual(self.found("Probelauf"), [])

        bad = self.write("probe-schlecht.csv", "\n".join([
            GERMAN_HEADER, german_row("Probelauf Drei e.V.", postcode="1234"),
            german_row("Probelauf Vier e.V.")]) + "\n")
        r = self.run_import(bad, "--dry-run")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("line 2, PLZ '1234': The postcode has five digits", r.stdout)
        self.assertIn("1 of 2 rows have problems; nothing would be imported", r.stdout)
        self.assertEqual(self.count(), before)

    def test_missing_required_columns_are_named(self):
        path = self.write("ohne-ort.csv", "Name;Landesverband;Arbeitsfelder;Kurzbeschreibung;"
                          "Mitgliedsnummer\nTafel Ohneort e.V.;he;familie;Essen.;4711\n")
        r = self.run_import(path)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("warning: line 1, Mitgliedsnummer: Unknown column; it is ignored.",
                      r.stdout)
        self.assertIn("Required columns are missing: Rechtsform (legal_form), Ort (city).",
                      r.stdout)
        self.assertIn("nothing imported", r.stdout)
        self.assertEqual(self.server.sql(
            "SELECT count(*) FROM organisations WHERE name LIKE 'Tafel Ohneort%'"), "0")

    def test_latin1_bytes_are_reported(self):
        text = ("name;legal_form;region;city;fields;short_description\n"
                "Tafel Gießen e.V.;e.V.;he;Gießen;familie;Lebensmittel für alle.\n")
        r = self.run_import(self.write("latin1.csv", data=text.encode("latin-1")))
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("line 2, name 'Tafel Gie\ufffden e.V.': The text is not valid UTF-8",
                      r.stdout)
        self.assertIn("line 2, city 'Gie\ufffden': The text is not valid UTF-8", r.stdout)
        self.assertIn('Save it as "CSV UTF-8"', r.stdout)

        header = GERMAN_HEADER + "\n" + german_row("Tafel Latin e.V.") + "\n"
        r = self.run_import(self.write("latin1-kopf.csv", data=header.encode("latin-1")))
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("line 1: The header line is not valid UTF-8", r.stdout)
        self.assertEqual(self.server.sql(
            "SELECT count(*) FROM organisations WHERE name LIKE 'Tafel%Latin%'"), "0")

    def test_a_name_twice_in_the_file_is_refused(self):
        path = self.write("doppelt.csv", "\n".join([
            GERMAN_HEADER, german_row("Doppelt Gemoppelt e.V."), german_row("Bürgerhilfe Eins"),
            german_row("doppelt gemoppelt e.V.")]) + "\n")
        r = self.run_import(path)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("line 4, Name 'doppelt gemoppelt e.V.': An organisation with this name "
                      "(or the same web address) is on line 2 already.", r.stdout)
        self.assertEqual(self.found("Doppelt"), [])

    def test_a_name_that_exists_already_is_refused(self):
        path = self.write("vorhanden.csv", "\n".join([
            GERMAN_HEADER, german_row("Neu Hier e.V."),
            german_row("Familienzentrum Regenbogen Kassel e.V.")]) + "\n")
        r = self.run_import(path)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("line 3, Name 'Familienzentrum Regenbogen Kassel e.V.': An organisation "
                      "with this name exists already: "
                      "/organisationen/familienzentrum-regenbogen-kassel-e-v", r.stdout)
        self.assertEqual(self.server.sql(
            "SELECT count(*) FROM organisations WHERE name = 'Neu Hier e.V.'"), "0")

    # -- the command itself ----------------------------------------------------

    def test_help_and_wrong_use(self):
        r = self.server.cli("import", "--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("verbund import orgs FILE.csv [--dry-run] [--status published|pending]",
                      r.stdout)
        self.assertIn("Landesverband (region)", r.stdout)
        self.assertEqual(self.server.cli("import", "orgs", "--help").stdout, r.stdout)
        self.assertIn("import orgs FILE", self.server.cli("--help").stdout)
        self.assertEqual(self.server.cli("import", "orgs").returncode, 2)
        missing = self.server.cli("import", "orgs", os.path.join(self.tmp, "fehlt.csv"))
        self.assertEqual(missing.returncode, 2)
        self.assertIn("cannot read", missing.stderr)
        path = self.write("typo.csv", GERMAN_HEADER + "\n")
        typo = self.server.cli("import", "orgs", path, "--dryrun")
        self.assertEqual(typo.returncode, 2)
        self.assertIn("unknown option --dryrun", typo.stderr)
        self.assertEqual(self.server.cli("import", "orgs", path, "--status", "rejected")
                         .returncode, 2)


if __name__ == "__main__":
    unittest.main()
