// The widget on every screen, in a real headless Chromium: at each size
// (phones upright and on their side, a tablet, laptops, 200% zoom) and in
// each state (the first question, a checklist, a single choice, a proposed
// reading, each outcome), the panel fits the viewport, nothing is clipped
// or overlaps, nothing scrolls sideways, and the question with its help
// text, its first options and the primary action are in view without
// scrolling. Also: axe-core finds no violation (every state, a phone and a
// desktop, English and Spanish), and a page with a strict
// Content-Security-Policy shows the same widget.
//
// States are reached through the API and opened in the widget as a
// conversation in progress (the widget resumes it), which also tests that
// the transcript is rebuilt after a reload.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { callApi, env, paths, sessionAt, useTestbed } from "./support.mjs";
import { axeViolations, clickToOutcome, currentQuestion, widget } from "./widget_page.mjs";

const sizes = [
  { name: "320x568", viewport: { width: 320, height: 568 }, mobile: true },
  { name: "360x640", viewport: { width: 360, height: 640 }, mobile: true },
  { name: "390x844", viewport: { width: 390, height: 844 }, mobile: true },
  { name: "414x896", viewport: { width: 414, height: 896 }, mobile: true },
  { name: "844x390", viewport: { width: 844, height: 390 }, mobile: true },
  { name: "768x1024", viewport: { width: 768, height: 1024 }, mobile: true },
  { name: "1280x800", viewport: { width: 1280, height: 800 } },
  { name: "1366x768", viewport: { width: 1366, height: 768 } },
  // 200% zoom: a 1280x800 window showing 640x400 CSS pixels, each two
  // device pixels wide, which is what browser zoom does to a page.
  { name: "1280x800@200%", viewport: { width: 640, height: 400 }, scale: 2 },
];

// Each state: how to reach it through the API, and what must be in view.
const states = {
  "first-question": { answers: paths.selfCare, stopAt: "warning_signs" },
  "single-choice": { answers: paths.selfCare, stopAt: "injury" },
  "proposed-reading": { answers: paths.selfCare, stopAt: "injury", typed: { en: "a serious accident", es: "un accidente grave" } },
  ...Object.fromEntries(Object.entries(paths).map(([level, answers]) => [`outcome-${level}`, { answers }])),
};

const bed = useTestbed();

/** Opens the clinic page with the widget resuming a session in `state`. */
async function openAt(size, state, locale = "en", query = "") {
  const { answers, stopAt, typed } = states[state];
  const { sessionId } = await sessionAt(bed.backchat.origin, locale, answers, stopAt);
  if (typed) {
    const turn = await callApi(bed.backchat.origin, "SubmitAnswer", { sessionId, text: typed[locale] });
    assert.ok(turn.confirmation, `"${typed[locale]}" was not proposed for confirmation`);
  }
  const context = await bed.browser.newContext({
    viewport: size.viewport,
    deviceScaleFactor: size.scale ?? 1,
    isMobile: size.mobile ?? false,
    hasTouch: size.mobile ?? false,
  });
  // The widget keeps its session id in sessionStorage, per server and locale.
  await context.addInitScript(
    ([key, id]) => window.sessionStorage.setItem(key, id),
    [`backchat:session:${bed.backchat.origin}:${locale}`, sessionId],
  );
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  await page.goto(`${bed.clinic.origin}/?locale=${locale}${query}`);
  await currentQuestion(page);
  return { page, context, errors };
}

// Every box the layout promises, measured in the page.
async function measure(page) {
  return page.evaluate(() => {
    const shadow = document.querySelector("[data-backchat-widget]").shadowRoot;
    const box = (node) => {
      if (!node) return null;
      const r = node.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height };
    };
    const panel = shadow.querySelector(".panel");
    const parts = [...panel.children]
      .filter((child) => child.getClientRects().length > 0)
      .map((child) => ({ name: child.className || child.tagName, ...box(child) }));
    const body = shadow.querySelector(".body");
    const last = (selector) => [...shadow.querySelectorAll(selector)].pop() ?? null;
    const asking = shadow.querySelector(".choices[data-question]") !== null;
    const question = asking ? last(".log > .msg.question") : null;
    const card = shadow.querySelector(".outcome");
    return {
      viewport: { width: window.innerWidth, height: window.innerHeight },
      pageScrollWidth: document.documentElement.scrollWidth,
      panel: box(panel),
      panelOverflowX: panel.scrollWidth - panel.clientWidth,
      bodyOverflowX: body.scrollWidth - body.clientWidth,
      parts,
      body: box(body),
      question: box(question),
      help: box(question?.querySelector(".help")),
      lastMessage: asking ? box(last(".log > .msg.bot")) : null,
      firstOption: box(shadow.querySelector(".choices .choice, .choices .check")),
      primary: box(shadow.querySelector(".actions button") ?? shadow.querySelector(".choices .choice")),
      cardTop: box(card?.querySelector(".badge")),
      headline: box(card?.querySelector("h3")),
      firstAction: box(card?.querySelector(".action")),
    };
  });
}

