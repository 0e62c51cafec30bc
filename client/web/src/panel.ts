// The chat panel inside the widget's shadow root: renders Turns, sends what
// the patient chooses or types through a Conversation, and keeps the
// controls honest (disabled while a call is in flight, so nothing is sent
// twice; a failed answer stays on screen with a retry button until it is
// sent or replaced by another answer).
//
// Layout (see widget.css): a title bar, the progress, one scroll area (the
// transcript, the question on screen and its options), then the primary
// action (Continue, or Yes / No for a proposed reading), the text box and
// Back / Start over, which always stay in view.

import { ConnectError } from "@connectrpc/connect";
import { ConfirmationReply } from "../gen/backchat/triage/v1/triage_pb.js";
import { QuestionKind, type AnsweredQuestion, type Confirmation, type Outcome, type Question, type Turn } from "../gen/backchat/triage/v1/types_pb.js";
import { Conversation, Unreachable, sameStep, type Answer } from "./conversation";
import { el } from "./dom";
import { renderOutcome } from "./outcome_card";
import type { UiStrings } from "./strings";

type Action = () => Promise<Turn>;

export class Panel {
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly progressText: HTMLElement;
  private readonly progressFill: HTMLElement;
  private readonly body: HTMLElement;
  private readonly log: HTMLElement;
  private readonly status: HTMLElement;
  private readonly choices: HTMLElement;
  private readonly actions: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly input: HTMLInputElement;
  private readonly backButton: HTMLButtonElement;
  private readonly restartButton: HTMLButtonElement;
  private turn: Turn | null = null;
  // What show() scrolls into view once the turn is on screen: `top` (the
  // question or the outcome) at the top, then `also` (a proposed reading)
  // if it does not fit below.
  private pinned: { top: HTMLElement; also?: HTMLElement } | null = null;
  // Numbers the "Why are we asking?" texts, for unique ids.
  private whyCount = 0;
  private busy = false;
  private opened = false;

  constructor(
    root: HTMLElement,
    private readonly conversation: Conversation,
    private readonly t: UiStrings,
    title: string,
    private readonly serverOrigin: string,
  ) {
    this.launcher = el("button", { class: "launcher", "aria-expanded": "false", "aria-controls": "bc-panel" }, t.launcher);
    this.progressText = el("span", { class: "progress-text" });
    this.progressFill = el("div", { class: "fill" });
    this.progress = el("div", { class: "progress" }, this.progressText, el("div", { class: "bar", "aria-hidden": "true" }, this.progressFill));
    this.log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions" });
    this.status = el("div", { class: "status", role: "status" });
    this.choices = el("div", { class: "choices" });
    // Focusable, so that keyboard users can scroll it too.
    this.body = el("div", { class: "body", tabindex: "0", "aria-label": t.conversation }, this.log, this.status, this.choices);
    this.actions = el("div", { class: "actions" });
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
      el("label", { for: "bc-input", class: "sr-only" }, t.typeHere),
      el("span", { id: "bc-hint", class: "sr-only" }, t.typeHint),
      this.input,
      el("button", { type: "submit", class: "primary" }, t.send),
    );
    this.backButton = el("button", { type: "button", class: "secondary" }, t.back);
    this.restartButton = el("button", { type: "button", class: "secondary" }, t.startOver);
    const close = el("button", { type: "button", class: "close", "aria-label": t.close }, "×");
    // One labelled dialog; no <header> or <footer>, which would be page
    // landmarks (banner, contentinfo) beside the page's own.
    this.panel = el(
      "section",
      { class: "panel", id: "bc-panel", role: "dialog", "aria-labelledby": "bc-title", hidden: "" },
      el("div", { class: "top" }, el("h2", { id: "bc-title" }, title), close),
      this.progress,
      this.body,
      this.actions,
      this.form,
      el("div", { class: "bottom" }, this.backButton, this.restartButton),
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
    // An answer that failed earlier is replaced by this one, not kept.
    for (const unsent of this.log.querySelectorAll(".user.unsent")) unsent.remove();
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
        this.status.scrollIntoView({ block: "nearest" });
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
    return message;
  }

  private show(turn: Turn): void {
    const previous = this.turn;
    this.turn = turn;
    // After a reload the transcript is rebuilt from the answers so far.
    if (this.log.childElementCount === 0) this.replay(turn.answers);
    // What a typed answer was read as, so that a misreading can be undone.
    if (turn.readBack) this.say("notice", turn.readBack.text);
    if (turn.notice) this.say("notice", turn.notice);
    this.backButton.disabled = !turn.canGoBack;
    this.actions.replaceChildren();
    if (turn.step.case === "question" && turn.confirmation) {
      this.showConfirmation(turn.step.value, turn.confirmation, previous !== null && sameStep(previous, turn));
    } else if (turn.step.case === "question") {
      this.showQuestion(turn.step.value);
    } else if (turn.step.case === "outcome") {
      this.showOutcome(turn.step.value);
    }
    // Only now, with the action bar filled, is the scroll area's height final.
    if (this.pinned) {
      this.body.scrollTop = this.pinned.top.offsetTop - this.body.offsetTop - 8;
      this.pinned.also?.scrollIntoView({ block: "nearest" });
    }
    this.focusCurrent();
  }

