// gradscape's page: loads the engine, keeps the URL in step with the scenario, runs the
// animation loop and wires the controls. The engine (Rust/wasm) owns every number; this
// file only moves events in and pixels out.

import init, { Playground, catalog, presets, optimizerColour, version } from "./pkg/gradscape.js";
import { Controls } from "./controls.js";
import { ValueError, cloneModel, fmt, getParam, modelFromConfig, modelToText } from "./scenario.js";

const $ = (id) => document.getElementById(id);

/** Speeds offered by the slider (updates per animation frame). */
const SPEEDS = [1, 2, 3, 5, 10, 20, 50, 100, 200, 500];
/** Updates recomputed while the start point is dragged. */
const DRAG_STEPS = 1000;
/** Status text refresh while playing (ms). */
const STATUS_EVERY = 120;

const DEFAULT_TEXT =
  "v=1&surface=rosenbrock&start=-1.5,2&seed=1&steps=3000&opt=gd:lr=0.001&opt=momentum:lr=0.001,gamma=0.9" +
  "&opt=nesterov:lr=0.001,gamma=0.9&opt=adam:lr=0.05,rho1=0.9,rho2=0.999,delta=1e-8,bias_correction=true";

const S = {
  pg: null,
  cat: null,
  presets: [],
  model: null,
  info: null,
  controls: null,
  playing: false,
  dragging: false,
  dirtyBg: true,
  dirtyFrame: true,
  lastStatus: 0,
  selected: 0,
  dpr: 1,
  urlTimer: 0,
  hover: null,
  presetName: "",
  yaw: 0.7,
  pitch: 0.45,
  last3d: 0,
  lastCharts: 0,
  dirty3d: true,
};

/** Redraw the loss and learning-rate charts at most this often while playing (ms). */
const CHARTS_EVERY = 50;
/** Redraw the 3-D view at most this often while playing (ms): it is the costliest view. */
const SURFACE3D_EVERY = 150;

// ---------------------------------------------------------------- notices and errors

function showNotice(title, lines = []) {
  const box = $("notice-text");
  const head = document.createElement("strong");
  head.textContent = title;
  box.replaceChildren(head);
  if (lines.length) {
    const ul = document.createElement("ul");
    for (const l of lines) {
      const li = document.createElement("li");
      li.textContent = l;
      ul.append(li);
    }
    box.append(ul);
  }
  $("notice").hidden = false;
}

function hideNotice() {
  $("notice").hidden = true;
}

function markInvalid(input, message) {
  document.querySelectorAll("[aria-invalid=true]").forEach((e) => e.removeAttribute("aria-invalid"));
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.title = message;
  }
}

// ---------------------------------------------------------------- scenario changes

/** Apply a model change through the engine. Returns false (and says why) if refused. */
function commit(mutate, source, { live = false } = {}) {
  const next = cloneModel(S.model);
  mutate(next);
  let text;
  try {
    text = modelToText(next);
  } catch (e) {
    if (e instanceof ValueError) {
      showNotice("That value was not applied", [e.message]);
      markInvalid(source, e.message);
      return false;
    }
    throw e;
  }
  const step = currentStep();
  let restarted;
  try {
    restarted = S.pg.setText(text);
  } catch (e) {
    S.controls.lastError = e.message ?? String(e);
    showNotice("That change was not applied", [e.message ?? String(e)]);
    markInvalid(source, e.message ?? String(e));
    if (!live) renderControls();
    return false;
  }
  markInvalid(null);
  hideNotice();
  const surfaceChanged =
    next.surface !== S.model.surface ||
    next.custom !== S.model.custom ||
    JSON.stringify(next.surfaceParams) !== JSON.stringify(S.model.surfaceParams);
  const viewChanged = JSON.stringify(next.page.view) !== JSON.stringify(S.model.page.view);
  S.model = modelFromConfig(S.pg.config());
  if (surfaceChanged) {
    S.info = S.pg.surfaceInfo();
    S.selected = 0;
    if (S.presetName) clearPreset();
  }
  if (restarted && !surfaceChanged) {
    // Keep the run where it was: recompute every trajectory up to the same step.
    S.pg.step(Math.min(step, Number(S.model.steps)));
  }
  if (viewChanged) S.info = S.pg.surfaceInfo();
  S.dirtyBg = S.dirtyBg || surfaceChanged || viewChanged;
  S.dirtyFrame = true;
  if (!live) renderControls();
  applyPageOptions();
  scheduleUrl();
  return true;
}

