// The printable summary ("Print or save for your doctor"), served by
// BackChat at /summary/ and opened from the outcome card in a new tab:
// /summary/#session=ID. The session id travels in the fragment, which the
// browser never sends to a server. The page reads the session (GetSession:
// its answers and outcome) and lays it out for paper; the print stylesheet
// hides the print button.

import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { TriageService } from "../gen/backchat/triage/v1/triage_pb.js";
import type { Turn } from "../gen/backchat/triage/v1/types_pb.js";
import { el } from "./dom";
import { levelOf, renderOutcome } from "./outcome_card";
import { stringsFor } from "./strings";

async function main(): Promise<void> {
  const root = document.getElementById("summary")!;
  const sessionId = new URLSearchParams(location.hash.slice(1)).get("session") ?? "";
  const client = createClient(TriageService, createConnectTransport({ baseUrl: location.origin }));
  let turn: Turn | undefined;
  try {
    turn = sessionId ? (await client.getSession({ sessionId }, { timeoutMs: 10000 })).turn : undefined;
  } catch {
    turn = undefined;
  }
  const t = stringsFor(turn?.locale || navigator.language || "en");
  if (!turn || turn.step.case !== "outcome") {
    root.replaceChildren(el("p", { class: "gone" }, t.summary.gone));
    return;
  }
  const outcome = turn.step.value;
  document.documentElement.lang = turn.locale;
  document.title = t.summary.title;
  const print = el("button", { type: "button", class: "primary print-button" }, t.summary.print);
  print.addEventListener("click", () => window.print());
  const answers = el("dl", { class: "answers" });
  for (const answered of turn.answers) {
    answers.append(el("dt", {}, answered.questionText), el("dd", {}, answered.chosen.map((o) => o.label).join("; ")));
  }
  const date = new Date().toLocaleDateString(turn.locale, { year: "numeric", month: "long", day: "numeric" });
  root.replaceChildren(
    el("h1", {}, t.summary.title),
    el("p", {}, t.summary.intro),
    el(
      "dl",
      { class: "facts" },
      el("dt", {}, t.summary.date),
      el("dd", {}, date),
      el("dt", {}, t.summary.result),
      el("dd", { "data-level": levelOf(outcome.level)[1] }, t.levels[levelOf(outcome.level)[1]]),
      el("dt", {}, t.summary.dialog),
      el("dd", {}, `${turn.dialogId} ${turn.dialogVersion}`),
    ),
    print,
    el("h2", {}, t.summary.result),
    renderOutcome(outcome, t),
    el("h2", {}, t.summary.answers),
    answers,
  );
}

main();
