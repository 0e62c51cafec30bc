// Test support for the web tests: the real backchat_server on loopback
// ports, a stand-in clinic site on another port (so every widget call is
// cross-origin), and the answers that lead to each level.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before } from "node:test";
import { toJson } from "@bufbuild/protobuf";
import { chromium } from "playwright-core";
import { TurnSchema } from "../../client/web/gen/backchat/triage/v1/types_pb.js";

export const env = {
  server: process.env.BACKCHAT_SERVER,
  cli: process.env.BACKCHAT_CLI,
  webDir: process.env.BACKCHAT_WEB_DIR,
  sourceDir: process.env.BACKCHAT_SOURCE_DIR,
  artifacts: process.env.BACKCHAT_ARTIFACTS ?? "/tmp/backchat-web-artifacts",
};

/**
 * Starts backchat_server with the bundled dialogs, an in-memory store and
 * both listeners on free ports. Resolves once both ports are printed
 * (bounded: rejects after 15 s or if the process exits).
 */
export function startBackchat(extraArgs = []) {
  const child = spawn(
    env.server,
    [
      "--plaintext",
      "--rate_limit_per_second=0",
      `--dialogs=${join(env.sourceDir, "dialogs")}`,
      "--store=memory",
      "--address=127.0.0.1",
      "--port=0",
      "--http_port=0",
      `--web_dir=${env.webDir}`,
      ...extraArgs,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`backchat_server did not start within 15 s:\n${log}`));
    }, 15000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`backchat_server exited with ${code}:\n${log}`));
    });
    let started = false;
    child.stderr.on("data", (chunk) => {
      log += chunk;
      const grpc = /listening on 127\.0\.0\.1:(\d+)/.exec(log);
      const http = /HTTP \(Connect[^)]*\) on 127\.0\.0\.1:(\d+)/.exec(log);
      // Once only: later output (e.g. "shutting down") must not remove the
      // exit listener that stop() waits on.
      if (grpc && http && !started) {
        started = true;
        clearTimeout(timer);
        child.removeAllListeners("exit");
        resolve({
          grpcPort: Number(grpc[1]),
          httpPort: Number(http[1]),
          origin: `http://127.0.0.1:${http[1]}`,
          log: () => log,
          stop: () =>
            new Promise((done) => {
              child.on("exit", done);
              child.kill("SIGTERM");
            }),
        });
      }
    });
  });
}

/**
 * A clinic's site: serves client/web/example/index.html with the widget's
 * script tag pointing at `backchatOrigin()` (read per request) and, with
 * ?locale=es, data-locale="es". With ?csp=strict the page is sent with the
 * strict policy a hospital site might use (nothing inline, BackChat allowed
 * by origin only), and without its own inline styles, which that policy
 * would block. Resolves to { origin, close }.
 */