function currentStep() {
  return S.pg.status().reduce((m, s) => Math.max(m, s.step), 0);
}

/** Load scenario text (a link or a preset); bad parts fall back to defaults with a notice. */
function load(text, { strict = false } = {}) {
  let pg;
  if (strict) {
    pg = new Playground(text);
  } else {
    pg = Playground.decode(text);
    const notices = pg.notices();
    if (notices.length) {
      showNotice(
        "Some of this link could not be used; defaults were put in its place:",
        notices.map((n) => n.text),
      );
    }
  }
  S.pg?.free();
  S.pg = pg;
  S.model = modelFromConfig(pg.config());
  S.info = pg.surfaceInfo();
  S.selected = 0;
  S.dirtyBg = true;
  S.dirtyFrame = true;
  renderControls();
  applyPageOptions();
}

function renderControls() {
  S.controls.render(S.model, S.info, stabilityWarnings());
  const title = $("scenario-title");
  title.hidden = !S.model.title;
  title.textContent = S.model.title ?? "";
  renderStatusList();
}

/** GD and momentum: warn when α exceeds the local stability bound 2/λ_max at the start. */
function stabilityWarnings() {
  if (S.info.dim !== 2) return [];
  const start = S.model.start ?? S.info.start;
  let bound;
  try {
    bound = S.pg.pointInfo(Number(start[0]), Number(start[1])).stability_bound;
  } catch {
    return [];
  }
  return S.model.optimizers.map((o) => {
    if (!["gd", "momentum", "nesterov"].includes(o.rule) || !Number.isFinite(bound)) return null;
    const lr = Number(getParam(o.params, "lr"));
    return lr > bound
      ? `⚠ α = ${fmt(lr)} is above 2/λ_max = ${fmt(bound)} at the start: expect zig-zags or divergence there.`
      : null;
  });
}

// ---------------------------------------------------------------- page options, embed, URL

function applyPageOptions() {
  const p = S.model.page;
  $("loss-log").checked = p.log;
  $("loss-axis").value = p.axis;
  $("lr-effective").checked = p.eff;
  $("arrows").checked = p.arrows;
  const si = SPEEDS.indexOf(p.speed);
  $("speed").value = String(si >= 0 ? si : SPEEDS.findIndex((s) => s >= p.speed));
  $("speed-out").textContent = `${p.speed} / frame`;
  const epochs = S.info.examples > 0;
  for (const o of $("loss-axis").options) o.disabled = !epochs && o.value !== "step";
  document.body.classList.toggle("embed", p.embed);
  const show = p.show;
  const visible = (v) => !show || show.includes(v);
  $("contour-wrap").classList.toggle("hide", !visible("contour"));
  $("loss-figure").classList.toggle("hide", !visible("loss"));
  $("lr-figure").classList.toggle("hide", !visible("lr"));
  $("surface3d-figure").classList.toggle("hide", !visible("surface3d"));
  $("status").classList.toggle("hide", !visible("status"));
  document.querySelector(".transport").classList.toggle("hide", !visible("transport"));
  $("controls").classList.toggle("hide", !visible("controls"));
  $("readout").classList.toggle("hide", !visible("readout"));
  if (S.info.data_view) {
    $("readout").textContent =
      "The SVM has 9 weights, too many for a contour: the data are shown with the decision regions of the highlighted optimizer. Click a status line to follow another one.";
  }
  $("charts").classList.toggle("hide", !visible("loss") && !visible("lr") && !visible("surface3d"));
  S.dirty3d = true;
  $("layout").classList.toggle("no-side", p.embed && !visible("controls"));
  document.querySelector(".zoom").classList.toggle("hide", S.info.data_view);
  const full = $("full-link");
  full.hidden = !p.embed;
  if (p.embed) full.href = "./?" + fullText();
  $("version").textContent = `gradscape v${version()}`;
}

