// gradscape's page: loads the engine and wires the parts. The engine (Rust/wasm) owns the
// scenario and every number; the page holds its handle, sends each edit to it, and draws.

import init, { Playground, catalog, optimizerColour, version } from "./pkg/gradscape.js";
import { Controls } from "./controls.js";
import { decodeLink, isEmbed, painter } from "./painter.js";
import { firstFigure, frame, setPlaying, sizeCanvases, spawnPainter, startPainter, watchVisibility } from "./loop.js";
import { wire3d, wirePointer, wireZoom } from "./pointer.js";
import { wireShare } from "./share.js";
import { $, S, configChanged, el, hideNotice, keyValue, runChanged, scheduleUrl, showFieldErrors, showNotice } from "./state.js";
import { renderStatusList } from "./status.js";

/**
 * Load `source`: scenario text (a link or a preset), or a handle already made from a link;
 * bad parts of a link fall back to defaults with a notice.
 */
function load(source, { strict = false } = {}) {
  const pg = typeof source !== "string" ? source : strict ? new Playground(source) : Playground.decode(source);
  if (!strict) {
    const notices = pg.notices();
    if (notices.length) {
      showNotice(
        "Some of this link could not be used; defaults were put in its place:",
        notices.map((n) => n.text),
      );
    }
  }
  S.pg?.free();
  // A new scenario: the refused values typed into the old one's fields go.
  S.fieldErrors.clear();
  S.pg = pg;
  // The painter worker computes the runs it draws; this handle computes them only for the numbers.
  pg.setLazy(true);
  if (S.sizes.bg) pg.setPlotSize(S.sizes.bg[0], S.sizes.bg[1], S.dpr);
  configChanged();
  S.info = pg.surfaceInfo();
  S.selected = 0;
  S.dirtyBg = true;
  runChanged();
  render();
  applyPage();
}

function render() {
  renderStatusList();
  S.controls.render(S.pg.warnings());
  showFieldErrors();
  const title = $("scenario-title");
  const t = keyValue("title");
  title.hidden = !t;
  title.textContent = t;
}

/** The contour's marks for the surface's critical points, as drawn (render/contour_frame.rs), for the kinds this surface has. */
const MARKS = [
  ["minimum", "✕ minimum"],
  ["saddle", "◇ saddle point"],
  ["maximum", "△ maximum"],
];

/** Say what the contour's critical-point marks mean (none on a data view or a surface without them). */
function marksKey() {
  const kinds = new Set(S.info.critical.map((c) => c.kind));
  const shown = MARKS.filter(([k]) => kinds.has(k)).map(([, text]) => text);
  const key = $("marks-key");
  key.hidden = S.info.data_view || !shown.length;
  key.textContent = shown.length ? `${shown.join(" · ")}: where the gradient is zero` : "";
}

/** Show the views the scenario asks for, in the layout it asks for. */
function applyPage() {
  S.controls.renderPage();
  S.speed = Number(keyValue("speed"));
  const embed = keyValue("embed") === "true";
  const show = keyValue("show");
  const visible = (v) => !show || show.split(",").includes(v);
  const epochs = S.info.examples > 0;
  // Without a data set only the default axis (steps) has a meaning.
  const axis = S.cat.params[Number($("loss-axis").dataset.row)];
  for (const o of $("loss-axis").options) o.disabled = !epochs && o.value !== axis.default;
  document.body.classList.toggle("embed", embed);
  for (const e of document.querySelectorAll("[data-view]")) e.classList.toggle("hide", !visible(e.dataset.view));
  if (S.info.data_view) {
    $("readout").textContent =
      "The SVM has 9 weights, too many for a contour: the data are shown with the decision regions of the highlighted optimizer. Click a status line to follow another one.";
  }
  $("charts").classList.toggle("hide", ![...$("charts").children].some((c) => !c.classList.contains("hide")));
  $("layout").classList.toggle("no-side", embed && $("controls").classList.contains("hide"));
  document.querySelector(".zoom").classList.toggle("hide", S.info.data_view);
  marksKey();
  const full = $("full-link");
  full.hidden = !embed;
  if (embed) {
    const href = "./?" + S.pg.fullText();
    if (full.getAttribute("href") !== href) full.href = href;
  }
  S.dirty3d = true;
}

// ---------------------------------------------------------------- presets

function fillPresets() {
  // Not every preset outside the lessons is a race: they are listed under their own titles.
  const label = (p) => (p.lesson ? `Lesson ${p.lesson}: ${p.title}` : p.title);
  $("gallery-list").append(
    ...S.cat.presets.map((p) => el("li", {}, el("a", { href: `?preset=${encodeURIComponent(p.name)}`, textContent: label(p) }), ` — ${p.explain}`)),
  );
  const sel = $("preset");
  const lessons = el("optgroup", { label: "Lessons" });
  const more = el("optgroup", { label: "Races and more" });
  for (const p of S.cat.presets)
    (p.lesson ? lessons : more).append(el("option", { value: p.name, textContent: p.lesson ? `${p.lesson}. ${p.title}` : p.title }));
  sel.append(lessons, more);
  sel.addEventListener("change", () => {
    if (sel.value) choosePreset(sel.value);
  });
}

