"""A loopback HTTP/1.1 feed server and a connection canary for the Social Wall fetcher's
tests (standard library only).

    srv = FeedServer()                 # 127.0.0.1, a free port, serving in a daemon thread
    srv.url("/good/rss")               # "http://127.0.0.1:PORT/good/rss"
    srv.hits("/good/rss")              # requests seen for a path (the query is ignored)
    srv.requests("/conditional/rss")   # [(method, headers), ...]; headers is a dict whose
                                       # lookups ignore case: h["if-none-match"]
    srv.set("/x", body=b"...", content_type="application/rss+xml", status=200,
            headers={"ETag": '"a"'})   # add or replace a route (wins over a built-in one)
    srv.max_concurrent("/concurrency/")  # most requests in flight at once under a prefix
    srv.redirect_url("http://10.0.0.1/", code=307)  # /redirect/to?target=...&code=307
    srv.canary_port = canary.port      # where the /xxe/http and /xxe/parameter entities point
    srv.close()                        # also a context manager; stops promptly

    c = Canary()                       # or Canary(host="::1") if ipv6_loopback_available()
    c.port, c.connections(), c.wait_for(1), c.close()

Every response carries Content-Length (or chunked encoding, or closes the connection),
so connections are kept alive as HTTP/1.1 allows. Absolute URLs in feeds and redirects
name this server as http://127.0.0.1:PORT (srv.base). Nothing is logged to stderr unless
FeedServer(verbose=True) or FEEDSERVER_VERBOSE=1; clients that hang up mid-stream are
ignored. Any other exception inside a handler is a bug here: it is kept in srv.errors.

Built-in routes (GET and HEAD):

  /good/rss           RSS 2.0, German, 3 items: guid, link, pubDate, category, hashtags
                      (#Ehrenamt ...); item 1 has <enclosure> and <media:content> ->
                      /img/a.jpg on this server.
  /good/atom          Atom 1.0, 3 entries: id, link, published/updated, summary; entry 1 has
                      <link rel="enclosure"> -> /img/a.jpg, entry 2 an <img> -> /img/b.png.
  /good/json          JSON Feed 1.1 (application/feed+json), 3 items: id, url,
                      date_published, tags; item 1 "image": /img/a.jpg.
  /good/rdf           RSS 1.0 (RDF), 2 items: rdf:about, link, dc:date; item 1 has an
                      <img src=/img/a.jpg> in content:encoded.
  /img/a.jpg          a real 16x16 baseline JPEG (YCbCr, four flat colour blocks), image/jpeg.
  /img/b.png          a real 16x16 RGB PNG, image/png.
  /conditional/rss    the good RSS with ETag "v1" (srv.conditional_etag) and Last-Modified
                      (srv.conditional_last_modified); 304 without a body when If-None-Match
                      matches (also W/"v1" and *), or, without If-None-Match, when
                      If-Modified-Since is not older than Last-Modified.
  /ratelimit/rss      429, Retry-After: 120.
  /ratelimit/date     503, Retry-After: an HTTP-date one hour from now.
  /cache/rss          200, Cache-Control: max-age=7200, the good RSS with <ttl>180</ttl>.
  /redirect/loop      302 to itself.
  /redirect/chain/N   N > 0: 302 to /redirect/chain/N-1; /redirect/chain/0 is the good RSS
                      (chain/5 = 5 redirects).
  /redirect/to?target=URL[&code=301|302|303|307|308]
                      redirect (302 by default) to URL exactly as given, whatever it is
                      (http://10.0.0.1/, http://0x7f000001:P/, file:///etc/passwd, ...).
                      /redirect/loop and /redirect/chain/N take ?code= as well.
  /slow/drip          200, Content-Length: 30, then one byte every 2 s (60 s in all).
  /slow/headers       reads the request, then sends nothing for 40 s (then the good RSS).
  /big/50mib          50 MiB (52428800 bytes), Content-Length set, streamed: an RSS start,
                      spaces, </channel></rss>.
  /big/chunked        the same 50 MiB, Transfer-Encoding: chunked, no Content-Length.
  /big/lying-length   Content-Length: 100, then 10 MiB, then the connection is closed.
  /gzip/bomb          Content-Encoding: gzip, ~1.01 MiB that inflates to 1 GiB + ~300 bytes:
                      RSS with 1 GiB of spaces inside <channel> (built once per process).
  /gzip/good          Content-Encoding: gzip, the good RSS.
  /xxe/file           RSS with <!ENTITY xxe SYSTEM "file:///etc/passwd"> used in a title.
  /xxe/http           the same with SYSTEM "http://127.0.0.1:CANARY/".
  /xxe/parameter      <!ENTITY % p SYSTEM "http://127.0.0.1:CANARY/x.dtd"> %p;
                      CANARY is srv.canary_port, read on every request; while it is None
                      the entities point at this server (count them with hits("/") and
                      hits("/x.dtd")).
  /bomb/laughs        billion laughs (lol1..lol9, ten references each) in an RSS item.
  /bomb/quadratic     one 100 KiB entity referenced 10,000 times in an RSS item.
  /broken/xml         RSS with unescaped "&" and no </rss>; both items recoverable.
  /broken/encoding    declares ISO-8859-1 (XML declaration and charset), bytes are UTF-8.
  /broken/notfeed     an HTML page without a feed link.
  /broken/empty       200, application/rss+xml, empty body.
  /broken/binary      200, application/rss+xml, 4 KiB of (seeded) random bytes.
  /html/with-link     HTML with <link rel="alternate" type="application/rss+xml"
                      href="/good/rss">.
  /status/N           status N (any 200..599; meant for 404, 410, 500), a short text body.
  /concurrency/N      any N: waits 1 s, then the good RSS (see max_concurrent()).
  /count/rss          the good RSS (count with hits()).
  anything else       404.

max_concurrent() and hits() count every request on every path. A request is in flight
from the moment it is parsed until its last bytes are handed to the socket, so a client
that asks one thing after another never shows two at once. Also: srv.unset(path),
srv.reset() (forget counts), srv.targets(path) (full targets with query),
srv.in_flight(prefix), srv.body(path), srv.good_rss, FeedServer(host="::1").
"""

