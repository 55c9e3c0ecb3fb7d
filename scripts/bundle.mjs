// Join the page's own ES modules into one module, in the order the browser would evaluate
// them (depth first, imports in the order written), so the page fetches one script instead
// of seven and gzip sees one stream (about 2 KB less to download).
//
//   node scripts/bundle.mjs www/app.js > bundle.js
//   node scripts/bundle.mjs www/pkg/gradscape.js > glue.js   (the glue with its snippets)
//
// The modules keep to a plain style this relies on, and anything else stops the build:
// local imports are `import { a, b } from "./x.js";` on one line (no renames, no default),
// exports of imported modules are `export function|async function|class|const|let`
// declarations; the entry module's own exports stay as they are. Imports of `./pkg/…` (the
// wasm-bindgen glue, which finds its .wasm beside itself) stay imports. Two modules declaring
// the same top-level name would collide in one scope: terser, which minifies the result,
// rejects a redeclaration, so that fails the build too.
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const entry = process.argv[2];
if (!entry) {
  console.error("usage: node scripts/bundle.mjs ENTRY.js");
  process.exit(2);
}
const root = dirname(entry);
const LOCAL = /^import\s*\{([^}]*)\}\s*from\s*["'](\.\/(?!pkg\/)[^"']+)["'];\s*$/;
const EXPORT = /^export\s+(?=(?:async\s+function|function|class|const|let)\b)/;

const order = [];
const kept = []; // import lines of the glue, hoisted to the top
const seen = new Set();
const fail = (file, n, why, line) => {
  console.error(`bundle: ${relative(".", file)}:${n}: ${why}\n  ${line}`);
  process.exit(1);
};

function visit(file) {
  if (seen.has(file)) return;
  seen.add(file);
  const out = [];
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      const local = LOCAL.exec(line);
      if (local) {
        if (/\bas\b/.test(local[1])) fail(file, i + 1, "renamed import", line);
        visit(join(dirname(file), local[2]));
        return;
      }
      if (/^import\b/.test(line)) {
        if (!/from\s*["']\.\/pkg\//.test(line)) fail(file, i + 1, "unsupported import", line);
        kept.push(line);
        return;
      }
      if (/^export\b/.test(line) && file !== entry) {
        if (!EXPORT.test(line)) fail(file, i + 1, "unsupported export", line);
        out.push(line.replace(EXPORT, ""));
        return;
      }
      out.push(line);
    });
  order.push(`// ${relative(root, file)}\n${out.join("\n")}`);
}

visit(entry);
process.stdout.write(`${kept.join("\n")}\n${order.join("\n")}\n`);
