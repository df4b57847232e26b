#!/usr/bin/env python3
"""Feeds for bench/wall: one feed per member organisation, as static files for nginx.

  make_feeds.py generate --db DB --out DIR --count N --hosts H --port P --manifest FILE
  make_feeds.py rewrite --out DIR --manifest FILE --share 0.3

generate writes N feeds (10-20 items each, German text, mixed formats: RSS 2.0, some
WordPress-style with content:encoded; Atom; RSS 1.0; JSON Feed) for the first N published
organisations of DB (ORDER BY id), and a manifest (TSV: index, organisation id, slug,
format, file, URL, host, newest item number, items). The feed of index i is served by
http://127.0.0.(2 + i % H):P/f/NNNNN.EXT, so the fetcher's per-host limit spreads over H
hosts.

rewrite gives a share of the feeds (chosen at random, seeded) 1-3 new items on top
(dropping as many old ones, as a real feed does) and edits one older item's text, then
rewrites the manifest. Every item's text is a function of (feed, item number), so the
items that stay are byte for byte what they were. Prints: rewritten feeds, new items,
edited items.
"""

import argparse
import email.utils
import json
import os
import random
import sqlite3
import sys
import time
from xml.sax.saxutils import escape, quoteattr

FORMATS = ("rss", "atom", "rdf", "json")
EXT = {"rss": "rss", "atom": "atom", "rdf": "rdf", "json": "json"}

OPENERS = [
    "Am {tag} laden wir herzlich ein:", "Es ist so weit!", "Neu bei uns:", "Ein kurzer Rückblick:",
    "Wir freuen uns sehr:", "Bitte weitersagen!", "Gute Nachrichten aus {ort}:", "Danke!",
    "Save the Date:", "In eigener Sache:", "Kurz notiert:", "Aus unserer Arbeit:",
]
EVENTS = [
    "das Sommerfest im Familienzentrum", "der Tag der offenen Tür in der Kita",
    "unser Elterncafé am Vormittag", "die Sprechstunde der Schuldnerberatung",
    "der Spieleabend im Jugendtreff", "das Repair-Café im Nachbarschaftshaus",
    "die Fortbildung für Ehrenamtliche", "der Lauf für Inklusion", "das Erzählcafé für Seniorinnen und Senioren",
    "die Kleiderkammer", "der Mittagstisch für alle", "die offene Beratung für Geflüchtete",
    "das Nachtcafé für wohnungslose Menschen", "der Selbsthilfetreff Angehörige", "die Ferienfreizeit an der Ostsee",
    "der Deutschkurs für Mütter", "die Hausaufgabenhilfe", "der Digi-Treff für Ältere",
]
DETAILS = [
    "Beginn ist um {uhr} Uhr, der Eintritt ist frei.",
    "Eine Anmeldung ist nicht nötig, kommt einfach vorbei.",
    "Für Kinder gibt es ein eigenes Programm mit Basteln und Spielen.",
    "Die Räume sind barrierefrei erreichbar, ein Aufzug ist vorhanden.",
    "Wir suchen noch Helferinnen und Helfer für den Aufbau ab {uhr} Uhr.",
    "Kaffee und Kuchen spendet das Team vom Elterncafé.",
    "Dolmetscherinnen für Arabisch, Ukrainisch und Türkisch sind vor Ort.",
    "Die Beratung ist vertraulich und kostenlos.",
    "Unser herzlicher Dank gilt allen Spenderinnen und Spendern aus {ort}.",
    "Mehr Informationen gibt es telefonisch oder direkt bei uns im Büro.",
    "Wer mitmachen möchte, meldet sich bis Freitag per E-Mail.",
    "Gefördert wird das Projekt von der Stadt {ort} und der Aktion Mensch.",
    "Die Öffnungszeiten ändern sich ab nächster Woche: dienstags und donnerstags bis 19 Uhr.",
    "Über 80 Gäste waren dabei – so viele wie noch nie.",
    "Die Plätze sind begrenzt, bitte meldet euch rechtzeitig an.",
    "Fotos vom Nachmittag findet ihr in unserer Galerie.",
    "Auch Angehörige sind herzlich willkommen.",
    "Für das leibliche Wohl ist gesorgt, vegetarisch und halal.",
]
THANKS = [
    "Wir freuen uns auf euch!", "Bis bald in {ort}!", "Sagt es gern weiter.",
    "Danke an alle, die mitgeholfen haben!", "Wir sehen uns!", "Herzliche Grüße aus dem Team.",
]
TITLES = [
    "Einladung: {event}", "Rückblick auf {event}", "{event} startet wieder", "Neue Termine für {event}",
    "Helferinnen und Helfer gesucht", "Neue Öffnungszeiten ab Dezember", "Spendenaufruf für {event}",
    "{event}: so war es", "Jetzt anmelden: {event}", "Wir sagen Danke!", "Stellenausschreibung: Fachkraft (m/w/d)",
    "Jahresbericht erschienen", "Ferienprogramm für Kinder und Jugendliche",
]
TAGS = [
    "ehrenamt", "familie", "kita", "pflege", "inklusion", "jugendhilfe", "beratung", "migration",
    "wohnungslosigkeit", "sommerfest", "spendenaktion", "nachbarschaft", "bildung", "senioren",
    "selbsthilfe", "digitalisierung", "gesundheit", "armut", "teilhabe", "vielfalt", "sport",
    "kultur", "ferien", "stellenangebot", "fortbildung", "engagement", "paritätisch", "quartier",
    "eltern", "sucht", "frauen", "kinderschutz", "ukraine", "klimaschutz", "barrierefreiheit",
]
DAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]


