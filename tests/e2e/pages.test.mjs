// Every page type, signed out and signed in, at 320 px and 1280 px: zero axe violations
// (WCAG 2.1 A/AA), no request leaving the origin, no cookie before sign-in, valid HTML.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startTileServer, launchBrowser, openPage, axe, validateHtml, screenshotOnFailure, accounts } from "./harness.mjs";

let server, browser, tiles;
const documents = [];

// The map is configured, so every page also proves that no tile is loaded unasked.
before(async () => {
  tiles = await startTileServer();
  server = await startServer({ tiles });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await tiles?.close();
  assert.deepEqual(tiles.requests, [], "map tiles requested without the visitor asking");
});

async function signIn(page, who) {
  await page.goto(server.base + "/anmelden");
  await page.fill("#email", who.email);
  await page.fill("#password", who.password);
  await Promise.all([page.waitForNavigation(), page.click("form[action='/anmelden'] button[type=submit]")]);
}

// Visits `path` (or runs `act`), then checks the page as it stands.
async function checkPage(t, { name, path, who, act, width }) {
  const { context, page, foreign } = await openPage(browser, server, { width });
  try {
    if (who) await signIn(page, who);
    const response = await page.goto(server.base + path);
    if (act) await act(page);
    const violations = await axe(page);
    assert.deepEqual(violations, [], `axe on ${name} at ${width}px`);
    assert.deepEqual(foreign, [], `requests leaving the origin on ${name}`);
    const cookies = await context.cookies();
    if (!who) assert.deepEqual(cookies.map((c) => c.name), [], `cookies set without sign-in on ${name}`);
    else for (const c of cookies) assert.ok(["verbund", "__Host-verbund", "sprache"].includes(c.name), `unexpected cookie ${c.name}`);
    assert.equal(await page.getAttribute("html", "lang"), "de");
    // Several forms on one page each have a name (other engines than axe flag them).
    const unnamed = await page.$$eval("main form", (forms) => forms.length < 2 ? [] :
      forms.filter((f) => !f.getAttribute("aria-label") && !f.getAttribute("aria-labelledby"))
        .map((f) => f.getAttribute("action")));
    assert.deepEqual(unnamed, [], `unnamed forms on ${name}`);
    // WCAG 1.4.10: nothing scrolls sideways at 320 px (also 1280 px at 400 % zoom).
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= width, `${name} is ${scrollWidth}px wide at ${width}px`);
    if (width === 1280) documents.push([name, await page.content()]);
    return response;
  } catch (e) {
    await screenshotOnFailure(t, page, `${name}-${width}`);
    throw e;
  } finally {
    await context.close();
  }
}

const submitEmpty = async (page) => {
  await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
};

// From the review queue to the page of its application with a history (the demo's
// Sprachcafé went through a Rückfrage).
const openDossier = async (page) => {
  await Promise.all([page.waitForNavigation(),
    page.click("li.card:has-text('Sprachcafé') a:has-text('Ganzes Profil')")]);
  assert.match(await page.textContent("main"), /Rückfrage gesendet/);
};

// The first Digi-Dienstag of the demo (its slug names the month, so it is clicked).
const openDigiDienstag = async (page) => {
  await Promise.all([page.waitForNavigation(), page.click("main a:has-text('Digi-Dienstag')")]);
  assert.match(await page.textContent("main"), /Programm und Anmeldung/);
};

// The demo's Digital-Festival (its slug names the year), from the events list.
const openFestival = async (page) => {
  await Promise.all([page.waitForNavigation(),
    page.click("main .festival-teaser a:has-text('Digital-Festival')")]);
  assert.match(await page.textContent("main"), /So läuft der Aufruf/);
};
const followLink = (text, expect) => async (page) => {
  await Promise.all([page.waitForNavigation(), page.click(`main a:has-text('${text}')`)]);
  if (expect) assert.match(await page.textContent("main"), expect);
};

