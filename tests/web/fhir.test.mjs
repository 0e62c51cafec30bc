// FHIR from the real server, checked by independent validators
// (fhir_checks.mjs: FHIR.js, HL7's R4 JSON Schema, and BackChat's rules):
// records exported from every store (memory, SQLite, a real redis-server),
// after a restart on an edited dialog, and the SDC $next-question walk to
// every level in English and Spanish. Any validator error fails the test.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { checkFhir } from "./fhir_checks.mjs";
import { env, paths, sessionAt, startBackchat } from "./support.mjs";

const levels = { emergency: "EMERGENCY", urgent: "URGENT", seeDoctor: "SEE_DOCTOR", selfCare: "SELF_CARE" };
const work = mkdtempSync(join(tmpdir(), "backchat-fhir-"));
after(() => rmSync(work, { recursive: true, force: true }));

const recordsKey = "fhir-records-key-0123456789abcdef";
const keysFile = join(work, "admin_keys");
writeFileSync(keysFile, `staff records ${recordsKey}\n`);
const keyFile = join(work, "records.key");
writeFileSync(keyFile, `${recordsKey}\n`);

function assertValid(resource, what) {
  const errors = checkFhir(resource);
  assert.deepEqual(errors, [], `${what}: ${errors.length} validator errors:\n${errors.join("\n")}`);
}

/** The records export through `backchat records export`, parsed. */
function exportBundle(server) {
  const text = execFileSync(
    env.cli,
    [`--server=127.0.0.1:${server.grpcPort}`, "records", "export", "--format=fhir", `--admin_key_file=${keyFile}`],
    { encoding: "utf8", timeout: 20000, stdio: ["ignore", "pipe", "pipe"] },
  );
  return JSON.parse(text);
}

function resources(bundle, type) {
  return (bundle.entry ?? []).map((e) => e.resource).filter((r) => r.resourceType === type);
}

function outcomeItem(response, linkId) {
  const group = response.item.find((i) => i.linkId === "outcome");
  return group?.item.find((i) => i.linkId === linkId);
}

/** A free loopback port (for redis-server, which cannot pick one itself). */
function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A real redis-server on loopback, no persistence; bounded start (10 s). */
async function startRedis() {
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${log}`)), 10000);
    child.stdout.on("data", (chunk) => {
      log += chunk;
      if (/Ready to accept connections/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${log}`));
    });
  });
  return {
    address: `127.0.0.1:${port}`,
    stop: () => new Promise((done) => { child.removeAllListeners("exit"); child.on("exit", done); child.kill("SIGTERM"); }),
  };
}

function storeFlags(kind, where) {
  if (kind === "sqlite") return ["--store=sqlite", `--sqlite_path=${where}`];
  if (kind === "redis") return ["--store=redis", `--redis_address=${where}`];
  return ["--store=memory"];
}

async function withServer(args, body) {
  const server = await startBackchat([`--admin_keys_file=${keysFile}`, ...args]);
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}

/** One conversation to each level in each language, through the Connect API. */
async function converseEverywhere(origin) {
  for (const locale of ["en", "es"]) {
    for (const level of Object.keys(levels)) {
      const { turn } = await sessionAt(origin, locale, paths[level]);
      assert.equal(turn.outcome.level, `LEVEL_${levels[level]}`);
    }
  }
}

for (const kind of ["memory", "sqlite", "redis"]) {
  test(`records exported from the ${kind} store are valid FHIR R4, in each person's language`, async () => {
    const redis = kind === "redis" ? await startRedis() : null;
    try {
      const where = kind === "sqlite" ? join(work, "export.db") : redis?.address;
      const bundle = await withServer(storeFlags(kind, where), async (server) => {
        await converseEverywhere(server.origin);
        return exportBundle(server);
      });
      assertValid(bundle, `${kind} export`);
      assert.equal(resources(bundle, "Questionnaire").length, 1);
      const responses = resources(bundle, "QuestionnaireResponse");
      assert.equal(responses.length, 8);
      // The same level reads differently in English and Spanish.
      const display = (language, code) =>
        responses
          .filter((r) => r.language === language)
          .map((r) => outcomeItem(r, "outcome.level").answer[0].valueCoding)
          .find((c) => c.code === code).display;
      for (const code of Object.values(levels)) {
        assert.notEqual(display("en", code), display("es", code), code);
      }
    } finally {
      await redis?.stop();
    }
  });
}

for (const kind of ["sqlite", "redis"]) {
  test(`after a restart on an edited dialog, a ${kind} export still carries the version its records cite`, async () => {
    const redis = kind === "redis" ? await startRedis() : null;
    try {
      const where = kind === "sqlite" ? join(work, "restart.db") : redis.address;
      const edited = join(work, `dialogs-${kind}`);
      cpSync(join(env.sourceDir, "dialogs"), edited, { recursive: true });
      const base = join(edited, "back_pain.textproto");
      writeFileSync(base, readFileSync(base, "utf8").replace(/^title: "([^"]*)"/m, 'title: "$1 (revised)"'));

      await withServer(storeFlags(kind, where), async (server) => {
        await sessionAt(server.origin, "en", paths.emergency);
        await sessionAt(server.origin, "es", paths.selfCare);
      });
      const bundle = await withServer([...storeFlags(kind, where), `--dialogs=${edited}`], async (server) => {
        await sessionAt(server.origin, "es", paths.urgent);
        return exportBundle(server);
      });
      assertValid(bundle, `${kind} export after a restart`);
      const questionnaires = resources(bundle, "Questionnaire");
      assert.equal(questionnaires.length, 2, "the old version and the edited one");
      assert.ok(questionnaires.some((q) => q.title.endsWith("(revised)")));
      assert.equal(resources(bundle, "QuestionnaireResponse").length, 3);
    } finally {
      await redis?.stop();
    }
  });
}