def feed_format(i):
    r = (i * 2654435761 >> 7) % 100
    return "rss" if r < 50 else "atom" if r < 80 else "rdf" if r < 90 else "json"


def item_count(i):
    return 10 + (i * 40503 >> 3) % 11  # 10..20


class Feed:
    """What a feed contains: organisation, format, its items by number (newest = top)."""

    def __init__(self, index, org_id, slug, name, city, fmt, host, port, top, count, edited=None,
                 base_top=None, newest_at=None):
        self.index, self.org_id, self.slug, self.name, self.city = index, org_id, slug, name, city
        self.fmt, self.host, self.port, self.top, self.count = fmt, host, port, top, count
        self.base_top = top if base_top is None else base_top  # newest item of the first version
        self.edited = set(edited or [])
        self.file = "f/%05d.%s" % (index, EXT[fmt])
        self.url = "http://%s:%d/%s" % (host, port, self.file)
        self.site = "https://www.%s.example" % slug
        rng = random.Random(index * 7919 + 17)
        self.spacing = rng.randint(6 * 3600, 5 * 86400)  # seconds between posts
        self.wordpress = fmt == "rss" and rng.random() < 0.4
        offset = rng.randint(600, 3 * 86400)
        self.newest_at = int(time.time()) - offset if newest_at is None else newest_at

    def item(self, n):
        rng = random.Random(self.index * 1000003 + n * 7 + 1)
        ort = self.city or "unserer Stadt"
        event = rng.choice(EVENTS)
        fill = lambda s: s.format(tag=rng.choice(DAYS), ort=ort, uhr=rng.choice([10, 11, 14, 15, 16, 18]),
                                  event=event)
        title = fill(rng.choice(TITLES))
        title = title[0].upper() + title[1:]
        paras = []
        first = fill(rng.choice(OPENERS)) + " " + event[0].upper() + event[1:] + " findet am " + \
            rng.choice(DAYS) + " in " + ort + " statt."
        paras.append(first)
        for _ in range(rng.randint(1, 3)):
            paras.append(" ".join(fill(rng.choice(DETAILS)) for _ in range(rng.randint(1, 3))))
        tags = rng.sample(TAGS, rng.randint(1, 3))
        paras.append(fill(rng.choice(THANKS)) + " " + " ".join("#" + t for t in tags[:2]))
        if n in self.edited:
            paras.append("Nachtrag: Der Termin ist verschoben, die neue Uhrzeit steht oben.")
        # Items of the first version are spaced out before newest_at; the ones a rewrite
        # adds on top are a few minutes old.
        if n <= self.base_top:
            published = self.newest_at - (self.base_top - n) * self.spacing
        else:
            published = int(time.time()) - 60 * (self.top - n + 1)
        link = "%s/aktuelles/%d/beitrag-%d/" % (self.site, 2020 + n % 6, n)
        return {"n": n, "title": title, "paras": paras, "tags": tags, "published": published,
                "link": link, "author": rng.choice(["Redaktion", "Team " + ort, "Öffentlichkeitsarbeit", ""])}

    def items(self):
        return [self.item(n) for n in range(self.top, self.top - self.count, -1)]

    def html(self, it):
        out = "".join("<p>%s</p>" % escape(p) for p in it["paras"])
        return out + '<p><a href="%s">Weiterlesen</a></p>' % escape(it["link"])

    def render(self):
        items = self.items()
        if self.fmt == "rss":
            return self.rss(items)
        if self.fmt == "atom":
            return self.atom(items)
        if self.fmt == "rdf":
            return self.rdf(items)
        return self.json_feed(items)

    def rss(self, items):
        ns = ' xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        out = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"%s>\n<channel>\n' % ns,
               "<title>%s</title>\n<link>%s/</link>\n" % (escape(self.name), self.site),
               "<description>Neuigkeiten von %s</description>\n<language>de-DE</language>\n" % escape(self.name),
               "<lastBuildDate>%s</lastBuildDate>\n" % email.utils.formatdate(items[0]["published"], usegmt=True)]
        if self.wordpress:
            out.append("<generator>https://wordpress.org/?v=6.4.2</generator>\n")
        for it in items:
            out.append("<item>\n<title>%s</title>\n<link>%s</link>\n" % (escape(it["title"]), escape(it["link"])))
            if it["author"]:
                out.append("<dc:creator><![CDATA[%s]]></dc:creator>\n" % it["author"])
            out.append("<pubDate>%s</pubDate>\n" % email.utils.formatdate(it["published"], usegmt=True))
            for t in it["tags"]:
                out.append("<category><![CDATA[%s]]></category>\n" % t.capitalize())
            if self.wordpress:
                out.append('<guid isPermaLink="false">%s/?p=%d</guid>\n' % (self.site, 1000 + it["n"]))
                out.append("<description><![CDATA[%s […]]]></description>\n" % it["paras"][0])
                out.append("<content:encoded><![CDATA[%s]]></content:encoded>\n" % self.html(it))
            else:
                out.append("<guid>%s</guid>\n" % escape(it["link"]))
                out.append("<description>%s</description>\n" % escape(self.html(it)))
            out.append("</item>\n")
        out.append("</channel>\n</rss>\n")
        return "".join(out)

    def atom(self, items):
        iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
        out = ['<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">\n',
               "<title>%s</title>\n<id>%s/</id>\n" % (escape(self.name), self.site),
               '<link rel="alternate" href="%s/"/>\n<link rel="self" href=%s/>\n' % (self.site, quoteattr(self.url)),
               "<updated>%s</updated>\n" % iso(items[0]["published"])]
        for it in items:
            out.append("<entry>\n<title>%s</title>\n" % escape(it["title"]))
            out.append('<link rel="alternate" type="text/html" href=%s/>\n' % quoteattr(it["link"]))
            out.append("<id>tag:%s.example,2024:beitrag-%d</id>\n" % (self.slug, it["n"]))
            out.append("<published>%s</published>\n<updated>%s</updated>\n" % (iso(it["published"]), iso(it["published"])))
            if it["author"]:
                out.append("<author><name>%s</name></author>\n" % escape(it["author"]))
            for t in it["tags"]:
                out.append('<category term=%s/>\n' % quoteattr(t))
            out.append('<summary type="text">%s</summary>\n' % escape(it["paras"][0]))
            out.append('<content type="html">%s</content>\n' % escape(self.html(it)))
            out.append("</entry>\n")
        out.append("</feed>\n")
        return "".join(out)

    def rdf(self, items):
        iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
        out = ['<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
               ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">\n',
               '<channel rdf:about=%s>\n<title>%s</title>\n<link>%s/</link>\n' % (quoteattr(self.url), escape(self.name), self.site),
               "<description>Neuigkeiten von %s</description>\n<items><rdf:Seq>\n" % escape(self.name)]
        for it in items:
            out.append('<rdf:li rdf:resource=%s/>\n' % quoteattr(it["link"]))
        out.append("</rdf:Seq></items>\n</channel>\n")
        for it in items:
            out.append('<item rdf:about=%s>\n<title>%s</title>\n<link>%s</link>\n' % (
                quoteattr(it["link"]), escape(it["title"]), escape(it["link"])))
            out.append("<description>%s</description>\n" % escape("\n\n".join(it["paras"])))
            out.append("<dc:date>%s</dc:date>\n" % iso(it["published"]))
            for t in it["tags"]:
                out.append("<dc:subject>%s</dc:subject>\n" % escape(t))
            if it["author"]:
                out.append("<dc:creator>%s</dc:creator>\n" % escape(it["author"]))
            out.append("</item>\n")
        out.append("</rdf:RDF>\n")
        return "".join(out)

    def json_feed(self, items):
        iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(t))
        doc = {"version": "https://jsonfeed.org/version/1.1", "title": self.name, "home_page_url": self.site + "/",
               "feed_url": self.url, "language": "de", "items": []}
        for it in items:
            entry = {"id": it["link"], "url": it["link"], "title": it["title"], "content_html": self.html(it),
                     "summary": it["paras"][0], "date_published": iso(it["published"]), "tags": it["tags"]}
            if it["author"]:
                entry["authors"] = [{"name": it["author"]}]
            doc["items"].append(entry)
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def write(out, feed):
    path = os.path.join(out, feed.file)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(feed.render())
    os.replace(tmp, path)
    return os.path.getsize(path)