const publicPages = [
  { name: "home", path: "/" },
  { name: "directory", path: "/organisationen" },
  { name: "directory-search", path: "/organisationen?q=Familie" },
  { name: "directory-empty", path: "/organisationen?q=xyzzyqq" },
  { name: "directory-place", path: "/organisationen?q=50825" },
  { name: "directory-place-beyond", path: "/organisationen?q=25999&umkreis=5" },
  { name: "placeholder", path: "/webzeugkoffer" },
  { name: "social-wall", path: "/social-wall" },
  { name: "social-wall-filtered", path: "/social-wall?tag=ehrenamt&landesverband=nw" },
  { name: "social-wall-empty-filter", path: "/social-wall?tag=gibtesnicht" },
  { name: "social-wall-kiosk", path: "/social-wall/kiosk" },
  { name: "events", path: "/veranstaltungen" },
  { name: "events-past-empty", path: "/veranstaltungen?zeit=vergangen" },
  { name: "event-series", path: "/veranstaltungen/reihe/digi-dienstag" },
  { name: "event", path: "/veranstaltungen", act: openDigiDienstag },
  { name: "event-guest-errors", path: "/veranstaltungen",
    act: async (page) => {
      await openDigiDienstag(page);
      await page.fill("#email", "keine-adresse");
      await Promise.all([page.waitForNavigation(), page.click("button:has-text('Anmeldung absenden')")]);
      assert.match(await page.textContent("#email-error"), /gültige E-Mail-Adresse/);
    } },
  { name: "festival", path: "/veranstaltungen", act: openFestival },
  { name: "festival-programme", path: "/veranstaltungen",
    act: async (page) => {
      await openFestival(page);
      await followLink("Zum Programm", /Montag/)(page);
    } },
  { name: "festival-programme-none", path: "/festival/aufruf-probe/programm" },
  { name: "impressum", path: "/impressum" },
  { name: "accessibility-statement", path: "/barrierefreiheit" },
  { name: "easy-language", path: "/leichte-sprache" },
  { name: "barrier-report", path: "/barriere-melden" },
  { name: "barrier-report-errors", path: "/barriere-melden", act: submitEmpty },
  { name: "login", path: "/anmelden" },
  { name: "login-errors", path: "/anmelden", act: submitEmpty },
  { name: "signup", path: "/registrieren" },
  { name: "signup-errors", path: "/registrieren", act: submitEmpty },
  { name: "reset-request", path: "/passwort-vergessen" },
  { name: "signup-check-mail", path: "/registrieren",
    act: async (page) => {
      await page.fill("#display_name", "Erika Mustermann-Lüdenscheid");
      await page.fill("#email", `sehr.lange.adresse.${Date.now()}@familienzentrum-beispielstadt.example`);
      await page.fill("#password", "Wolken über Kassel 2024");
      await page.fill("#password_repeat", "Wolken über Kassel 2024");
      await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
      assert.match(await page.textContent("h1"), /Postfach/);
    } },
  { name: "not-found", path: "/gibt-es-nicht" },
];