/** POSTs to $next-question; returns [status, body]. */
async function nextQuestion(origin, body, id = "back-pain") {
  const response = await fetch(`${origin}/fhir/Questionnaire/${id}/$next-question`, {
    method: "POST",
    headers: { "content-type": "application/fhir+json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  assert.match(response.headers.get("content-type"), /^application\/fhir\+json/);
  return [response.status, await response.json()];
}

test("$next-question walks to every level in English and Spanish, every reply valid", async () => {
  await withServer([], async (server) => {
    for (const language of ["en", "es"]) {
      for (const [level, code] of Object.entries(levels)) {
        const wrapped = level === "urgent";  // One walk as Parameters, as SDC also allows.
        let response = { resourceType: "QuestionnaireResponse", status: "in-progress", language };
        for (let step = 0; step < 25 && response.status !== "completed"; step++) {
          const body = wrapped
            ? { resourceType: "Parameters", parameter: [{ name: "questionnaire-response", resource: response }] }
            : response;
          const [status, reply] = await nextQuestion(server.origin, body);
          assert.equal(status, 200, JSON.stringify(reply));
          assertValid(reply, `${language} ${level} step ${step}`);
          response = wrapped ? reply.parameter.find((p) => p.name === "return").resource : reply;
          assert.equal(response.language, language);
          if (response.status === "completed") break;
          // Answer the question just added, as a form filler would.
          const asked = response.contained[0].item.at(-1);
          assert.equal(asked.required, true);
          const options = paths[level][asked.linkId];
          assert.ok(options, `no answer for ${asked.linkId}`);
          const answer = options.map((option) => {
            const coding = asked.answerOption.find((o) => o.valueCoding.code === option)?.valueCoding;
            assert.ok(coding, `${option} is not offered for ${asked.linkId}`);
            return { valueCoding: coding };
          });
          response.item = [...(response.item ?? []), { linkId: asked.linkId, text: asked.text, answer }];
        }
        assert.equal(response.status, "completed", `${language} ${level} did not finish`);
        assert.equal(outcomeItem(response, "outcome.level").answer[0].valueCoding.code, code, `${language} ${level}`);
      }
    }
  });
});

test("the Questionnaire reads as FHIR, and bad requests get an OperationOutcome saying where", async () => {
  await withServer([], async (server) => {
    const read = await fetch(`${server.origin}/fhir/Questionnaire/back-pain`);
    assert.equal(read.status, 200);
    assertValid(await read.json(), "GET Questionnaire");

    const cases = [
      ["{", 400, /not JSON/],
      [{ resourceType: "Patient" }, 400, /QuestionnaireResponse/],
      [{ resourceType: "QuestionnaireResponse", status: "in-progress", item: [{ linkId: "nope", answer: [{ valueCoding: { code: "x" } }] }] }, 400, /item\[0\]\.linkId/],
      [{ resourceType: "QuestionnaireResponse", status: "in-progress", item: [{ linkId: "warning_signs", answer: [{ valueCoding: { code: "none" } }, { valueCoding: { code: "both_legs" } }] }] }, 400, /item\[0\]\.answer/],
    ];
    for (const [body, expected, message] of cases) {
      const [status, outcome] = await nextQuestion(server.origin, body);
      assert.equal(status, expected);
      assertValid(outcome, `OperationOutcome for ${JSON.stringify(body)}`);
      assert.match(outcome.issue[0].diagnostics, message);
    }
    const [status, outcome] = await nextQuestion(server.origin, { resourceType: "QuestionnaireResponse", status: "in-progress" }, "no-such-dialog");
    assert.equal(status, 404);
    assert.match(outcome.issue[0].diagnostics, /known: back-pain/);
  });
});

test("$next-question passes the same rate limits as the triage API", async () => {
  await withServer(["--rate_limit_per_second=1", "--rate_limit_burst=2"], async (server) => {
    const body = { resourceType: "QuestionnaireResponse", status: "in-progress", item: [{ linkId: "warning_signs", answer: [{ valueCoding: { code: "none" } }] }] };
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const [status, reply] = await nextQuestion(server.origin, body);
      statuses.push(status);
      if (status === 429) {
        assertValid(reply, "the throttled reply");
        assert.equal(reply.issue[0].code, "throttled");
      }
    }
    assert.deepEqual(statuses.slice(0, 2), [200, 200], "the burst is served");
    assert.ok(statuses.includes(429), `no call was limited: ${statuses}`);
  });
});