HEADER = "index\torg_id\tslug\tformat\tfile\turl\thost\ttop\tcount\tbase_top\tedited\tname\tcity\tnewest_at\n"


def save_manifest(path, feeds):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(HEADER)
        for fd in feeds:
            f.write("\t".join(str(x) for x in (
                fd.index, fd.org_id, fd.slug, fd.fmt, fd.file, fd.url, fd.host, fd.top, fd.count, fd.base_top,
                ",".join(str(e) for e in sorted(fd.edited)), fd.name.replace("\t", " "), fd.city.replace("\t", " "), fd.newest_at)) + "\n")
    os.replace(path + ".tmp", path)


def load_manifest(path):
    feeds = []
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            c = line.rstrip("\n").split("\t")
            url_port = int(c[5].split(":")[2].split("/")[0])
            feeds.append(Feed(int(c[0]), int(c[1]), c[2], c[11], c[12], c[3], c[6], url_port, int(c[7]),
                              int(c[8]), [int(x) for x in c[10].split(",") if x], int(c[9]), int(c[13])))
    return feeds


def generate(a):
    db = sqlite3.connect("file:%s?mode=ro" % a.db, uri=True)
    orgs = db.execute("SELECT id, slug, name, COALESCE(city, '') FROM organisations "
                      "WHERE status = 'published' ORDER BY id LIMIT ?", (a.count,)).fetchall()
    db.close()
    if len(orgs) < a.count:
        sys.exit("make_feeds: only %d published organisations for %d feeds" % (len(orgs), a.count))
    os.makedirs(os.path.join(a.out, "f"), exist_ok=True)
    feeds, total = [], 0
    for i, (org_id, slug, name, city) in enumerate(orgs):
        count = item_count(i)
        fd = Feed(i, org_id, slug, name, city, feed_format(i), "127.0.0.%d" % (2 + i % a.hosts), a.port,
                  1000 + count, count)
        total += write(a.out, fd)
        feeds.append(fd)
    save_manifest(a.manifest, feeds)
    by = {f: sum(1 for fd in feeds if fd.fmt == f) for f in FORMATS}
    print("feeds %d items %d bytes %d rss %d atom %d rdf %d json %d wordpress %d" % (
        len(feeds), sum(fd.count for fd in feeds), total, by["rss"], by["atom"], by["rdf"], by["json"],
        sum(1 for fd in feeds if fd.wordpress)))


