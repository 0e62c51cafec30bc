// The chat panel inside the widget's shadow root: renders Turns, sends what
// the patient chooses or types through a Conversation, and keeps the
// controls honest (disabled while a call is in flight, so nothing is sent
// twice; a failed answer stays on screen with a retry button).

import { ConnectError } from "@connectrpc/connect";
import { Level, QuestionKind, type Confirmation, type Outcome, type Question, type Turn } from "../gen/backchat/triage/v1/types_pb.js";
import { ConfirmationReply } from "../gen/backchat/triage/v1/triage_pb.js";
import { Conversation, Unreachable, sameStep, type Answer } from "./conversation";
import type { UiStrings } from "./strings";

type Action = () => Promise<Turn>;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "class") node.className = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

export class Panel {
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLElement;
  private readonly progressText: HTMLElement;
  private readonly progressFill: HTMLElement;
  private readonly log: HTMLElement;
  private readonly status: HTMLElement;
  private readonly choices: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly input: HTMLInputElement;
  private readonly backButton: HTMLButtonElement;
  private readonly restartButton: HTMLButtonElement;
  private turn: Turn | null = null;
  private busy = false;
  private opened = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly conversation: Conversation,
    private readonly t: UiStrings,
    title: string,
  ) {
    this.launcher = el("button", { class: "launcher", "aria-expanded": "false", "aria-controls": "bc-panel" }, t.launcher);
    this.progressText = el("span");
    this.progressFill = el("div", { class: "fill" });
    this.log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions" });
    this.status = el("div", { class: "status", role: "status" });
    this.choices = el("div", { class: "choices" });
    this.input = el("input", {
      id: "bc-input",
      type: "text",
      autocomplete: "off",
      maxlength: "1000",
      placeholder: t.typeHere,
      "aria-describedby": "bc-hint",
    });
    this.form = el(
      "form",
      {},
      el("label", { for: "bc-input", class: "hint" }, t.typeHere),
      el("span", { id: "bc-hint", class: "hint" }, t.typeHint),
      this.input,
      el("button", { type: "submit", class: "primary" }, t.send),
    );
    this.backButton = el("button", { type: "button", class: "secondary" }, t.back);
    this.restartButton = el("button", { type: "button", class: "secondary" }, t.startOver);
    const close = el("button", { type: "button", class: "close", "aria-label": t.close }, "×");
    this.panel = el(
      "section",
      { class: "panel", id: "bc-panel", role: "dialog", "aria-labelledby": "bc-title", hidden: "" },
      el("header", {}, el("h2", { id: "bc-title" }, title), close),
      el("div", { class: "progress" }, this.progressText, el("div", { class: "bar", "aria-hidden": "true" }, this.progressFill)),
      this.log,
      this.status,
      this.choices,
      this.form,
      el("footer", {}, this.backButton, this.restartButton),
    );
    root.append(this.launcher, this.panel);

    this.launcher.addEventListener("click", () => this.open());
    close.addEventListener("click", () => this.close());
    this.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.close();
    });
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = this.input.value.trim();
      if (text) this.answer({ text }, text);
    });
    this.backButton.addEventListener("click", () => {
      const shown = this.turn;
      if (shown) this.run(() => this.conversation.back(shown));
    });
    this.restartButton.addEventListener("click", () => this.restart());
  }

  /** Opens the panel; the first time, resumes or starts the conversation. */
  open(): void {
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.launcher.setAttribute("aria-expanded", "true");
    if (!this.opened) {
      this.opened = true;
      this.run(() => this.conversation.open());
    } else {
      this.focusCurrent();
    }
  }

  close(): void {
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute("aria-expanded", "false");
    this.launcher.focus();
  }

  // Every answer is withdrawn, so the transcript starts afresh too.
  private restart(): void {
    const shown = this.turn;
    if (shown) this.run(() => this.conversation.restart(shown), () => this.log.replaceChildren());
  }

  private answer(answer: Answer, shownText: string): void {
    const shown = this.turn;
    if (!shown || this.busy) return;
    const bubble = this.say("user", shownText);
    bubble.classList.add("unsent");
    this.run(() => this.conversation.answer(shown, answer), () => bubble.classList.remove("unsent"));
  }

  // Runs one call with the controls disabled; on a network failure offers
  // a retry of the very same call (see Conversation for why that is safe).
  private run(action: Action, onSent: () => void = () => {}): void {
    this.setBusy(true);
    this.status.replaceChildren();
    action().then(
      (turn) => {
        onSent();
        this.setBusy(false);
        this.input.value = "";
        if (this.conversation.event === "expired") this.say("notice", this.t.expired);
        this.show(turn);
      },
      (error: unknown) => {
        this.setBusy(false);
        if (error instanceof Unreachable) {
          const retry = el("button", { type: "button", class: "primary" }, this.t.retry);
          retry.addEventListener("click", () => this.run(action, onSent));
          this.status.replaceChildren(el("p", {}, this.t.offline), retry);
          retry.focus();
        } else {
          this.status.replaceChildren(el("p", {}, `${this.t.failed} ${ConnectError.from(error).rawMessage}`));
        }
      },
    );
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.panel.setAttribute("aria-busy", String(busy));
    for (const control of this.panel.querySelectorAll<HTMLButtonElement | HTMLInputElement>("button, input")) {
      if (control.classList.contains("close")) continue;
      control.disabled = busy || (control === this.backButton && !this.turn?.canGoBack);
    }
  }

  private say(kind: "bot" | "user" | "notice", text: string, help = ""): HTMLElement {
    const message = el("div", { class: `msg ${kind}` }, text);
    if (help) message.append(el("span", { class: "help" }, help));
    this.log.append(message);
    this.log.scrollTop = this.log.scrollHeight;
    return message;
  }

  private show(turn: Turn): void {
    const previous = this.turn;
    this.turn = turn;
    // What a typed answer was read as, so that a misreading can be undone.
    if (turn.readBack) this.say("notice", turn.readBack.text);
    if (turn.notice) this.say("notice", turn.notice);
    this.backButton.disabled = !turn.canGoBack;
    if (turn.step.case === "question" && turn.confirmation) {
      this.showConfirmation(turn.step.value, turn.confirmation, previous !== null && sameStep(previous, turn));
    } else if (turn.step.case === "question") {
      this.showQuestion(turn.step.value);
    } else if (turn.step.case === "outcome") {
      this.showOutcome(turn.step.value);
    }
    this.focusCurrent();
  }

  private showQuestion(question: Question): void {
    const answered = question.progress?.answered ?? 0;
    const total = answered + (question.progress?.remainingAtMost ?? 0);
    this.progressText.textContent = this.t.progress(answered, total);
    this.progressFill.style.width = `${total ? Math.round((100 * answered) / total) : 0}%`;
    this.say("bot", question.text, question.help);
    this.form.hidden = false;
    this.choices.dataset.question = question.id;
    if (question.kind === QuestionKind.MULTIPLE_CHOICE) {
      this.showChecklist(question);
      return;
    }
    this.choices.replaceChildren(
      ...question.options.map((option) => {
        const button = el("button", { type: "button", class: "choice", "data-option": option.id }, option.label);
        button.addEventListener("click", () => this.answer({ optionIds: [option.id] }, option.label));
        return button;
      }),
    );
  }

  // A reading of a typed answer waits for the person's yes: Yes and No
  // first, the options below them (choosing one answers directly).
  private showConfirmation(question: Question, confirmation: Confirmation, questionShown: boolean): void {
    // The question is on screen already unless this turn is the first to show it.
    if (!questionShown || this.choices.dataset.question !== question.id) this.showQuestion(question);
    this.say("bot", confirmation.text);
    const reply = (value: ConfirmationReply, label: string) => {
      const button = el("button", { type: "button", class: "primary", "data-confirm": value === ConfirmationReply.ACCEPT ? "yes" : "no" }, label);
      button.addEventListener("click", () => this.answer({ confirmation: value }, label));
      return button;
    };
    const group = el(
      "div",
      { class: "confirm", role: "group", "aria-label": confirmation.text },
      reply(ConfirmationReply.ACCEPT, confirmation.acceptLabel),
      reply(ConfirmationReply.REFUSE, confirmation.refuseLabel),
    );
    this.choices.querySelector(".confirm")?.remove();
    this.choices.prepend(group);
  }

  // A multiple-choice question: checkboxes, where an exclusive option
  // ("None of these") clears the others and is cleared by them.
  private showChecklist(question: Question): void {
    const boxes: { input: HTMLInputElement; id: string; label: string; exclusive: boolean }[] = [];
    const proceed = el("button", { type: "button", class: "primary", disabled: "" }, this.t.continueMulti);
    const fieldset = el("fieldset", {}, el("legend", {}, question.text));
    for (const option of question.options) {
      const input = el("input", { type: "checkbox", value: option.id });
      boxes.push({ input, id: option.id, label: option.label, exclusive: option.exclusive });
      input.addEventListener("change", () => {
        const box = boxes.find((b) => b.input === input)!;
        if (input.checked) {
          for (const other of boxes) {
            if (other !== box && (box.exclusive || other.exclusive)) other.input.checked = false;
          }
        }
        proceed.disabled = !boxes.some((b) => b.input.checked);
      });
      fieldset.append(el("label", { class: "check" }, input, el("span", {}, option.label)));
    }
    proceed.addEventListener("click", () => {
      const chosen = boxes.filter((b) => b.input.checked);
      if (chosen.length === 0) return;
      this.answer({ optionIds: chosen.map((b) => b.id) }, chosen.map((b) => b.label).join("; "));
    });
    this.choices.replaceChildren(fieldset, proceed);
  }

  private showOutcome(outcome: Outcome): void {
    this.progressText.textContent = "";
    this.progressFill.style.width = "100%";
    this.choices.replaceChildren();
    delete this.choices.dataset.question;
    this.form.hidden = true;
    const card = renderOutcome(outcome, this.t);
    this.log.append(card);
    // The top of the card matters most (for EMERGENCY, the call for help).
    this.log.scrollTop = card.offsetTop - this.log.offsetTop;
    const again = el("button", { type: "button", class: "primary" }, this.t.newConversation);
    again.addEventListener("click", () => this.restart());
    this.choices.replaceChildren(again);
  }

  // Keyboard users land on what they can do next.
  private focusCurrent(): void {
    if (this.panel.hidden) return;
    const target =
      this.choices.querySelector<HTMLElement>("button:not([disabled]), input") ??
      (this.form.hidden ? this.restartButton : this.input);
    target.focus();
  }
}

