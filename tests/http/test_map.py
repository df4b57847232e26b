"""The directory map over HTTP: only when the operator configures a tile server; the
page asks before anything is loaded; the CSP lets exactly that tile origin in; the
points are those of the current search."""

import json
import tempfile
import unittest

from harness import Client, Server, ServerTestCase, login, run_cli, unique_email

TILES = "https://tiles.karten.example:8443/{z}/{x}/{y}.png"


class MapTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(settings={"map.tile_url": TILES,
                                      "map.attribution": "© Kartenbilder <b>Test</b>"})
        cls.server.cli("demo")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_the_panel_asks_first_and_the_csp_allows_only_the_tile_origin(self):
        r = Client(self.server).get("/organisationen?feld=familie")
        self.assertEqual(r.status, 200)
        self.assertIn("Karte laden", r.body)
        self.assertIn("<strong>tiles.karten.example:8443</strong>", r.body)
        self.assertIn('data-points="/organisationen/karte.json?feld=familie"', r.body)
        self.assertIn("&lt;b&gt;Test&lt;/b&gt;", r.body)  # the operator's text, escaped
        self.assertIn("img-src 'self' data: https://tiles.karten.example:8443;",
                      r.headers["content-security-policy"])
        # No tile URL appears in an <img>: nothing is loaded before the click.
        self.assertNotIn('src="https://tiles', r.body)

    def test_points_are_those_of_the_search(self):
        c = Client(self.server)
        data = json.loads(c.get("/organisationen/karte.json?feld=familie").body)
        listing = c.get("/organisationen?feld=familie").body
        self.assertGreater(data["total"], 0)
        self.assertEqual(len(data["points"]), data["total"])  # every demo organisation has a place
        for p in data["points"]:
            self.assertIn('href="%s"' % p["url"], listing)
            self.assertTrue(47 < p["lat"] < 55.1 and 5.8 < p["lon"] < 15.1, p)
        everything = json.loads(c.get("/organisationen/karte.json").body)
        self.assertGreater(everything["total"], data["total"])
        self.assertEqual(json.loads(c.get("/organisationen/karte.json?q=xyzzyqq").body),
                         {"total": 0, "points": []})
        # Without a pin an organisation stands at its postcode's place; without either
        # it is not on the map.
        first = self.server.sql("SELECT MIN(id) FROM organisations")
        self.server.sql("UPDATE organisations SET latitude = NULL, longitude = NULL "
                        "WHERE id = %s" % first)
        again = json.loads(c.get("/organisationen/karte.json").body)
        self.assertEqual(len(again["points"]), len(everything["points"]))
        self.server.sql("UPDATE organisations SET postcode = '' WHERE id = %s" % first)
        again = json.loads(c.get("/organisationen/karte.json").body)
        self.assertEqual(len(again["points"]), len(everything["points"]) - 1)

    def test_profile_json_ld_carries_the_coordinates(self):
        c = Client(self.server)
        point = json.loads(c.get("/organisationen/karte.json").body)["points"][0]
        page = c.get(point["url"]).body
        import re
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
        self.assertAlmostEqual(data["geo"]["latitude"], point["lat"], places=4)
        self.assertAlmostEqual(data["geo"]["longitude"], point["lon"], places=4)

    def test_the_details_form_offers_a_pin_map_that_opens_at_the_postcode(self):
        admin = unique_email("pin-admin")
        self.server.add_user(admin, role="platform_admin")
        c = Client(self.server)
        login(c, admin)
        org = self.server.sql("SELECT id FROM organisations WHERE postcode = '47053' LIMIT 1")
        page = c.get("/meine-organisationen/%s/details" % org).body
        self.assertIn("data-pin-map hidden", page)  # shown by the script only
        self.assertIn("Karte laden und Standort wählen", page)
        self.assertIn("<strong>tiles.karten.example:8443</strong>", page)
        lat = float(__import__("re").search(r'data-lat="([0-9.]+)"', page).group(1))
        lon = float(__import__("re").search(r'data-lon="([0-9.]+)"', page).group(1))
        self.assertTrue(51.3 < lat < 51.5 and 6.6 < lon < 6.9, (lat, lon))  # Duisburg
        self.assertNotIn('src="https://tiles', page)
        # the stored pin is in the fields; the map's script is the directory's
        self.assertIn('id="latitude"', page)
        self.assertRegex(page, r'<script src="/static/js/map\.[0-9a-f]+\.js" defer>')

    def test_bad_parameters_get_400(self):
        c = Client(self.server)
        for q in ("seite=0", "seite=abc", "sortierung=zufall", "q=" + "x" * 300):
            self.assertEqual(c.get("/organisationen/karte.json?" + q).status, 400, q)


class NoMapTest(unittest.TestCase):
    def test_without_a_tile_server_there_is_no_map_and_no_extra_origin(self):
        with Server() as s:
            s.cli("demo")
            r = Client(s).get("/organisationen")
            self.assertNotIn("Karte laden", r.body)
            self.assertIn("img-src 'self' data:;", r.headers["content-security-policy"])
            admin = unique_email("nomap-admin")
            s.add_user(admin, role="platform_admin")
            c = Client(s)
            login(c, admin)
            details = c.get("/meine-organisationen/1/details").body
            self.assertIn('id="latitude"', details)
            self.assertNotIn("data-pin-map", details)

    def test_a_bad_tile_url_stops_start_up_with_the_key_named(self):
        with tempfile.TemporaryDirectory() as d:
            for bad in ("javascript:alert(1)/{z}/{x}/{y}", "https://t.example/tiles.png",
                        "https://{s}.t.example/{z}/{x}/{y}.png", "https://t.example/{z}/{x}/{y}.png'"):
                r = run_cli(["migrate"], data_dir=d, settings={"map.tile_url": bad})
                self.assertNotEqual(r.returncode, 0, bad)
                self.assertIn("map.tile_url", r.stderr, bad)


if __name__ == "__main__":
    unittest.main()
