// gradscape's page: loads the engine and wires the parts. The engine (Rust/wasm) owns the
// scenario and every number; the page holds its handle, sends each edit to it, and draws.

import init, { Playground, catalog, optimizerColour, version } from "./pkg/gradscape.js";
import { Controls } from "./controls.js";
import { decodeLink, isEmbed, painter } from "./painter.js";
import { firstFigure, frame, seek, setPlaying, sizeCanvases, spawnPainter, startPainter, watchVisibility } from "./loop.js";
import { wire3d, wirePointer, wireZoom } from "./pointer.js";
import { wireShare } from "./share.js";
import { initSweep, sweepFromLink } from "./sweep.js";
import { $, S, apply, configChanged, el, hideNotice, keyValue, historyEntry, noteInput, runChanged, scheduleUrl, showFieldErrors, showNotice, writeUrl } from "./state.js";
import { marksKey, renderStatusList, wireChartHover } from "./status.js";
import { emit, registerOffline, scenarioLoaded, showKit, statusShown, wireApi, wireTour } from "./course.js";

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
  // A link to a moment of the run (t=): open there, paused. The key has done its work then.
  const t = Number(keyValue("t"));
  if (t > 0) {
    pg.step(t);
    pg.setKey("t", "0");
    configChanged();
  }
  runChanged();
  scenarioLoaded();
  render();
  applyPage();
}

function render() {
  renderStatusList();
  S.controls.render(S.pg.warnings());
  showKit();
  showFieldErrors();
  showLesson();
}

/**
 * The lesson above the key: the scenario's title (or its preset's) and the preset's note on
 * what to watch. The preset is the engine's (`config().preset`): links carry it.
 */
function showLesson() {
  const p = S.cat.presets.find((x) => x.name === S.config.preset);
  const title = keyValue("title") || (p ? (p.lesson ? `Lesson ${p.lesson}: ${p.title}` : p.title) : "");
  const lesson = $("lesson");
  lesson.hidden = !title && !p;
  // A new lesson opens its note, except in an embed, where it folds over the figure.
  const shown = `${title}|${p?.name ?? ""}`;
  if (S.lessonShown !== shown) lesson.open = keyValue("embed") !== "true";
  S.lessonShown = shown;
  $("scenario-title").textContent = title || "About this scenario";
  const ex = $("preset-explain");
  ex.textContent = p?.explain ?? "";
  ex.hidden = !p;
  $("preset").value = p?.name ?? "";
  document.title = title ? `${title} · gradscape` : "gradscape · gradient descent playground";
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
      "The SVM has 9 weights, too many for a contour: the data are shown with the decision regions of the highlighted optimizer. Click a name in the key (or Tab to it and press Enter) to follow another one.";
  }
  $("charts").classList.toggle("hide", ![...$("charts").children].some((c) => !c.classList.contains("hide")));
  // An embed without the key and the charts gives the figure the whole width.
  $("layout").classList.toggle("no-side", embed && $("status").classList.contains("hide") && $("charts").classList.contains("hide"));
  document.querySelector(".zoom").classList.toggle("hide", S.info.data_view);
  marksKey();
  const full = $("full-link");
  full.hidden = !embed;
  if (embed) {
    const href = "./?" + S.pg.fullText();
    if (full.getAttribute("href") !== href) full.href = href;
  }
  const auto = embed && keyValue("autoheight") === "true";
  document.body.classList.toggle("autoheight", auto);
  if (auto) tellHeight();
  S.dirty3d = true;
  sweepFromLink();
}

/**
 * autoheight: the embed is as tall as its content and tells the page around it, which can
 * size the iframe: `{gradscape: 1, type: "height", height}` (CSS px) whenever the height
 * changes (course.js sends it, to the `origin=` parent when one is named).
 */
function tellHeight() {
  if (S.heightWatch || window.parent === window) return;
  let last = -1;
  const post = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    emit("height", { height });
  };
  S.heightWatch = new ResizeObserver(post);
  S.heightWatch.observe(document.documentElement);
  post();
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

/** The page keys a new scenario keeps from the one before: an embed stays an embed showing the same views, a tour goes on. */
const FRAME_KEYS = ["embed", "show", "autoheight", "origin", "tour"];

/**
 * Open preset `name`, keeping the frame's page keys. Returns "" or what was wrong. `replace`:
 * the same history entry (a tour link opening its first stop), else a new one.
 */
function choosePreset(name, { replace = false } = {}) {
  const p = S.cat.presets.find((x) => x.name === name);
  if (!p) return `no preset "${name}"`;
  return loadKeeping(new Playground(`preset=${p.name}`), { replace });
}

/** Load scenario text from the embed API (strict: on error nothing changes), keeping the frame's keys it does not set. */
function loadText(text) {
  let pg;
  try {
    pg = new Playground(text);
  } catch (e) {
    return e?.message ?? String(e);
  }
  const given = new URLSearchParams(text.replace(/^\?/, ""));
  return loadKeeping(pg, { keep: (k) => !given.has(k) });
}

/** Install `pg` with the frame's page keys that `keep` allows carried over from the scenario before. */
function loadKeeping(pg, { replace = false, keep = () => true } = {}) {
  for (const k of FRAME_KEYS) {
    const v = keyValue(k);
    if (v !== "" && keep(k)) pg.setKey(k, v);
  }
  load(pg);
  configChanged();
  render();
  applyPage();
  hideNotice();
  // A new lesson is a new page in the history: Back returns to the one before.
  if (replace) {
    const { state, url } = historyEntry(S.history.at);
    history.replaceState(state, "", url);
  } else scheduleUrl({ push: true });
  setPlaying(false);
  return "";
}

// ---------------------------------------------------------------- history and undo

