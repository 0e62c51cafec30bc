// Builds the widget: generated API code (buf + protoc-gen-es), a type
// check, the minified widget, summary page and clinic dashboard with their
// stylesheets, the example page; fails if the widget is over its size budget.
// Usage: node client/web/build.mjs [OUT_DIR] (default build/web). The
// server serves OUT_DIR (--web_dir).
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const out = resolve(process.argv[2] ?? join(root, "build/web"));
const budgetBytes = 60 * 1024; // gzipped

const bin = (name) => join(root, "node_modules/.bin", name);
execFileSync(bin("buf"), ["generate"], { cwd: root, stdio: "inherit" });
execFileSync(bin("tsc"), ["-p", join(here, "tsconfig.json")], { stdio: "inherit" });

mkdirSync(out, { recursive: true });
// widget.js is what a clinic's page loads; summary.js runs the printable
// summary page (/summary/); dashboard.js the clinic's dashboard (/admin/,
// with Chart.js bundled in). The CSS files are separate, not inlined, so a
// page with a strict Content-Security-Policy (no 'unsafe-inline') can allow
// them by origin.
await esbuild.build({
  entryPoints: ["widget", "summary", "dashboard"].map((name) => join(here, `src/${name}.ts`)),
  outdir: out,
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "none",
  logLevel: "warning",
});
await esbuild.build({
  entryPoints: ["widget", "summary", "dashboard"].map((name) => join(here, `src/${name}.css`)),
  outdir: out,
  minify: true,
  target: ["chrome100", "safari15", "firefox100"],
  logLevel: "warning",
});
cpSync(join(here, "example"), join(out, "example"), { recursive: true });
cpSync(join(here, "summary"), join(out, "summary"), { recursive: true });
cpSync(join(here, "admin"), join(out, "admin"), { recursive: true });

// The budget covers what every page that embeds the widget downloads.
let bytes = 0;
let gzipped = 0;
for (const name of ["widget.js", "widget.css"]) {
  const file = readFileSync(join(out, name));
  bytes += file.length;
  gzipped += gzipSync(file, { level: 9 }).length;
}
console.log(`widget.js + widget.css: ${bytes} bytes, ${gzipped} bytes gzipped (budget ${budgetBytes})`);
if (gzipped > budgetBytes) {
  console.error(`the widget is over its size budget by ${gzipped - budgetBytes} bytes gzipped`);
  process.exit(1);
}
