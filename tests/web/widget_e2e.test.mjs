// End-to-end: the example clinic page in a real headless Chromium embeds
// the widget from the BackChat server on another port (cross-origin, so
// CORS is exercised), and a patient clicks, types, reloads, goes back,
// loses the network and uses only the keyboard.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { callApi, env, paths, startClinicSite, useTestbed } from "./support.mjs";
import { axeViolations, clickAnswer, clickToOutcome, contrastOf, currentQuestion, MAX_TURNS, widget } from "./widget_page.mjs";

const bed = useTestbed();

async function openWidget(options = {}) {
  const context = await bed.browser.newContext(options.context ?? {});
  const page = await context.newPage();
  page.setDefaultTimeout(10000); // well below the runner's own limit
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  await page.goto(`${bed.clinic.origin}/${options.locale ? `?locale=${options.locale}` : ""}`);
  await widget(page).launcher.click();
  await currentQuestion(page);
  return { page, context, errors };
}

// What each level offers, from tests/web/care_contacts.textproto: the
// first action and the kinds after it. Booking only ever after SELF_CARE.
const expectedActions = {
  emergency: [["call-emergency", "tel:999", "Call 999 now"]],
  urgent: [["call-urgent", "tel:111", "Call the urgent care line: 111"]],
  seeDoctor: [["call-clinic", "tel:+442079460000", "Call the clinic: +44 20 7946 0000"]],
  selfCare: [
    ["book", "https://riverside.example/book", "Book a massage"],
    ["call-clinic", "tel:+442079460000", "Call the clinic: +44 20 7946 0000"],
  ],
};

