// What people do, with keyboard and mouse: find an organisation; sign up, confirm by
// the mail link, log in, register an organisation (with a validation error on the
// way), upload a logo (after a refused file), get verified by the regional editor, see
// the public page with the logo, log out.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startTileServer, launchBrowser, openPage, axe, screenshotOnFailure, accounts, png } from "./harness.mjs";

let server, browser, tiles;
before(async () => {
  tiles = await startTileServer();
  server = await startServer({ tiles });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await tiles?.close();
});

async function withPage(t, name, fn, opts) {
  const { context, page, foreign } = await openPage(browser, server, opts);
  try {
    await fn(page);
    assert.deepEqual(foreign, [], "requests leaving the origin");
  } catch (e) {
    await screenshotOnFailure(t, page, name);
    throw e;
  } finally {
    await context.close();
  }
}

// The element that has focus, described for assertions.
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return { tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, text: (el.textContent || "").trim().slice(0, 60), href: el.getAttribute("href") };
});

test("the skip link is the first stop and moves focus to the main content", async (t) => {
  await withPage(t, "skip-link", async (page) => {
    await page.goto(server.base + "/organisationen");
    await page.keyboard.press("Tab");
    let f = await focused(page);
    assert.equal(f.href, "#inhalt");
    // The focused skip link is visible (it slides into view on focus).
    const box = await page.locator(".skip-link").boundingBox();
    assert.ok(box && box.y >= 0, "skip link visible when focused");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, "none", "focus is visible");
    await page.keyboard.press("Enter");
    f = await focused(page);
    assert.equal(f.id, "inhalt");
  });
});

test("a visitor finds an organisation by words and a facet, by keyboard", async (t) => {
  await withPage(t, "find-org", async (page) => {
    await page.goto(server.base + "/organisationen");
    await page.focus("#q");
    await page.keyboard.type("Kindern");
    await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    assert.match(page.url(), /q=Kindern/);
    const names = await page.locator(".cards .card h3").allTextContents();
    assert.ok(names.some((n) => n.includes("Familienzentrum Regenbogen")), names.join(", "));
    // Narrow down by field of work via its facet link, reached with Tab and Enter.
    const facet = page.locator(".facets a", { hasText: "Familie" }).first();
    await facet.focus();
    await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    assert.match(page.url(), /feld=familie/);
    assert.match(page.url(), /q=Kindern/, "the search words stay when narrowing down");
    const card = page.locator(".cards .card h3 a", { hasText: "Familienzentrum Regenbogen" }).first();
    await card.focus();
    await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    assert.match(await page.textContent("h1"), /Familienzentrum Regenbogen/);
    assert.deepEqual(await axe(page), []);
  });
});

