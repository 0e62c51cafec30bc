// The ecosystem's Node clients, unchanged, against the real server:
// @connectrpc/connect-node over HTTP/1.1 (Connect JSON, Connect binary and
// gRPC-Web; it sends request bodies chunked) on the HTTP listener, and
// @grpc/grpc-js with @grpc/proto-loader on the gRPC port. Each walks a
// conversation to every level, and all must agree with each other.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import grpc from "@grpc/grpc-js";
import protoLoader from "@grpc/proto-loader";
import { TriageService } from "../../client/web/gen/backchat/triage/v1/triage_pb.js";
import { converse, env, paths, startBackchat } from "./support.mjs";

let backchat;
before(async () => {
  backchat = await startBackchat();
});
after(async () => {
  await backchat?.stop();
});

const connectNode = {
  "Connect JSON": () => createConnectTransport({ baseUrl: backchat.origin, httpVersion: "1.1" }),
  "Connect binary": () =>
    createConnectTransport({ baseUrl: backchat.origin, httpVersion: "1.1", useBinaryFormat: true }),
  "gRPC-Web": () => createGrpcWebTransport({ baseUrl: backchat.origin, httpVersion: "1.1" }),
};

const levels = {
  emergency: "LEVEL_EMERGENCY",
  urgent: "LEVEL_URGENT",
  seeDoctor: "LEVEL_SEE_DOCTOR",
  selfCare: "LEVEL_SELF_CARE",
};

// A conversation through a connect-node client; the final turn as JSON.
async function converseConnect(client, answers) {
  return (await converse(client, answers)).at(-1);
}

for (const [level, answers] of Object.entries(paths)) {
  test(`connect-node over HTTP/1.1 reaches ${level} with every protocol`, async () => {
    const outcomes = {};
    for (const [name, make] of Object.entries(connectNode)) {
      outcomes[name] = await converseConnect(createClient(TriageService, make()), answers);
    }
    assert.equal(outcomes["Connect JSON"].outcome.level, levels[level]);
    assert.deepEqual(outcomes["Connect binary"], outcomes["Connect JSON"]);
    assert.deepEqual(outcomes["gRPC-Web"], outcomes["Connect JSON"]);
  });
}

test("connect-node gets the server's error codes", async () => {
  for (const [name, make] of Object.entries(connectNode)) {
    const client = createClient(TriageService, make());
    await assert.rejects(
      client.getSession({ sessionId: "0123456789abcdef0123456789abcdef" }),
      (error) => ConnectError.from(error).code === Code.NotFound,
      `${name}: unknown session`,
    );
    await assert.rejects(
      client.startSession({ locale: "x".repeat(8000) }),
      (error) => {
        const connectError = ConnectError.from(error);
        return connectError.code === Code.InvalidArgument && connectError.rawMessage.length < 400;
      },
      `${name}: an 8,000-byte locale is refused briefly`,
    );
  }
});

// grpc-js with the service loaded from the .proto files at run time.
function grpcJsClient(port) {
  const definition = protoLoader.loadSync(join(env.sourceDir, "proto/backchat/triage/v1/triage.proto"), {
    includeDirs: [join(env.sourceDir, "proto")],
    keepCase: false,
    enums: String,
    defaults: false,
    arrays: true,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(definition);
  return new loaded.backchat.triage.v1.TriageService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

function unary(client, method, request) {
  return new Promise((resolve, reject) => {
    client[method](request, { deadline: Date.now() + 10_000 }, (error, reply) => (error ? reject(error) : resolve(reply)));
  });
}

test("grpc-js on the gRPC port reaches every level, as connect-node does", async () => {
  const client = grpcJsClient(backchat.grpcPort);
  try {
    for (const [level, answers] of Object.entries(paths)) {
      let turn = (await unary(client, "startSession", { locale: "en" })).turn;
      for (let i = 0; i < 25 && turn.step === "question"; i++) {
        turn = (
          await unary(client, "submitAnswer", {
            sessionId: turn.sessionId,
            questionId: turn.question.id,
            optionIds: answers[turn.question.id],
          })
        ).turn;
      }
      assert.equal(turn.step, "outcome", level);
      assert.equal(turn.outcome.level, levels[level], level);
      const viaConnect = await converseConnect(createClient(TriageService, connectNode["Connect JSON"]()), answers);
      assert.deepEqual(
        turn.outcome.redFlags.map((flag) => flag.id).sort(),
        (viaConnect.outcome.redFlags ?? []).map((flag) => flag.id).sort(),
        level,
      );
    }
    await assert.rejects(
      unary(client, "getSession", { sessionId: "0123456789abcdef0123456789abcdef" }),
      (error) => error.code === grpc.status.NOT_FOUND,
    );
  } finally {
    client.close();
  }
});
