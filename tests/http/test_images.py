"""Logo and cover uploads over HTTP: only real JPEG/PNG/WebP/GIF images are accepted
(by their bytes), re-encoded without metadata, served with immutable caching; renamed
PDFs, SVGs, oversized files, decompression bombs and malformed multipart bodies are
refused with a clear message and nothing is stored; only the organisation's admins
may change its images."""

import os
import re
import struct
import unittest
import uuid
import zlib

from harness import Client, Server, ServerTestCase, clone, in_parallel, raw, unique_email
from test_orgs import login, org_fields, token_of


def png(width, height, text=None, bit_depth=8, colour_type=2):
    """A valid PNG made here (no imaging library needed): a flat colour, optionally
    with a tEXt metadata chunk."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    channels = {0: 1, 2: 3}[colour_type]
    row_bytes = (width * channels * bit_depth + 7) // 8
    raw_rows = b"".join(b"\x00" + bytes([0x5A]) * row_bytes for _ in range(height))
    out = b"\x89PNG\r\n\x1a\n"
    out += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0))
    if text:
        out += chunk(b"tEXt", b"Comment\x00" + text.encode())
    out += chunk(b"IDAT", zlib.compress(raw_rows, 9))
    return out + chunk(b"IEND", b"")


def multipart(fields, files, boundary=None):
    boundary = boundary or "----VerbundTest" + uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                      % (boundary, name, value)).encode())
    for name, (filename, ctype, data) in files.items():
        parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                      "Content-Type: %s\r\n\r\n" % (boundary, name, filename, ctype)).encode()
                     + data + b"\r\n")
    body = b"".join(parts) + ("--%s--\r\n" % boundary).encode()
    return body, "multipart/form-data; boundary=" + boundary


class ImageUploadTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(settings={"limits.upload_bytes": str(12 * 1024 * 1024)})
        cls.server.cli("demo")
        cls.owner = unique_email("owner")
        cls.other = unique_email("other")
        cls.editor = unique_email("red-he")
        cls.server.add_user(cls.owner, name="Olga Owner")
        cls.server.add_user(cls.other, name="Otto Other")
        cls.server.add_user(cls.editor, role="regional_editor", extra=["--region", "he"])
        owner = login(cls.server, cls.owner)
        token = owner.csrf_for("/meine-organisationen/neu")
        r = owner.post("/meine-organisationen/neu",
                       org_fields(token, name="Bildertest Familienhilfe e.V."))
        cls.org_id = re.search(r"/meine-organisationen/(\d+)", r.location).group(1)
        he = login(cls.server, cls.editor)
        he.post("/redaktion/%s/entscheidung" % cls.org_id,
                {"csrf": token_of(he), "action": "freigeben"})
        cls.slug = "bildertest-familienhilfe-e-v"

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    @property
    def page(self):
        return "/meine-organisationen/%s/bilder" % self.org_id

    def upload(self, client, data, kind="logo", filename="logo.png", ctype="image/png",
               token=None):
        token = token if token is not None else client.csrf_for(self.page)
        body, content_type = multipart({"csrf": token, "art": kind},
                                       {"bild": (filename, ctype, data)})
        return client.request("POST", self.page, body=body,
                              headers={"Content-Type": content_type})

    def stored(self, column="logo_key"):
        return self.server.sql("SELECT %s FROM organisations WHERE id = %s" % (column, self.org_id))

    def media_files(self):
        d = os.path.join(self.server.data_dir, "media")
        return sorted(os.listdir(d)) if os.path.isdir(d) else []

    def test_a_logo_is_re_encoded_without_metadata_and_shown_on_the_public_page(self):
        owner = login(self.server, self.owner)
        r = self.upload(owner, png(600, 400, text="GPS 50.58 8.67 Privatadresse"))
        self.assertEqual(r.status, 303, r.body[:500])
        self.assertIn("hinweis=bild_gespeichert", r.location)
        key = self.stored()
        self.assertRegex(key, r"^[0-9a-f]{32}$")
        self.assertEqual([f for f in self.media_files() if f.startswith(key)],
                         sorted(key + "-" + v for v in ("160.jpg", "160.webp", "320.jpg", "320.webp")))
        page = owner.get(r.location)
        self.assertIn("Das Bild ist gespeichert", page.body)
        self.assertIn("/media/%s-160.jpg" % key, page.body)

        public = Client(self.server).get("/organisationen/" + self.slug)
        self.assertIn('src="/media/%s-160.jpg"' % key, public.body)
        # the directory's card shows it too (the cards are rebuilt on the change)
        self.assertIn('src="/media/%s-160.jpg"' % key,
                      Client(self.server).get("/organisationen?q=Bildertest").body)
        self.assertIn('alt="Logo von Bildertest Familienhilfe e.V."', public.body)
        for name, ctype, magic in (("320.webp", "image/webp", b"RIFF"),
                                   ("160.jpg", "image/jpeg", b"\xff\xd8\xff")):
            f = Client(self.server).get("/media/%s-%s" % (key, name))
            self.assertEqual(f.status, 200)
            self.assertEqual(f.headers["content-type"], ctype)
            self.assertIn("immutable", f.headers["cache-control"])
            self.assertTrue(f.body_bytes.startswith(magic))
            self.assertNotIn(b"Privatadresse", f.body_bytes)
            self.assertNotIn(b"Exif", f.body_bytes)

        # Replacing it removes the old files; removing it removes the new ones.
        r = self.upload(owner, png(300, 300))
        self.assertEqual(r.status, 303)
        new_key = self.stored()
        self.assertNotEqual(new_key, key)
        self.assertFalse(any(f.startswith(key) for f in self.media_files()))
        self.assertEqual(Client(self.server).get("/media/%s-160.jpg" % key).status, 404)
        r = owner.post(self.page + "/entfernen", {"csrf": owner.csrf_for("/meine-organisationen/neu"), "art": "logo"})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.stored(), "")
        self.assertFalse(any(f.startswith(new_key) for f in self.media_files()))
        self.assertNotIn("/media/%s" % new_key,
                         Client(self.server).get("/organisationen?q=Bildertest").body)

    def test_a_cover_image_is_cropped_and_shown(self):
        owner = login(self.server, self.owner)
        r = self.upload(owner, png(1000, 1000), kind="titelbild", filename="team.png")
        self.assertEqual(r.status, 303, r.body[:500])
        key = self.stored("cover_key")
        self.assertTrue(os.path.exists(os.path.join(self.server.data_dir, "media", key + "-1600.webp")))
        public = Client(self.server).get("/organisationen/" + self.slug)
        self.assertIn("/media/%s-800.jpg" % key, public.body)

    def refused(self, data, filename, ctype, message):
        owner = login(self.server, self.owner)
        before_key, before_files = self.stored(), self.media_files()
        r = self.upload(owner, data, filename=filename, ctype=ctype)
        self.assertEqual(r.status, 422)
        self.assertIn(message, r.body)
        self.assertIn('aria-invalid="true"', r.body)
        self.assertIn('class="error-summary"', r.body)
        self.assertEqual(self.stored(), before_key)
        self.assertEqual(self.media_files(), before_files)

    def test_a_renamed_pdf_is_refused(self):
        self.refused(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", "logo.png",
                     "image/png", "kein Bild im Format JPEG, PNG, WebP oder GIF")

    def test_an_svg_is_refused(self):
        svg = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" '
               b'height="10"><script>alert(1)</script></svg>')
        self.refused(svg, "logo.svg", "image/svg+xml", "SVG-Dateien nehmen wir")

    def test_a_decompression_bomb_is_refused_quickly(self):
        # 30,000 x 30,000 one-bit grey pixels: about 110 KB on disk, 900 megapixels.
        bomb = png(30000, 30000, bit_depth=1, colour_type=0)
        self.assertLess(len(bomb), 1024 * 1024)
        self.refused(bomb, "bomb.png", "image/png", "zu viele Pixel")

    def test_a_truncated_image_and_an_empty_choice_are_refused(self):
        self.refused(png(400, 400)[:300], "kaputt.png", "image/png", "nicht als Bild öffnen")
        self.refused(b"", "", "application/octet-stream", "Bitte wählen Sie zuerst eine Bilddatei")

    def test_a_30_mib_file_is_refused_before_it_is_read(self):
        owner = login(self.server, self.owner)
        token = owner.csrf_for(self.page)
        body, ctype = multipart({"csrf": token, "art": "logo"},
                                {"bild": ("gross.png", "image/png", png(10, 10) + b"\0" * (30 << 20))})
        before = self.media_files()
        try:
            r = owner.request("POST", self.page, body=body, headers={"Content-Type": ctype})
            self.assertEqual(r.status, 413)
        except (ConnectionResetError, BrokenPipeError):
            pass  # the server answered 413 and closed while the client was still sending
        self.assertEqual(self.media_files(), before)
        self.assertTrue(self.server.running())

    def test_a_file_between_10_and_12_mib_gets_a_message_at_the_field(self):
        self.refused(png(10, 10) + b"\0" * (11 << 20), "gross.png", "image/png",
                     "größer als 10 MB")

    def test_only_the_organisations_admins_may_change_its_images(self):
        other = login(self.server, self.other)
        self.assertEqual(other.get(self.page).status, 404)
        r = self.upload(other, png(50, 50), token=other.csrf_for("/meine-organisationen/neu"))
        self.assertEqual(r.status, 404)
        r = other.post(self.page + "/entfernen", {"csrf": other.csrf_for("/meine-organisationen/neu"), "art": "logo"})
        self.assertEqual(r.status, 404)
        visitor = Client(self.server)
        r = visitor.get(self.page)
        self.assertEqual(r.status, 303)
        self.assertIn("/anmelden", r.location)

    def test_without_a_csrf_token_nothing_changes(self):
        owner = login(self.server, self.owner)
        before = self.stored()
        r = self.upload(owner, png(50, 50), token="")
        self.assertEqual(r.status, 403)
        r = self.upload(owner, png(50, 50), token="falsch")
        self.assertEqual(r.status, 403)
        self.assertEqual(self.stored(), before)

    def test_malformed_multipart_and_unknown_kinds_get_400(self):
        owner = login(self.server, self.owner)
        token = owner.csrf_for(self.page)
        body, ctype = multipart({"csrf": token, "art": "logo"}, {"bild": ("a.png", "image/png", png(5, 5))})
        cut = body[: len(body) - 30]  # no closing boundary
        r = owner.request("POST", self.page, body=cut, headers={"Content-Type": ctype})
        self.assertEqual(r.status, 400)
        r = owner.request("POST", self.page, body=body,
                          headers={"Content-Type": "multipart/form-data"})  # no boundary
        self.assertIn(r.status, (400, 403))
        body, ctype = multipart({"csrf": token, "art": "favicon"}, {"bild": ("a.png", "image/png", png(5, 5))})
        r = owner.request("POST", self.page, body=body, headers={"Content-Type": ctype})
        self.assertEqual(r.status, 400)

    def gallery_upload(self, client, data, alt):
        body, ctype = multipart({"csrf": client.csrf_for(self.page), "art": "galerie", "alt": alt},
                                {"bild": ("foto.png", "image/png", data)})
        return client.request("POST", self.page, body=body, headers={"Content-Type": ctype})

    def test_the_gallery_needs_a_description_holds_eight_photos_and_shows_them(self):
        owner = login(self.server, self.owner)
        r = self.gallery_upload(owner, png(800, 600), "   ")
        self.assertEqual(r.status, 422)
        self.assertIn('id="gallery_alt-error"', r.body)
        r = self.gallery_upload(owner, b"%PDF-1.4", "Kinder beim Basteln")
        self.assertEqual(r.status, 422)
        self.assertIn('id="gallery-error"', r.body)
        self.assertIn('value="Kinder beim Basteln"', r.body)  # the typed text stays
        for i in range(8):
            r = self.gallery_upload(owner, png(800, 600), "Foto %d: Sommerfest im Hof" % i)
            self.assertEqual(r.status, 303, r.body[:300])
        r = self.gallery_upload(owner, png(800, 600), "Noch eines")
        self.assertEqual(r.status, 422)
        self.assertIn("Galerie ist voll", r.body)
        public = Client(self.server).get("/organisationen/" + self.slug).body
        self.assertIn('alt="Foto 0: Sommerfest im Hof"', public)
        self.assertEqual(public.count('loading="lazy"'), 8)
        key = re.search(r'/media/([0-9a-f]{32})-400\.jpg', public).group(1)
        self.assertEqual(Client(self.server).get("/media/%s-1200.webp" % key).status, 200)
        image_id = self.server.sql(
            "SELECT id FROM organisation_images WHERE media_key = '%s'" % key)
        other = login(self.server, self.other)
        r = other.post(self.page + "/galerie/%s/entfernen" % image_id,
                       {"csrf": other.csrf_for("/meine-organisationen/neu")})
        self.assertEqual(r.status, 404)
        r = owner.post(self.page + "/galerie/%s/entfernen" % image_id,
                       {"csrf": owner.csrf_for(self.page)})
        self.assertEqual(r.status, 303)
        self.assertFalse(any(f.startswith(key) for f in self.media_files()))
        self.assertEqual(self.server.sql(
            "SELECT COUNT(*) FROM organisation_images WHERE organisation_id = %s" % self.org_id), "7")

    def test_twenty_parallel_uploads_to_a_gallery_of_seven_leave_eight(self):
        # The limit of eight is enforced under a lock on the organisation's row: of 20
        # uploads at the same moment exactly one fits, the others hear that it is full
        # (none fails with a server error after exhausted retries).
        owner = login(self.server, self.owner)
        token = owner.csrf_for("/meine-organisationen/neu")
        r = owner.post("/meine-organisationen/neu",
                       org_fields(token, name="Galerie-Wettlauf %s" % uuid.uuid4().hex[:6]))
        org_id = re.search(r"/meine-organisationen/(\d+)", r.location).group(1)
        page = "/meine-organisationen/%s/bilder" % org_id
        photo = png(400, 300)
        for i in range(7):
            body, ctype = multipart({"csrf": token, "art": "galerie", "alt": "Foto %d" % i},
                                    {"bild": ("foto.png", "image/png", photo)})
            r = owner.request("POST", page, body=body, headers={"Content-Type": ctype})
            self.assertEqual(r.status, 303, r.body[:300])

        def upload(i):
            body, ctype = multipart({"csrf": token, "art": "galerie", "alt": "Parallel %d" % i},
                                    {"bild": ("foto.png", "image/png", photo)})
            return clone(owner).request("POST", page, body=body,
                                        headers={"Content-Type": ctype})

        results = in_parallel(20, upload)
        statuses = sorted(getattr(r, "status", repr(r)) for r in results)
        self.assertEqual(self.server.sql(
            "SELECT COUNT(*) FROM organisation_images WHERE organisation_id = %s" % org_id), "8")
        self.assertEqual(statuses, [303] + [422] * 19, statuses)
        for r in results:
            if r.status == 422:
                self.assertIn("Galerie ist voll", r.body)

    def test_media_names_outside_the_pattern_are_not_found(self):
        c = Client(self.server)
        for path in ("/media/..%2Fverbund.db", "/media/verbund.db",
                     "/media/" + "0" * 32 + "-160.png", "/media/" + "A" * 32 + "-160.jpg",
                     "/media/" + "0" * 32 + "-160.jpg"):
            self.assertEqual(c.get(path).status, 404, path)


if __name__ == "__main__":
    unittest.main()
