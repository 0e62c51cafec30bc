// `backchat dialog report` opened in headless Chromium: the page renders
// with no console error, shows every red flag with its source, the picture
// and the approval; the report of an unapproved edit says so and shows the
// less urgent change against the approved version.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { env } from "./support.mjs";

const work = mkdtempSync(join(tmpdir(), "backchat-report-"));
let browser;
before(async () => {
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
});
after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

function cli(...args) {
  return execFileSync(env.cli, args, { encoding: "utf8", timeout: 30000, stdio: ["ignore", "pipe", "pipe"] });
}

/** Opens a report; returns the page and every console error and page error. */
async function open(file) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(`file://${file}`);
  return { page, errors };
}

test("the safety report of an approved dialog renders, with every red flag and its source", async () => {
  const approved = join(work, "approved");
  cpSync(join(env.sourceDir, "dialogs"), approved, { recursive: true });
  const version = /version ([0-9a-f]{16})/.exec(cli("dialog", "check", approved))[1];
  writeFileSync(
    join(approved, "approvals.txtpb"),
    `approvals { dialog: "back_pain" version: "${version}" approver: "Dr Ada Reviewer" role: "Clinical safety officer" date: "2026-12-02" }\n`,
  );
  const file = join(work, "approved.html");
  cli("dialog", "report", join(approved, "back_pain.textproto"), file);
  const { page, errors } = await open(file);
  assert.deepEqual(errors, []);
  assert.match(await page.locator("h1").innerText(), /Safety report/);
  assert.match(await page.locator(".approved").innerText(), /Dr Ada Reviewer/);
  const rows = page.locator("h2:has-text('Red flags') + table tbody tr");
  assert.equal(await rows.count(), 23);
  assert.equal(await page.locator(".missing").count(), 0, "every red flag names its source");
  assert.ok((await page.locator(".picture svg").count()) === 1, "the dialog picture is there");
  assert.doesNotMatch(readFileSync(file, "utf8"), /<script|https?:\/\/(?!www\.w3\.org)/, "self-contained");
  await page.screenshot({ path: join(env.artifacts, "safety_report.png"), fullPage: false });
  await page.close();
});

test("the report of an unapproved edit says so and shows the less urgent change", async () => {
  const approved = join(work, "approved");
  const edited = join(work, "edited");
  cpSync(approved, edited, { recursive: true });
  const base = join(edited, "back_pain.textproto");
  writeFileSync(
    base,
    readFileSync(base, "utf8").replace(
      'id: "both_legs_neurological"\n  level: LEVEL_EMERGENCY',
      'id: "both_legs_neurological"\n  level: LEVEL_SEE_DOCTOR',
    ),
  );
  const file = join(work, "edited.html");
  cli("dialog", "report", base, file, approved);
  const { page, errors } = await open(file);
  assert.deepEqual(errors, []);
  assert.match(await page.locator(".unapproved").innerText(), /Not approved/);
  const since = await page.locator("h2:has-text('Since the last approved version') + p + pre").innerText();
  assert.match(since, /!! LESS URGENT: level EMERGENCY -> /);
  assert.match(since, /red flag level changed: red flag both_legs_neurological/);
  await page.close();
});