test("sign up, confirm, log in, register an organisation, get verified, see it, log out", async (t) => {
  const email = `leitung-${Date.now()}@kita-sonnenschein.example`;
  const password = "Sonnenschein scheint immer";
  const orgName = "Kita Sonnenschein Marburg e.V.";

  await withPage(t, "signup-flow", async (page) => {
    await page.goto(server.base + "/");
    await Promise.all([page.waitForNavigation(), page.click("text=Registrieren")]);
    await page.fill("#display_name", "Birgit Sommer");
    await page.fill("#email", email);
    await page.fill("#password", "kurz");
    await page.fill("#password_repeat", "kurz");
    await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    // The error summary takes focus; the name and address are still there.
    let f = await focused(page);
    assert.match(f.cls, /error-summary/);
    assert.equal(await page.inputValue("#email"), email);
    assert.match(await page.textContent("#password-error"), /zu kurz/);
    await page.fill("#password", password);
    await page.fill("#password_repeat", password);
    await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
    assert.match(await page.textContent("h1"), /Postfach/);

    const mail = await server.mailTo(email);
    const link = mail.text.match(/http:\/\/127\.0\.0\.1:\d+\/registrieren\/bestaetigen\?token=\S+/)[0];
    await page.goto(link);
    assert.match(await page.textContent("h1"), /E-Mail-Adresse bestätigen/);
    await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
    assert.match(await page.textContent(".notice"), /bestätigt/);
    await page.fill("#email", email);
    await page.fill("#password", password);
    await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
    assert.match(page.url(), /\/start$/);
    assert.match(await page.textContent("main"), /Sie vertreten noch keine Organisation/);

    await page.goto(server.base + "/meine-organisationen/neu");
    await page.fill("#name", orgName);
    await page.selectOption("#region", "he");
    await page.fill("#city", "Marburg");
    await page.fill("#postcode", "350");  // wrong on purpose
    await page.fill("#short_description", "Kindertagesstätte mit 40 Plätzen und Familiencafé in der Marburger Südstadt.");
    await page.check("input[name=fields][value=kinder_jugend]");
    await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
    f = await focused(page);
    assert.match(f.cls, /error-summary/);
    assert.match(await page.textContent("#postcode-error"), /fünf Ziffern/);
    assert.equal(await page.inputValue("#name"), orgName, "input kept after an error");
    assert.ok(await page.isChecked("input[name=fields][value=kinder_jugend]"));
    assert.deepEqual(await axe(page), [], "form with errors is accessible");
    await page.fill("#postcode", "35037");
    await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
    assert.match(await page.textContent(".notice"), /prüft/);
    assert.match(await page.textContent(".notice-info"), /prüft/);

    // The logo: a wrong file first (an SVG), then a picture.
    await Promise.all([page.waitForNavigation(), page.click("text=Logo und Titelbild ändern")]);
    assert.match(await page.textContent("h1"), /Logo und Titelbild/);
    await page.setInputFiles("#logo", { name: "logo.svg", mimeType: "image/svg+xml",
      buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') });
    await Promise.all([page.waitForNavigation(), page.click("button:has-text('Logo hochladen')")]);
    f = await focused(page);
    assert.match(f.cls, /error-summary/);
    assert.match(await page.textContent("#logo-error"), /SVG-Dateien/);
    assert.deepEqual(await axe(page), [], "upload form with an error is accessible");
    await page.setInputFiles("#logo", { name: "logo.png", mimeType: "image/png", buffer: png(400, 300) });
    await page.focus("#logo");
    await page.keyboard.press("Tab");  // to the upload button
    assert.match((await focused(page)).text, /Logo hochladen/);
    await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    assert.match(await page.textContent(".notice"), /Bild ist gespeichert/);
    assert.ok(await page.evaluate(() => document.querySelector(".current-image img").naturalWidth > 0),
      "the uploaded logo is shown");

    // Not public yet.
    const slug = "kita-sonnenschein-marburg-e-v";
    const before = await page.goto(`${server.base}/organisationen/${slug}`);
    assert.equal(before.status(), 404);

    // Log out with the button in the header.
    await page.goto(server.base + "/konto");
    await Promise.all([page.waitForNavigation(), page.click("header button:has-text('Abmelden')")]);
    assert.match(await page.textContent(".notice"), /abgemeldet/);
    assert.deepEqual((await page.context().cookies()).filter((c) => c.name.includes("verbund")), []);
  });

  await withPage(t, "review-flow", async (page) => {
    await page.goto(server.base + "/anmelden");
    await page.fill("#email", accounts.editor.email);
    await page.fill("#password", accounts.editor.password);
    await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
    await page.goto(server.base + "/redaktion");
    const item = page.locator(".review-list li", { hasText: orgName });
    assert.equal(await item.count(), 1);
    assert.deepEqual(await axe(page), []);
    await Promise.all([page.waitForNavigation(), item.locator("button[value=freigeben]").click()]);
    assert.match(await page.textContent(".notice"), /freigegeben/);
  });

  await withPage(t, "public-page", async (page) => {
    const r = await page.goto(`${server.base}/organisationen/kita-sonnenschein-marburg-e-v`);
    assert.equal(r.status(), 200);
    assert.match(await page.textContent("h1"), /Kita Sonnenschein/);
    const logo = page.locator(".profile-head img");
    assert.equal(await logo.getAttribute("alt"), "Logo von Kita Sonnenschein Marburg e.V.");
    assert.ok(await logo.evaluate((img) => img.complete && img.naturalWidth > 0), "logo loads");
    assert.deepEqual(await axe(page), []);
    const mail = await server.mailTo(email);
    assert.match(mail.text, /freigeschaltet|Profil ist jetzt/);
  });
});

test("pages stay usable with text at 200 %", async (t) => {
  await withPage(t, "zoom-200", async (page) => {
    await page.goto(server.base + "/registrieren");
    // Through the CSSOM: the CSP rightly refuses injected style elements.
    await page.evaluate(() => { document.documentElement.style.fontSize = "200%"; });
    // Nothing is cut off sideways: the page does not scroll horizontally at 1280 px.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `horizontal overflow ${overflow}px`);
    assert.ok(await page.isVisible("#password"));
  });
});

test("the map loads tiles only after the visitor asks, and only from the configured server", async (t) => {
  const { context, page, foreign } = await openPage(browser, server);
  try {
    await page.goto(server.base + "/organisationen?feld=familie");
    const before = tiles.requests.length;
    const button = page.locator("button:has-text('Karte laden')");
    assert.ok(await button.isVisible());
    assert.match(await page.textContent(".map-panel"), /IP-Adresse/);
    assert.equal(tiles.requests.length, before, "no tile before the click");
    assert.deepEqual(foreign, []);
    // By keyboard: focus the button and press Space.
    await button.focus();
    await page.keyboard.press("Space");
    await page.waitForSelector(".leaflet-tile-loaded");
    await page.waitForFunction(() => document.querySelectorAll(".leaflet-marker-icon").length > 0);
    const markers = await page.locator(".leaflet-marker-icon").count();
    // Focus is on the map now, not lost to the page's top; the zoom buttons speak German.
    assert.equal(await page.evaluate(() => document.activeElement.matches("[data-map-canvas]")), true);
    assert.equal(await page.getAttribute(".leaflet-control-zoom-in", "title"), "Hineinzoomen");
    const status = await page.textContent("[data-map-status]");
    assert.match(status, new RegExp(`^${markers} Organisationen auf der Karte\\.$`));
    assert.ok(tiles.requests.length > before, "tiles came from the tile server");
    assert.ok(foreign.length > 0 && foreign.every((u) => u.startsWith(tiles.origin + "/")),
      `only the tile server is asked: ${foreign.filter((u) => !u.startsWith(tiles.origin)).join(", ")}`);
    // By keyboard: Tab reaches a marker, Enter opens its popup with the link.
    let onMarker = false;
    for (let i = 0; i < 10 && !onMarker; i++) {
      await page.keyboard.press("Tab");
      onMarker = await page.evaluate(() => document.activeElement.classList.contains("leaflet-marker-icon"));
    }
    assert.ok(onMarker, "a marker is in the tab order");
    const title = await page.evaluate(() => document.activeElement.getAttribute("title"));
    await page.keyboard.press("Enter");
    await page.waitForSelector(".leaflet-popup-content a");
    assert.equal(await page.textContent(".leaflet-popup-content a"), title);
    const href = await page.getAttribute(".leaflet-popup-content a", "href");
    assert.match(href, /^\/organisationen\/[a-z0-9-]+$/);
    assert.deepEqual(await axe(page), [], "the page with the map is accessible");
  } catch (e) {
    await screenshotOnFailure(t, page, "map");
    throw e;
  } finally {
    await context.close();
  }
});

test("an organisation's admin drops the pin on the map, by mouse and by keyboard", async (t) => {
  const { context, page, foreign } = await openPage(browser, server);
  try {
    await page.goto(server.base + "/anmelden");
    await page.fill("#email", accounts.admin.email);
    await page.fill("#password", accounts.admin.password);
    await Promise.all([page.waitForNavigation(), page.click("form[action='/anmelden'] button[type=submit]")]);
    // Familienzentrum Regenbogen Kassel, demo organisation 1, has its coordinates.
    await page.goto(server.base + "/meine-organisationen/1/details");
    const before = tiles.requests.length;
    assert.equal(await page.inputValue("#latitude"), "51.31607");
    const button = page.locator("button:has-text('Karte laden und Standort wählen')");
    assert.match(await page.textContent("[data-pin-map]"), /IP-Adresse/);
    assert.equal(tiles.requests.length, before, "no tile before the click");
    assert.deepEqual(foreign, []);
    await button.click();
    await page.waitForSelector("[data-pin-map] .leaflet-tile-loaded");
    assert.equal(await page.locator("[data-pin-map] .leaflet-marker-icon").count(), 1, "the stored pin");
    assert.equal(await page.evaluate(() => document.activeElement.matches("[data-map-canvas]")), true);
    // A click north-east of the centre moves the pin there and writes both fields.
    const box = await page.locator("[data-pin-map] [data-map-canvas]").boundingBox();
    await page.mouse.click(box.x + box.width / 2 + 60, box.y + box.height / 2 - 40);
    const lat = Number(await page.inputValue("#latitude"));
    const lon = Number(await page.inputValue("#longitude"));
    assert.ok(lat > 51.31607 && lat < 51.33 && lon > 9.47843 && lon < 9.5, `${lat} ${lon}`);
    assert.match(await page.textContent("[data-map-status]"), /Standort gesetzt: Breitengrad 51\.\d+, Längengrad 9\.\d+/);
    // By keyboard: the arrow keys move the map east, "Kartenmitte übernehmen" takes its centre.
    await page.focus("[data-pin-map] [data-map-canvas]");
    for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
    await page.waitForTimeout(400);  // the pan animation
    const centre = page.locator("button:has-text('Kartenmitte übernehmen')");
    await centre.focus();
    await page.keyboard.press("Enter");
    const keyedLon = Number(await page.inputValue("#longitude"));
    assert.ok(keyedLon > 9.48, `the centre moved east: ${keyedLon}`);
    // Typing in the fields moves the pin; saving keeps the numbers.
    await page.fill("#latitude", "51.3185");
    await page.fill("#longitude", "9.4912");
    await page.locator("#longitude").dispatchEvent("change");
    assert.deepEqual(await axe(page), [], "the form with the map is accessible");
    await Promise.all([page.waitForNavigation(), page.click("button:has-text('Änderungen speichern')")]);
    assert.match(page.url(), /hinweis=gespeichert/);
    assert.equal(await page.inputValue("#latitude"), "51.3185");
    assert.equal(await page.inputValue("#longitude"), "9.4912");
    assert.ok(foreign.every((u) => u.startsWith(tiles.origin + "/")), foreign.join(", "));
    // Put the demo's coordinates back for the other tests.
    await page.fill("#latitude", "51.31607");
    await page.fill("#longitude", "9.47843");
    await Promise.all([page.waitForNavigation(), page.click("button:has-text('Änderungen speichern')")]);
  } catch (e) {
    await screenshotOnFailure(t, page, "pin-map");
    throw e;
  } finally {
    await context.close();
  }
});

test("pasted text longer than a limit is kept whole, counted and refused at the field", async (t) => {
  await withPage(t, "char-limit", async (page) => {
    await page.goto(server.base + "/anmelden");
    await page.fill("#email", accounts.admin.email);
    await page.fill("#password", accounts.admin.password);
    await Promise.all([page.waitForNavigation(), page.click("form[action='/anmelden'] button[type=submit]")]);
    await page.goto(server.base + "/meine-organisationen/neu");
    const long = "Wir beraten Familien in allen Lebenslagen, ".repeat(9).slice(0, 358);
    assert.equal([...long].length, 358);
    await page.fill("#short_description", long);
    assert.equal(await page.inputValue("#short_description"), long, "nothing is cut while pasting");
    assert.match(await page.textContent("#short_description-counter"), /58 Zeichen zu viel \(höchstens 300\)/);
    await page.fill("#short_description", "Kurz und gut.");
    assert.match(await page.textContent("#short_description-counter"), /^13 von 300 Zeichen$/);
    await page.fill("#short_description", long);
    await page.fill("#name", "Zeichenzähler Beratung e.V.");
    await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
    assert.match(await page.textContent("#short_description-error"), /höchstens 300 Zeichen/);
    assert.equal(await page.inputValue("#short_description"), long, "the input comes back whole");
    assert.deepEqual(await axe(page), []);
  });
});

test("a parent on a phone finds the family centre by its postcode, nearest first", async (t) => {
  await withPage(t, "postcode-320", async (page) => {
    await page.goto(server.base + "/");
    await page.fill("#home-q", "50825");
    await Promise.all([page.waitForNavigation(), page.press("#home-q", "Enter")]);
    assert.match(page.url(), /\/organisationen\?q=50825$/);
    assert.match(await page.textContent(".near"), /In und um 50825 Köln, bis 25 km/);
    const first = page.locator(".cards .card").first();
    assert.match(await first.locator("h3").textContent(), /Veedelsknirpse/);
    assert.match(await first.locator(".distance").textContent(), /^\d+(,\d)? k?m$/);
    // a wider radius by keyboard, from the form
    await page.selectOption("#umkreis", "50");
    await Promise.all([page.waitForNavigation(), page.click("form[role=search] button[type=submit]")]);
    assert.match(page.url(), /umkreis=50/);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 320, `${scrollWidth}px wide`);
    assert.deepEqual(await axe(page), []);
  }, { width: 320 });
});