import collections
import email.utils
import gzip
import http.server
import json
import os
import random
import socket
import socketserver
import struct
import sys
import threading
import time
import urllib.parse
import zlib

__all__ = ["FeedServer", "Canary", "Headers", "ipv6_loopback_available",
           "make_png", "make_jpeg", "gzip_bomb"]

MIB = 1024 * 1024
GIB = 1024 * MIB

RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
JSON_FEED_TYPE = "application/feed+json"
RDF_TYPE = "application/rdf+xml; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"

# A client that goes away mid-response: not worth a word.
_DISCONNECTS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)


# ---------------------------------------------------------------------------------
# Images


def _png_chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def make_png(width=16, height=16):
    """A valid 8-bit RGB PNG: a colour gradient."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows += bytes((x * 255 // max(width - 1, 1), y * 255 // max(height - 1, 1), 160))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr)
            + _png_chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + _png_chunk(b"IEND", b""))


# Annex K.3 table K.3: luminance DC differences (categories 0..11).
_DC_BITS = (0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)
_DC_VALS = tuple(range(12))
# Every block is flat, so the only AC symbol ever coded is end-of-block (0x00).
_AC_BITS = (1,) + (0,) * 15
_AC_VALS = (0,)


def _huffman_codes(bits, vals):
    codes, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[vals[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


class _BitWriter:
    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, value, length):
        for i in range(length - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> i) & 1)
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0)  # byte stuffing
                self.acc = self.n = 0

    def flush(self):
        if self.n:
            self.put((1 << (8 - self.n)) - 1, 8 - self.n)  # pad with ones
        return bytes(self.out)


def make_jpeg(colours=((230, 80, 40), (40, 120, 220), (250, 200, 30), (60, 170, 90))):
    """A valid baseline JFIF JPEG, 16x16, 4:4:4 YCbCr: four flat 8x8 blocks, one per
    colour (row by row). Written with the stdlib only: each block has just its DC term,
    so no DCT is needed, and the colours decode exactly (up to YCbCr rounding)."""
    mcus = []
    for r, g, b in colours:
        y = 0.299 * r + 0.587 * g + 0.114 * b
        cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b
        cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b
        # DC coefficient = 8 * (value - 128); quantised by 8 -> value - 128.
        mcus.append([max(-128, min(127, round(v) - 128)) for v in (y, cb, cr)])
    dc = _huffman_codes(_DC_BITS, _DC_VALS)
    ac = _huffman_codes(_AC_BITS, _AC_VALS)
    w = _BitWriter()
    pred = [0, 0, 0]
    for mcu in mcus:
        for c in range(3):
            diff = mcu[c] - pred[c]
            pred[c] = mcu[c]
            size = abs(diff).bit_length()
            w.put(*dc[size])
            if size:
                w.put(diff if diff >= 0 else diff + (1 << size) - 1, size)
            w.put(*ac[0])  # EOB
    scan = w.flush()

    def segment(marker, payload):
        return b"\xff" + bytes((marker,)) + struct.pack(">H", len(payload) + 2) + payload

    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    dqt = b"\x00" + bytes([8] * 64)
    sof = struct.pack(">BHHB", 8, 16, 16, 3) + b"\x01\x11\x00\x02\x11\x00\x03\x11\x00"
    dht = (b"\x00" + bytes(_DC_BITS) + bytes(_DC_VALS)
           + b"\x10" + bytes(_AC_BITS) + bytes(_AC_VALS))
    sos = b"\x03\x01\x00\x02\x00\x03\x00\x00\x3f\x00"
    return (b"\xff\xd8" + segment(0xE0, app0) + segment(0xDB, dqt) + segment(0xC0, sof)
            + segment(0xC4, dht) + segment(0xDA, sos) + scan + b"\xff\xd9")


PNG = make_png()
JPEG = make_jpeg()


# ---------------------------------------------------------------------------------
# Gzip bomb


_bomb_lock = threading.Lock()
_bomb_cache = {}


def gzip_bomb(spaces=GIB):
    """A gzip member (bytes, ~1 MiB for 1 GiB) of an RSS document with `spaces` spaces
    inside <channel>; built once per process and size. The deflate stream is one
    compressed MiB of spaces repeated (each copy is self-contained and byte-aligned
    through a sync flush), so building it costs a CRC pass, not a compression of 1 GiB."""
    with _bomb_lock:
        if spaces in _bomb_cache:
            return _bomb_cache[spaces]
        head = (b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
                b"<title>Gepackt</title><link>https://bombe.example/</link>"
                b"<description>Sehr viel Leerraum</description>")
        tail = (b"<item><title>Nach dem Leerraum</title><guid>bombe-1</guid>"
                b"<link>https://bombe.example/1</link></item></channel></rss>\n")
        block = 1 * MIB
        count, rest = divmod(spaces, block)

        def deflate(data, mode=zlib.Z_SYNC_FLUSH):
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            return c.compress(data) + c.flush(mode)

        chunk = b" " * block
        parts = [deflate(head), deflate(chunk) * count]
        crc = zlib.crc32(head)
        for _ in range(count):
            crc = zlib.crc32(chunk, crc)
        if rest:
            parts.append(deflate(b" " * rest))
            crc = zlib.crc32(b" " * rest, crc)
        parts.append(deflate(tail, zlib.Z_FINISH))
        crc = zlib.crc32(tail, crc)
        size = len(head) + spaces + len(tail)
        header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03"  # no name, mtime 0, Unix
        body = (header + b"".join(parts)
                + struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
        _bomb_cache[spaces] = body
        return body


# ---------------------------------------------------------------------------------
# Feeds


def _xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


SITE = "https://freiwillig-kassel.example"

# (id, title, path, RFC 822 date, ISO date, text, tags)
ITEMS = [
    ("fwk-2024-1001", "Kasseler Tafel sucht Helferinnen und Helfer",
     "/aktuell/tafel-helfende", "Mon, 13 May 2024 09:30:00 +0200", "2024-05-13T09:30:00+02:00",
     "Für die Ausgabe am Donnerstag werden noch Ehrenamtliche gesucht. Einfach vorbeikommen! "
     "#Ehrenamt #Kassel", ("Ehrenamt", "Kassel")),
    ("fwk-2024-1002", "Sommerfest im Stadtteilzentrum Wesertor",
     "/aktuell/sommerfest-wesertor", "Fri, 10 May 2024 16:00:00 +0200",
     "2024-05-10T16:00:00+02:00",
     "Am 8. Juni feiern wir mit Musik, Kuchen und Spielen für Groß und Klein. "
     "#Nachbarschaft #Sommerfest", ("Nachbarschaft", "Sommerfest")),
    ("fwk-2024-1003", "Fortbildung: Erste Hilfe für Übungsleitende",
     "/aktuell/erste-hilfe-kurs", "Tue, 07 May 2024 08:15:00 +0200",
     "2024-05-07T08:15:00+02:00",
     "Der nächste Kurs für Engagierte in Sportvereinen beginnt im Juni; die Plätze sind "
     "begrenzt. #Ehrenamt #Weiterbildung", ("Ehrenamt", "Weiterbildung")),
]


def rss_feed(base, ttl=None, items=ITEMS):
    """The good RSS 2.0 document (str) with image URLs under `base`."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n'
           '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" '
           'xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
           "<title>Freiwilligenagentur Kassel – Neuigkeiten</title>\n"
           "<link>%s/</link>\n"
           "<description>Aktuelles rund ums Ehrenamt in Kassel</description>\n"
           "<language>de-DE</language>\n"
           "<lastBuildDate>Mon, 13 May 2024 09:30:00 +0200</lastBuildDate>\n" % SITE]
    if ttl is not None:
        out.append("<ttl>%d</ttl>\n" % ttl)
    for n, (gid, title, path, rfc, _iso, text, tags) in enumerate(items):
        out.append("<item>\n<title>%s</title>\n<link>%s%s</link>\n"
                   '<guid isPermaLink="false">%s</guid>\n<pubDate>%s</pubDate>\n'
                   "<description>%s</description>\n"
                   % (_xml_escape(title), SITE, path, gid, rfc, _xml_escape(text)))
        for t in tags:
            out.append("<category>%s</category>\n" % t)
        if n == 0:
            out.append('<enclosure url="%s/img/a.jpg" type="image/jpeg" length="%d"/>\n'
                       '<media:content url="%s/img/a.jpg" medium="image" type="image/jpeg"/>\n'
                       % (base, len(JPEG), base))
        out.append("</item>\n")
    out.append("</channel>\n</rss>\n")
    return "".join(out)