/** The scenario text without the embed options (the full playground's link). */
function fullText() {
  const m = cloneModel(S.model);
  m.page.embed = false;
  m.page.show = null;
  return modelToText(m);
}

function scheduleUrl() {
  clearTimeout(S.urlTimer);
  S.urlTimer = setTimeout(() => {
    const url = "?" + S.pg.text();
    if (location.search !== url) history.replaceState(null, "", url);
  }, 250);
}

function shareUrl() {
  const u = new URL(location.href);
  u.search = "?" + S.pg.text();
  u.hash = "";
  return u.toString();
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
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

function flash(button, text) {
  const old = button.dataset.label ?? button.textContent;
  button.dataset.label = old;
  button.textContent = text;
  setTimeout(() => (button.textContent = old), 1400);
}

// ---------------------------------------------------------------- presets

function fillPresets() {
  const list = $("gallery-list");
  for (const p of S.presets) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = `?preset=${encodeURIComponent(p.name)}`;
    a.textContent = p.lesson ? `Lesson ${p.lesson}: ${p.title}` : `Race: ${p.title}`;
    li.append(a, ` — ${p.explain}`);
    list.append(li);
  }
  const sel = $("preset");
  for (const p of S.presets) {
    const o = document.createElement("option");
    o.value = p.name;
    o.textContent = p.lesson ? `${p.lesson}. ${p.title}` : `Race: ${p.title}`;
    sel.append(o);
  }
  sel.addEventListener("change", () => {
    if (sel.value) choosePreset(sel.value);
  });
}

function choosePreset(name) {
  const p = S.presets.find((x) => x.name === name);
  if (!p) return;
  const page = S.model?.page;
  load(p.text, { strict: true });
  if (page && (page.embed || page.show)) {
    commit((m) => {
      m.page.embed = page.embed;
      m.page.show = page.show;
    }, null);
  }
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

// ---------------------------------------------------------------- status lines

function renderStatusList() {
  const list = $("status");
  const n = S.model.optimizers.length;
  if (list.children.length !== n) {
    const items = [];
    for (let i = 0; i < n; i++) {
      const li = document.createElement("li");
      const who = document.createElement("span");
      who.className = "who";
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = optimizerColour(i);
      const name = document.createElement("span");
      who.append(sw, name);
      const nums = document.createElement("span");
      const state = document.createElement("span");
      li.append(who, nums, state);
      li.addEventListener("click", () => {
        S.selected = i;
        S.dirtyFrame = true;
        updateStatus();
      });
      items.push(li);
    }
    list.replaceChildren(...items);
  }
  updateStatus();
}

function updateStatus() {
  const st = S.pg.status();
  const items = $("status").children;
  const epochs = S.info.examples > 0;
  st.forEach((s, i) => {
    const li = items[i];
    if (!li) return;
    const [who, nums, state] = li.children;
    const same = st.filter((x) => x.title === s.title).length > 1;
    who.children[1].textContent = same ? `${s.title} #${i + 1}` : s.title;
    let t = `step ${s.step}`;
    if (epochs) t += ` · epoch ${fmt(s.epoch, 3)}`;
    t += ` · L = ${fmt(s.loss)} · ‖∇L‖ = ${fmt(s.grad_norm)} · α = ${fmt(s.lr)}`;
    nums.textContent = t;
    state.textContent = s.state === "running" ? "" : s.status;
    state.className = `state-${s.state}`;
    li.title = s.text;
    li.setAttribute("aria-current", S.info.data_view && i === S.selected ? "true" : "false");
  });
  const step = st.reduce((m, s) => Math.max(m, s.step), 0);
  $("counter").textContent = `step ${step} / ${S.model.steps}`;
  S.lastStatus = performance.now();
}

// ---------------------------------------------------------------- drawing

/** Embed mode: shrink the contour until the whole page fits the iframe without scrolling. */
function fitEmbed() {
  const wrap = $("contour-wrap");
  wrap.style.maxHeight = "";
  wrap.style.maxWidth = "";
  if (!S.model?.page.embed) return;
  const over = document.documentElement.scrollHeight - window.innerHeight;
  if (over > 0) {
    const side = Math.max(160, wrap.getBoundingClientRect().height - over);
    wrap.style.maxHeight = `${side}px`;
    wrap.style.maxWidth = `${side}px`;
  }
}

function sizeCanvases() {
  fitEmbed();
  const dpr = Math.min(window.devicePixelRatio || 1, 4);
  S.dpr = dpr;
  let changed = false;
  for (const [id, wrapId] of [["bg", "contour-wrap"], ["overlay", "contour-wrap"], ["loss", null], ["lr", null], ["surface3d", null]]) {
    const c = $(id);
    const box = (wrapId ? $(wrapId) : c.parentElement).getBoundingClientRect();
    const w = Math.max(1, Math.round(box.width * dpr));
    const h = Math.max(1, Math.round(box.height * dpr));
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
      changed = true;
    }
  }
  if (changed) {
    S.dirtyBg = true;
    S.dirtyFrame = true;
  }
}

