// The outcome card, shown by the widget and by the printable summary.

import { ActionKind, Level, type Outcome, type OutcomeAction } from "../gen/backchat/triage/v1/types_pb.js";
import { el, list } from "./dom";
import type { UiStrings } from "./strings";

export type LevelKey = keyof UiStrings["levels"];

const levels: Record<number, [string, LevelKey]> = {
  [Level.EMERGENCY]: ["level-emergency", "emergency"],
  [Level.URGENT]: ["level-urgent", "urgent"],
  [Level.SEE_DOCTOR]: ["level-see-doctor", "seeDoctor"],
  [Level.SELF_CARE]: ["level-self-care", "selfCare"],
};

/** The CSS class and strings key of a level; an unknown level is shown as urgent. */
export function levelOf(level: Level): [string, LevelKey] {
  return levels[level] ?? ["level-urgent", "urgent"];
}

/**
 * The card. The headline comes first, then what to do (the outcome's
 * actions: for EMERGENCY the call button, first and largest), then why and
 * the plan. EMERGENCY's card is an alert, read out at once, and carries no
 * massage content. `extra` goes after the disclaimer (the summary link).
 */
export function renderOutcome(outcome: Outcome, t: UiStrings, ...extra: Node[]): HTMLElement {
  const [cssClass, levelKey] = levelOf(outcome.level);
  const emergency = outcome.level === Level.EMERGENCY;
  const card = el("div", { class: `outcome ${cssClass}`, "data-level": levelKey });
  if (emergency) card.setAttribute("role", "alert");
  card.append(el("span", { class: "badge" }, t.levels[levelKey]), el("h3", {}, outcome.headline));
  if (outcome.actions.length > 0) {
    card.append(el("div", { class: "care" }, ...outcome.actions.map((action, i) => actionLink(action, i === 0))));
  }
  card.append(el("p", {}, outcome.nextSteps));
  if (outcome.redFlags.length > 0) {
    card.append(el("h4", {}, t.why), list(outcome.redFlags.map((flag) => flag.reason)));
  }
  const plan = emergency ? undefined : outcome.selfCare;
  if (plan?.technique) {
    card.append(
      el("h4", {}, `${t.technique}: ${plan.technique.name}`),
      el("p", {}, plan.technique.description),
      el("p", {}, plan.technique.reason),
      el("h4", {}, t.frequency),
      el("p", {}, plan.frequency),
      ...(plan.frequencyNote ? [el("p", {}, plan.frequencyNote)] : []),
      el("h4", {}, t.sessionLength),
      el("p", {}, plan.sessionLength),
    );
    const sections: [string, string[]][] = [
      [t.beforeSession, plan.beforeSession],
      [t.afterSession, plan.afterSession],
      [t.selfMassage, plan.selfMassage],
      [t.watchFor, plan.watchFor],
    ];
    for (const [heading, items] of sections) {
      if (items.length > 0) card.append(el("h4", {}, heading), list(items));
    }
  }
  if (outcome.disclaimer) card.append(el("p", { class: "disclaimer" }, outcome.disclaimer));
  card.append(...extra);
  return card;
}

const actionNames: Record<number, string> = {
  [ActionKind.CALL_EMERGENCY]: "call-emergency",
  [ActionKind.CALL_URGENT]: "call-urgent",
  [ActionKind.CALL_CLINIC]: "call-clinic",
  [ActionKind.BOOK]: "book",
};

// A call is a tel: link (one tap on a phone); booking opens the clinic's
// page in a new tab, keeping the conversation. Only tel:, http: and https:
// targets are followed, whatever the server sends.
function actionLink(action: OutcomeAction, first: boolean): HTMLElement {
  const name = actionNames[action.kind] ?? "other";
  const safe = /^(tel:\+?[0-9]+|https?:\/\/\S+)$/i.test(action.target);
  if (!safe) return el("p", { class: "action", "data-action": name }, `${action.label}: ${action.display}`);
  const attributes: Record<string, string> = { class: first ? "action first" : "action", href: action.target, "data-action": name };
  if (action.kind === ActionKind.BOOK) Object.assign(attributes, { target: "_blank", rel: "noopener" });
  return el("a", attributes, action.label);
}
