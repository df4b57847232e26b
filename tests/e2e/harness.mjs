// Browser test harness: a real `verbund serve` with demo content on a free port, and
// Debian's Chromium driven by playwright-core (never a downloaded browser).
import assert from "node:assert/strict";
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { createServer as createHttpServer } from "node:http";
import { deflateSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, "..", "..");
export const bin = process.env.VERBUND_BIN || join(root, "build", "verbund");
export const shotDir = join(root, "tests", "e2e", "screenshots");

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

// Accounts the tests create through the command line, with known passwords.
export const accounts = {
  editor: { email: "redaktion.hessen@e2e.example", password: "Redaktion Hessen prüft gern", region: "he" },
  admin: { email: "plattform@e2e.example", password: "Wir verwalten alles gern" },
  // A reviewer of every festival, and a member of the first demo organisation.
  scout: { email: "scout@e2e.example", password: "Wir begutachten gern" },
  member: { email: "mitglied@e2e.example", password: "Wir reichen gern ein" },
};

// A stand-in for the operator's map tile service: another origin (a third party, as far
// as the browser is concerned) that answers every /z/x/y.png with a grey tile and
// records what was asked.
export async function startTileServer() {
  const tile = png(256, 256, [225, 228, 232]);
  const requests = [];
  const server = createHttpServer((req, res) => {
    requests.push(req.url);
    res.writeHead(200, { "Content-Type": "image/png", "Access-Control-Allow-Origin": "*" });
    res.end(tile);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, requests, close: () => new Promise((r) => server.close(r)) };
}

// `tiles`: a tile server (startTileServer) for the directory map, or none (no map);
// `settings`: further --set KEY=VALUE pairs.
export async function startServer({ tiles, settings = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "verbund-e2e-"));
  const run = (args, input) => {
    const r = spawnSync(bin, [...args, "--data", dir], { input, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`verbund ${args.join(" ")} failed: ${r.stderr}`);
  };
  run(["demo"]);
  run(["user", "add", accounts.editor.email, "--name", "Redaktion Hessen", "--role",
       "regional_editor", "--region", accounts.editor.region, "--password-stdin"],
      accounts.editor.password + "\n");
  run(["user", "add", accounts.admin.email, "--name", "Plattform-Team", "--role",
       "platform_admin", "--password-stdin"], accounts.admin.password + "\n");
  run(["user", "add", accounts.scout.email, "--name", "Scout Probe", "--role", "online_scout",
       "--password-stdin"], accounts.scout.password + "\n");
  run(["user", "add", accounts.member.email, "--name", "Mitglied Probe", "--password-stdin"],
      accounts.member.password + "\n");
  run(["sql", "INSERT INTO user_roles (user_id, role, organisation_id, created_at) SELECT id, " +
       "'org_member', (SELECT min(id) FROM organisations WHERE status = 'published'), 0 " +
       `FROM users WHERE email = '${accounts.member.email}'`]);
  // A second festival whose call is open, for the submission form.
  const now = Math.floor(Date.now() / 1000), day = 86400;
  run(["sql", "INSERT INTO festivals (slug, title, summary, starts_at, ends_at, " +
       "submission_opens_at, submission_closes_at, review_closes_at, decisions_by, created_at) " +
       `VALUES ('aufruf-probe', 'Aufruf zur Probe', 'Ein Festival mit offenem Aufruf', ` +
       `${now + 40 * day}, ${now + 45 * day}, ${now - day}, ${now + 10 * day}, ${now + 20 * day}, ` +
       `${now + 30 * day}, ${now})`]);
  run(["sql", "INSERT INTO festival_categories (festival_id, name, position) SELECT id, " +
       "'Nutzen', 1 FROM festivals WHERE slug = 'aufruf-probe'"]);
  run(["sql", "INSERT INTO festival_reviewers (festival_id, user_id, topic, created_at) " +
       `SELECT f.id, u.id, '', 0 FROM festivals f, users u WHERE u.email = '${accounts.scout.email}'`]);
  const port = await freePort();
  const proc = spawn(bin, ["serve", "--dev", "--data", dir, "--listen", `127.0.0.1:${port}`,
                           "--set", "auth.password_hash_strength=min",
                           "--set", "jobs.poll_milliseconds=50",
                           ...(tiles ? ["--set", `map.tile_url=${tiles.origin}/{z}/{x}/{y}.png`,
                                        "--set", "map.attribution=© Kartenbild-Test"] : []),
                           ...settings.flatMap((kv) => ["--set", kv])],
                     { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  proc.stderr.on("data", (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base, dir,
    log: () => log,
    async stop() {
      proc.kill("SIGTERM");
      await new Promise((r) => proc.on("exit", r));
      rmSync(dir, { recursive: true, force: true });
    },
    // The newest mail to `to` (dev mode writes DATA/mail/<id>.eml), waiting for it.
    async mailTo(to, { after = 0, timeout = 10000 } = {}) {
      const until = Date.now() + timeout;
      while (Date.now() < until) {
        let files = [];
        try { files = readdirSync(join(dir, "mail")).filter((f) => f.endsWith(".eml")); } catch {}
        const found = files.map((f) => [parseInt(f), f]).filter(([id]) => id > after)
          .sort((a, b) => b[0] - a[0])
          .map(([id, f]) => ({ id, text: readFileSync(join(dir, "mail", f), "utf8") }))
          .find((m) => m.text.includes(`To: ${to}`));
        if (found) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no mail to ${to}`);
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

// A page that records every request and fails the test on any leaving the origin.
export async function openPage(browser, server, { width = 1280, height = 900, locale = "de-DE", reducedMotion } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale, reducedMotion });
  const page = await context.newPage();
  const foreign = [];
  page.on("request", (req) => {
    const url = req.url();
    if (!url.startsWith(server.base + "/") && !url.startsWith("data:") && url !== "about:blank")
      foreign.push(url);
  });
  return { context, page, foreign };
}

export async function screenshotOnFailure(t, page, name) {
  mkdirSync(shotDir, { recursive: true });
  await page.screenshot({ path: join(shotDir, `${name}.png`), fullPage: true }).catch(() => {});
}

export async function axe(page) {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join("; ")})`);
}

// Validates HTML documents with the Nu Html Checker (vnu.jar, Java): returns messages.
// A missing Java or vnu.jar, or a checker that ran but said nothing readable, throws:
// a validation that did not happen must never read as "no errors" (scripts/install-deps
// installs openjdk-17-jre-headless, `npm ci` installs vnu-jar).
export function validateHtml(documents) {
  const jar = join(root, "node_modules", "vnu-jar", "build", "dist", "vnu.jar");
  if (!existsSync(jar)) throw new Error(`Nu Html Checker missing: ${jar} (run \`npm ci\`)`);
  const dir = mkdtempSync(join(tmpdir(), "verbund-vnu-"));
  const files = documents.map(([name, html], i) => {
    const f = join(dir, `${String(i).padStart(3, "0")}-${name.replace(/[^a-z0-9]+/gi, "_")}.html`);
    writeFileSync(f, html);
    return f;
  });
  const r = spawnSync("java", ["-jar", jar, "--format", "json", "--stdout", ...files], { encoding: "utf8", maxBuffer: 64 << 20 });
  rmSync(dir, { recursive: true, force: true });
  if (r.error) {
    throw new Error(r.error.code === "ENOENT"
      ? "Nu Html Checker needs Java, and `java` is not on PATH (install openjdk-17-jre-headless: scripts/install-deps)"
      : `Nu Html Checker could not start: ${r.error.message}`);
  }
  let out;
  try {
    out = JSON.parse(r.stdout);
  } catch {
    throw new Error(`Nu Html Checker gave no JSON report (exit ${r.status}): ${(r.stderr || r.stdout).slice(0, 2000)}`);
  }
  if (!Array.isArray(out.messages)) throw new Error(`Nu Html Checker report without messages: ${r.stdout.slice(0, 2000)}`);
  // vnu exits 1 when it found errors; any other failure is the checker's, not the page's.
  if (r.status !== 0 && !out.messages.some((m) => m.type === "error"))
    throw new Error(`Nu Html Checker failed (exit ${r.status}): ${r.stderr.slice(0, 2000)}`);
  return out.messages.filter((m) => m.type === "error" || m.type === "non-document-error")
    .map((m) => `${(m.url || "").split("/").pop()}:${m.lastLine ?? "-"}: ${m.message}`);
}

// A PNG of one colour made here (no imaging library needed), for upload tests.
export function png(width, height, [r, g, b] = [11, 92, 138]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const rows = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0)),
  ]);
}

// Signs `who` in through the log-in form.
export async function login(page, base, who) {
  await page.goto(base + "/anmelden");
  await page.fill("#email", who.email);
  await page.fill("#password", who.password);
  await Promise.all([page.waitForNavigation(), page.click("form[action='/anmelden'] button[type=submit]")]);
}

// axe finds nothing, and nothing scrolls sideways at the page's width.
export async function checkPage(page, name) {
  assert.deepEqual(await axe(page), [], `${name}: axe`);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  const width = page.viewportSize().width;
  assert.ok(wide <= width, `${name} is ${wide}px wide at ${width}px`);
}