function draw() {
  const p = S.model.page;
  if (!S.playing) S.dirty3d = true;
  if (S.dirtyBg) {
    S.pg.drawBackground($("bg"), S.dpr);
    S.dirtyBg = false;
    const bad = S.pg.surfaceInfo().non_finite_cells;
    if (bad > 0) showNotice(`The loss is not finite at ${bad} sampled points of this view; they are shown grey.`);
  }
  S.pg.drawOverlay($("overlay"), S.dpr, S.selected);
  const now = performance.now();
  // While playing, the charts follow at 20 frames a second: the paths move every frame.
  if (!S.playing || now - S.lastCharts >= CHARTS_EVERY) {
    if (!$("loss-figure").classList.contains("hide")) S.pg.drawLoss($("loss"), S.dpr, p.log, p.axis);
    if (!$("lr-figure").classList.contains("hide")) S.pg.drawLearningRate($("lr"), S.dpr, p.eff);
    S.lastCharts = now;
  }
  if (!$("surface3d-figure").classList.contains("hide") && (S.dirty3d || now - S.last3d > SURFACE3D_EVERY)) {
    S.pg.drawSurface3d($("surface3d"), S.dpr, S.yaw, S.pitch);
    S.last3d = now;
    S.dirty3d = false;
  }
}

function frame(now) {
  const t0 = performance.now();
  let drew = false;
  try {
    if (S.playing) {
      S.pg.step(S.model.page.speed);
      S.dirtyFrame = true;
      if (!S.pg.isRunning()) setPlaying(false);
    }
    if (S.dirtyFrame || S.dirtyBg) {
      draw();
      drew = true;
      S.dirtyFrame = false;
      if (!S.playing || now - S.lastStatus > STATUS_EVERY) updateStatus();
    }
    if (S.hover && !S.info.data_view) {
      readout(S.hover);
      S.hover = null;
    }
  } catch (e) {
    setPlaying(false);
    showNotice("Something went wrong while drawing; the run was paused.", [e.message ?? String(e)]);
  }
  if (drew) {
    // One mark, replaced each drawn frame: when it was drawn and how long the work took
    // (read by the page benchmark; bounded, so nothing accumulates).
    performance.clearMarks("gradscape:drawn");
    performance.mark("gradscape:drawn", { detail: { work: performance.now() - t0 } });
  }
  requestAnimationFrame(frame);
}