const levelClass: Record<number, [string, keyof UiStrings["levels"]]> = {
  [Level.EMERGENCY]: ["level-emergency", "emergency"],
  [Level.URGENT]: ["level-urgent", "urgent"],
  [Level.SEE_DOCTOR]: ["level-see-doctor", "seeDoctor"],
  [Level.SELF_CARE]: ["level-self-care", "selfCare"],
};

/** The outcome card. EMERGENCY puts the call-for-help headline first and
 *  carries no massage content; its card is an alert, read out at once. */
export function renderOutcome(outcome: Outcome, t: UiStrings): HTMLElement {
  const [cssClass, levelKey] = levelClass[outcome.level] ?? ["level-urgent", "urgent"];
  const emergency = outcome.level === Level.EMERGENCY;
  const card = el("article", { class: `outcome ${cssClass}`, "data-level": levelKey });
  if (emergency) {
    card.setAttribute("role", "alert");
    card.append(el("p", { class: "call" }, outcome.headline));
    card.append(el("span", { class: "badge" }, t.levels[levelKey]));
  } else {
    card.append(el("span", { class: "badge" }, t.levels[levelKey]));
    card.append(el("h3", {}, outcome.headline));
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
  return card;
}

function list(items: string[]): HTMLUListElement {
  return el("ul", {}, ...items.map((item) => el("li", {}, item)));
}
