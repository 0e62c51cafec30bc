// The clinic's dashboard at /admin/: asks once for an admin API key with the
// reports scope (kept in sessionStorage, for this tab only), then shows
// AdminService.GetReport for the chosen period, dialog version, channel and
// language as figures, charts and tables, each table downloadable as CSV.
// English or Spanish: ?lang=es, else the browser's language.

import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { AdminService, type GetReportResponse } from "../gen/backchat/admin/v1/admin_pb.js";
import { barChart, colors } from "./dashboard_charts";
import { downloadCsv, type Table } from "./dashboard_csv";
import { dashboardStrings, type Strings } from "./dashboard_strings";
import { el } from "./dom";

const keyStorage = "backchat.admin_key";
const client = createClient(AdminService, createConnectTransport({ baseUrl: location.origin }));
const params = new URLSearchParams(location.search);
const [language, t] = dashboardStrings(params.get("lang") ?? navigator.language ?? "en");
const root = document.getElementById("dashboard")!;

type Filters = { fromDay: string; toDay: string; version: string; channel: number; language: string };
let filters: Filters = { fromDay: "", toDay: "", version: "", channel: 0, language: "" };

function languageSwitch(): HTMLElement {
  const other = language === "es" ? "en" : "es";
  const link = el("a", { href: `?lang=${other}`, lang: other, class: "switch" }, other === "es" ? "Español" : "English");
  return el("nav", { class: "languages" }, link);
}

function askForKey(message = ""): void {
  const input = el("input", { type: "password", id: "admin-key", name: "key", autocomplete: "off", required: "" });
  const form = el(
    "form",
    { class: "key-form" },
    el("label", { for: "admin-key" }, t.keyLabel),
    input,
    el("p", { class: "help" }, t.keyHelp),
    el("button", { type: "submit", class: "primary" }, t.open),
  );
  if (message) form.append(el("p", { class: "error", role: "alert" }, message));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(keyStorage, input.value.trim());
    void load();
  });
  root.replaceChildren(el("header", {}, el("h1", {}, t.title), languageSwitch()), form);
  input.focus();
}

async function load(): Promise<void> {
  const key = sessionStorage.getItem(keyStorage);
  if (!key) return askForKey();
  root.setAttribute("aria-busy", "true");
  try {
    const [version, dialogVersion] = filters.version ? filters.version.split("@") : ["", ""];
    const report = await client.getReport(
      {
        fromDay: filters.fromDay,
        toDay: filters.toDay,
        dialogId: version,
        dialogVersion,
        channel: filters.channel,
        language: filters.language,
      },
      { headers: { authorization: `Bearer ${key}` }, timeoutMs: 15000 },
    );
    filters.fromDay = report.fromDay;
    filters.toDay = report.toDay;
    render(report);
  } catch (error) {
    const failure = ConnectError.from(error);
    if (failure.code === Code.Unauthenticated || failure.code === Code.PermissionDenied) {
      sessionStorage.removeItem(keyStorage);
      askForKey(failure.code === Code.Unauthenticated ? t.errors.unauthenticated : t.errors.permission_denied);
    } else {
      root.append(el("p", { class: "error", role: "alert" }, t.errors.other + failure.rawMessage));
    }
  } finally {
    root.removeAttribute("aria-busy");
  }
}

function select(id: string, label: string, options: [string, string][], value: string): [HTMLElement, HTMLSelectElement] {
  const box = el("select", { id, name: id });
  for (const [optionValue, text] of [["", t.all] as [string, string], ...options]) {
    const option = el("option", { value: optionValue }, text);
    option.selected = optionValue === value;
    box.append(option);
  }
  return [el("div", { class: "field" }, el("label", { for: id }, label), box), box];
}

function filterForm(report: GetReportResponse): HTMLElement {
  const from = el("input", { type: "date", id: "from-day", name: "from", value: report.fromDay });
  const to = el("input", { type: "date", id: "to-day", name: "to", value: report.toDay });
  const [versionField, version] = select(
    "version",
    t.version,
    report.dialogVersions.map((v) => [`${v.dialogId}@${v.dialogVersion}`, `${v.dialogId} ${v.dialogVersion}`]),
    filters.version,
  );
  const [channelField, channel] = select(
    "channel",
    t.channel,
    report.channels.map((c) => [String(c), t.channels[c] ?? String(c)]),
    filters.channel ? String(filters.channel) : "",
  );
  const [languageField, languageBox] = select(
    "language",
    t.language,
    report.languages.map((l) => [l, l]),
    filters.language,
  );
  const form = el(
    "form",
    { class: "filters" },
    el("div", { class: "field" }, el("label", { for: "from-day" }, t.from), from),
    el("div", { class: "field" }, el("label", { for: "to-day" }, t.to), to),
    versionField,
    channelField,
    languageField,
    el("button", { type: "submit", class: "primary" }, t.show),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    filters = {
      fromDay: from.value,
      toDay: to.value,
      version: version.value,
      channel: Number(channel.value || 0),
      language: languageBox.value,
    };
    void load();
  });
  return form;
}

function tableOf(table: Table): HTMLElement {
  const head = el("tr", {}, ...table.header.map((h) => el("th", { scope: "col" }, h)));
  const body = el(
    "tbody",
    {},
    ...table.rows.map((row) =>
      el("tr", {}, ...row.map((cell, i) => (i === 0 ? el("th", { scope: "row" }, String(cell)) : el("td", {}, String(cell))))),
    ),
  );
  const download = el("button", { type: "button", class: "csv", "data-csv": table.name }, t.downloadCsv);
  download.addEventListener("click", () => downloadCsv(table));
  return el(
    "div",
    { class: "table" },
    el("div", { class: "scroll" }, el("table", { "data-table": table.name }, el("thead", {}, head), body)),
    download,
  );
}

