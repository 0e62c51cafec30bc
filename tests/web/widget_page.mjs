// Drives the widget on a page the way a patient does, through its shadow
// root (Playwright's CSS locators pierce open shadow roots).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export const MAX_TURNS = 25; // every path has at most 14 questions

export function widget(page) {
  return {
    launcher: page.locator(".launcher"),
    panel: page.locator(".panel"),
    choices: page.locator(".choices"),
    actions: page.locator(".actions"),
    input: page.locator("form input"),
    status: page.locator(".status"),
    outcome: page.locator(".outcome"),
    back: page.locator(".bottom button").first(),
    restart: page.locator(".bottom button").last(),
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
    await w.actions.locator("button.primary").click();
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

/**
 * The WCAG contrast ratio of an element's text against its background (the
 * first opaque background among it and its ancestors, across the shadow
 * boundary; white if none).
 */
export async function contrastOf(locator) {
  return locator.evaluate((node) => {
    const parse = (css) => (css.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]) => {
      const lin = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    let background = [255, 255, 255];
    for (let n = node; n; n = n.parentElement ?? n.getRootNode()?.host) {
      const rgba = parse(getComputedStyle(n).backgroundColor);
      if (rgba.length === 3 || (rgba.length === 4 && rgba[3] === 1)) {
        background = rgba.slice(0, 3);
        break;
      }
    }
    const text = luminance(parse(getComputedStyle(node).color).slice(0, 3));
    const back = luminance(background);
    return (Math.max(text, back) + 0.05) / (Math.min(text, back) + 0.05);
  });
}

/** axe-core's violations on the whole page (shadow roots included), one line each. */
export async function axeViolations(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ["violations"] });
    return results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" > ")).join(", ")}`);
  });
}
