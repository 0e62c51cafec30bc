// The Grafana dashboard in deploy/ against the real server: the JSON parses
// as a dashboard, and every metric it queries, with every label it groups
// by, is one the server's /metrics exports (the server is started here, with
// an approved dialog, and has served a conversation over each transport).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { callApi, env, paths, sessionAt, startBackchat } from "./support.mjs";

const work = mkdtempSync(join(tmpdir(), "backchat-grafana-"));
const metricsKey = "grafana-metrics-key-0123456789abcdef";
let server;

before(async () => {
  // An approved copy of the bundled dialogs, so that backchat_dialog_approval has a series.
  const dialogs = join(work, "dialogs");
  cpSync(join(env.sourceDir, "dialogs"), dialogs, { recursive: true });
  const check = execFileSync(env.cli, ["dialog", "check", dialogs], { encoding: "utf8", timeout: 30000 });
  const version = /version ([0-9a-f]{16})/.exec(check)[1];
  writeFileSync(
    join(dialogs, "approvals.txtpb"),
    `approvals { dialog: "back_pain" version: "${version}" approver: "Dr Ada Reviewer" role: "Clinical safety officer" date: "2026-12-02" }\n`,
  );
  const keys = join(work, "admin_keys");
  writeFileSync(keys, `grafana metrics ${metricsKey}\n`);
  server = await startBackchat([`--admin_keys_file=${keys}`, `--dialogs=${dialogs}`]);
  await sessionAt(server.origin, "en", paths.emergency);
});

after(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

const dashboard = () => JSON.parse(readFileSync(join(env.sourceDir, "deploy/grafana_dashboard.json"), "utf8"));

/** Every query of every panel: [panel title, PromQL]. */
function queries(board) {
  return board.panels.flatMap((panel) => (panel.targets ?? []).map((target) => [panel.title, target.expr]));
}

test("the dashboard JSON is a Grafana dashboard with panels that each query something", () => {
  const board = dashboard();
  assert.equal(typeof board.title, "string");
  assert.ok(Array.isArray(board.panels) && board.panels.length >= 8);
  const ids = board.panels.map((panel) => panel.id);
  assert.equal(new Set(ids).size, ids.length, "panel ids are unique");
  for (const panel of board.panels) {
    assert.ok(panel.title && panel.type && panel.gridPos, `panel ${panel.id} has a title, type and place`);
    assert.ok(panel.gridPos.x + panel.gridPos.w <= 24, `panel "${panel.title}" fits Grafana's 24 columns`);
    assert.ok(panel.targets?.length > 0, `panel "${panel.title}" queries something`);
    for (const target of panel.targets) {
      assert.equal(target.datasource.uid, "${DS_PROMETHEUS}", `panel "${panel.title}" uses the imported data source`);
    }
  }
  assert.ok(board.__inputs.some((input) => input.name === "DS_PROMETHEUS"));
});

test("every metric and label the dashboard queries is one the server exports", async () => {
  // One call over HTTP (above) and one refused, so every call series exists.
  await callApi(server.origin, "StartSession", { locale: "en" });
  const response = await fetch(`${server.origin}/metrics`, { headers: { authorization: `Bearer ${metricsKey}` } });
  assert.equal(response.status, 200);
  const exported = new Map(); // metric name -> labels seen on its samples
  for (const line of (await response.text()).split("\n")) {
    const sample = /^([a-z_]+)(?:\{([^}]*)\})? /.exec(line);
    if (!sample) continue;
    const labels = exported.get(sample[1]) ?? new Set();
    for (const pair of (sample[2] ?? "").matchAll(/([a-z_]+)="/g)) labels.add(pair[1]);
    exported.set(sample[1], labels);
  }
  const checked = new Set();
  for (const [title, expr] of queries(dashboard())) {
    const metrics = [...expr.matchAll(/\b(backchat_[a-z_]+)\b/g)].map((m) => m[1]);
    assert.ok(metrics.length > 0, `"${title}" queries a BackChat metric: ${expr}`);
    for (const metric of metrics) {
      assert.ok(exported.has(metric), `"${title}" queries ${metric}, which /metrics does not export`);
      checked.add(metric);
    }
    for (const clause of expr.matchAll(/\bby \(([^)]*)\)/g)) {
      for (const label of clause[1].split(",").map((l) => l.trim())) {
        assert.ok(
          metrics.some((metric) => exported.get(metric).has(label)),
          `"${title}" groups by "${label}", which none of ${metrics.join(", ")} carries`,
        );
      }
    }
  }
  // The dashboard covers every family the server exports.
  for (const family of ["backchat_conversations_started_total", "backchat_conversations_finished_total",
    "backchat_turns_total", "backchat_calls_total", "backchat_call_duration_seconds_bucket",
    "backchat_live_sessions", "backchat_store_errors_total", "backchat_rate_limited_total",
    "backchat_dialog_serving", "backchat_dialog_approval"]) {
    assert.ok(checked.has(family), `the dashboard shows ${family}`);
  }
});
