// Drives the widget on a page the way a patient does, through its shadow
// root (Playwright's CSS locators pierce open shadow roots).
import assert from "node:assert/strict";

export const MAX_TURNS = 25; // every path has at most 14 questions

export function widget(page) {
  return {
    launcher: page.locator(".launcher"),
    panel: page.locator(".panel"),
    choices: page.locator(".choices"),
    input: page.locator("form input"),
    status: page.locator(".status"),
    outcome: page.locator(".outcome"),
    back: page.locator("footer button").first(),
  };
}

/** Waits until the widget is idle and returns the question id on screen, or null at an outcome. */
export async function currentQuestion(page) {
  const w = widget(page);
  await page.locator('.panel[aria-busy="false"]').waitFor();
  if ((await w.outcome.count()) > 0) return null;
  await page.locator(".choices[data-question]").waitFor();
  return w.choices.getAttribute("data-question");
}

/** Answers the question on screen by clicking its options. */
export async function clickAnswer(page, optionIds) {
  const w = widget(page);
  const checklist = w.choices.locator("fieldset");
  if ((await checklist.count()) > 0) {
    for (const id of optionIds) await checklist.locator(`input[value="${id}"]`).check();
    await w.choices.locator("button.primary").click();
  } else {
    assert.equal(optionIds.length, 1);
    await w.choices.locator(`button[data-option="${optionIds[0]}"]`).click();
  }
}

/** Clicks through `answers` until an outcome; returns its level. */
export async function clickToOutcome(page, answers) {
  for (let turn = 0; turn < MAX_TURNS; turn++) {
    const question = await currentQuestion(page);
    if (question === null) return widget(page).outcome.getAttribute("data-level");
    assert.ok(answers[question], `no answer for question ${question}`);
    await clickAnswer(page, answers[question]);
  }
  throw new Error(`no outcome after ${MAX_TURNS} answers`);
}
