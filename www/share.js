// Sharing: the share link, the Embed dialog's snippet, and exports (PNG, CSV, JSON). Every
// scenario text here is written by the engine.

import { exportPng } from "./loop.js";
import { $, S, el, showNotice } from "./state.js";

/** A link to this scenario at this moment: with its preset, its title and the step reached (`t=`). */
export function shareUrl(text = S.pg.linkText(false)) {
  const u = new URL(location.href);
  u.search = "?" + text;
  u.hash = "";
  return u.toString();
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = el("textarea", { value: text, readOnly: true });
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    document.body.append(ta);
    ta.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    ta.remove();
    return ok;
  }
}

export function flash(button, text) {
  const old = button.dataset.label ?? button.textContent;
  button.dataset.label = old;
  button.textContent = text;
  setTimeout(() => (button.textContent = old), 1400);
}

export function download(name, blob) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/**
 * Download view `view` as an SVG at its size on screen. The SVG exporter is a module of its own
 * (the page's carries no SVG backend), loaded the first time: it replays the scenario to the
 * step shown (runs are a function of the text and the step) and draws it.
 */
export async function exportModule() {
  const mod = await import("./pkg-svg/gradscape_svg.js");
  await (S.svgReady ??= exportWasm().then((module) => mod.default({ module_or_path: module })));
  return mod;
}

/** The export module's compiled wasm, compiled once: the page's instance and every sweep worker's share it. */
export function exportWasm() {
  const url = new URL("./pkg-svg/gradscape_svg_bg.wasm", import.meta.url);
  S.exportCompiled ??= WebAssembly.compileStreaming(fetch(url)).catch(() =>
    fetch(url)
      .then((r) => r.arrayBuffer())
      .then((b) => WebAssembly.compile(b)),
  );
  S.exportCompiled.catch(() => (S.exportCompiled = null));
  return S.exportCompiled;
}

async function exportSvg(view) {
  const box = $(view === "contour" ? "overlay" : view).getBoundingClientRect();
  let p;
  try {
    const svg = await exportModule();
    p = new svg.Playground(S.pg.text());
    p.step(S.pg.currentStep());
    const text = p.exportSvg(view, Math.round(box.width), Math.round(box.height));
    download(`gradscape-${view}.svg`, new Blob([text], { type: "image/svg+xml" }));
  } catch (e) {
    S.svgReady = null;
    showNotice(`The ${view} view could not be saved as SVG.`, [e.message ?? String(e)]);
  } finally {
    p?.free();
  }
}

/**
 * Copy the scenario as a Python script (`lang`: numpy or pytorch) that reproduces its runs, as
 * `gradscape code --lang` writes it. The writer lives in the export module, loaded on demand.
 */
async function copyCode(lang, button) {
  let p;
  try {
    const mod = await exportModule();
    p = new mod.Playground(S.pg.text());
    const script = p.code(lang);
    flash(button, (await copyText(script)) ? "Copied ✓" : "Copy failed");
  } catch (e) {
    S.svgReady = null;
    showNotice(`The ${lang === "numpy" ? "NumPy" : "PyTorch"} script could not be written.`, [e.message ?? String(e)]);
  } finally {
    p?.free();
  }
}

/** Whether a link can carry `text`; if not, say so and what to do instead. */
export function fitsLink(text) {
  if (text.length <= S.cat.max_link) return true;
  showNotice(
    `This scenario is ${text.length.toLocaleString("en")} characters long with its data; a link carries at most ${S.cat.max_link.toLocaleString("en")}.`,
    ["Save it as a scenario file instead (Export → Scenario file) and open that file in gradscape (Export → Open a scenario file)."],
  );
  return false;
}

/** A scenario file: the whole scenario text, data set included, as JSON. */
function scenarioFile() {
  return JSON.stringify({ gradscape: 1, scenario: S.pg.text() }, null, 1) + "\n";
}

/** Open a scenario file chosen by the user; a file that is not one says what it is not. */
async function openScenarioFile(file) {
  let text;
  try {
    const json = JSON.parse(await file.text());
    text = json?.gradscape === 1 && typeof json.scenario === "string" ? json.scenario : null;
  } catch {
    text = null;
  }
  if (text === null) {
    showNotice(`${file.name} is not a gradscape scenario file.`, ['A scenario file is JSON: {"gradscape": 1, "scenario": "v=1&surface=…"} (Export → Scenario file writes one).']);
    return;
  }
  if (text.length > S.cat.max_file) {
    showNotice(`${file.name} is too long.`, [`Its scenario has ${text.length.toLocaleString("en")} characters; a scenario file may have at most ${S.cat.max_file.toLocaleString("en")}.`]);
    return;
  }
  const problem = S.hooks.loadText(text);
  if (problem) showNotice(`${file.name} could not be opened; nothing was changed.`, [problem]);
}

