// The clinic's dashboard (/admin/) in Debian's headless Chromium, against
// the real server: conversations with known outcomes are seeded through the
// real triage API, then the page must show exactly their numbers. Also: the
// page's calls refuse a missing key, a wrong key and a key without the
// reports scope; what the page receives holds no session id and no typed
// text; each table downloads as CSV; English and Spanish; a tablet and a
// desktop (screenshots into the artifacts folder); the strict CSP the
// server sends the page with.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { callApi, env, paths, startBackchat } from "./support.mjs";

const work = mkdtempSync(join(tmpdir(), "backchat-dashboard-"));
const reportsKey = "clinic-reports-key-0123456789abcdef";
const recordsKey = "clinic-records-key-0123456789abcdef";
const typedText = { understood: "none of these", notUnderstood: "purple elephants dancing" };
let server;
let browser;
const seeded = { sessionIds: [], recordIds: [], redFlags: new Map() };

/** A conversation through the real API: answers from `answers` until `stopAt` or an outcome. */
async function converse({ answers, channel = "CHANNEL_WEB", locale = "en", stopAt = null, typeFirst = false }) {
  let turn = await callApi(server.origin, "StartSession", { locale, channel });
  seeded.sessionIds.push(turn.sessionId);
  if (typeFirst) {
    turn = await callApi(server.origin, "SubmitAnswer", { sessionId: turn.sessionId, text: typedText.notUnderstood });
    assert.ok(turn.notice, "gibberish is asked again");
    turn = await callApi(server.origin, "SubmitAnswer", { sessionId: turn.sessionId, text: typedText.understood });
    if (turn.confirmation) {
      turn = await callApi(server.origin, "SubmitAnswer", { sessionId: turn.sessionId, confirmation: "CONFIRMATION_REPLY_ACCEPT" });
    }
  }
  for (let i = 0; i < 25 && turn.question && turn.question.id !== stopAt; i++) {
    turn = await callApi(server.origin, "SubmitAnswer", {
      sessionId: turn.sessionId,
      questionId: turn.question.id,
      optionIds: answers[turn.question.id],
    });
  }
  if (turn.recordId) seeded.recordIds.push(turn.recordId);
  for (const flag of turn.outcome?.redFlags ?? []) seeded.redFlags.set(flag.id, (seeded.redFlags.get(flag.id) ?? 0) + 1);
  return turn;
}