function setPlaying(on) {
  if (on && !S.pg.isRunning()) {
    S.pg.reset();
  }
  S.playing = on;
  $("play").textContent = on ? "❚❚ Pause" : "▶ Play";
  $("play").setAttribute("aria-pressed", on ? "true" : "false");
  S.dirtyFrame = true;
}

// ---------------------------------------------------------------- pointer: start point and readout

function eventPoint(e) {
  const r = $("overlay").getBoundingClientRect();
  return S.pg.toData(e.clientX - r.left, e.clientY - r.top);
}

function moveStart(pt) {
  S.pg.setStart(pt[0], pt[1]);
  S.pg.step(Math.min(DRAG_STEPS, Number(S.model.steps)));
  S.model = modelFromConfig(S.pg.config());
  S.dirtyFrame = true;
  if (S.info.dim > 2) S.dirtyBg = true;
}

function readout(pt) {
  let g;
  try {
    g = S.pg.pointInfo(pt[0], pt[1]);
  } catch {
    return;
  }
  const box = $("readout");
  const axes = S.info.axes;
  const b = (t) => {
    const e = document.createElement("b");
    e.textContent = t;
    return e;
  };
  const lam = g.eigenvalues.map((x) => fmt(x, 3)).join(", ");
  const parts = [
    `${axes[0]} = ${fmt(pt[0], 3)}, ${axes[1]} = ${fmt(pt[1], 3)} · L = ${fmt(g.loss)} · ‖∇L‖ = ${fmt(g.grad_norm)} · Hessian eigenvalues (${lam}): `,
    b(g.kind),
    Number.isFinite(g.stability_bound) ? ` · GD is locally stable for α < 2/λ_max = ${fmt(g.stability_bound)}` : " · no positive curvature here",
  ];
  if (!Number.isFinite(g.loss)) parts.splice(0, parts.length, "The loss is not finite at this point.");
  box.replaceChildren(...parts);
}

function wirePointer() {
  const ov = $("overlay");
  ov.addEventListener("pointerdown", (e) => {
    if (S.info.dim !== 2 || e.button !== 0) return;
    const pt = eventPoint(e);
    if (!pt) return;
    S.dragging = true;
    setPlaying(false);
    ov.setPointerCapture(e.pointerId);
    moveStart(pt);
  });
  ov.addEventListener("pointermove", (e) => {
    const pt = eventPoint(e);
    if (!pt) return;
    if (S.dragging) moveStart(pt);
    S.hover = pt;
    S.pg.setHover(pt[0], pt[1]);
    S.dirtyFrame = true;
  });
  ov.addEventListener("pointerleave", () => {
    S.pg.clearHover();
    S.dirtyFrame = true;
  });
  const end = () => {
    if (!S.dragging) return;
    S.dragging = false;
    S.controls.render(S.model, S.info, stabilityWarnings());
    scheduleUrl();
  };
  ov.addEventListener("pointerup", end);
  ov.addEventListener("pointercancel", end);
  // Keyboard: arrow keys with Shift nudge the start point when the plot has focus.
  ov.addEventListener("keydown", (e) => {
    if (!e.shiftKey || S.info.dim !== 2) return;
    const d = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[e.key];
    if (!d) return;
    e.preventDefault();
    e.stopPropagation();
    const v = S.info.view;
    const s = S.model.start ?? S.info.start;
    moveStart([Number(s[0]) + d[0] * (v[1] - v[0]) / 50, Number(s[1]) + d[1] * (v[3] - v[2]) / 50]);
    end();
  });
}