const signedInPages = [
  { name: "start-admin", path: "/start", who: accounts.admin },
  { name: "event-signed-in", path: "/veranstaltungen", who: accounts.admin, act: openDigiDienstag },
  { name: "event-participants", path: "/veranstaltungen", who: accounts.admin,
    act: async (page) => {
      await openDigiDienstag(page);
      await Promise.all([page.waitForNavigation(), page.click("a:has-text('Teilnehmende ansehen')")]);
      assert.match(await page.textContent("main"), /Warteliste/);
    } },
  { name: "event-new", path: "/veranstaltungen/neu", who: accounts.admin },
  { name: "event-new-errors", path: "/veranstaltungen/neu", who: accounts.admin,
    act: async (page) => {
      await page.fill("#titel", "");
      await page.fill("#datum", "2020-01-07");
      await page.fill("#von", "18:00");
      await page.fill("#bis", "19:30");
      await Promise.all([page.waitForNavigation(), page.click("button:has-text('Veröffentlichen')")]);
      assert.match(await page.textContent("#titel-error"), /Titel/);
      assert.match(await page.textContent("#datum-error"), /Vergangenheit/);
    } },
  { name: "event-edit", path: "/veranstaltungen", who: accounts.admin,
    act: async (page) => {
      await openDigiDienstag(page);
      await Promise.all([page.waitForNavigation(), page.click("a:has-text('Veranstaltung bearbeiten')")]);
      assert.match(await page.textContent("main"), /Termine/);
    } },
  { name: "event-message", path: "/veranstaltungen", who: accounts.admin,
    act: async (page) => {
      await openDigiDienstag(page);
      await Promise.all([page.waitForNavigation(), page.click("a:has-text('Veranstaltung bearbeiten')")]);
      await Promise.all([page.waitForNavigation(), page.click("main a:has-text('Nachricht an alle')")]);
      assert.match(await page.textContent("h1"), /Nachricht an alle/);
    } },
  { name: "my-registrations", path: "/meine-anmeldungen", who: accounts.admin },
  { name: "festival-submit", path: "/festival/aufruf-probe/einreichen", who: accounts.member },
  { name: "festival-submit-errors", path: "/festival/aufruf-probe/einreichen",
    who: accounts.member,
    act: async (page) => {
      await page.fill("#titel", "");
      await Promise.all([page.waitForNavigation(), page.click("button:has-text('Vorschlag einreichen')")]);
      assert.match(await page.textContent("#titel-error"), /Titel/);
      assert.match(await page.textContent("#thema-error"), /Thema/);
    } },
  { name: "festival-my-proposals", path: "/veranstaltungen", who: accounts.member,
    act: async (page) => {
      await openFestival(page);
      await followLink("Eigene Vorschläge", /Videoberatung/)(page);
    } },
  { name: "festival-proposal", path: "/veranstaltungen", who: accounts.member,
    act: async (page) => {
      await openFestival(page);
      await followLink("Eigene Vorschläge")(page);
      await followLink("Spendenaktionen online", /bittet um Änderungen/)(page);
    } },
  { name: "festival-review-list", path: "/veranstaltungen", who: accounts.scout,
    act: async (page) => {
      await openFestival(page);
      await followLink("Begutachten", /Nächsten Vorschlag begutachten/)(page);
    } },
  { name: "festival-review-errors", path: "/veranstaltungen", who: accounts.scout,
    act: async (page) => {
      await openFestival(page);
      await followLink("Begutachten")(page);
      await followLink("Nächsten Vorschlag begutachten", /Ihre Bewertung/)(page);
      await Promise.all([page.waitForNavigation(), page.click("button:has-text('Speichern und weiter')")]);
      assert.match(await page.textContent(".error-summary"), /Bewertung von 1 bis 5/);
    } },
  { name: "festival-manage", path: "/veranstaltungen", who: accounts.admin,
    act: async (page) => {
      await openFestival(page);
      await followLink("Einreichungen verwalten", /Gutachterinnen und Gutachter/)(page);
    } },
  { name: "festival-manage-proposal", path: "/veranstaltungen", who: accounts.admin,
    act: async (page) => {
      await openFestival(page);
      await followLink("Einreichungen verwalten")(page);
      await followLink("KI-Textwerkzeuge", /Ins Programm aufnehmen/)(page);
    } },
  { name: "start-editor", path: "/start", who: accounts.editor },
  { name: "account", path: "/konto", who: accounts.admin },
  { name: "my-orgs", path: "/meine-organisationen", who: accounts.admin },
  { name: "org-new", path: "/meine-organisationen/neu", who: accounts.admin },
  { name: "org-new-errors", path: "/meine-organisationen/neu", who: accounts.admin, act: submitEmpty },
  { name: "org-preview", path: "/meine-organisationen/1", who: accounts.admin,
    act: async (page) => {
      await Promise.all([page.waitForNavigation(), page.click("button:has-text('Vorschau ansehen')")]);
    } },
  { name: "org-images", path: "/meine-organisationen/1/bilder", who: accounts.admin },
  { name: "org-images-errors", path: "/meine-organisationen/1/bilder", who: accounts.admin, act: submitEmpty },
  { name: "org-members", path: "/meine-organisationen/1/mitglieder", who: accounts.admin },
  { name: "org-members-errors", path: "/meine-organisationen/1/mitglieder", who: accounts.admin,
    act: async (page) => {
      await page.fill("#email", "keine-adresse");
      await Promise.all([page.waitForNavigation(), page.click("button:has-text('Einladung senden')")]);
    } },
  { name: "org-details", path: "/meine-organisationen/1/details", who: accounts.admin },
  { name: "org-details-errors", path: "/meine-organisationen/1/details", who: accounts.admin,
    act: async (page) => {
      await page.fill("#mastodon", "@nur-ein-name");
      await page.fill("#latitude", "80");
      await Promise.all([page.waitForNavigation(), page.click("button:has-text('Änderungen speichern')")]);
    } },
  // The public page with social links, donation button and Impressum (demo data has none).
  { name: "profile-with-details", path: "/meine-organisationen/1/details", who: accounts.admin,
    act: async (page) => {
      await page.fill("#mastodon", "@regenbogen@social.example");
      await page.fill("#instagram", "@fz.regenbogen");
      await page.fill("#donation_url", "https://regenbogen-kassel.example/spenden");
      await page.fill("#legal_representative", "Vorstand: Anna Beispiel (Vorsitzende)");
      await page.fill("#register_entry", "Amtsgericht Kassel, VR 4711");
      await Promise.all([page.waitForNavigation(), page.click("button:has-text('Änderungen speichern')")]);
      await Promise.all([page.waitForNavigation(), page.click("a:has-text('Öffentliche Seite ansehen')")]);
      assert.ok(await page.isVisible("#impressum-heading"));
    } },
  { name: "org-claim", path: "/organisationen/interkulturelles-nachbarschaftshaus-nordstadt-e-v/beanspruchen", who: accounts.admin },
  { name: "org-claim-errors", path: "/organisationen/interkulturelles-nachbarschaftshaus-nordstadt-e-v/beanspruchen", who: accounts.admin, act: submitEmpty },
  { name: "wall-channels", path: "/meine-organisationen/1/kanaele", who: accounts.admin },
  { name: "wall-channels-errors", path: "/meine-organisationen/1/kanaele", who: accounts.admin,
    act: async (page) => {
      await page.fill("#quelle", "instagram.com/fz.regenbogen");
      await Promise.all([page.waitForNavigation(), page.click("button:has-text('Prüfen und hinzufügen')")]);
      assert.match(await page.textContent(".error-summary"), /Instagram/);
    } },
  { name: "wall-report", path: "/social-wall", who: accounts.editor,
    act: async (page) => {
      await Promise.all([page.waitForNavigation(), page.click("a.post-report >> nth=0")]);
      await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
      assert.match(await page.textContent(".error-summary"), /was nicht stimmt/);
    } },
  { name: "wall-moderation", path: "/redaktion/social-wall", who: accounts.admin },
  { name: "wall-kiosk-controls", path: "/social-wall/kiosk/steuerung", who: accounts.editor },
  { name: "review", path: "/redaktion", who: accounts.editor },
  // The demo's two applications wait in NRW: the platform admin sees them.
  { name: "review-queue", path: "/redaktion", who: accounts.admin },
  { name: "review-dossier", path: "/redaktion", who: accounts.admin, act: openDossier },
  { name: "review-dossier-errors", path: "/redaktion", who: accounts.admin,
    act: async (page) => {
      await openDossier(page);
      await Promise.all([page.waitForNavigation(), page.click("main form button:has-text('Rückfrage senden')")]);
      assert.match(await page.textContent(".error-summary"), /Begründung/);
    } },
  { name: "admin-users", path: "/admin/benutzer", who: accounts.admin },
  { name: "admin-revoke-confirm", path: "/admin/benutzer", who: accounts.admin,
    act: async (page) => {
      await Promise.all([page.waitForNavigation(), page.click(`li.card:has-text("${accounts.editor.email}") button.link`)]);
      assert.match(await page.textContent("h1"), /Rolle entziehen/);
    } },
  { name: "admin-orgs", path: "/admin/organisationen", who: accounts.admin },
  { name: "admin-jobs", path: "/admin/jobs", who: accounts.admin },
  { name: "admin-settings", path: "/admin/einstellungen", who: accounts.admin },
  { name: "dev-mail", path: "/dev/mail", who: accounts.admin },
];