def atom_feed(base):
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n'
           '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">\n'
           "<id>tag:freiwillig-kassel.example,2024:feed</id>\n"
           "<title>Freiwilligenagentur Kassel – Neuigkeiten</title>\n"
           "<updated>2024-05-13T09:30:00+02:00</updated>\n"
           '<link rel="alternate" type="text/html" href="%s/"/>\n'
           '<link rel="self" type="application/atom+xml" href="%s/good/atom"/>\n'
           "<author><name>Freiwilligenagentur Kassel</name></author>\n" % (SITE, base)]
    for n, (gid, title, path, _rfc, iso, text, tags) in enumerate(ITEMS):
        out.append("<entry>\n<id>tag:freiwillig-kassel.example,2024:%s</id>\n"
                   "<title>%s</title>\n"
                   '<link rel="alternate" type="text/html" href="%s%s"/>\n'
                   "<published>%s</published>\n<updated>%s</updated>\n"
                   "<summary>%s</summary>\n"
                   % (gid, _xml_escape(title), SITE, path, iso, iso, _xml_escape(text)))
        for t in tags:
            out.append('<category term="%s"/>\n' % t)
        if n == 0:
            out.append('<link rel="enclosure" type="image/jpeg" length="%d" href="%s/img/a.jpg"/>\n'
                       % (len(JPEG), base))
        if n == 1:
            out.append('<content type="html">%s</content>\n'
                       % _xml_escape('<p>%s</p><p><img src="%s/img/b.png" alt="Plakat"></p>'
                                     % (text, base)))
        out.append("</entry>\n")
    out.append("</feed>\n")
    return "".join(out)