def rewrite(a):
    feeds = load_manifest(a.manifest)
    rng = random.Random(a.seed)
    chosen = rng.sample(range(len(feeds)), int(round(len(feeds) * a.share)))
    new_items = edited = 0
    for i in chosen:
        fd = feeds[i]
        k = rng.randint(1, 3)
        fd.top += k  # k new items on top; the feed keeps its length, the oldest k fall off
        new_items += k
        # One item that stays in the feed gets a postscript (an edit at the source).
        e = fd.base_top - rng.randint(0, min(3, fd.count - k - 1))
        if e > fd.top - fd.count:
            fd.edited.add(e)
            edited += 1
        write(a.out, fd)
    save_manifest(a.manifest, feeds)
    print("rewritten %d new_items %d edited %d" % (len(chosen), new_items, edited))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--db", required=True)
    g.add_argument("--out", required=True)
    g.add_argument("--count", type=int, required=True)
    g.add_argument("--hosts", type=int, default=32)
    g.add_argument("--port", type=int, required=True)
    g.add_argument("--manifest", required=True)
    r = sub.add_parser("rewrite")
    r.add_argument("--out", required=True)
    r.add_argument("--manifest", required=True)
    r.add_argument("--share", type=float, default=0.3)
    r.add_argument("--seed", type=int, default=2)
    a = p.parse_args()
    if a.cmd == "generate":
        if not 1 <= a.hosts <= 250:
            sys.exit("make_feeds: --hosts must be 1..250")
        generate(a)
    else:
        rewrite(a)


if __name__ == "__main__":
    main()