for (const [level, answers] of Object.entries(paths)) {
  test(`clicking through reaches ${level}, with its actions`, async () => {
    const { page, context, errors } = await openWidget();
    assert.equal(await clickToOutcome(page, answers), level);
    const card = widget(page).outcome;
    const actions = await card.locator(".action").evaluateAll((nodes) =>
      nodes.map((n) => [n.dataset.action, n.getAttribute("href"), n.textContent]),
    );
    assert.deepEqual(actions, expectedActions[level]);
    // One restart control on an outcome screen.
    assert.equal(await page.getByRole("button", { name: /start over|new conversation/i }).count(), 1);
    if (level === "emergency") {
      assert.equal(await card.getAttribute("role"), "alert");
      // The call for help comes first, as the card's heading, then the call
      // button, the largest control on the card; no massage advice.
      assert.match(await card.locator("h3").innerText(), /emergency/i);
      const call = await card.locator(".action").first().boundingBox();
      const heading = await card.locator("h3").boundingBox();
      assert.ok(call.y > heading.y);
      for (const other of await page.locator(".panel button, .panel a").all()) {
        const box = await other.boundingBox();
        if (box) assert.ok(box.height <= call.height && box.width <= call.width + 0.5, `${await other.innerText()} is larger than the call button`);
      }
      assert.equal(await card.getByText(/Technique/).count(), 0);
    }
    if (level === "selfCare") {
      assert.match(await card.innerText(), /Technique: /);
      assert.match(await card.innerText(), /How often/);
      assert.equal(await card.locator('.action[data-action="book"]').getAttribute("target"), "_blank");
    }
    if (level === "urgent" || level === "seeDoctor") {
      assert.match(await card.innerText(), /Why/);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("typed answers are understood, and unclear ones are asked again", async () => {
  const { page, context } = await openWidget();
  const w = widget(page);
  await w.input.fill("banana");
  await w.input.press("Enter");
  assert.equal(await currentQuestion(page), "warning_signs");
  await page.locator(".msg.notice").first().waitFor();
  await w.input.fill("none of these");
  await w.input.press("Enter");
  assert.equal(await currentQuestion(page), "injury");
  // The exact label was taken as it stands, and is read back.
  assert.match(await page.locator(".msg.notice").last().textContent(), /You said: None of these/);
  // Other words on a red-flag question are proposed first: Yes and No
  // above the options. No asks again; Yes records it.
  await w.input.fill("a serious accident");
  await w.input.press("Enter");
  assert.equal(await currentQuestion(page), "injury");
  const confirm = page.locator(".confirm button");
  assert.equal(await confirm.count(), 2);
  assert.match(await page.locator(".msg.bot").last().textContent(), /I understood: A serious accident/);
  await page.locator('.confirm button[data-confirm="no"]').click();
  assert.equal(await currentQuestion(page), "injury");
  assert.equal(await page.locator(".confirm").count(), 0);
  await w.input.fill("a serious accident");
  await w.input.press("Enter");
  await page.locator('.confirm button[data-confirm="yes"]').click();
  assert.equal(await currentQuestion(page), null);
  assert.equal(await w.outcome.getAttribute("data-level"), "emergency");
  await context.close();
});

test("a reload mid-conversation resumes where it was, with the transcript", async () => {
  const { page, context } = await openWidget();
  await clickAnswer(page, ["none"]);
  assert.equal(await currentQuestion(page), "injury");
  await clickAnswer(page, ["no_injury"]);
  const before = await currentQuestion(page);
  // Each message's class and own text (help texts are not replayed).
  const transcript = () => page.locator(".log > .msg").evaluateAll((nodes) => nodes.map((n) => `${n.className}: ${n.firstChild.textContent}`));
  const shown = await transcript();
  await page.reload();
  // The widget reopens by itself with the same session and the same
  // questions and answers on screen.
  assert.equal(await currentQuestion(page), before);
  assert.deepEqual(await transcript(), shown.map((line) => line.replace(" unsent", "")));
  assert.equal(await page.locator(".msg.user").nth(1).innerText(), "No, it came on by itself");
  assert.equal(await clickToOutcome(page, paths.selfCare), "selfCare");
  await context.close();
});

test("an answer that failed is replaced by the next one, not left in the transcript", async () => {
  const { page, context } = await openWidget();
  const w = widget(page);
  // The first answer is refused (not a network failure: no retry), the
  // second goes through.
  let refused = 0;
  await page.route("**/SubmitAnswer", async (route) => {
    if (refused++ === 0) {
      await route.fulfill({ status: 400, contentType: "application/json", body: JSON.stringify({ code: "invalid_argument", message: "refused for the test" }) });
    } else {
      await route.continue();
    }
  });
  await clickAnswer(page, ["both_legs"]);
  await w.status.getByText(/refused for the test/).waitFor();
  assert.equal(await page.locator(".msg.user.unsent").count(), 1);
  await w.choices.locator('input[value="both_legs"]').uncheck();
  await clickAnswer(page, ["none"]);
  assert.equal(await currentQuestion(page), "injury");
  assert.deepEqual(await page.locator(".msg.user").allInnerTexts(), ["None of these"]);
  await context.close();
});

test("the printable summary: answers, level, red flags, dialog version and date, printed to PDF", async () => {
  const { page, context } = await openWidget();
  assert.equal(await clickToOutcome(page, paths.urgent), "urgent");
  const [summary] = await Promise.all([context.waitForEvent("page"), widget(page).outcome.locator("a.print").click()]);
  await summary.locator("h1").waitFor();
  // The id travels in the fragment only.
  assert.match(summary.url(), /\/summary\/#session=[0-9a-f]{32}$/);
  const pdf = join(env.artifacts, "summary.pdf");
  await summary.pdf({ path: pdf, format: "A4" });
  const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
  // The session behind the page, read as the page reads it.
  const sessionId = new URL(summary.url()).hash.replace("#session=", "");
  const turn = await callApi(bed.backchat.origin, "GetSession", { sessionId });
  assert.match(text, /summary for your doctor/);
  assert.match(text, /Urgent: see a doctor today/);
  assert.match(text, /fever/i); // the red flag that fired
  assert.ok(text.includes(turn.dialogVersion), "no dialog version");
  assert.ok(text.includes(new Date().toLocaleDateString("en", { year: "numeric", month: "long", day: "numeric" })), "no date");
  // Every question answered, as the widget's transcript showed them.
  assert.equal(turn.answers.length, await page.locator(".msg.user").count());
  for (const answered of turn.answers) {
    assert.ok(text.includes(answered.questionText.replace(/\s+/g, " ")), `no question ${answered.questionId}`);
    for (const option of answered.chosen) assert.ok(text.includes(option.label), `no answer ${option.label}`);
  }
  assert.ok(!text.includes("Print or save as PDF"), "the print button is printed");
  assert.deepEqual(await axeViolations(summary), []);
  await context.close();
});

test("back withdraws the last answer", async () => {
  const { page, context } = await openWidget();
  const w = widget(page);
  assert.equal(await w.back.isDisabled(), true);
  await clickAnswer(page, ["none"]);
  assert.equal(await currentQuestion(page), "injury");
  await w.back.click();
  assert.equal(await currentQuestion(page), "warning_signs");
  await clickAnswer(page, ["saddle_numbness"]);
  assert.equal(await currentQuestion(page), null);
  assert.equal(await w.outcome.getAttribute("data-level"), "emergency");
  await context.close();
});

test("\"Why are we asking?\" shows and hides the question's reason", async () => {
  const { page, context } = await openWidget();
  const button = page.locator(".msg.question button.why").last();
  const reason = page.locator(".msg.question .why-text").last();
  assert.equal(await button.innerText(), "Why are we asking?");
  assert.equal(await reason.isVisible(), false);
  await button.click();
  assert.equal(await button.getAttribute("aria-expanded"), "true");
  assert.equal(await reason.isVisible(), true);
  assert.ok((await reason.innerText()).length > 20);
  assert.equal(await button.getAttribute("aria-controls"), await reason.getAttribute("id"));
  await button.click();
  assert.equal(await reason.isVisible(), false);
  assert.equal(await currentQuestion(page), "warning_signs", "the question stays");
  await context.close();
});

test("the widget works with the keyboard alone", async () => {
  const context = await bed.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${bed.clinic.origin}/`);
  // Tab from the page's own controls to the launcher.
  for (let i = 0; i < 5 && !(await widget(page).launcher.evaluate((b) => b.matches(":focus"))); i++) {
    await page.keyboard.press("Tab");
  }
  await page.keyboard.press("Enter");
  const answers = paths.seeDoctor;
  for (let turn = 0; turn < MAX_TURNS; turn++) {
    const question = await currentQuestion(page);
    if (question === null) break;
    // Focus starts on the first option; move with Tab, choose with Space/Enter.
    const w = widget(page);
    const checklist = (await w.choices.locator("fieldset").count()) > 0;
    const ids = await w.choices
      .locator(checklist ? "input[type=checkbox]" : "button[data-option]")
      .evaluateAll((nodes) => nodes.map((n) => n.value || n.dataset.option));
    const target = ids.indexOf(answers[question][0]);
    assert.ok(target >= 0, `${answers[question][0]} not offered for ${question}`);
    for (let i = 0; i < target; i++) await page.keyboard.press("Tab");
    if (checklist) {
      await page.keyboard.press("Space");
      for (let i = target; i < ids.length; i++) await page.keyboard.press("Tab");
    }
    await page.keyboard.press("Enter");
  }
  assert.equal(await widget(page).outcome.getAttribute("data-level"), "seeDoctor");
  // Escape closes the panel and gives focus back to the launcher.
  await page.keyboard.press("Escape");
  assert.equal(await widget(page).panel.isHidden(), true);
  assert.equal(await widget(page).launcher.evaluate((b) => b.matches(":focus")), true);
  await context.close();
});

test("a lost request offers a retry, and the answer is applied once", async () => {
  const { page, context } = await openWidget();
  const w = widget(page);
  // The request reaches the server but its reply is lost on the way back.
  let dropped = 0;
  await page.route("**/SubmitAnswer", async (route) => {
    if (dropped++ === 0) {
      await route.fetch();
      await route.abort("connectionreset");
    } else {
      await route.continue();
    }
  });
  await clickAnswer(page, ["none"]);
  const retry = w.status.getByRole("button");
  await retry.waitFor();
  assert.match(await w.status.innerText(), /could not reach/i);
  // The answer stays on screen, marked unsent, until it is confirmed.
  assert.equal(await page.locator(".msg.user.unsent").count(), 1);
  await retry.click();
  assert.equal(await currentQuestion(page), "injury");
  assert.equal(await page.locator(".msg.user.unsent").count(), 0);
  // Applied once: the server counts one answered question.
  assert.match(await page.locator(".progress").innerText(), /Question 2 of/);
  await context.close();
});

test("Spanish: the widget's own strings and the dialog's", async () => {
  const { page, context } = await openWidget({ locale: "es" });
  assert.match(await page.locator(".msg.bot").first().innerText(), /síntomas/);
  assert.equal(await widget(page).back.innerText(), "Atrás");
  assert.equal(await page.locator(".msg.question button.why").first().innerText(), "¿Por qué lo preguntamos?");
  assert.equal(await clickToOutcome(page, paths.emergency), "emergency");
  assert.match(await widget(page).outcome.locator("h3").innerText(), /emergencias/);
  const call = widget(page).outcome.locator(".action").first();
  assert.equal(await call.innerText(), "Llame ahora al 112");
  assert.equal(await call.getAttribute("href"), "tel:112");
  // The summary follows the conversation's language.
  const [summary] = await Promise.all([context.waitForEvent("page"), widget(page).outcome.locator("a.print").click()]);
  await summary.locator("h1").waitFor();
  assert.match(await summary.locator("h1").innerText(), /resumen para su médico/);
  assert.equal(await summary.evaluate(() => document.documentElement.lang), "es");
  assert.match(await summary.locator(".answers").innerText(), /Entumecimiento/);
  await context.close();
});

test("text meets WCAG AA contrast (4.5:1) at every level", async () => {
  const { page, context } = await openWidget();
  const check = async (selectors) => {
    for (const selector of selectors) {
      const ratio = await contrastOf(page.locator(selector).first());
      assert.ok(ratio >= 4.5, `${selector}: contrast ${ratio.toFixed(2)}`);
    }
  };
  await check([".top h2", ".progress span", ".msg.bot", ".msg.bot .help", ".check span", "form button", ".bottom button"]);
  await clickAnswer(page, ["none"]);
  await currentQuestion(page);
  await check([".msg.user", "button.choice"]);
  for (const [level, answers] of Object.entries(paths)) {
    await widget(page).restart.click(); // Start over: a fresh transcript
    assert.equal(await currentQuestion(page), "warning_signs");
    assert.equal(await page.locator(".msg").count(), 1);
    assert.equal(await clickToOutcome(page, answers), level);
    for (const selector of [".badge", "h3", "p", ".disclaimer", "h4", ".action"]) {
      const ratio = await contrastOf(widget(page).outcome.locator(selector).first());
      assert.ok(ratio >= 4.5, `${level} ${selector}: contrast ${ratio.toFixed(2)}`);
    }
  }
  await context.close();
});

test("the page's CSS does not reach the widget", async () => {
  const { page, context } = await openWidget();
  // The example page sets every button hot pink with !important.
  const background = await widget(page).back.evaluate((b) => getComputedStyle(b).backgroundColor);
  assert.notEqual(background, "rgb(255, 105, 180)");
  const pageButton = await page.locator("#clinic-button").evaluate((b) => getComputedStyle(b).backgroundColor);
  assert.equal(pageButton, "rgb(255, 105, 180)");
  await context.close();
});

test("a site that is not allowed cannot use the API", async () => {
  const other = await startClinicSite(() => bed.backchat.origin);
  try {
    const context = await bed.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${other.origin}/`);
    await widget(page).launcher.click();
    // The browser blocks the cross-origin call; the widget offers a retry.
    await widget(page).status.getByRole("button").waitFor();
    assert.equal(await page.locator(".choices[data-question]").count(), 0);
    await context.close();
  } finally {
    await other.close();
  }
});

test("the example page works as served by BackChat, on whatever port it listens", async () => {
  // The server listens on a port chosen at random; the page names no host.
  const context = await bed.browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  await page.goto(`${bed.backchat.origin}/example/`);
  await widget(page).launcher.click();
  assert.equal(await currentQuestion(page), "warning_signs");
  await clickAnswer(page, ["none"]);
  assert.equal(await currentQuestion(page), "injury");
  await context.close();
});