def json_feed(base):
    items = []
    for n, (gid, title, path, _rfc, iso, text, tags) in enumerate(ITEMS):
        item = {"id": gid, "url": SITE + path, "title": title, "content_text": text,
                "date_published": iso, "tags": list(tags),
                "authors": [{"name": "Freiwilligenagentur Kassel"}]}
        if n == 0:
            item["image"] = base + "/img/a.jpg"
        items.append(item)
    return json.dumps({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Freiwilligenagentur Kassel – Neuigkeiten",
        "home_page_url": SITE + "/",
        "feed_url": base + "/good/json",
        "language": "de-DE",
        "items": items,
    }, ensure_ascii=False, indent=1) + "\n"


def rdf_feed(base):
    items = ITEMS[:2]
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n'
           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
           'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n'
           '<channel rdf:about="%s/good/rdf">\n'
           "<title>Freiwilligenagentur Kassel – Neuigkeiten</title>\n"
           "<link>%s/</link>\n<description>Aktuelles rund ums Ehrenamt in Kassel</description>\n"
           "<dc:language>de</dc:language>\n<items><rdf:Seq>\n" % (base, SITE)]
    for it in items:
        out.append('<rdf:li rdf:resource="%s%s"/>\n' % (SITE, it[2]))
    out.append("</rdf:Seq></items>\n</channel>\n")
    for n, (gid, title, path, _rfc, iso, text, tags) in enumerate(items):
        out.append('<item rdf:about="%s%s">\n<title>%s</title>\n<link>%s%s</link>\n'
                   "<description>%s</description>\n<dc:date>%s</dc:date>\n"
                   "<dc:identifier>%s</dc:identifier>\n"
                   % (SITE, path, _xml_escape(title), SITE, path, _xml_escape(text), iso, gid))
        for t in tags:
            out.append("<dc:subject>%s</dc:subject>\n" % t)
        if n == 0:
            out.append("<content:encoded><![CDATA[<p>%s</p><p><img src=\"%s/img/a.jpg\" "
                       "alt=\"Tafel\"></p>]]></content:encoded>\n" % (text, base))
        out.append("</item>\n")
    out.append("</rdf:RDF>\n")
    return "".join(out)


def _entity_rss(doctype, title_ref):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n%s\n<rss version="2.0"><channel>'
            "<title>Entitäten</title><link>%s/</link><description>Test</description>"
            "<item><title>%s</title><guid>entity-1</guid><link>%s/entity</link>"
            "<description>Ein Beitrag</description></item></channel></rss>\n"
            % (doctype, SITE, title_ref, SITE)).encode()


def _laughs():
    ents = ['<!ENTITY lol "lol">']
    for i in range(1, 10):
        prev = "lol" if i == 1 else "lol%d" % (i - 1)
        ents.append('<!ENTITY lol%d "%s">' % (i, ("&%s;" % prev) * 10))
    return _entity_rss("<!DOCTYPE rss [\n %s\n]>" % "\n ".join(ents), "&lol9;")


def _quadratic():
    doctype = '<!DOCTYPE rss [<!ENTITY a "%s">]>' % ("a" * (100 * 1024))
    return _entity_rss(doctype, "Viel " + "&a;" * 10000)


BROKEN_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
    "<title>Kaffee & Kuchen im Quartier</title>\n<link>%s/</link>\n"
    "<description>Treffen & Termine</description>\n"
    "<item>\n<title>Kaffee & Kuchen am Sonntag</title>\n<link>%s/kaffee</link>\n"
    '<guid isPermaLink="false">kaffee-1</guid>\n<pubDate>Sun, 12 May 2024 15:00:00 +0200</pubDate>\n'
    "<description>Alle sind willkommen & eingeladen. #Nachbarschaft</description>\n</item>\n"
    "<item>\n<title>Flohmarkt im Hof</title>\n<link>%s/flohmarkt</link>\n"
    '<guid isPermaLink="false">flohmarkt-1</guid>\n<pubDate>Sat, 11 May 2024 10:00:00 +0200</pubDate>\n'
    "<description>Stände gesucht #Ehrenamt</description>\n</item>\n"
    "</channel>\n" % (SITE, SITE, SITE)).encode()  # no </rss>

