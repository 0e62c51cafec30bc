// One patient's conversation with the triage service, without any DOM: the
// widget's panel renders what this returns. It keeps the session id in
// sessionStorage (so a page reload resumes), and makes retries safe: an
// answer is sent with its question id, so a replay after a lost reply is
// refused by the server and the current turn is fetched instead; "back" is
// re-sent only if the session has not already gone back.

import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import type { Transport } from "@connectrpc/connect";
import { type ConfirmationReply, TriageService } from "../gen/backchat/triage/v1/triage_pb.js";
import { Channel, type Turn } from "../gen/backchat/triage/v1/types_pb.js";

/** Where the session id lives between page loads. */
export interface SessionIdStore {
  get(): string | null;
  set(id: string): void;
  clear(): void;
}

/** A store in sessionStorage (per tab, cleared when the tab closes). */
export function sessionStorageStore(key: string): SessionIdStore {
  const storage = (): Storage | null => {
    try {
      return window.sessionStorage;
    } catch {
      return null; // storage disabled: the conversation just won't resume
    }
  };
  return {
    get: () => storage()?.getItem(key) ?? null,
    set: (id) => storage()?.setItem(key, id),
    clear: () => storage()?.removeItem(key),
  };
}

/** An answer: chosen option ids, typed text, or the reply to a reading of
 *  typed text that BackChat proposed (Turn.confirmation). */
export type Answer = { optionIds: string[] } | { text: string } | { confirmation: ConfirmationReply };

/** Thrown when the service could not be reached; the action can be retried. */
export class Unreachable extends Error {}

/** What a call that resumed or restarted has to tell the patient. */
export type Event = "expired" | null;

// Failures worth retrying: the request may not have arrived, or the server
// was busy. Everything else is an answer from the server.
const transient = new Set<Code>([
  Code.Unknown,
  Code.Unavailable,
  Code.DeadlineExceeded,
  Code.Aborted,
  Code.ResourceExhausted,
  Code.Internal,
  Code.Canceled,
]);

export class Conversation {
  private readonly client: Client<typeof TriageService>;
  /** Set after a failed call, so the next attempt checks what already happened. */
  private uncertain = false;
  event: Event = null;

  constructor(
    transport: Transport,
    private readonly locale: string,
    private readonly ids: SessionIdStore,
    private readonly timeoutMs = 10000,
  ) {
    this.client = createClient(TriageService, transport);
  }

  /** Resumes the stored session, or starts a new one. */
  async open(): Promise<Turn> {
    const id = this.ids.get();
    if (id) {
      try {
        return await this.call(async () => (await this.client.getSession({ sessionId: id }, this.options())).turn);
      } catch (error) {
        if (!(ConnectError.from(error).code === Code.NotFound)) throw error;
        this.event = "expired";
      }
    }
    return this.start();
  }

  async start(): Promise<Turn> {
    const turn = await this.call(
      async () => (await this.client.startSession({ locale: this.locale, channel: Channel.WEB }, this.options())).turn,
    );
    this.ids.set(turn.sessionId);
    return turn;
  }

  /** Answers `shown`, the question on screen. */
  async answer(shown: Turn, answer: Answer): Promise<Turn> {
    const question = shown.step.case === "question" ? shown.step.value : null;
    return this.onSession(shown, async (sessionId) => {
      try {
        return (
          await this.client.submitAnswer(
            { sessionId, questionId: question?.id ?? "", ...answer },
            this.options(),
          )
        ).turn;
      } catch (error) {
        // Already answered (a replay after a lost reply) or the session moved
        // on in another tab: show where it is now instead of answering again.
        if (ConnectError.from(error).code !== Code.FailedPrecondition) throw error;
        return (await this.client.getSession({ sessionId }, this.options())).turn;
      }
    });
  }

  /** Withdraws the last answer; once only, even when retried. */
  async back(shown: Turn): Promise<Turn> {
    return this.onSession(shown, async (sessionId) => {
      if (this.uncertain) {
        const now = (await this.client.getSession({ sessionId }, this.options())).turn;
        if (now && !sameStep(now, shown)) return now;
      }
      return (await this.client.goBack({ sessionId }, this.options())).turn;
    });
  }

  async restart(shown: Turn): Promise<Turn> {
    return this.onSession(shown, async (sessionId) =>
      (await this.client.restartSession({ sessionId }, this.options())).turn,
    );
  }

  private options() {
    return { timeoutMs: this.timeoutMs };
  }

  // Runs `action` on the shown turn's session; an expired session starts anew.
  private async onSession(shown: Turn, action: (sessionId: string) => Promise<Turn | undefined>): Promise<Turn> {
    this.event = null;
    try {
      return await this.call(() => action(shown.sessionId));
    } catch (error) {
      if (ConnectError.from(error).code !== Code.NotFound) throw error;
      this.event = "expired";
      return this.start();
    }
  }

  // Turns transient failures into Unreachable and remembers that the
  // outcome of the last call is unknown.
  private async call(action: () => Promise<Turn | undefined>): Promise<Turn> {
    let turn: Turn | undefined;
    try {
      turn = await action();
    } catch (error) {
      const connectError = ConnectError.from(error);
      if (transient.has(connectError.code)) {
        this.uncertain = true;
        throw new Unreachable(connectError.rawMessage);
      }
      throw connectError;
    }
    this.uncertain = false;
    if (!turn) throw new ConnectError("the server sent an empty reply", Code.Internal);
    return turn;
  }
}

/** True when both turns show the same question (or both an outcome). */
export function sameStep(a: Turn, b: Turn): boolean {
  if (a.step.case !== b.step.case) return false;
  if (a.step.case === "question" && b.step.case === "question") {
    return a.step.value.id === b.step.value.id && a.step.value.progress?.answered === b.step.value.progress?.answered;
  }
  return true;
}
