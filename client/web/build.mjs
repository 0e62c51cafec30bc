// Builds the widget: generated API code (buf + protoc-gen-es), a type
// check, one minified bundle, the example page; fails if the bundle is
// over its size budget. Usage: node client/web/build.mjs [OUT_DIR]
// (default build/web). The server serves OUT_DIR (--web_dir).
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
await esbuild.build({
  entryPoints: [join(here, "src/widget.ts")],
  outfile: join(out, "widget.js"),
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "none",
  logLevel: "warning",
});
cpSync(join(here, "example"), join(out, "example"), { recursive: true });

const bundle = readFileSync(join(out, "widget.js"));
const gzipped = gzipSync(bundle, { level: 9 }).length;
console.log(`widget.js: ${bundle.length} bytes, ${gzipped} bytes gzipped (budget ${budgetBytes})`);
if (gzipped > budgetBytes) {
  console.error(`widget.js is over its size budget by ${gzipped - budgetBytes} bytes gzipped`);
  process.exit(1);
}