export function exportView(kind) {
  if (kind === "scenario") return download("gradscape-scenario.json", new Blob([scenarioFile()], { type: "application/json" }));
  if (kind === "csv") return download("gradscape-trajectories.csv", new Blob([S.pg.exportCsv()], { type: "text/csv" }));
  if (kind === "json") return download("gradscape-trajectories.json", new Blob([S.pg.exportJson()], { type: "application/json" }));
  if (kind.endsWith("-svg")) return exportSvg(kind.slice(0, -4));
  const scale = $("export-2x")?.checked ? 2 : 1;
  exportPng(kind, scale).then(
    (b) => download(`gradscape-${kind}${scale === 2 ? "@2x" : ""}.png`, b),
    (e) => showNotice(`The ${kind} view could not be saved as PNG.`, [e.message]),
  );
}

// ---------------------------------------------------------------- embed

/** The views an embed can show: the `show` row's choices. */
const views = () => S.cat.params.find((p) => p.key === "show" && p.scope === "page").choices;

export function openEmbed() {
  const box = $("embed-options");
  if (!box.children.length) {
    for (const v of views()) {
      const cb = el("input", { type: "checkbox", value: v.name, checked: v.in_embed });
      cb.addEventListener("change", updateEmbedCode);
      box.append(el("label", {}, cb, ` ${v.label}`));
    }
    $("embed-height").addEventListener("input", updateEmbedCode);
  }
  updateEmbedCode();
  $("embed-dialog").hidden = false;
  $("embed-code").focus();
}

function escapeAttr(s) {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function updateEmbedCode() {
  const chosen = [...$("embed-options").querySelectorAll("input:checked")].map((c) => c.value);
  // At least the first view (the contour): an embed showing nothing would be empty.
  const text = S.pg.embedText((chosen.length ? chosen : [views()[0].name]).join(","));
  const input = $("embed-height");
  const h = Math.max(Number(input.min), Math.min(Number(input.max), Number(input.value) || Number(input.defaultValue)));
  // The frame's title, for screen readers and the parent's outline: the lesson's, as shown.
  const title = `gradscape: ${$("lesson").hidden ? "gradient descent playground" : $("scenario-title").textContent}`;
  $("embed-code").value =
    `<iframe src="${escapeAttr(shareUrl(text))}" width="100%" height="${h}" ` +
    `style="border:0;max-width:100%" loading="lazy" title="${escapeAttr(title)}"></iframe>`;
}

export function wireShare() {
  // The full playground's link from an embed opens at the step the embed has reached.
  const full = $("full-link");
  const aim = () => (full.href = "./?" + S.pg.linkText(true));
  for (const ev of ["pointerdown", "focus", "click", "contextmenu"]) full.addEventListener(ev, aim);
  $("copy-link").addEventListener("click", async () => {
    const text = S.pg.linkText(false);
    if (fitsLink(text)) flash($("copy-link"), (await copyText(shareUrl(text))) ? "Copied ✓" : "Copy failed");
  });
  $("open-embed").addEventListener("click", () => fitsLink(S.pg.text()) && openEmbed());
  $("scenario-file").addEventListener("change", (e) => {
    const file = e.target.files?.[0];
    e.target.value = "";
    $("export-menu").open = false;
    if (file) openScenarioFile(file);
  });
  $("embed-close").addEventListener("click", () => ($("embed-dialog").hidden = true));
  $("embed-copy").addEventListener("click", async () => flash($("embed-copy"), (await copyText($("embed-code").value)) ? "Copied ✓" : "Copy failed"));
  $("embed-dialog").addEventListener("keydown", (e) => {
    if (e.key === "Escape") $("embed-dialog").hidden = true;
  });
  // Esc closes the export menu and gives the focus back to its button; so does a click elsewhere.
  const menu = $("export-menu");
  menu.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || !menu.open) return;
    menu.open = false;
    menu.querySelector("summary").focus();
  });
  document.addEventListener("click", (e) => {
    if (menu.open && !menu.contains(e.target)) menu.open = false;
  });
  // The export module starts loading when a code button is pointed at or focused, so the copy
  // follows the click while it still counts as the user's (the clipboard asks for that).
  const warm = () => exportModule().catch(() => (S.svgReady = null));
  for (const b of document.querySelectorAll("[data-code]")) {
    for (const ev of ["pointerenter", "focus"]) b.addEventListener(ev, warm, { once: true });
    b.addEventListener("click", () => copyCode(b.dataset.code, b));
  }
  for (const b of document.querySelectorAll("[data-export]")) {
    b.addEventListener("click", () => {
      exportView(b.dataset.export);
      $("export-menu").open = false;
    });
  }
}