BROKEN_ENCODING = (
    '<?xml version="1.0" encoding="ISO-8859-1"?>\n<rss version="2.0"><channel>'
    "<title>Grüße aus Göttingen</title><link>%s/</link>"
    "<description>Über uns und unsere Arbeit</description>"
    "<item><title>Straßenfest in der Südstadt – Helfende für Aufbau gesucht</title>"
    '<guid isPermaLink="false">strassenfest-1</guid><link>%s/strassenfest</link>'
    "<pubDate>Thu, 09 May 2024 12:00:00 +0200</pubDate>"
    "<description>Wir freuen uns über jede Hand. #Ehrenamt</description></item>"
    "</channel></rss>\n" % (SITE, SITE)).encode("utf-8")

NOT_FEED = ('<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8">'
            "<title>Verein Grünes Band e.V.</title></head><body><h1>Willkommen</h1>"
            "<p>Hier gibt es keinen Feed, nur eine Startseite.</p>"
            '<p><a href="/kontakt">Kontakt</a></p></body></html>\n').encode()

HTML_WITH_LINK = ('<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8">'
                  "<title>Freiwilligenagentur Kassel</title>"
                  '<link rel="stylesheet" href="/style.css">'
                  '<link rel="alternate" type="application/rss+xml" '
                  'title="Neuigkeiten (RSS)" href="/good/rss">'
                  "</head><body><h1>Freiwilligenagentur Kassel</h1>"
                  "<p>Unsere Neuigkeiten gibt es auch als Feed.</p></body></html>\n").encode()

BINARY = random.Random(20240513).randbytes(4096)

BIG_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            b"<title>Sehr gross</title><link>https://gross.example/</link>"
            b"<description>Viel zu viel</description>\n")
BIG_TAIL = b"\n</channel></rss>\n"
_FILL = b" " * (256 * 1024)

DRIP_BODY = b'<?xml version="1.0"?><rss ver>'  # 30 bytes, one every 2 s
assert len(DRIP_BODY) == 30

CONDITIONAL_LAST_MODIFIED = "Mon, 13 May 2024 07:30:00 GMT"


# ---------------------------------------------------------------------------------
# Bookkeeping


class Headers(dict):
    """Request headers as received (repeated ones joined with ", "); lookups by name
    ignore case."""

    def _key(self, name):
        low = name.lower()
        for k in dict.keys(self):
            if k.lower() == low:
                return k
        return None

    def __getitem__(self, name):
        k = self._key(name)
        if k is None:
            raise KeyError(name)
        return dict.__getitem__(self, k)

    def __contains__(self, name):
        return isinstance(name, str) and self._key(name) is not None

    def get(self, name, default=None):
        k = self._key(name)
        return default if k is None else dict.__getitem__(self, k)


def ipv6_loopback_available():
    """True if ::1 can be bound here (IPv6 loopback configured)."""
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def _url_host(host):
    return "[%s]" % host if ":" in host else host


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, handler, owner):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.owner = owner
        super().__init__(address, handler)

    def server_bind(self):
        # HTTPServer.server_bind would ask getfqdn(), a DNS lookup; not needed here.
        socketserver.TCPServer.server_bind(self)
        self.server_name = self.server_address[0]
        self.server_port = self.server_address[1]

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        self.owner._handler_error(exc)