/** Turn the 3-D view by dragging it (or with the arrow keys when it has focus). */
function wire3d() {
  const c = $("surface3d");
  let drag = null;
  const turn = (dyaw, dpitch) => {
    S.yaw += dyaw;
    S.pitch = Math.max(0.05, Math.min(1.5, S.pitch + dpitch));
    S.dirty3d = true;
    S.dirtyFrame = true;
  };
  c.addEventListener("pointerdown", (e) => {
    drag = [e.clientX, e.clientY];
    c.setPointerCapture(e.pointerId);
  });
  c.addEventListener("pointermove", (e) => {
    if (!drag) return;
    turn((e.clientX - drag[0]) * 0.01, (e.clientY - drag[1]) * 0.01);
    drag = [e.clientX, e.clientY];
  });
  const end = () => (drag = null);
  c.addEventListener("pointerup", end);
  c.addEventListener("pointercancel", end);
  c.addEventListener("keydown", (e) => {
    const d = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, -0.1], ArrowDown: [0, 0.1] }[e.key];
    if (!d) return;
    e.preventDefault();
    e.stopPropagation();
    turn(d[0], d[1]);
  });
}

function zoom(factor) {
  const v = S.pg.surfaceInfo().view;
  S.pg.zoom(factor, (v[0] + v[1]) / 2, (v[2] + v[3]) / 2);
  S.model = modelFromConfig(S.pg.config());
  S.info = S.pg.surfaceInfo();
  S.dirtyBg = true;
  scheduleUrl();
}

// ---------------------------------------------------------------- export and embed

function download(name, blob) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function exportView(kind) {
  if (kind === "csv") return download("gradscape-trajectories.csv", new Blob([S.pg.exportCsv()], { type: "text/csv" }));
  if (kind === "json") return download("gradscape-trajectories.json", new Blob([S.pg.exportJson()], { type: "application/json" }));
  let canvas;
  if (kind === "contour") {
    const bg = $("bg");
    canvas = document.createElement("canvas");
    canvas.width = bg.width;
    canvas.height = bg.height;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(bg, 0, 0);
    ctx.drawImage($("overlay"), 0, 0);
  } else {
    canvas = $(kind);
  }
  canvas.toBlob((b) => b && download(`gradscape-${kind}.png`, b), "image/png");
}

const EMBED_VIEWS = [
  ["contour", "contour"],
  ["surface3d", "3-D surface"],
  ["transport", "play controls"],
  ["status", "status lines"],
  ["loss", "loss chart"],
  ["lr", "learning-rate chart"],
  ["readout", "Hessian readout"],
  ["controls", "all controls"],
];