const within = (inner, outer, slack = 0.5) =>
  inner.top >= outer.top - slack &&
  inner.bottom <= outer.bottom + slack &&
  inner.left >= outer.left - slack &&
  inner.right <= outer.right + slack;

function assertFits(m, where) {
  const screen = { top: 0, left: 0, bottom: m.viewport.height, right: m.viewport.width };
  assert.ok(within(m.panel, screen), `${where}: the panel ${JSON.stringify(m.panel)} leaves the ${JSON.stringify(m.viewport)} viewport`);
  assert.ok(m.pageScrollWidth <= m.viewport.width, `${where}: the page scrolls sideways (${m.pageScrollWidth}px)`);
  assert.ok(m.panelOverflowX <= 0 && m.bodyOverflowX <= 0, `${where}: the panel scrolls sideways`);
  if (m.viewport.width <= 480 || m.viewport.height <= 500) {
    assert.ok(m.panel.height >= m.viewport.height - 1 && m.panel.right - m.panel.left >= m.viewport.width - 1, `${where}: not a full-screen sheet`);
  }
  // The bars, the scroll area and the controls: inside the panel, in order, not overlapping.
  for (let i = 0; i < m.parts.length; i++) {
    const part = m.parts[i];
    assert.ok(within(part, m.panel), `${where}: ${part.name} is cut off by the panel`);
    if (i > 0) assert.ok(part.top >= m.parts[i - 1].bottom - 0.5, `${where}: ${part.name} overlaps ${m.parts[i - 1].name}`);
  }
  const inView = (name, node) => {
    assert.ok(node, `${where}: no ${name}`);
    assert.ok(node.height > 0 && within(node, m.body), `${where}: the ${name} ${JSON.stringify(node)} is not in view in ${JSON.stringify(m.body)}`);
  };
  if (m.question) {
    inView("question", m.question);
    if (m.help) inView("help text", m.help);
    inView("newest message", m.lastMessage);
    inView("first option", m.firstOption);
    assert.ok(m.primary && within(m.primary, m.panel), `${where}: the primary action is not in view`);
    assert.ok(m.primary.top >= m.body.top - 0.5, `${where}: the primary action is above the question`);
  } else {
    inView("outcome level", m.cardTop);
    inView("outcome headline", m.headline);
    if (m.firstAction) inView("first outcome action", m.firstAction);
  }
}

for (const size of sizes) {
  test(`fits ${size.name} in every state`, async () => {
    for (const state of Object.keys(states)) {
      const { page, context, errors } = await openAt(size, state);
      assertFits(await measure(page), `${size.name} ${state}`);
      // For people to look at (the README shows some): build/test-artifacts/web/.
      if (["first-question", "proposed-reading", "outcome-emergency", "outcome-selfCare"].includes(state)) {
        await page.screenshot({ path: join(env.artifacts, `widget-${size.name}-${state}.png`) });
      }
      assert.deepEqual(errors, [], `${size.name} ${state}: errors in the page`);
      await context.close();
    }
  });
}

for (const locale of ["en", "es"]) {
  for (const size of [sizes[2], sizes[6]]) {
    test(`axe-core finds no violation: ${locale}, ${size.name}, every state`, async () => {
      const found = [];
      for (const state of Object.keys(states)) {
        const { page, context } = await openAt(size, state, locale);
        for (const violation of await axeViolations(page)) found.push(`${state}: ${violation}`);
        await context.close();
      }
      assert.deepEqual(found, []);
    });
  }
}

test("the launcher alone (closed widget) has no axe violation", async () => {
  const context = await bed.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${bed.clinic.origin}/`);
  await widget(page).launcher.waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await context.close();
});

test("a strict Content-Security-Policy: the same widget, styled, to an outcome, with no violation", async () => {
  const context = await bed.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const response = await page.goto(`${bed.clinic.origin}/?csp=strict`);
  assert.match(response.headers()["content-security-policy"], /style-src http:\/\/127\.0\.0\.1:\d+;/);
  const w = widget(page);
  // Styled: the launcher is fixed in the corner in the clinic's colour.
  await w.launcher.waitFor();
  assert.equal(await w.launcher.evaluate((b) => getComputedStyle(b).position), "fixed");
  assert.equal(await w.launcher.evaluate((b) => getComputedStyle(b).backgroundColor), "rgb(44, 74, 62)");
  await w.launcher.click();
  assert.equal(await currentQuestion(page), "warning_signs");
  assertFits(await measure(page), "strict CSP first question");
  assert.equal(await clickToOutcome(page, paths.emergency), "emergency");
  assertFits(await measure(page), "strict CSP emergency");
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  await context.close();
});