class _Stopped(Exception):
    """The server is closing: drop the connection."""


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FeedServer/1.0"

    def version_string(self):
        return self.server_version
    timeout = 120  # idle keep-alive connections and stuck writes

    # -- plumbing -----------------------------------------------------------------

    @property
    def owner(self):
        return self.server.owner

    def log_message(self, fmt, *args):
        if self.owner.verbose:
            super().log_message(fmt, *args)

    def setup(self):
        super().setup()
        try:  # headers and body go out in separate writes: no Nagle/delayed-ACK stalls
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        self.owner._track(self.connection, True)

    def handle(self):
        try:
            super().handle()
        except _DISCONNECTS:
            pass
        except _Stopped:
            pass
        except OSError:
            if not self.owner._stop.is_set():
                raise

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.owner._track(self.connection, False)

    def do_GET(self):
        self._dispatch(head=False)

    def do_HEAD(self):
        self._dispatch(head=True)

    def _dispatch(self, head):
        self.head = head
        split = urllib.parse.urlsplit(self.path)
        path = split.path or "/"
        query = urllib.parse.parse_qs(split.query, keep_blank_values=True)
        self._token = self.owner._begin(self.command, path, self.path, self.headers)
        try:
            if self.owner._stop.is_set():
                raise _Stopped()
            route = self.owner._route(path)
            if route is not None:
                self._custom(route)
            else:
                self._builtin(path, query)
        finally:
            self._done()

    def _done(self):
        """The response is complete once its last bytes are handed to the socket: it stops
        counting as in flight just before that, so a client that reads the answer and
        sends its next request is never seen with two requests in flight."""
        token, self._token = getattr(self, "_token", None), None
        if token is not None:
            self.owner._end(token)

    def _wait(self, seconds):
        """Sleeps unless the server closes meanwhile (then the connection is dropped)."""
        if self.owner._stop.wait(seconds):
            self.close_connection = True
            raise _Stopped()

    def _write(self, data, last=False):
        if self.owner._stop.is_set():
            self.close_connection = True
            raise _Stopped()
        if last:
            self._done()
        self.wfile.write(data)

    def _start(self, status, content_type=None, headers=(), length=None, complete=False):
        """Sends status and headers; `complete` when no body follows."""
        self.send_response(status)
        items = list(headers.items()) if isinstance(headers, dict) else list(headers)
        names = {k.lower() for k, _ in items}
        if content_type and "content-type" not in names:
            self.send_header("Content-Type", content_type)
        for k, v in items:
            self.send_header(k, str(v))
        if length is not None and "content-length" not in names \
                and "transfer-encoding" not in names:
            self.send_header("Content-Length", str(length))
        if "content-length" in names and length is not None:
            given = dict((k.lower(), str(v)) for k, v in items)["content-length"]
            if given.strip() != str(length):
                self.close_connection = True  # a lying length: the body ends with the connection
        if self.close_connection:
            self.send_header("Connection", "close")
        if complete or self.head:
            self._done()
        self.end_headers()

    def _respond(self, status, body=b"", content_type=TEXT_TYPE, headers=()):
        if isinstance(body, str):
            body = body.encode("utf-8")
        no_body = status in (204, 304) or status < 200
        self._start(status, content_type if not no_body else None, headers,
                    None if no_body else len(body), complete=no_body or not body)
        if not self.head and not no_body and body:
            self._write(body, last=True)

    def _custom(self, route):
        status, body, content_type, headers, delay = route
        if delay:
            self._wait(delay)
        self._respond(status, body, content_type, headers)

    def _redirect(self, location, query, default=302):
        code = query.get("code", [str(default)])[-1]
        if code not in ("301", "302", "303", "307", "308"):
            return self._respond(400, "code must be 301, 302, 303, 307 or 308\n")
        if "\r" in location or "\n" in location:
            return self._respond(400, "no line breaks in target\n")
        body = ('<!DOCTYPE html><html><body><a href="%s">weiter</a></body></html>\n'
                % _xml_escape(location))
        self._respond(int(code), body, HTML_TYPE, [("Location", location)])

    # -- routes -------------------------------------------------------------------

    def _builtin(self, path, query):
        o = self.owner
        simple = o._static.get(path)
        if simple is not None:
            return self._respond(200, simple[1], simple[0], simple[2] if len(simple) > 2 else ())
        if path == "/conditional/rss":
            return self._conditional()
        if path == "/ratelimit/rss":
            return self._respond(429, "Zu viele Anfragen\n", headers=[("Retry-After", "120")])
        if path == "/ratelimit/date":
            when = email.utils.formatdate(time.time() + 3600, usegmt=True)
            return self._respond(503, "Wartung\n", headers=[("Retry-After", when)])
        if path == "/redirect/loop":
            return self._redirect(o.url("/redirect/loop"), query)
        if path.startswith("/redirect/chain/"):
            n = path[len("/redirect/chain/"):]
            if not n.isdigit():
                return self._respond(404, "Nicht gefunden\n")
            n = int(n)
            if n == 0:
                return self._respond(200, o._rss, RSS_TYPE)
            return self._redirect(o.url("/redirect/chain/%d" % (n - 1)), query)
        if path == "/redirect/to":
            target = query.get("target", [None])[-1]
            if not target:
                return self._respond(400, "target missing\n")
            return self._redirect(target, query)
        if path == "/slow/drip":
            return self._drip()
        if path == "/slow/headers":
            self._wait(40)
            return self._respond(200, o._rss, RSS_TYPE)
        if path == "/big/50mib":
            return self._big(50 * MIB, chunked=False)
        if path == "/big/chunked":
            return self._big(50 * MIB, chunked=True)
        if path == "/big/lying-length":
            return self._lying()
        if path in ("/xxe/http", "/xxe/parameter"):
            port = o.canary_port or o.port
            if path == "/xxe/http":
                body = _entity_rss('<!DOCTYPE rss [<!ENTITY xxe SYSTEM "http://127.0.0.1:%d/">]>'
                                   % port, "Ein &xxe; Beitrag")
            else:
                body = _entity_rss('<!DOCTYPE rss [<!ENTITY %% p SYSTEM '
                                   '"http://127.0.0.1:%d/x.dtd"> %%p;]>' % port, "Parameter")
            return self._respond(200, body, RSS_TYPE)
        if path.startswith("/status/"):
            code = path[len("/status/"):]
            if code.isdigit() and 200 <= int(code) <= 599:
                return self._respond(int(code), "Status %s\n" % code)
            return self._respond(404, "Nicht gefunden\n")
        if path.startswith("/concurrency/"):
            self._wait(1.0)
            return self._respond(200, o._rss, RSS_TYPE)
        return self._respond(404, "Nicht gefunden\n")

    def _conditional(self):
        o = self.owner
        etag, last_modified = o.conditional_etag, o.conditional_last_modified
        headers = [("ETag", etag), ("Last-Modified", last_modified),
                   ("Cache-Control", "no-cache")]
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        fresh = False
        if inm is not None:
            tags = [t.strip() for t in inm.split(",")]
            fresh = "*" in tags or any(t.removeprefix("W/") == etag.removeprefix("W/")
                                       for t in tags)
        elif ims is not None:
            try:
                fresh = (email.utils.parsedate_to_datetime(ims)
                         >= email.utils.parsedate_to_datetime(last_modified))
            except (TypeError, ValueError):
                fresh = False
        if fresh:
            return self._respond(304, b"", None, headers)
        self._respond(200, o._rss, RSS_TYPE, headers)

    def _drip(self):
        self._start(200, RSS_TYPE, [("Cache-Control", "no-store")], len(DRIP_BODY))
        if self.head:
            return
        for i in range(len(DRIP_BODY)):
            if i:
                self._wait(2.0)
            self._write(DRIP_BODY[i:i + 1], last=i == len(DRIP_BODY) - 1)

    def _big(self, total, chunked):
        if chunked:
            self._start(200, RSS_TYPE, [("Transfer-Encoding", "chunked")])
        else:
            self._start(200, RSS_TYPE, (), total)
        if self.head:
            return

        def out(b, last=False):
            if chunked:
                self._write(b"%x\r\n%s\r\n" % (len(b), b))
            else:
                self._write(b, last)
        out(BIG_HEAD)
        left = total - len(BIG_HEAD) - len(BIG_TAIL)
        while left > 0:
            n = min(left, len(_FILL))
            out(_FILL if n == len(_FILL) else _FILL[:n])
            left -= n
        out(BIG_TAIL, last=True)
        if chunked:
            self._write(b"0\r\n\r\n", last=True)

    def _lying(self):
        self.close_connection = True
        self._start(200, RSS_TYPE, [("Content-Length", "100")], 10 * MIB)
        if self.head:
            return
        self._write(BIG_HEAD)
        left = 10 * MIB - len(BIG_HEAD)
        while left > 0:
            n = min(left, len(_FILL))
            self._write(_FILL[:n], last=left == n)
            left -= n