export function startClinicSite(backchatOrigin) {
  const page = readFileSync(join(env.sourceDir, "client/web/example/index.html"), "utf8");
  const server = createServer((request, response) => {
    const url = new URL(request.url, "http://x");
    if (url.pathname !== "/") {
      response.writeHead(404).end();
      return;
    }
    const locale = url.searchParams.get("locale") ?? "en";
    let body = page
      .replace('src="/widget.js"', `src="${backchatOrigin()}/widget.js"`)
      .replace('data-locale="en"', `data-locale="${locale}"`);
    const headers = { "content-type": "text/html; charset=utf-8" };
    if (url.searchParams.get("csp") === "strict") {
      body = body.replace(/<style>[\s\S]*?<\/style>/, "").replace(/<link rel="icon"[^>]*>/, "");
      headers["content-security-policy"] = strictPolicy(backchatOrigin());
    }
    response.writeHead(200, headers).end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({
        origin: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

/** The Content-Security-Policy the README tells a strict clinic site to use. */
export function strictPolicy(backchatOrigin) {
  return `default-src 'none'; script-src ${backchatOrigin}; style-src ${backchatOrigin}; connect-src ${backchatOrigin}`;
}

/** One call of the triage API in Connect JSON, as curl would make it; returns the reply's turn. */
export async function callApi(origin, method, body) {
  const response = await fetch(`${origin}/backchat.triage.v1.TriageService/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method}: ${response.status} ${await response.text()}`);
  return (await response.json()).turn;
}

/**
 * Puts a session in a state through the API: starts one in `locale` and
 * answers from `answers` (question id -> option ids) until `stopAt` (a
 * question id) or an outcome. Returns the session id and the last turn.
 * Bounded by 25 answers.
 */
export async function sessionAt(origin, locale, answers, stopAt = null) {
  let turn = await callApi(origin, "StartSession", { locale, channel: "CHANNEL_WEB" });
  for (let i = 0; i < 25 && turn.question && turn.question.id !== stopAt; i++) {
    const optionIds = answers[turn.question.id];
    if (!optionIds) throw new Error(`no answer for ${turn.question.id}`);
    turn = await callApi(origin, "SubmitAnswer", { sessionId: turn.sessionId, questionId: turn.question.id, optionIds });
  }
  return { sessionId: turn.sessionId, turn };
}

/**
 * What every browser test needs: a clinic site, BackChat allowing it (with
 * the test care contacts), and Debian's headless Chromium. The site starts
 * first because its port is only known once it listens, and the server must
 * allow it. Resolves to { backchat, clinic, browser, close }.
 */
export async function startTestbed() {
  mkdirSync(env.artifacts, { recursive: true });
  let backchatOrigin = "";
  const clinic = await startClinicSite(() => backchatOrigin);
  const backchat = await startBackchat([
    `--http_allowed_origins=${clinic.origin}`,
    `--care_contacts=${join(env.sourceDir, "tests/web/care_contacts.textproto")}`,
  ]);
  backchatOrigin = backchat.origin;
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
  return {
    backchat,
    clinic,
    browser,
    close: async () => {
      await browser.close();
      await clinic.close();
      await backchat.stop();
    },
  };
}

/**
 * The testbed for one test file: started before its tests, closed after
 * them. Its fields (backchat, clinic, browser) are set once started.
 */
export function useTestbed() {
  const bed = {};
  before(async () => Object.assign(bed, await startTestbed()));
  after(async () => bed.close?.());
  return bed;
}

const selfCare = {
  warning_signs: ["none"],
  injury: ["no_injury"],
  cancer_history: ["no"],
  cancer_signs: ["none"],
  pain_location: ["lower_back"],
  duration: ["acute"],
  symptoms: ["none"],
  leg_weakness_worse: ["no"],
  immune_bone: ["none"],
  sudden_severe: ["no"],
  medical_history: ["none"],
  age: ["age_20_to_54"],
  first_episode: ["no"],
  massage_history: ["massage_helped"],
  back_feel: ["tension_stress"],
  pressure: ["moderate"],
  lifestyle: ["none_of_these"],
};

/** Answers (question id -> option ids) that reach each level. */
export const paths = {
  emergency: { ...selfCare, warning_signs: ["saddle_numbness"] },
  urgent: { ...selfCare, symptoms: ["fever"] },
  seeDoctor: { ...selfCare, injury: ["minor_injury"] },
  selfCare,
};

/**
 * A whole conversation through a Connect client (connect-web or
 * connect-node), answering from `answers`; resolves to its turns as JSON
 * without the ids, which differ from one conversation to the next.
 */
export async function converse(client, answers, locale = "en") {
  const turns = [];
  let turn = (await client.startSession({ locale })).turn;
  for (let i = 0; i < 25 && turn.step.case === "question"; i++) {
    turns.push(toJson(TurnSchema, turn));
    const question = turn.step.value;
    turn = (await client.submitAnswer({ sessionId: turn.sessionId, questionId: question.id, optionIds: answers[question.id] }))
      .turn;
  }
  turns.push(toJson(TurnSchema, turn));
  return turns.map(({ sessionId, recordId, ...rest }) => rest);
}