/** Back and Forward (and undo, redo) reopen the scenario of that entry, paused at its start. */
function wireHistory() {
  window.addEventListener("popstate", (e) => {
    clearTimeout(S.urlTimer);
    S.history.at = typeof e.state?.gradscape === "number" ? e.state.gradscape : 0;
    setPlaying(false);
    load(typeof e.state?.text === "string" ? Playground.decodeFile(e.state.text) : location.search.slice(1));
    S.urlWritten = performance.now();
    showHistory();
  });
  $("undo").addEventListener("click", undo);
  $("redo").addEventListener("click", redo);
  showHistory();
}

/** Step back to the previous edit: this page's previous history entry (never out of the app). */
function undo() {
  writeUrl();
  if (S.history.at > 0) history.back();
}

function redo() {
  writeUrl();
  if (S.history.at < S.history.top) history.forward();
}

function showHistory() {
  $("undo").disabled = S.history.at <= 0;
  $("redo").disabled = S.history.at >= S.history.top;
}

// ---------------------------------------------------------------- presenting

/** Presenting: the figure, the key and the charts large, the controls aside, full screen where allowed. */
function present(on) {
  document.body.classList.toggle("present", on);
  $("present").setAttribute("aria-pressed", String(on));
  $("present").textContent = on ? "Exit presenting" : "Present";
  const fs = document.fullscreenElement;
  if (on && !fs) document.documentElement.requestFullscreen?.().catch(() => {});
  if (!on && fs) document.exitFullscreen?.().catch(() => {});
}

function wirePresent() {
  $("present").addEventListener("click", () => present(!document.body.classList.contains("present")));
  // Leaving full screen (Esc) ends presenting too.
  document.addEventListener("fullscreenchange", () => {
    if (!document.fullscreenElement && document.body.classList.contains("present")) present(false);
  });
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

function stepBack() {
  setPlaying(false);
  seek(Math.max(0, S.pg.currentStep() - 1));
}

function resetRun() {
  setPlaying(false);
  S.pg.reset();
  runChanged();
}

function wire() {
  $("play").addEventListener("click", () => setPlaying(!S.playing));
  $("step-btn").addEventListener("click", stepOnce);
  $("back-btn").addEventListener("click", stepBack);
  const scrub = $("scrub");
  scrub.addEventListener("input", () => {
    if (S.playing) setPlaying(false);
    noteInput();
    S.pendingSeek = Number(scrub.value);
  });
  $("reset").addEventListener("click", resetRun);
  $("notice-close").addEventListener("click", hideNotice);
  document.addEventListener("keydown", (e) => {
    // Undo and redo of scenario edits; inside a text field they stay the field's own.
    if ((e.ctrlKey || e.metaKey) && !e.altKey && !typing(e.target) && (e.key === "z" || e.key === "Z" || e.key === "y")) {
      e.preventDefault();
      if (e.key === "y" || e.shiftKey) redo();
      else undo();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    const onButton = e.target instanceof HTMLButtonElement || (e.target instanceof HTMLElement && e.target.matches("summary"));
    if (e.key === " " && !onButton) {
      e.preventDefault();
      setPlaying(!S.playing);
    } else if (e.key === "ArrowRight" && !e.shiftKey && e.target !== $("scrub")) {
      e.preventDefault();
      stepOnce();
    } else if (e.key === "ArrowLeft" && !e.shiftKey && e.target !== $("scrub")) {
      e.preventDefault();
      stepBack();
    } else if (e.key === "r" || e.key === "R") {
      resetRun();
    } else if ((e.key === "f" || e.key === "F") && keyValue("embed") !== "true") {
      present(!document.body.classList.contains("present"));
    } else if (e.key === "Escape" && document.body.classList.contains("present")) {
      present(false);
    }
  });
  new ResizeObserver(() => sizeCanvases()).observe($("layout"));
  window.addEventListener("resize", sizeCanvases);
  watchVisibility();
  wireChartHover();
  wirePointer();
  wire3d();
  wireZoom();
  wireShare();
  initSweep();
  wirePresent();
}

/** Once the document is parsed: the page's set-up; `worker` and `compiled` were started before (see below). */
async function main(worker, compiled) {
  startPainter(worker, compiled);
  const wasm = await init({ module_or_path: await compiled });
  const query = location.search.slice(1);
  // A reload of an entry whose text is too long for a link reopens the entry's own copy.
  const own = history.state?.text;
  const first = typeof own === "string" ? Playground.decodeFile(own) : decodeLink(query);
  // An embed lays itself out to fit its frame once its views are known: its figure waits for that.
  if (!isEmbed(first)) await firstFigure(first);
  // For diagnostics (the soak test watches memory): bytes held by the wasm heap.
  window.gradscapeMemory = () => wasm.memory.buffer.byteLength + S.painterMemory;
  // For tests: whether the painter has drawn everything sent to it and nothing waits.
  window.gradscapePainted = () => S.painted === S.seq && S.painterIdle && !(S.dirtyBg || S.dirtyFrame || S.dirtyCharts || S.dirty3d);
  S.cat = catalog();
  S.colourOf = optimizerColour;
  S.hooks = { render, page: applyPage, history: showHistory, status: statusShown, loadText };
  S.controls = new Controls();
  $("version").textContent = `gradscape v${version()}`;
  fillPresets();
  wire();
  load(first);
  // The address shows the canonical text of what was opened: the same entry, not a new one.
  const entry = historyEntry(0);
  history.replaceState(entry.state, "", query ? entry.url : location.href);
  wireHistory();
  const page = { choosePreset, loadText, setPlaying, seek, apply: (edit) => apply(edit, null), version: version() };
  wireTour(page);
  sizeCanvases();
  requestAnimationFrame(frame);
  wireApi(page);
  registerOffline();
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