# ---------------------------------------------------------------------------------
# The server


class FeedServer:
    """The feed server; see the module docstring for its routes."""

    def __init__(self, host="127.0.0.1", port=0, canary_port=None, verbose=None):
        self.host = host
        self.canary_port = canary_port
        self.verbose = (bool(os.environ.get("FEEDSERVER_VERBOSE")) if verbose is None
                        else verbose)
        self.conditional_etag = '"v1"'
        self.conditional_last_modified = CONDITIONAL_LAST_MODIFIED
        self.errors = []  # unexpected handler exceptions (bugs in this file)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._closed = False
        self._hits = collections.Counter()
        self._requests = collections.defaultdict(list)
        self._log = []  # [path, start_seq, end_seq or None] per request
        self._seq = 0
        self._conns = set()
        self._routes = {}
        self._gzip_bomb = gzip_bomb()
        self._httpd = _HTTPServer((host, port), _Handler, self)
        self.port = self._httpd.server_address[1]
        self.base = "http://%s:%d" % (_url_host(host), self.port)
        self._build()
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name="feedserver:%d" % self.port, daemon=True)
        self._thread.start()

    def _build(self):
        base = self.base
        rss = rss_feed(base).encode("utf-8")
        self._rss = rss
        self._static = {
            "/good/rss": (RSS_TYPE, rss),
            "/good/atom": (ATOM_TYPE, atom_feed(base).encode("utf-8")),
            "/good/json": (JSON_FEED_TYPE, json_feed(base).encode("utf-8")),
            "/good/rdf": (RDF_TYPE, rdf_feed(base).encode("utf-8")),
            "/count/rss": (RSS_TYPE, rss),
            "/img/a.jpg": ("image/jpeg", JPEG),
            "/img/b.png": ("image/png", PNG),
            "/cache/rss": (RSS_TYPE, rss_feed(base, ttl=180).encode("utf-8"),
                           [("Cache-Control", "max-age=7200")]),
            "/gzip/good": (RSS_TYPE, gzip.compress(rss, mtime=0),
                           [("Content-Encoding", "gzip")]),
            "/gzip/bomb": (RSS_TYPE, self._gzip_bomb, [("Content-Encoding", "gzip")]),
            "/xxe/file": (RSS_TYPE, _entity_rss(
                '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
                "Ein &xxe; Beitrag")),
            "/bomb/laughs": (RSS_TYPE, _laughs()),
            "/bomb/quadratic": (RSS_TYPE, _quadratic()),
            "/broken/xml": (RSS_TYPE, BROKEN_XML),
            "/broken/encoding": ("application/rss+xml; charset=ISO-8859-1", BROKEN_ENCODING),
            "/broken/notfeed": (HTML_TYPE, NOT_FEED),
            "/broken/empty": ("application/rss+xml", b""),
            "/broken/binary": ("application/rss+xml", BINARY),
            "/html/with-link": (HTML_TYPE, HTML_WITH_LINK),
        }

    # -- public -------------------------------------------------------------------

    @property
    def good_rss(self):
        """The bytes served at /good/rss."""
        return self._rss

    def body(self, path):
        """The bytes a static built-in route serves (e.g. "/good/atom")."""
        return self._static[path][1]

    def url(self, path="/"):
        if not path.startswith("/"):
            path = "/" + path
        return self.base + path

    def redirect_url(self, target, code=None):
        """The URL of /redirect/to for `target` (any string) and an optional code."""
        q = "target=" + urllib.parse.quote(target, safe="")
        if code is not None:
            q += "&code=%d" % code
        return self.url("/redirect/to?" + q)

    def set(self, path, body=b"", content_type="application/rss+xml; charset=utf-8",
            status=200, headers=None, delay=0.0):
        """Adds or replaces a route for `path` (exact, without query). `headers` is a dict
        or a list of pairs; a Content-Type or Content-Length there wins. `delay` seconds
        pass before the answer."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        hdrs = list(headers.items()) if isinstance(headers, dict) else list(headers or ())
        with self._lock:
            self._routes[path] = (status, bytes(body), content_type, hdrs, delay)

    def unset(self, path):
        """Removes a route added with set() (a built-in one shows again)."""
        with self._lock:
            self._routes.pop(path, None)

    def hits(self, path):
        with self._lock:
            return self._hits[path]

    def requests(self, path):
        """[(method, headers)] for every request to `path`, oldest first."""
        with self._lock:
            return [(m, Headers(h)) for m, _t, h in self._requests[path]]

    def targets(self, path):
        """The full request targets (with query) seen for `path`."""
        with self._lock:
            return [t for _m, t, _h in self._requests[path]]

    def total_hits(self):
        with self._lock:
            return sum(self._hits.values())

    def max_concurrent(self, prefix="/"):
        """The most requests for paths starting with `prefix` that were in flight (parsed
        and not yet fully answered) at the same moment, over the server's lifetime."""
        with self._lock:
            events = []
            for path, start, end in self._log:
                if path.startswith(prefix):
                    events.append((start, 1))
                    if end is not None:
                        events.append((end, -1))
        events.sort()
        best = cur = 0
        for _seq, d in events:
            cur += d
            best = max(best, cur)
        return best

    def in_flight(self, prefix="/"):
        with self._lock:
            return sum(1 for p, _s, e in self._log if e is None and p.startswith(prefix))

    def reset(self):
        """Forgets hits, requests and concurrency records (routes stay)."""
        with self._lock:
            self._hits.clear()
            self._requests.clear()
            self._log = [e for e in self._log if e[2] is None]

    def close(self):
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        with self._lock:
            conns = list(self._conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._thread.join(timeout=2)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    # -- used by the handler ------------------------------------------------------

    def _route(self, path):
        with self._lock:
            return self._routes.get(path)

    def _track(self, conn, add):
        with self._lock:
            if add:
                self._conns.add(conn)
            else:
                self._conns.discard(conn)

    def _begin(self, method, path, target, headers):
        h = {}
        for k, v in headers.items():
            h[k] = h[k] + ", " + v if k in h else v
        with self._lock:
            self._hits[path] += 1
            self._requests[path].append((method, target, h))
            self._seq += 1
            entry = [path, self._seq, None]
            self._log.append(entry)
            return entry

    def _end(self, entry):
        with self._lock:
            if entry[2] is None:
                self._seq += 1
                entry[2] = self._seq

    def _handler_error(self, exc):
        if isinstance(exc, _DISCONNECTS) or (isinstance(exc, OSError) and self._stop.is_set()):
            return
        with self._lock:
            self.errors.append(exc)
        if self.verbose:
            import traceback
            traceback.print_exception(exc)


# ---------------------------------------------------------------------------------
# Canary


class Canary:
    """A TCP listener that accepts and counts every connection, reads what arrives for
    a moment (kept in .received) and closes it. Proves the fetcher did (not) connect."""

    def __init__(self, host="127.0.0.1", port=0):
        self.host = host
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._sock = socket.socket(family, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            self._sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        self._sock.bind((host, port))
        self._sock.listen(64)
        self._sock.settimeout(0.05)
        self.port = self._sock.getsockname()[1]
        self.received = []  # first bytes of each connection (up to 64 KiB, 1 s)
        self.peers = []
        self._count = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="canary:%d" % self.port,
                                        daemon=True)
        self._thread.start()

    @property
    def url(self):
        return "http://%s:%d/" % (_url_host(self.host), self.port)

    def _loop(self):
        while not self._stop.is_set():
            try:
                conn, addr = self._sock.accept()
            except socket.timeout:
                continue
            except OSError:
                if self._stop.is_set():
                    return
                time.sleep(0.05)
                continue
            with self._lock:
                self._count += 1
                self.peers.append(addr)
            threading.Thread(target=self._drain, args=(conn,), daemon=True).start()

    def _drain(self, conn):
        data = b""
        try:
            conn.settimeout(0.2)
            deadline = time.monotonic() + 1.0
            while len(data) < 65536 and time.monotonic() < deadline \
                    and not self._stop.is_set():
                try:
                    b = conn.recv(65536)
                except socket.timeout:
                    if data:
                        break
                    continue
                if not b:
                    break
                data += b
        except OSError:
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass
            with self._lock:
                self.received.append(data)

    def connections(self):
        with self._lock:
            return self._count

    def wait_for(self, n=1, timeout=5.0):
        """Waits until at least n connections were accepted; returns the count."""
        deadline = time.monotonic() + timeout
        while self.connections() < n and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.connections()

    def close(self):
        if self._stop.is_set():
            return
        self._stop.set()
        self._thread.join(timeout=1)
        try:
            self._sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