before(async () => {
  mkdirSync(env.artifacts, { recursive: true });
  const keys = join(work, "admin_keys");
  writeFileSync(keys, `clinic reports ${reportsKey}\nops records,metrics ${recordsKey}\n`);
  server = await startBackchat([
    `--admin_keys_file=${keys}`,
    `--care_contacts=${join(env.sourceDir, "tests/web/care_contacts.textproto")}`,
  ]);
  // Seven conversations today: 2 EMERGENCY, 1 URGENT, 1 SEE_DOCTOR (Spanish),
  // 1 SELF_CARE (SMS, its first answer typed), and two that stop: one at
  // "injury", one before answering anything.
  await converse({ answers: paths.emergency });
  await converse({ answers: paths.emergency });
  await converse({ answers: paths.urgent });
  await converse({ answers: paths.seeDoctor, locale: "es" });
  await converse({ answers: paths.selfCare, channel: "CHANNEL_SMS", typeFirst: true });
  await converse({ answers: paths.selfCare, stopAt: "injury" });
  await converse({ answers: paths.selfCare, stopAt: "warning_signs" });
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** GetReport over Connect as the page calls it, with `authorization` if given. */
async function getReport(authorization, body = {}) {
  const headers = { "content-type": "application/json" };
  if (authorization !== undefined) headers.authorization = authorization;
  const response = await fetch(`${server.origin}/backchat.admin.v1.AdminService/GetReport`, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** A page on the dashboard with the strict policy BackChat's own pages can meet. */
async function openDashboard(viewport, query = "") {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
  page.on("pageerror", (error) => problems.push(String(error)));
  const received = [];
  page.on("response", async (response) => {
    if (response.url().includes("/backchat.admin.v1.AdminService/")) received.push(await response.text());
  });
  const response = await page.goto(`${server.origin}/admin/${query}`);
  // The server sends the page with a policy that allows nothing inline, so
  // every test here also shows the dashboard works without 'unsafe-inline'
  // (a violation would be a console error).
  assert.match(response.headers()["content-security-policy"], /^default-src 'none'; script-src 'self'; style-src 'self';/);
  assert.doesNotMatch(response.headers()["content-security-policy"], /unsafe-inline/);
  return { page, context, problems, received };
}

async function enterKey(page, key) {
  await page.locator("#admin-key").fill(key);
  await page.locator(".key-form button[type=submit]").click();
}

/** Shows the report for the filters chosen, and waits for it (the page is aria-busy while it loads). */
async function applyFilters(page) {
  await page.locator(".filters button[type=submit]").click();
  await page.locator("#dashboard:not([aria-busy])").waitFor();
}

const statOf = (page, name) => page.locator(`[data-stat="${name}"] .value`).innerText();

/** A table's body rows as arrays of cell texts. */
async function rowsOf(page, name) {
  return page.locator(`table[data-table="${name}"] tbody tr`).evaluateAll((rows) =>
    rows.map((row) => [...row.children].map((cell) => cell.textContent)),
  );
}

test("the page's calls refuse a missing key, a wrong key and a key without the reports scope", async () => {
  const missing = await getReport(undefined);
  assert.equal(missing.status, 401);
  assert.equal(missing.body.code, "unauthenticated");
  const wrong = await getReport("Bearer not-a-key-the-server-knows-000000");
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.code, "unauthenticated");
  const unscoped = await getReport(`Bearer ${recordsKey}`);
  assert.equal(unscoped.status, 403);
  assert.equal(unscoped.body.code, "permission_denied");
  assert.match(unscoped.body.message, /lacks the "reports" scope/);
  const allowed = await getReport(`Bearer ${reportsKey}`);
  assert.equal(allowed.status, 200);
  const bad = await getReport(`Bearer ${reportsKey}`, { fromDay: "March 1st" });
  assert.equal(bad.status, 400);
  assert.match(bad.body.message, /from_day: "March 1st" is not a day as YYYY-MM-DD/);
});

test("the page refuses a wrong key and a key without the scope, and says why", async () => {
  const { page, context, problems } = await openDashboard({ width: 1280, height: 800 });
  // Each refusal replaces the form; wait for the one that says why.
  await enterKey(page, "not-a-key-the-server-knows-000000");
  await page.locator(".key-form .error", { hasText: "does not know this key" }).waitFor();
  await enterKey(page, recordsKey);
  await page.locator(".key-form .error", { hasText: "lacks the reports scope" }).waitFor();
  assert.equal(await page.locator(".key-form .error").count(), 1);
  assert.equal(await page.locator("[data-stat]").count(), 0, "nothing of the report is shown");
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, "a refused key is not kept");
  await context.close();
  assert.deepEqual(problems.filter((p) => !/401|403/.test(p)), []);
});

test("the dashboard shows exactly the seeded conversations, and what it receives is anonymous", async () => {
  const { page, context, problems, received } = await openDashboard({ width: 1280, height: 800 });
  await enterKey(page, reportsKey);
  await page.locator('[data-stat="started"]').waitFor();
  assert.equal(await statOf(page, "started"), "7");
  assert.equal(await statOf(page, "finished"), "5");
  assert.equal(await statOf(page, "in_progress"), "2");
  assert.equal(await statOf(page, "abandoned"), "0", "nothing is abandoned before its day has ended");

  const days = await rowsOf(page, "days");
  assert.equal(days.length, 30);
  assert.deepEqual(days.at(-1), [new Date().toISOString().slice(0, 10), "7", "5", "0", "2"]);
  assert.deepEqual(await rowsOf(page, "outcomes"), [
    ["Emergency", "2"],
    ["Urgent", "1"],
    ["See a doctor", "1"],
    ["Self-care", "1"],
  ]);
  const flags = Object.fromEntries((await rowsOf(page, "red_flags")).map(([id, n]) => [id, Number(n)]));
  assert.deepEqual(flags, Object.fromEntries(seeded.redFlags));

  const funnel = Object.fromEntries((await rowsOf(page, "funnel")).map(([id, ...n]) => [id, n.map(Number)]));
  assert.deepEqual(funnel.warning_signs, [7, 0, 1], "all seven reached the first question; one is still there");
  assert.deepEqual(funnel.injury, [4, 0, 1], "four reached injury (EMERGENCY ends before it, one stopped before it); one is still there");
  assert.deepEqual(await rowsOf(page, "typed_answers"), [["warning_signs", ...(await typedCounts())]]);

  const actions = Object.fromEntries((await rowsOf(page, "actions_offered")).map(([a, n]) => [a, Number(n)]));
  assert.equal(actions["Call emergency services"], 2);
  assert.equal(actions["Book a massage"], 1);
  assert.equal(await statOf(page, "median_minutes"), "0-1");
  assert.ok(Number(await statOf(page, "median_questions")) >= 1);
  assert.equal(await page.locator("canvas").count(), 5, "five charts drawn");

  // Privacy: nothing the page received names a session or a record, or holds typed text.
  assert.ok(received.length >= 1);
  for (const body of received) {
    for (const id of [...seeded.sessionIds, ...seeded.recordIds]) assert.ok(!body.includes(id), "no session or record id");
    assert.ok(!body.includes(typedText.understood) && !body.includes(typedText.notUnderstood), "no typed text");
    assert.doesNotMatch(body, /"sessionId"|"recordId"/);
  }

  // The key is kept for the tab: a reload shows the report without asking.
  await page.reload();
  await page.locator('[data-stat="started"]').waitFor();
  assert.equal(await page.locator("#admin-key").count(), 0);
  await context.close();
  assert.deepEqual(problems, []);
});

/** The typed answers at the first question, as the SMS conversation gave them: [accepted, confirmed, asked again]. */
async function typedCounts() {
  const report = await getReport(`Bearer ${reportsKey}`);
  const first = report.body.questions.find((q) => q.questionId === "warning_signs");
  const accepted = Number(first.typedAccepted ?? 0);
  const confirmed = Number(first.typedConfirmed ?? 0);
  assert.equal(accepted + confirmed, 1, "the understood answer is counted once");
  assert.equal(Number(first.typedAskedAgain), 1, "the gibberish is counted as asked again");
  return [String(accepted), String(confirmed), "1"];
}

test("the filters narrow the report: channel, language, period", async () => {
  const { page, context, problems } = await openDashboard({ width: 1280, height: 800 });
  await enterKey(page, reportsKey);
  await page.locator('[data-stat="started"]').waitFor();
  await page.locator("#channel").selectOption({ label: "SMS" });
  await applyFilters(page);
  assert.equal(await statOf(page, "started"), "1");
  assert.deepEqual(await rowsOf(page, "outcomes"), [["Emergency", "0"], ["Urgent", "0"], ["See a doctor", "0"], ["Self-care", "1"]]);
  await page.locator("#channel").selectOption({ label: "All" });
  await page.locator("#language").selectOption("es");
  await applyFilters(page);
  assert.equal(await statOf(page, "started"), "1");
  assert.deepEqual((await rowsOf(page, "outcomes"))[2], ["See a doctor", "1"]);
  await page.locator("#language").selectOption("");
  await page.locator("#from-day").fill("2026-01-01");
  await page.locator("#to-day").fill("2026-01-03");
  await applyFilters(page);
  assert.equal(await statOf(page, "started"), "0");
  assert.equal((await rowsOf(page, "days")).length, 3);
  await context.close();
  assert.deepEqual(problems, []);
});

test("every table downloads as CSV with the numbers shown", async () => {
  const { page, context } = await openDashboard({ width: 1280, height: 800 });
  await enterKey(page, reportsKey);
  await page.locator('[data-stat="started"]').waitFor();
  const tables = await page.locator("table[data-table]").evaluateAll((all) => all.map((t) => t.dataset.table));
  assert.deepEqual(tables, ["days", "outcomes", "red_flags", "funnel", "typed_answers", "questions_to_outcome",
    "minutes_to_outcome", "actions_offered"]);
  for (const name of tables) {
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator(`button[data-csv="${name}"]`).click()]);
    assert.equal(download.suggestedFilename(), `${name}.csv`);
    const csv = readFileSync(await download.path(), "utf8");
    const lines = csv.trimEnd().split("\r\n");
    const shown = await rowsOf(page, name);
    assert.equal(lines.length, shown.length + 1, `${name}: a header and every row`);
    shown.forEach((row, i) => assert.equal(lines[i + 1], row.map((cell) => `"${cell}"`).join(","), `${name}: row ${i + 1}`));
  }
  await context.close();
});

