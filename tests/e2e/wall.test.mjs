// The Social Wall as people use it: an organisation's admin connects its blog (a feed
// on a local server) and sees what was found; visitors filter by hashtag; new posts are
// announced and shown on request; someone reports a post and a moderator hides it; the
// big screen at an event follows the moderator's phone and keeps still for viewers who
// ask for reduced motion. Every page passes axe at 320 and 1280 px and stays on origin.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { startServer, launchBrowser, openPage, axe, screenshotOnFailure, accounts, png, login as loginAs, checkPage } from "./harness.mjs";

let server, browser, feeds;

// A blog's RSS feed with a picture, as WordPress publishes it.
function startFeedServer() {
  const picture = png(320, 200, [40, 120, 60]);
  const srv = createServer((req, res) => {
    const origin = `http://127.0.0.1:${srv.address().port}`;
    if (req.url === "/bild.png") {
      res.writeHead(200, { "Content-Type": "image/png" });
      return res.end(picture);
    }
    if (req.url === "/") {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      return res.end(`<!doctype html><html><head><title>Blog</title><link rel="alternate" type="application/rss+xml" title="Beiträge" href="/feed/"></head><body>Blog</body></html>`);
    }
    if (req.url === "/feed/") {
      res.writeHead(200, { "Content-Type": "application/rss+xml; charset=utf-8" });
      return res.end(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Blog des Testvereins</title><link>${origin}/</link>
<item><title>Lesepaten im Stadtteil</title><link>${origin}/2026/lesepaten</link><guid isPermaLink="false">${origin}/?p=11</guid>
<pubDate>${new Date(Date.now() - 3600e3).toUTCString()}</pubDate>
<content:encoded><![CDATA[<p>Wir suchen Lesepatinnen und Lesepaten für die Grundschule. #Lesepaten #Zugvogel</p><p><img src="/bild.png" alt="Kinder lesen im Kreis"></p>]]></content:encoded></item>
<item><title>Herbstfest</title><link>${origin}/2026/herbstfest</link><guid isPermaLink="false">${origin}/?p=10</guid>
<pubDate>${new Date(Date.now() - 7200e3).toUTCString()}</pubDate>
<description>Kürbissuppe für alle! #Zugvogel</description></item>
</channel></rss>`);
    }
    res.writeHead(404);
    res.end();
  });
  return new Promise((r) => srv.listen(0, "127.0.0.1", () => r({
    origin: `http://127.0.0.1:${srv.address().port}`,
    close: () => new Promise((c) => srv.close(c)),
  })));
}

before(async () => {
  feeds = await startFeedServer();
  server = await startServer({ settings: ["feeds.allow_private=127.0.0.1/32", "feeds.workers=2"] });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await feeds?.close();
});

const login = (page, who) => loginAs(page, server.base, who);

test("an admin connects the organisation's blog and sees what was found; visitors filter by its hashtag", async (t) => {
  const { context, page, foreign } = await openPage(browser, server);
  try {
    await login(page, accounts.admin);
    await page.goto(server.base + "/meine-organisationen/1/kanaele");
    await checkPage(page, "channels");
    // Instagram first: the form says plainly why not, at the field, and keeps the input.
    await page.fill("#quelle", "https://www.instagram.com/testverein/");
    await Promise.all([page.waitForNavigation(), page.click("button:has-text('Prüfen und hinzufügen')")]);
    assert.match(await page.textContent("#quelle-error"), /Instagram gibt keinen Feed heraus/);
    assert.equal(await page.inputValue("#quelle"), "https://www.instagram.com/testverein/");
    assert.equal(await page.evaluate(() => document.activeElement.closest(".error-summary") !== null), true);
    await checkPage(page, "channels-error");
    // The blog's address: its feed is discovered, checked and its posts shown at once.
    await page.fill("#quelle", feeds.origin + "/");
    await Promise.all([page.waitForNavigation(), page.click("button:has-text('Prüfen und hinzufügen')")]);
    assert.match(await page.textContent(".notice"), /Kanal ist verbunden/);
    const found = await page.textContent("section.found");
    assert.match(found, /Lesepaten im Stadtteil/);
    assert.match(found, /Herbstfest/);
    assert.match(await page.textContent(".sources"), /Blog des Testvereins/);
    await checkPage(page, "channels-added");
    // The wall; its picture arrives once the fetcher has stored it (served by us).
    await page.goto(server.base + "/social-wall?tag=zugvogel");
    assert.equal(await page.locator("li.post-item").count(), 2);
    await page.click("li.post-item >> nth=0 >> a:has-text('#lesepaten')");
    assert.match(page.url(), /tag=lesepaten/);
    const tagged = await page.locator("li.post-item").allTextContents();
    assert.ok(tagged.length >= 1 && tagged.every((p) => /#lesepaten/.test(p)), tagged.join("\n"));
    assert.ok(tagged.some((p) => /Lesepaten im Stadtteil/.test(p)));
    await checkPage(page, "wall-tag");
    assert.deepEqual(foreign, []);
  } catch (e) {
    await screenshotOnFailure(t, page, "wall-channels");
    throw e;
  } finally {
    await context.close();
  }
});

test("new posts are announced and shown when the reader asks, focus on the first", async (t) => {
  const { context, page, foreign } = await openPage(browser, server);
  const other = await openPage(browser, server);
  try {
    await page.goto(server.base + "/social-wall");
    await login(other.page, accounts.admin);
    await other.page.goto(server.base + "/meine-organisationen/2/kanaele");
    await other.page.fill("#text", "Heute Abend: offene Sprechstunde zur Digitalisierung. #Liveticker");
    await Promise.all([other.page.waitForNavigation(), other.page.click("button:has-text('Beitrag veröffentlichen')")]);
    assert.match(await other.page.textContent(".notice"), /steht auf der Social Wall/);
    // The script's round comes every 30 s; the test asks for one now.
    const newer = await page.getAttribute(".live", "data-newer-url");
    const answer = await (await fetch(server.base + newer)).json();
    assert.equal(answer.count, 1, JSON.stringify(answer).slice(0, 200));
    await page.evaluate(() => document.querySelector(".live").dispatchEvent(new Event("verbund:poll")));
    await page.waitForSelector(".live-status button");
    assert.match(await page.textContent(".live-status"), /1 neuer Beitrag/);
    await page.click(".live-status button");
    assert.match(await page.textContent("li.post-item >> nth=0"), /offene Sprechstunde/);
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains("post-org")), true);
    await checkPage(page, "wall-live");
    assert.deepEqual(foreign, []);
  } catch (e) {
    await screenshotOnFailure(t, page, "wall-live");
    throw e;
  } finally {
    await context.close();
    await other.context.close();
  }
});

test("someone reports a post, a moderator hides it with a reason, and it leaves the wall", async (t) => {
  const reader = await openPage(browser, server, { width: 320 });
  const mod = await openPage(browser, server, { width: 320 });
  try {
    await login(reader.page, accounts.editor);  // any signed-in person may report
    await reader.page.goto(server.base + "/social-wall?tag=liveticker");
    await reader.page.click("li.post-item >> nth=0 >> a.post-report");
    await checkPage(reader.page, "report");
    await Promise.all([reader.page.waitForNavigation(), reader.page.click("button:has-text('Meldung senden')")]);
    assert.match(await reader.page.textContent("#grund-error"), /Bitte wählen Sie/);
    await reader.page.check("input[value=spam]");
    await Promise.all([reader.page.waitForNavigation(), reader.page.click("button:has-text('Meldung senden')")]);
    assert.match(await reader.page.textContent(".notice"), /Danke für Ihre Meldung/);

    await login(mod.page, accounts.admin);
    await mod.page.goto(server.base + "/redaktion/social-wall");
    const item = mod.page.locator("li.moderation-item", { hasText: "offene Sprechstunde" });
    assert.match(await item.textContent(), /Meldungen: 1 \(Werbung oder Spam\)/);
    await checkPage(mod.page, "moderation");
    await Promise.all([mod.page.waitForNavigation(), item.locator("button:has-text('Ausblenden')").click()]);
    assert.match(await mod.page.textContent(".error-summary"), /Bitte nennen Sie einen Grund/);
    await mod.page.locator("li.moderation-item", { hasText: "offene Sprechstunde" }).locator("input[name=grund]").fill("Doppelt gepostet");
    await Promise.all([mod.page.waitForNavigation(),
      mod.page.locator("li.moderation-item", { hasText: "offene Sprechstunde" }).locator("button:has-text('Ausblenden')").click()]);
    assert.match(await mod.page.textContent(".notice"), /ausgeblendet/);
    assert.match(await mod.page.textContent(".log"), /ausgeblendet.*Doppelt gepostet/s);
    await reader.page.goto(server.base + "/social-wall?tag=liveticker");
    assert.equal(await reader.page.locator("li.post-item").count(), 0);
    assert.deepEqual([...reader.foreign, ...mod.foreign], []);
  } catch (e) {
    await screenshotOnFailure(t, mod.page, "wall-moderation");
    throw e;
  } finally {
    await reader.context.close();
    await mod.context.close();
  }
});

test("the big screen scrolls, keeps still for reduced motion, and empties when the phone says so", async (t) => {
  const screen = await openPage(browser, server, { width: 1920, height: 1080 });
  const still = await openPage(browser, server, { width: 1280, height: 720, reducedMotion: "reduce" });
  const phone = await openPage(browser, server, { width: 360, height: 740 });
  try {
    await screen.page.goto(server.base + "/social-wall/kiosk?name=e2e");
    await still.page.goto(server.base + "/social-wall/kiosk?name=e2e");
    await screen.page.waitForTimeout(2500);
    const moved = await screen.page.evaluate(() => document.querySelector(".kiosk-viewport").scrollTop);
    const kept = await still.page.evaluate(() => document.querySelector(".kiosk-viewport").scrollTop);
    assert.ok(moved > 10, `the screen scrolled ${moved}px`);
    assert.equal(kept, 0, "no motion for reduced motion");
    assert.deepEqual(await axe(screen.page), [], "kiosk: axe");
    await login(phone.page, accounts.admin);
    await phone.page.goto(server.base + "/social-wall/kiosk/steuerung?name=e2e");
    await checkPage(phone.page, "kiosk-controls");
    await Promise.all([phone.page.waitForNavigation(), phone.page.click("button:has-text('Bildschirm sofort leeren')")]);
    const t0 = Date.now();
    await screen.page.waitForFunction(() => document.body.classList.contains("kiosk-blanked"), null, { timeout: 4000 });
    assert.ok(Date.now() - t0 < 4000);
    assert.equal(await screen.page.evaluate(() => getComputedStyle(document.querySelector(".kiosk-main")).visibility), "hidden");
    await Promise.all([phone.page.waitForNavigation(), phone.page.click("button:has-text('Beiträge wieder zeigen')")]);
    await screen.page.waitForFunction(() => !document.body.classList.contains("kiosk-blanked"), null, { timeout: 4000 });
    assert.deepEqual([...screen.foreign, ...phone.foreign], []);
  } catch (e) {
    await screenshotOnFailure(t, screen.page, "wall-kiosk");
    throw e;
  } finally {
    await screen.context.close();
    await still.context.close();
    await phone.context.close();
  }
});
