"""Writes 1,000 realistic German directory queries (words as people type them, with
plurals, umlaut transliterations, prefixes, places, and some with a facet)."""
import random
import sys

random.seed(2026)
topics = ["Familie", "Familien", "Familienzentrum", "Familienzentren", "Kinder", "Kindern", "Kita",
          "Jugendhilfe", "Jugendliche", "Hilfe", "Beratung", "Beratungsstelle", "Sucht",
          "Suchtberatung", "Alkohol", "Glücksspiel", "Gluecksspiel", "Pflege", "Pflegedienst",
          "Senioren", "Seniorenhilfe", "Mittagstisch", "Besuchsdienst", "Frauen", "Frauenberatung",
          "Gewalt", "Migration", "Geflüchtete", "Sprachcafé", "Hausaufgabenhilfe", "Selbsthilfe",
          "Selbsthilfegruppe", "Wohnungslose", "Wohnungslosenhilfe", "Kleiderkammer", "Inklusion",
          "Werkstatt", "Behinderung", "Lesepaten", "Elterncafé", "Krabbelgruppe", "Schulsozialarbeit",
          "Ehrenamt", "Treffpunkt", "interkulturell", "Gesundheit", "Bildung"]
places = ["Berlin", "Hamburg", "München", "Muenchen", "Köln", "Koeln", "Leipzig", "Dresden",
          "Dortmund", "Kassel", "Fürth", "Fuerth", "Lübeck", "Luebeck", "Göttingen", "Rostock",
          "Erfurt", "Mainz", "Saarbrücken", "Bremen", "Potsdam", "Freiburg", "Nürnberg"]
fields = ["kinder_jugend", "familie", "behinderung", "migration", "pflege", "gesundheit",
          "selbsthilfe", "wohnungslos", "frauen", "senioren", "bildung", "sucht"]
regions = ["bw", "by", "be", "bb", "hb", "hh", "he", "mv", "ni", "nw", "rp-sl", "sn", "st", "sh", "th"]
out = []
for i in range(1000):
    kind = random.random()
    if kind < 0.35:
        q = random.choice(topics)
    elif kind < 0.6:
        q = random.choice(topics) + " " + random.choice(places)
    elif kind < 0.75:
        w = random.choice(topics)
        q = w[: random.randint(3, max(3, len(w) - 1))]  # type-ahead prefix
    elif kind < 0.85:
        q = random.choice(places)
    else:
        q = random.choice(topics + [""])
        q += "|" + random.choice(["field=" + random.choice(fields), "region=" + random.choice(regions)])
    out.append(q)
sys.stdout.write("\n".join(out) + "\n")
