// Events as people use them: someone finds the next Digi-Dienstag, signs in, takes a
// place in a session and sees the free places drop and the access link appear, takes
// the calendar file (read by ical.js, a second parser beside the HTTP tests'
// python3-icalendar: the times it gives are the ones the page shows), and cancels.
// A visitor joins a full session's waitlist as a guest only after confirming by mail.
// Every page passes axe at 320 and 1280 px and stays on origin.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import ICAL from "ical.js";
import { startServer, launchBrowser, openPage, axe, screenshotOnFailure, accounts, login as loginAs, checkPage } from "./harness.mjs";

let server, browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const login = (page, who) => loginAs(page, server.base, who);

for (const width of [320, 1280]) {
  test(`someone takes a place at a Digi-Dienstag, puts it in the calendar and cancels (${width}px)`, async (t) => {
    const { context, page, foreign } = await openPage(browser, server, { width });
    try {
      await page.goto(server.base + "/");
      await Promise.all([page.waitForNavigation(), page.click("nav.main-nav a:has-text('Veranstaltungen')")]);
      await checkPage(page, "events");
      await Promise.all([page.waitForNavigation(), page.click("main a:has-text('Digi-Dienstag')")]);
      const eventUrl = page.url();
      await checkPage(page, "event");
      // Signed out: the way to sign in is offered at each session, the access link hidden.
      assert.equal(await page.locator("main a:has-text('Melden Sie sich an, um teilzunehmen')").count(), 3);
      assert.doesNotMatch(await page.content(), /meet\.example\.org/);
      await login(page, accounts.editor);
      await page.goto(eventUrl);
      const session = page.locator("li.session >> nth=1");
      const before = Number(await session.locator(".places").getAttribute("data-free"));
      const shownTime = await session.locator(".meta").textContent();
      await Promise.all([page.waitForNavigation(), session.locator("button:has-text('Jetzt anmelden')").click()]);
      assert.match(await page.textContent(".notice"), /Sie sind angemeldet/);
      const after = page.locator("li.session >> nth=1");
      assert.equal(Number(await after.locator(".places").getAttribute("data-free")), before - 1);
      assert.match(await after.textContent(), /Sie sind angemeldet\./);
      assert.match(await after.locator(".own a").getAttribute("href"), /^https:\/\/meet\.example\.org\//);
      await checkPage(page, "event-registered");
      // The calendar file, read by ical.js: the session's local start is what the page said.
      const href = await page.getAttribute("main a[href$='.ics']", "href");
      const ics = await page.evaluate(async (u) => (await fetch(u)).text(), href);
      const cal = new ICAL.Component(ICAL.parse(ics));
      cal.getAllSubcomponents("vtimezone").forEach((tz) => ICAL.TimezoneService.register(tz));
      const events = cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
      assert.equal(events.length, 3);
      const ev = events[1];
      assert.equal(ev.startDate.zone.tzid, "Europe/Berlin");
      const hhmm = `${String(ev.startDate.hour).padStart(2, "0")}:${String(ev.startDate.minute).padStart(2, "0")}`;
      assert.ok(shownTime.includes(hhmm), `${hhmm} in "${shownTime}"`);
      const shownDay = String(ev.startDate.day);
      assert.ok(shownTime.includes(`${shownDay}.`), `${shownDay}. in "${shownTime}"`);
      assert.ok(ev.uid.length > 10);
      assert.doesNotMatch(ics, /meet\.example\.org/);
      // Cancelling gives the place back.
      await Promise.all([page.waitForNavigation(), after.locator("button:has-text('Abmelden')").click()]);
      assert.match(await page.textContent(".notice"), /Anmeldung ist beendet/);
      assert.equal(Number(await page.locator("li.session >> nth=1 >> .places").getAttribute("data-free")), before);
      await checkPage(page, "event-cancelled");
      assert.deepEqual(foreign, []);
    } catch (e) {
      await screenshotOnFailure(t, page, `event-register-${width}`);
      throw e;
    } finally {
      await context.close();
    }
  });
}

test("a guest's registration counts only after the link from the mail is confirmed", async (t) => {
  const { context, page, foreign } = await openPage(browser, server, { width: 320 });
  try {
    await page.goto(server.base + "/veranstaltungen");
    await Promise.all([page.waitForNavigation(), page.click("main a:has-text('Digi-Dienstag')")]);
    // Both fields wrong at once: both are named, the input stays.
    await page.fill("#name", " ");
    await page.fill("#email", "erika@");
    await Promise.all([page.waitForNavigation(), page.click("button:has-text('Anmeldung absenden')")]);
    assert.match(await page.textContent("#name-error"), /Namen/);
    assert.match(await page.textContent("#email-error"), /gültige E-Mail-Adresse/);
    assert.equal(await page.inputValue("#email"), "erika@");
    await checkPage(page, "guest-errors");
    const address = `erika.${Date.now()}@gast.example`;
    await page.fill("#name", "Erika Mustermann");
    await page.fill("#email", address);
    await page.selectOption("#sitzung", { index: 0 });
    await Promise.all([page.waitForNavigation(), page.click("button:has-text('Anmeldung absenden')")]);
    assert.match(await page.textContent(".notice"), /E-Mail geschickt/);
    const mail = await server.mailTo(address);
    const link = mail.text.match(/http:\/\/127\.0\.0\.1:\d+\/anmeldung\/[0-9]+\.[A-Za-z0-9_-]+/)[0];
    await page.goto(link);
    assert.match(await page.textContent("main"), /Bitte bestätigen Sie Ihre Anmeldung/);
    await checkPage(page, "guest-link");
    await Promise.all([page.waitForNavigation(), page.click("button:has-text('Anmeldung bestätigen')")]);
    // The demo's first morning session is full: the guest waits, with a number.
    assert.match(await page.textContent("main"), /Platz \d+ der Warteliste|Sie sind angemeldet/);
    await checkPage(page, "guest-confirmed");
    assert.deepEqual(foreign, []);
  } catch (e) {
    await screenshotOnFailure(t, page, "event-guest");
    throw e;
  } finally {
    await context.close();
  }
});