function choosePreset(name) {
  const p = S.cat.presets.find((x) => x.name === name);
  if (!p) return;
  // An embed stays an embed showing the same views.
  const embed = keyValue("embed");
  const show = keyValue("show");
  load(p.text, { strict: true });
  if (embed === "true") S.pg.setKey("embed", embed);
  if (show) S.pg.setKey("show", show);
  configChanged();
  applyPage();
  showPreset(p);
  hideNotice();
  scheduleUrl();
  setPlaying(false);
}

function showPreset(p) {
  S.presetName = p.name;
  $("preset").value = p.name;
  const ex = $("preset-explain");
  ex.textContent = `${p.title}: ${p.explain}`;
  ex.hidden = false;
}

function clearPreset() {
  S.presetName = "";
  $("preset").value = "";
  $("preset-explain").hidden = true;
}

// ---------------------------------------------------------------- keyboard and wiring

function typing(target) {
  return target instanceof HTMLElement && (target.matches("input, select, textarea, [contenteditable]") || target.isContentEditable);
}

function stepOnce() {
  setPlaying(false);
  S.pg.step(1);
  runChanged();
}

function resetRun() {
  setPlaying(false);
  S.pg.reset();
  runChanged();
}

function wire() {
  $("play").addEventListener("click", () => setPlaying(!S.playing));
  $("step-btn").addEventListener("click", stepOnce);
  $("reset").addEventListener("click", resetRun);
  $("notice-close").addEventListener("click", hideNotice);
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    const onButton = e.target instanceof HTMLButtonElement || (e.target instanceof HTMLElement && e.target.matches("summary"));
    if (e.key === " " && !onButton) {
      e.preventDefault();
      setPlaying(!S.playing);
    } else if (e.key === "ArrowRight" && !e.shiftKey) {
      e.preventDefault();
      stepOnce();
    } else if (e.key === "r" || e.key === "R") {
      resetRun();
    }
  });
  new ResizeObserver(() => sizeCanvases()).observe($("layout"));
  window.addEventListener("resize", sizeCanvases);
  watchVisibility();
  wirePointer();
  wire3d();
  wireZoom();
  wireShare();
}

/** Once the document is parsed: the page's set-up; `worker` and `compiled` were started before (see below). */
async function main(worker, compiled) {
  startPainter(worker, compiled);
  const wasm = await init({ module_or_path: await compiled });
  const query = location.search.slice(1);
  const first = decodeLink(query);
  // An embed lays itself out to fit its frame once its views are known: its figure waits for that.
  if (!isEmbed(first)) await firstFigure(first);
  // For diagnostics (the soak test watches memory): bytes held by the wasm heap.
  window.gradscapeMemory = () => wasm.memory.buffer.byteLength + S.painterMemory;
  // For tests: whether the painter has drawn everything sent to it and nothing waits.
  window.gradscapePainted = () => S.painted === S.seq && S.painterIdle && !(S.dirtyBg || S.dirtyFrame || S.dirtyCharts || S.dirty3d);
  S.cat = catalog();
  S.colourOf = optimizerColour;
  S.hooks = { render, page: applyPage, clearPreset };
  S.controls = new Controls();
  $("version").textContent = `gradscape v${version()}`;
  fillPresets();
  wire();
  load(first);
  const pn = new URLSearchParams(query).get("preset");
  const p = pn && S.cat.presets.find((x) => x.name === pn);
  if (p) showPreset(p);
  if (query) scheduleUrl();
  sizeCanvases();
  requestAnimationFrame(frame);
  document.body.dataset.ready = "1";
}

if (typeof document === "undefined") {
  // Started as the painter worker (startPainter in loop.js): draw what the page sends.
  const receive = painter((m) => self.postMessage(m));
  self.onmessage = (e) => receive(e.data);
} else {
  // This script is async: it runs as soon as it arrives, often before the document is
  // parsed. The engine's compile and the painter's worker start now; the rest waits.
  const parsed = document.readyState === "loading" ? new Promise((r) => document.addEventListener("DOMContentLoaded", r, { once: true })) : Promise.resolve();
  (async () => {
    const compiled = WebAssembly.compileStreaming(fetch(new URL("./pkg/gradscape_bg.wasm", import.meta.url)));
    compiled.catch(() => {}); // reported by main(), which awaits it
    const worker = spawnPainter();
    await parsed;
    await main(worker, compiled);
  })().catch((e) =>
    parsed.then(() => {
      showNotice("gradscape could not start.", [e.message ?? String(e)]);
      document.body.dataset.ready = "error";
    }),
  );
}