function section(name: string, title: string, ...content: Node[]): HTMLElement {
  return el("section", { "data-section": name }, el("h2", {}, title), ...content);
}

function stat(name: string, label: string, value: string): HTMLElement {
  return el("div", { class: "stat", "data-stat": name }, el("span", { class: "value" }, value), el("span", { class: "label" }, label));
}

function render(report: GetReportResponse): void {
  const c = t.columns;
  const sum = (pick: (d: GetReportResponse["days"][number]) => bigint) =>
    report.days.reduce((total, d) => total + Number(pick(d)), 0);
  const days: Table = {
    name: "days",
    header: [c.day, c.started, c.finished, c.abandoned, c.in_progress],
    rows: report.days.map((d) => [d.day, Number(d.started), Number(d.finished), Number(d.abandoned), Number(d.inProgress)]),
  };
  const levelName = (key: string) => t.levels[key] ?? key;
  const outcomes: Table = { name: "outcomes", header: [c.level, c.count], rows: report.outcomes.map((o) => [levelName(o.key), Number(o.count)]) };
  const redFlags: Table = { name: "red_flags", header: [c.redFlag, c.count], rows: report.redFlags.map((f) => [f.key, Number(f.count)]) };
  const funnel: Table = {
    name: "funnel",
    header: [c.question, c.reached, c.stopped, c.in_progress],
    rows: report.questions.map((q) => [q.questionId, Number(q.reached), Number(q.stopped), Number(q.inProgress)]),
  };
  const typed: Table = {
    name: "typed_answers",
    header: [c.question, c.accepted, c.confirmed, c.askedAgain],
    rows: report.questions
      .filter((q) => q.typedAccepted + q.typedConfirmed + q.typedAskedAgain > 0n)
      .map((q) => [q.questionId, Number(q.typedAccepted), Number(q.typedConfirmed), Number(q.typedAskedAgain)]),
  };
  const questions: Table = {
    name: "questions_to_outcome",
    header: [c.questions, c.count],
    rows: report.questionsToOutcome.map((q) => [q.key, Number(q.count)]),
  };
  const minutes: Table = { name: "minutes_to_outcome", header: [c.minutes, c.count], rows: report.minutesToOutcome.map((m) => [m.key, Number(m.count)]) };
  const actions: Table = {
    name: "actions_offered",
    header: [c.action, c.count],
    rows: report.actionsOffered.map((a) => [t.actions[a.key] ?? a.key, Number(a.count)]),
  };
  const rows = (table: Table, column: number) => table.rows.map((r) => Number(r[column]));
  const labels = (table: Table) => table.rows.map((r) => String(r[0]));
  // A table of KEY, COUNT with its bar chart.
  const countSection = (title: string, table: Table) =>
    section(
      table.name,
      title,
      barChart(labels(table), [{ label: c.count, values: rows(table, 1), color: colors.neutral }], { label: title }),
      tableOf(table),
    );

  root.replaceChildren(
    el("header", {}, el("h1", {}, t.title), languageSwitch()),
    filterForm(report),
    el(
      "div",
      { class: "stats" },
      stat("started", t.stats.started, String(sum((d) => d.started))),
      stat("finished", t.stats.finished, String(sum((d) => d.finished))),
      stat("abandoned", t.stats.abandoned, String(sum((d) => d.abandoned))),
      stat("in_progress", t.stats.in_progress, String(sum((d) => d.inProgress))),
      stat("median_questions", t.stats.medianQuestions, report.medianQuestionsToOutcome ? String(report.medianQuestionsToOutcome) : "–"),
      stat("median_minutes", t.stats.medianMinutes, report.medianMinutesToOutcome || "–"),
    ),
    el("p", { class: "rule" }, t.abandonRule(Math.round(Number(report.sessionIdleTimeoutSeconds) / 60))),
    section(
      "days",
      t.sections.days,
      barChart(labels(days), [
        { label: c.finished, values: rows(days, 2), color: colors.finished },
        { label: c.abandoned, values: rows(days, 3), color: colors.abandoned },
        { label: c.in_progress, values: rows(days, 4), color: colors.in_progress },
      ], { stacked: true, label: t.sections.days }),
      tableOf(days),
    ),
    countSection(t.sections.outcomes, outcomes),
    section("red_flags", t.sections.redFlags, tableOf(redFlags)),
    section(
      "funnel",
      t.sections.funnel,
      barChart(labels(funnel), [
        { label: c.reached, values: rows(funnel, 1), color: colors.started },
        { label: c.stopped, values: rows(funnel, 2), color: colors.abandoned },
      ], { horizontal: true, label: t.sections.funnel }),
      tableOf(funnel),
    ),
    section("typed_answers", t.sections.typed, tableOf(typed)),
    countSection(t.sections.questionsToOutcome, questions),
    countSection(t.sections.minutesToOutcome, minutes),
    section("actions_offered", t.sections.actions, tableOf(actions)),
    el("p", {}, el("button", { type: "button", class: "forget" }, t.forget)),
  );
  root.querySelector(".forget")!.addEventListener("click", () => {
    sessionStorage.removeItem(keyStorage);
    askForKey();
  });
}

document.documentElement.lang = language;
document.title = t.title;
void load();