test("in Spanish, at a tablet's size and a desktop's, the page fits and is saved as screenshots", async () => {
  for (const [language, viewport] of [["en", { width: 768, height: 1024 }], ["en", { width: 1280, height: 800 }], ["es", { width: 768, height: 1024 }]]) {
    const { page, context, problems } = await openDashboard(viewport, `?lang=${language}`);
    await enterKey(page, reportsKey);
    await page.locator('[data-stat="started"]').waitFor();
    if (language === "es") {
      assert.match(await page.locator("h1").innerText(), /el panel de la clínica/);
      assert.equal(await page.locator('[data-stat="started"] .label').innerText(), "Iniciadas");
      assert.equal(await page.evaluate(() => document.documentElement.lang), "es");
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `nothing scrolls sideways at ${viewport.width}x${viewport.height} (${overflow} px)`);
    const small = await page.locator("button, select, input").evaluateAll((all) =>
      all.filter((e) => e.getBoundingClientRect().height < 32).map((e) => e.outerHTML.slice(0, 60)),
    );
    assert.deepEqual(small, [], "controls are big enough to tap");
    const name = `dashboard-${viewport.width}x${viewport.height}-${language}`;
    await page.screenshot({ path: join(env.artifacts, `${name}.png`) });
    await page.screenshot({ path: join(env.artifacts, `${name}-full.png`), fullPage: true });
    await context.close();
    assert.deepEqual(problems, []);
  }
});