function openEmbed() {
  const box = $("embed-options");
  if (!box.children.length) {
    for (const [v, label] of EMBED_VIEWS) {
      const cb = document.createElement("input");
      cb.type = "checkbox";
      cb.value = v;
      cb.checked = !["controls", "readout", "surface3d"].includes(v);
      cb.addEventListener("change", updateEmbedCode);
      const l = document.createElement("label");
      l.append(cb, ` ${label}`);
      box.append(l);
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

function updateEmbedCode() {
  const views = [...$("embed-options").querySelectorAll("input:checked")].map((c) => c.value);
  const m = cloneModel(S.model);
  m.page.embed = true;
  m.page.show = views.length ? views : ["contour"];
  const u = new URL(location.href);
  u.search = "?" + modelToText(m);
  u.hash = "";
  const h = Math.max(200, Math.min(2000, Number($("embed-height").value) || 560));
  const title = `gradscape: ${S.model.title ?? "gradient descent playground"}`;
  $("embed-code").value =
    `<iframe src="${escapeAttr(u.toString())}" width="100%" height="${h}" ` +
    `style="border:0;max-width:100%" loading="lazy" title="${escapeAttr(title)}"></iframe>`;
}

// ---------------------------------------------------------------- keyboard and wiring

function typing(target) {
  return target instanceof HTMLElement && (target.matches("input, select, textarea, [contenteditable]") || target.isContentEditable);
}

function wire() {
  $("play").addEventListener("click", () => setPlaying(!S.playing));
  $("step-btn").addEventListener("click", () => {
    setPlaying(false);
    S.pg.step(1);
    S.dirtyFrame = true;
  });
  $("reset").addEventListener("click", () => {
    setPlaying(false);
    S.pg.reset();
    S.dirtyFrame = true;
  });
  $("speed").addEventListener("input", () => {
    const v = SPEEDS[Number($("speed").value)] ?? 5;
    commit((m) => (m.page.speed = v), $("speed"), { live: true });
  });
  $("loss-log").addEventListener("change", () => commit((m) => (m.page.log = $("loss-log").checked), $("loss-log"), { live: true }));
  $("loss-axis").addEventListener("change", () => commit((m) => (m.page.axis = $("loss-axis").value), $("loss-axis"), { live: true }));
  $("lr-effective").addEventListener("change", () => commit((m) => (m.page.eff = $("lr-effective").checked), $("lr-effective"), { live: true }));
  $("arrows").addEventListener("change", () => commit((m) => (m.page.arrows = $("arrows").checked), $("arrows"), { live: true }));
  $("zoom-in").addEventListener("click", () => zoom(0.7));
  $("zoom-out").addEventListener("click", () => zoom(1 / 0.7));
  $("zoom-reset").addEventListener("click", () => {
    S.pg.resetView();
    S.model = modelFromConfig(S.pg.config());
    S.info = S.pg.surfaceInfo();
    S.dirtyBg = true;
    scheduleUrl();
  });
  $("notice-close").addEventListener("click", hideNotice);
  $("copy-link").addEventListener("click", async () => flash($("copy-link"), (await copyText(shareUrl())) ? "Copied ✓" : "Copy failed"));
  $("open-embed").addEventListener("click", openEmbed);
  $("embed-close").addEventListener("click", () => ($("embed-dialog").hidden = true));
  $("embed-copy").addEventListener("click", async () => flash($("embed-copy"), (await copyText($("embed-code").value)) ? "Copied ✓" : "Copy failed"));
  $("embed-dialog").addEventListener("keydown", (e) => {
    if (e.key === "Escape") $("embed-dialog").hidden = true;
  });
  for (const b of document.querySelectorAll("[data-export]")) {
    b.addEventListener("click", () => {
      exportView(b.dataset.export);
      $("export-menu").open = false;
    });
  }
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    const onButton = e.target instanceof HTMLButtonElement || e.target instanceof HTMLElement && e.target.matches("summary");
    if (e.key === " " && !onButton) {
      e.preventDefault();
      setPlaying(!S.playing);
    } else if (e.key === "ArrowRight" && !e.shiftKey) {
      e.preventDefault();
      setPlaying(false);
      S.pg.step(1);
      S.dirtyFrame = true;
    } else if (e.key === "r" || e.key === "R") {
      setPlaying(false);
      S.pg.reset();
      S.dirtyFrame = true;
    }
  });
  new ResizeObserver(() => sizeCanvases()).observe($("layout"));
  window.addEventListener("resize", sizeCanvases);
  wirePointer();
  wire3d();
}

async function main() {
  const wasm = await init();
  // For diagnostics (the soak test watches memory): bytes held by the wasm heap.
  window.gradscapeMemory = () => wasm.memory.buffer.byteLength;
  S.cat = catalog();
  S.presets = presets();
  S.controls = new Controls(S.cat, commit);
  S.controls.colourOf = optimizerColour;
  fillPresets();
  wire();
  const query = location.search.slice(1);
  const params = new URLSearchParams(query);
  load(query || DEFAULT_TEXT);
  const pn = params.get("preset");
  const p = pn && S.presets.find((x) => x.name === pn);
  if (p) showPreset(p);
  if (query) scheduleUrl();
  sizeCanvases();
  requestAnimationFrame(frame);
  document.body.dataset.ready = "1";
}

main().catch((e) => {
  showNotice("gradscape could not start.", [e.message ?? String(e)]);
  document.body.dataset.ready = "error";
});
