// Give the wasm module's imports short names, in the module and in the JavaScript that
// provides them: wasm-bindgen names each one after its JS function plus a 16-digit hash
// (`__wbg_fillRect_e1f0b9915220348b`), and those names, written twice (in the wasm's import
// section and in the glue) and hardly compressible, cost about 2 KB of the gzipped download.
//
//   node scripts/short-imports.mjs MODULE.wasm FILE.js...
//
// Rewrites MODULE.wasm in place (import i of the glue's module is named `i<base36 i>`) and
// replaces each old name, as a whole word, in every FILE.js. It stops if an old name is not
// found in the JavaScript exactly once per file, so a change in the glue's shape cannot pass
// unnoticed.
import { readFileSync, writeFileSync } from "node:fs";

const [wasmPath, ...jsPaths] = process.argv.slice(2);
if (!wasmPath || !jsPaths.length) {
  console.error("usage: node scripts/short-imports.mjs MODULE.wasm FILE.js...");
  process.exit(2);
}
const fail = (why) => {
  console.error(`short-imports: ${why}`);
  process.exit(1);
};

const wasm = readFileSync(wasmPath);
function leb(buf, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}
function encodeLeb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
}
const str = (s) => Buffer.concat([encodeLeb(Buffer.byteLength(s)), Buffer.from(s)]);

if (wasm.readUInt32LE(0) !== 0x6d736100) fail(`${wasmPath} is not a wasm module`);
const parts = [wasm.subarray(0, 8)];
const renames = new Map();
let at = 8;
while (at < wasm.length) {
  const id = wasm[at];
  const [size, body] = leb(wasm, at + 1);
  const end = body + size;
  if (id !== 2) {
    parts.push(wasm.subarray(at, end));
    at = end;
    continue;
  }
  // The import section: module name, field name, then the import's description.
  let p = body;
  const [count, first] = leb(wasm, p);
  p = first;
  const entries = [encodeLeb(count)];
  for (let i = 0; i < count; i++) {
    const [ml, ms] = leb(wasm, p);
    const module = wasm.toString("utf8", ms, ms + ml);
    p = ms + ml;
    const [fl, fs] = leb(wasm, p);
    const field = wasm.toString("utf8", fs, fs + fl);
    p = fs + fl;
    const descStart = p;
    const kind = wasm[p++];
    if (kind === 0) p = leb(wasm, p)[1]; // function: type index
    else if (kind === 1) {
      p += 1; // table: element type, then limits
      const flags = wasm[p++];
      p = leb(wasm, p)[1];
      if (flags & 1) p = leb(wasm, p)[1];
    } else if (kind === 2) {
      const flags = wasm[p++]; // memory: limits
      p = leb(wasm, p)[1];
      if (flags & 1) p = leb(wasm, p)[1];
    } else if (kind === 3) p += 2; // global: value type, mutability
    else fail(`import ${module}.${field}: unknown kind ${kind}`);
    let name = field;
    if (kind === 0 && /^__wb/.test(field)) {
      name = `i${renames.size.toString(36)}`;
      renames.set(field, name);
    }
    entries.push(str(module), str(name), wasm.subarray(descStart, p));
  }
  if (p !== end) fail("the import section did not parse to its end");
  const section = Buffer.concat(entries);
  parts.push(Buffer.from([2]), encodeLeb(section.length), section);
  at = end;
}
if (!renames.size) fail(`no wasm-bindgen imports in ${wasmPath}`);

for (const path of jsPaths) {
  let js = readFileSync(path, "utf8");
  for (const [from, to] of renames) {
    const re = new RegExp(`\\b${from}\\b`, "g");
    const n = (js.match(re) ?? []).length;
    if (n !== 1) fail(`${path}: ${from} appears ${n} times, expected once`);
    js = js.replace(re, to);
  }
  writeFileSync(path, js);
}
writeFileSync(wasmPath, Buffer.concat(parts));
console.error(`short-imports: ${renames.size} imports renamed in ${wasmPath} and ${jsPaths.join(", ")}`);