for (const width of [320, 1280]) {
  for (const p of [...publicPages, ...signedInPages]) {
    test(`${p.name} at ${width}px is accessible and private`, async (t) => {
      await checkPage(t, { ...p, width });
    });
  }
}

// Long names ("Nachbarschaftszentrum St. Lorenz Lübeck e.V.") broke out of 320 px.
test("no profile of the demo content scrolls sideways at 320 px", async () => {
  const { context, page } = await openPage(browser, server, { width: 320 });
  const hrefs = new Set();
  for (let n = 1; n <= 5; n++) {
    await page.goto(`${server.base}/organisationen?seite=${n}`);
    for (const h of await page.$$eval(".cards .card h3 a", (as) => as.map((a) => a.getAttribute("href")))) hrefs.add(h);
  }
  assert.ok(hrefs.size >= 50, `only ${hrefs.size} profiles listed`);
  const wide = [];
  for (const h of hrefs) {
    await page.goto(server.base + h);
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    if (w > 320) wide.push(`${h}: ${w}px`);
  }
  await context.close();
  assert.deepEqual(wide, []);
});

test("a profile page is accessible and private", async (t) => {
  const { context, page } = await openPage(browser, server);
  await page.goto(server.base + "/organisationen");
  const href = await page.getAttribute(".cards .card h3 a", "href");
  await context.close();
  assert.ok(href, "the directory lists at least one organisation (demo content)");
  for (const width of [320, 1280]) await checkPage(t, { name: "profile", path: href, width });
});

