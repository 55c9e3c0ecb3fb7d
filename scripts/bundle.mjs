// Join the page's own ES modules into one module, in the order the browser would evaluate
// them (depth first, imports in the order written), so the page fetches one script instead
// of seven and gzip sees one stream (about 2 KB less to download).
//
//   node scripts/bundle.mjs www/app.js --glue > bundle.js   (the page, the glue joined in)
//   node scripts/bundle.mjs www/pkg/gradscape.js > glue.js   (the glue with its snippets)
//
// The modules keep to a plain style this relies on, and anything else stops the build:
// local imports are `import { a, b } from "./x.js";` on one line (no renames, no default),
// exports of imported modules are `export function|async function|class|const|let`
// declarations; the entry module's own exports stay as they are. Imports of `./pkg/…` (the
// wasm-bindgen glue) stay imports, or with --glue the glue is joined in as well (one file
// for the page and its painter worker: about 800 B less to download than three), imported
// as `import init, { a, b } from "./pkg/….js";`. Two modules declaring
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
/** The page's import of the wasm-bindgen glue: `import init, { a, b } from "./pkg/x.js";`. */
const GLUE = /^import\s+(\w+)\s*,\s*\{([^}]*)\}\s*from\s*["'](\.\/pkg\/[^"']+)["'];\s*$/;
/** The glue's last line, `export { initSync, __wbg_init as default };`. */
const GLUE_EXPORTS = /^export\s*\{\s*initSync\s*,\s*__wbg_init\s+as\s+default\s*\}\s*;\s*$/;
/** With --glue: the glue is joined in too, its default export bound to this name. */
let glueDefault = null;
const withGlue = process.argv.includes("--glue");

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
      const glue = withGlue && GLUE.exec(line);
      if (glue) {
        if (glueDefault !== null && glueDefault !== glue[1]) fail(file, i + 1, `the glue's default import is "${glueDefault}" elsewhere`, line);
        glueDefault = glue[1];
        visit(join(dirname(file), glue[3]));
        return;
      }
      if (withGlue && GLUE_EXPORTS.test(line)) {
        out.push(`const ${glueDefault} = __wbg_init;`);
        return;
      }
      if (/^import\b/.test(line)) {
        if (!/from\s*["']\.\/pkg\//.test(line)) fail(file, i + 1, "unsupported import", line);
        // With the glue joined in, a second form would load a second, uninitialised copy of it.
        if (withGlue) fail(file, i + 1, 'the glue is joined in: import it as `import init, { a, b } from "./pkg/….js";`', line);
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