  private replay(answers: AnsweredQuestion[]): void {
    for (const answered of answers) {
      this.say("bot", answered.questionText).classList.add("question");
      this.say("user", answered.chosen.map((option) => option.label).join("; "));
    }
  }

  private showQuestion(question: Question): void {
    const answered = question.progress?.answered ?? 0;
    const total = answered + (question.progress?.remainingAtMost ?? 0);
    this.progress.hidden = false;
    this.progressText.textContent = this.t.progress(answered, total);
    this.progressFill.style.width = `${total ? Math.round((100 * answered) / total) : 0}%`;
    const bubble = this.say("bot", question.text, question.help);
    bubble.classList.add("question");
    if (question.why) bubble.append(this.whyDisclosure(question));
    this.form.hidden = false;
    this.choices.dataset.question = question.id;
    if (question.kind === QuestionKind.MULTIPLE_CHOICE) {
      this.showChecklist(question);
    } else {
      this.choices.replaceChildren(
        ...question.options.map((option) => {
          const button = el("button", { type: "button", class: "choice", "data-option": option.id }, option.label);
          button.addEventListener("click", () => this.answer({ optionIds: [option.id] }, option.label));
          return button;
        }),
      );
    }
    this.pinned = { top: bubble };
  }

  // "Why are we asking?": a button that shows and hides the question's
  // reason, told to screen readers as a disclosure.
  private whyDisclosure(question: Question): HTMLElement {
    const id = `why-${question.id}-${++this.whyCount}`;
    const reason = el("span", { class: "why-text", id }, question.why);
    reason.hidden = true;
    const button = el("button", { type: "button", class: "why", "aria-expanded": "false", "aria-controls": id }, this.t.whyAsking);
    button.addEventListener("click", () => {
      reason.hidden = !reason.hidden;
      button.setAttribute("aria-expanded", String(!reason.hidden));
    });
    return el("span", { class: "why-box" }, button, reason);
  }

  // A reading of a typed answer waits for the person's yes: Yes and No in
  // the action bar, the options still there (choosing one answers directly).
  private showConfirmation(question: Question, confirmation: Confirmation, questionShown: boolean): void {
    // The question is on screen already unless this turn is the first to show it.
    if (!questionShown || this.choices.dataset.question !== question.id) this.showQuestion(question);
    this.actions.replaceChildren();
    // The question stays at the top if the proposal fits below it.
    const proposal = this.say("bot", confirmation.text);
    const questionBubble = this.pinned?.top ?? proposal;
    this.pinned = { top: questionBubble, also: proposal };
    const reply = (value: ConfirmationReply, label: string) => {
      const button = el("button", { type: "button", class: "primary", "data-confirm": value === ConfirmationReply.ACCEPT ? "yes" : "no" }, label);
      button.addEventListener("click", () => this.answer({ confirmation: value }, label));
      return button;
    };
    this.actions.replaceChildren(
      el(
        "div",
        { class: "confirm", role: "group", "aria-label": confirmation.text },
        reply(ConfirmationReply.ACCEPT, confirmation.acceptLabel),
        reply(ConfirmationReply.REFUSE, confirmation.refuseLabel),
      ),
    );
  }

  // A multiple-choice question: checkboxes, where an exclusive option
  // ("None of these") clears the others and is cleared by them. Continue
  // stays in the action bar, in view however long the list.
  private showChecklist(question: Question): void {
    const boxes: { input: HTMLInputElement; id: string; label: string; exclusive: boolean }[] = [];
    const proceed = el("button", { type: "button", class: "primary", disabled: "" }, this.t.continueMulti);
    const fieldset = el("fieldset", {}, el("legend", {}, question.text));
    for (const option of question.options) {
      const input = el("input", { type: "checkbox", value: option.id });
      const box = { input, id: option.id, label: option.label, exclusive: option.exclusive };
      boxes.push(box);
      input.addEventListener("change", () => {
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
    this.choices.replaceChildren(fieldset);
    this.actions.replaceChildren(proceed);
  }

  // The outcome: no progress, no text box; Back and Start over stay as the
  // only ways on (one restart control).
  private showOutcome(outcome: Outcome): void {
    this.progress.hidden = true;
    this.choices.replaceChildren();
    delete this.choices.dataset.question;
    this.form.hidden = true;
    const summary = el(
      "a",
      {
        class: "secondary print",
        href: `${this.serverOrigin}/summary/#session=${encodeURIComponent(this.turn?.sessionId ?? "")}`,
        target: "_blank",
        rel: "noopener",
      },
      this.t.printSummary,
    );
    const card = renderOutcome(outcome, this.t, summary);
    this.log.append(card);
    // The top of the card matters most (for EMERGENCY, the call for help).
    this.pinned = { top: card };
  }

  // Keyboard users land on what they can do next. The text box is never
  // focused by itself: on a phone that would open the keyboard.
  private focusCurrent(): void {
    if (this.panel.hidden) return;
    const target =
      this.actions.querySelector<HTMLElement>(".confirm button") ??
      this.choices.querySelector<HTMLElement>("button:not([disabled]), input") ??
      this.actions.querySelector<HTMLElement>("button:not([disabled])") ??
      this.log.querySelector<HTMLElement>(".outcome:last-child .action") ??
      this.restartButton;
    target.focus({ preventScroll: true });
  }
}