// The checks themselves can fail: a field without a label and a font from elsewhere.
test("the checks catch a missing label and a third-party font", async () => {
  const { context, page, foreign } = await openPage(browser, server);
  await page.route("https://fonts.example/**", (route) => route.fulfill({ status: 200, body: "" }));
  await page.goto(server.base + "/anmelden");
  await page.evaluate(() => {
    document.querySelector("label[for=email]").remove();
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = "https://fonts.example/css?family=Roboto";
    document.head.append(link);
  });
  await page.waitForTimeout(200);
  const violations = await axe(page);
  assert.ok(violations.some((v) => v.startsWith("label")), violations.join("\n"));
  assert.ok(foreign.some((u) => u.startsWith("https://fonts.example/")));
  await context.close();
});

// The validator itself can fail: an invalid document yields errors (so an empty list
// below means the checker ran and found nothing, not that it never ran).
test("the Nu Html Checker catches an invalid document", () => {
  const errors = validateHtml([["broken", "<!DOCTYPE html><html lang=de><title>x</title><p><div></p><img src=a.png>"]]);
  assert.ok(errors.some((e) => /alt/.test(e)), errors.join("\n"));
});

test("every page type is valid HTML (Nu Html Checker)", () => {
  assert.ok(documents.length >= 15);
  assert.deepEqual(validateHtml(documents), []);
});
