// Sweeps: a phase diagram of one optimizer over two of its parameters, or a basin map of its
// start points, run in Web Workers (one per core, each with its own export module) and painted
// as the cells arrive. A click on a cell loads its setting into the playground.

import { download, exportModule, exportWasm } from "./share.js";
import { $, S, apply, el, keyValue, row, showNotice } from "./state.js";

/** Cells a worker is handed at a time. */
const SWEEP_CHUNK = 32;

const SW = { job: null, workers: [], running: false, results: null, next: 0, done: 0, started: 0, timer: 0, spec: null, fields: 5, mod: null, previewTimer: 0 };

/** The numeric rows of optimizer `i` a phase diagram can sweep, with their current values. */
function sweepable(i) {
  const o = S.config.optimizers[i];
  return o.params
    .map((s) => ({ s, r: row(s.id) }))
    .filter(({ r }) => ["real", "whole", "batch"].includes(r.kind) && r.scope !== "line" && r.key !== "colour")
    .map(({ s, r }) => ({ key: r.key, symbol: r.symbol, value: Number(s.value), row: r }));
}

/** A first range for `p`: its slider's, else up to ten times its value; inside the row's range. */
function defaultRange(p) {
  const r = p.row;
  if (p.key === "batch") return { lo: 1, hi: S.info?.examples || 100, log: false };
  const v = Number.isFinite(p.value) && p.value > 0 ? p.value : 1;
  let { lo, hi, log } = r.slider ?? { lo: Math.max(Number(r.min) || 0, 0), hi: v * 10, log: false };
  if (r.max != null && hi >= r.max) hi = r.max_open ? +(r.max - 0.01 * (r.max - lo)).toPrecision(6) : r.max;
  if (r.min != null && lo <= r.min) lo = r.min_open ? +(r.min + 0.01 * (hi - r.min)).toPrecision(6) : r.min;
  if (log && lo <= 0) lo = hi / 1000;
  return { lo, hi, log };
}

function fillAxis(which, keyWanted) {
  const opt = Number($("sweep-opt").value);
  const params = sweepable(opt);
  const sel = $(`sweep-${which}-key`);
  sel.replaceChildren(...params.map((p) => el("option", { value: p.key }, `${p.symbol} (${p.key})`)));
  sel.value = params.some((p) => p.key === keyWanted) ? keyWanted : params[which === "x" ? 0 : Math.min(1, params.length - 1)]?.key ?? "";
  setRange(which);
}

function setRange(which) {
  const p = sweepable(Number($("sweep-opt").value)).find((q) => q.key === $(`sweep-${which}-key`).value);
  if (!p) return;
  const r = defaultRange(p);
  $(`sweep-${which}-lo`).value = String(r.lo);
  $(`sweep-${which}-hi`).value = String(r.hi);
  $(`sweep-${which}-log`).checked = r.log;
}

/**
 * The sweep the dialog describes, as the workers are told it: {kind, text, opt, x, y, nx, ny}.
 * "Cells" is N per side, or NxM (a link's grid of unequal sides).
 */
function dialogSpec() {
  const kind = $("sweep-kind").value;
  const opt = Number($("sweep-opt").value);
  const [nx, ny = nx] = $("sweep-cells").value.split("x").map(Number);
  return { kind, text: S.pg.text(), opt, x: axisSpec("x", nx), y: axisSpec("y", ny), nx, ny };
}

/** The job of `spec` in module `mod` (the page's, or a worker's). */
const makeJob = (mod, spec) => (spec.kind === "basins" ? mod.SweepJob.basins(spec.text, spec.opt, spec.nx, spec.ny) : mod.SweepJob.phase(spec.text, spec.opt, spec.x, spec.y));

function axisSpec(which, cells) {
  const lo = $(`sweep-${which}-lo`).value.trim(), hi = $(`sweep-${which}-hi`).value.trim();
  return `${$(`sweep-${which}-key`).value}=${lo}..${hi}:${$(`sweep-${which}-log`).checked ? "log" : "lin"}:${cells}`;
}

export function openSweep() {
  const opt = $("sweep-opt");
  const names = S.config.optimizers.map((o, i) => `${i + 1}. ${S.names?.[i] ?? o.title}`);
  opt.replaceChildren(...names.map((n, i) => el("option", { value: String(i) }, n)));
  opt.value = String(Math.min(S.selected ?? 0, names.length - 1));
  fillAxis("x", "lr");
  fillAxis("y", ["gamma", "rho", "rho1", "noise", "batch"].find((k) => sweepable(Number(opt.value)).some((p) => p.key === k)));
  kindChanged();
  $("sweep-dialog").hidden = false;
  $("sweep-run").focus();
  exportModule()
    .then((mod) => {
      SW.mod = mod;
      preview();
      return workerPool();
    })
    .catch(() => {});
}

/**
 * Until a sweep is run, the grid the dialog's settings describe, drawn empty (its axes and,
 * where it applies, the stability bound), redrawn as they change. It also has the engine
 * compile the drawing code (it compiles a function on first use) before the Run click.
 */
function preview() {
  clearTimeout(SW.previewTimer);
  if (SW.job || !SW.mod || $("sweep-dialog").hidden) return;
  SW.previewTimer = setTimeout(() => {
    if (SW.job) return;
    let job;
    try {
      job = makeJob(SW.mod, dialogSpec());
      const c = $("sweep-canvas");
      const dpr = window.devicePixelRatio || 1;
      const box = c.getBoundingClientRect();
      [c.width, c.height] = [Math.round(box.width * dpr), Math.round(box.height * dpr)];
      job.draw(c, new Float64Array(job.width() * job.height() * job.fields()).fill(NaN), $("sweep-measure").value, dpr, undefined);
    } catch {
      // Settings being typed: Run checks them and names what is wrong.
    } finally {
      job?.free();
    }
  }, 60);
}

function kindChanged() {
  const basins = $("sweep-kind").value === "basins";
  $("sweep-axes").hidden = basins;
  $("sweep-measure-row").hidden = basins;
  $("sweep-overlay-row").hidden = !basins;
  $("sweep-key-phase").hidden = basins;
  $("sweep-key-basins").hidden = !basins;
}

function stopWorkers() {
  for (const w of SW.workers) w.terminate();
  SW.workers = [];
  clearTimeout(SW.timer);
}

/** One worker per core (at most 16), started with the compiled export module before a sweep needs them. */
async function workerPool() {
  const threads = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 16));
  if (SW.workers.length === threads) return SW.workers;
  stopWorkers();
  const module = await exportWasm();
  for (let k = 0; k < threads; k++) {
    const w = new Worker(new URL("./sweep-worker.js", import.meta.url), { type: "module" });
    w.postMessage({ type: "module", module });
    SW.workers.push(w);
  }
  return SW.workers;
}

function progress() {
  const total = SW.results ? SW.results.length / SW.fields : 0;
  $("sweep-progress").value = total ? SW.done / total : 0;
  const secs = ((performance.now() - SW.started) / 1000).toFixed(2);
  $("sweep-status").textContent = SW.done < total ? `${SW.done.toLocaleString("en")} of ${total.toLocaleString("en")} runs, ${secs} s on ${SW.spec?.threads} workers` : `${total.toLocaleString("en")} runs in ${secs} s on ${SW.spec?.threads} workers. Click a cell to load its setting.`;
}

/** Paint the cells so far, at most every 120 ms while they stream in. */
function scheduleDraw(now = false) {
  if (now) return drawSweep();
  if (SW.timer) return;
  SW.timer = setTimeout(() => {
    SW.timer = 0;
    drawSweep();
  }, 120);
}

function markOf() {
  const spec = SW.spec;
  if (!spec) return undefined;
  if (spec.kind === "basins") return S.info?.start?.length === 2 ? S.info.start : undefined;
  const o = sweepable(spec.opt);
  const v = [spec.keys[0], spec.keys[1]].map((k) => o.find((p) => p.key === k)?.value);
  return v.every(Number.isFinite) ? v : undefined;
}

/**
 * The basin map over the contour (a layer under the paths). Drawn with the contour's
 * background (loop.js calls it after every redraw of it: a pan, a zoom, a resize, another
 * surface) and when cells arrive, so it stays on the plot without a loop of its own.
 */
function drawBasinsLayer() {
  const layer = $("basins-layer");
  // On the surface it was computed for only: another surface's basins would mislead.
  const on = $("sweep-overlay").checked && SW.job && SW.spec?.kind === "basins" && S.info?.name === SW.surface;
  layer.hidden = !on;
  const rect = on && S.pg.plotRect();
  if (rect) {
    const dpr = window.devicePixelRatio || 1;
    const box = layer.getBoundingClientRect();
    [layer.width, layer.height] = [Math.round(box.width * dpr), Math.round(box.height * dpr)];
    const ctx = layer.getContext("2d");
    ctx.clearRect(0, 0, layer.width, layer.height);
    const [nx, ny] = [SW.job.width(), SW.job.height()];
    const img = new OffscreenCanvas(nx, ny);
    img.getContext("2d").putImageData(new ImageData(new Uint8ClampedArray(SW.job.basinImage(SW.results)), nx, ny), 0, 0);
    const [x0, y0, x1, y1, vx0, vx1, vy0, vy1] = rect;
    const [gx0, gx1, gy0, gy1] = SW.job.basinView();
    // Each cell's centre is a start point: the image reaches half a cell beyond the first and last.
    const hx = nx > 1 ? (gx1 - gx0) / (nx - 1) / 2 : (gx1 - gx0) / 2, hy = ny > 1 ? (gy1 - gy0) / (ny - 1) / 2 : (gy1 - gy0) / 2;
    const px = (x) => (x0 + ((x - vx0) / (vx1 - vx0)) * (x1 - x0)) * dpr;
    const py = (y) => (y1 - ((y - vy0) / (vy1 - vy0)) * (y1 - y0)) * dpr;
    ctx.save();
    ctx.beginPath();
    ctx.rect(x0 * dpr, y0 * dpr, (x1 - x0) * dpr, (y1 - y0) * dpr);
    ctx.clip();
    ctx.globalAlpha = 0.45;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(img, px(gx0 - hx), py(gy1 + hy), px(gx1 + hx) - px(gx0 - hx), py(gy0 - hy) - py(gy1 + hy));
    ctx.restore();
  }
}

function drawSweep() {
  if (!SW.job) return;
  const c = $("sweep-canvas");
  const dpr = window.devicePixelRatio || 1;
  const box = c.getBoundingClientRect();
  const w = Math.round(box.width * dpr), h = Math.round(box.height * dpr);
  if (c.width !== w || c.height !== h) [c.width, c.height] = [w, h];
  const t0 = performance.now();
  if ($("sweep-overlay").checked) drawBasinsLayer();
  try {
    SW.job.draw(c, SW.results, $("sweep-measure").value, dpr, markOf());
    // For the sweep benchmark: what a repaint of the cells costs the main thread.
    performance.measure("gradscape:sweep-draw", { start: t0 });
  } catch (e) {
    showNotice("The sweep could not be drawn.", [e.message ?? String(e)]);
  }
  progress();
}

async function runSweep() {
  cancelSweep();
  const spec = dialogSpec();
  let mod;
  try {
    mod = await exportModule();
    SW.job?.free();
    SW.job = makeJob(mod, spec);
  } catch (e) {
    SW.job = null;
    $("sweep-status").textContent = e.message ?? String(e);
    return;
  }
  spec.keys = SW.job.keys();
  // The link carries the sweep (`sweep=`), so whoever opens it sees this picture.
  const linked = SW.job.specText($("sweep-measure").value);
  if (linked !== keyValue("sweep")) {
    SW.linked = linked;
    // A page key no control shows: nothing to rebuild, so the Run click stays one short frame.
    apply((pg) => pg.setKey("sweep", linked), null, { live: true, page: false, drawn: false });
  }
  const n = SW.job.width() * SW.job.height();
  // Per cell: status, steps, loss, ‖∇L‖, end, then θ (SweepJob.fields numbers).
  SW.fields = SW.job.fields();
  SW.results = new Float64Array(n * SW.fields).fill(NaN);
  SW.next = 0;
  SW.done = 0;
  SW.started = performance.now();
  SW.spec = spec;
  SW.surface = S.info?.name;
  $("sweep-png").disabled = $("sweep-svg").disabled = $("sweep-csv").disabled = false;
  let workers;
  try {
    workers = await workerPool();
  } catch (e) {
    $("sweep-status").textContent = `The sweep workers could not start: ${e.message ?? String(e)}`;
    return;
  }
  spec.threads = workers.length;
  SW.running = true;
  $("sweep-cancel").disabled = false;
  const hand = (w) => {
    if (SW.next >= n) return;
    const from = SW.next;
    SW.next = Math.min(n, from + SWEEP_CHUNK);
    w.postMessage({ type: "run", from, to: SW.next });
  };
  for (const w of workers) {
    w.onmessage = ({ data }) => {
      if (data.type === "ready") {
        hand(w);
        hand(w); // two in flight: the worker never waits for the page
      } else if (data.type === "cells") {
        SW.results.set(data.values, data.from * SW.fields);
        // The worker's time on these cells, for the sweep benchmark (how busy the workers were).
        performance.measure("gradscape:sweep-cells", { end: performance.now(), duration: data.ms });
        SW.done += data.values.length / SW.fields;
        hand(w);
        if (SW.done >= n) {
          SW.running = false;
          $("sweep-cancel").disabled = true;
          clearTimeout(SW.timer);
          SW.timer = 0;
          scheduleDraw(true);
        } else scheduleDraw();
      } else if (data.type === "error") {
        cancelSweep();
        $("sweep-status").textContent = `The sweep stopped: ${data.message}`;
      }
    };
    w.onerror = (e) => {
      cancelSweep();
      $("sweep-status").textContent = `A sweep worker failed: ${e.message ?? "could not start"}`;
    };
    w.postMessage({ type: "init", job: spec });
  }
  // The empty grid in the frame after the click's (a callback asked for now would run in the
  // click's own frame): that frame only starts the workers.
  requestAnimationFrame(() => requestAnimationFrame(() => SW.job && drawSweep()));
}

/** Stop a running sweep: its workers are ended (the next sweep starts new ones). */
function cancelSweep() {
  const running = SW.running;
  SW.running = false;
  if (running) stopWorkers();
  $("sweep-cancel").disabled = true;
  if (running) {
    drawSweep();
    $("sweep-status").textContent = `Cancelled after ${SW.done.toLocaleString("en")} runs.`;
  }
}

function cellAtEvent(e) {
  if (!SW.job) return -1;
  const c = $("sweep-canvas");
  const r = c.getBoundingClientRect();
  const dpr = c.width / r.width;
  return SW.job.cellAt((e.clientX - r.left) * dpr, (e.clientY - r.top) * dpr);
}

/** Load cell `i`'s setting into the playground (one edit, so one undo). */
function loadCell(i) {
  const [a, b] = SW.job.at(i);
  const spec = SW.spec;
  const ok = apply((pg) => {
    if (spec.kind === "basins") return pg.setKey("start", `${a},${b}`);
    // The engine's texts for the cell: what its own run was given.
    const [ta, tb] = SW.job.cellTexts(i);
    pg.setParam(spec.opt, spec.keys[0], ta);
    return pg.setParam(spec.opt, spec.keys[1], tb);
  });
  if (ok) {
    $("sweep-readout").textContent = `Loaded: ${SW.job.describe(SW.results, i)}`;
    drawSweep();
  }
}

/**
 * Open and run the sweep the scenario's `sweep=` asks for (a link, Back, a loaded text), once
 * per value: the page's own writes of the key are not read back.
 */
export async function sweepFromLink() {
  const spec = keyValue("sweep");
  if (spec === (SW.linked ?? "")) return;
  SW.linked = spec;
  if (!spec) {
    cancelSweep();
    $("sweep-dialog").hidden = true;
    return;
  }
  let job;
  try {
    const mod = await exportModule();
    job = mod.SweepJob.fromSpec(S.pg.text(), spec);
  } catch (e) {
    showNotice("The sweep in this link could not be run.", [e.message ?? String(e)]);
    return;
  }
  openSweep();
  $("sweep-kind").value = job.kind();
  $("sweep-opt").value = String(job.opt());
  const keys = job.keys();
  if (job.kind() === "phase") {
    $("sweep-measure").value = job.measure();
    for (const [k, which] of [[0, "x"], [1, "y"]]) {
      fillAxis(which, keys[k]);
      const [lo, hi, log] = job.axisRange(k);
      $(`sweep-${which}-lo`).value = String(lo);
      $(`sweep-${which}-hi`).value = String(hi);
      $(`sweep-${which}-log`).checked = log === 1;
    }
  }
  // The link's grid as it is, unequal sides too (the dialog's choices are square).
  const [cx, cy] = [job.axisRange(0)[3], job.axisRange(1)[3]];
  const cells = cx === cy ? String(cx) : `${cx}x${cy}`;
  if (![...$("sweep-cells").options].some((o) => o.value === cells)) $("sweep-cells").append(el("option", { value: cells }, cx === cy ? cells : `${cx} × ${cy}`));
  $("sweep-cells").value = cells;
  job.free();
  kindChanged();
  runSweep();
}

export function initSweep() {
  $("open-sweep").addEventListener("click", openSweep);
  $("sweep-close").addEventListener("click", () => {
    cancelSweep();
    stopWorkers();
    $("sweep-dialog").hidden = true;
    if (keyValue("sweep")) {
      SW.linked = "";
      apply((pg) => pg.setKey("sweep", ""), null, { live: true, page: false, drawn: false });
    }
  });
  $("sweep-dialog").addEventListener("keydown", (e) => {
    if (e.key === "Escape") $("sweep-close").click();
  });
  $("sweep-kind").addEventListener("change", kindChanged);
  for (const type of ["change", "input"]) $("sweep-dialog").addEventListener(type, preview);
  $("sweep-overlay").addEventListener("change", drawBasinsLayer);
  S.hooks.background = drawBasinsLayer;
  $("sweep-opt").addEventListener("change", () => {
    fillAxis("x", $("sweep-x-key").value);
    fillAxis("y", $("sweep-y-key").value);
  });
  $("sweep-x-key").addEventListener("change", () => setRange("x"));
  $("sweep-y-key").addEventListener("change", () => setRange("y"));
  $("sweep-measure").addEventListener("change", () => {
    drawSweep();
    if (SW.job && keyValue("sweep")) {
      SW.linked = SW.job.specText($("sweep-measure").value);
      apply((pg) => pg.setKey("sweep", SW.linked), null, { live: true, page: false, drawn: false });
    }
  });
  $("sweep-run").addEventListener("click", runSweep);
  $("sweep-csv").addEventListener("click", () => SW.job && download(`gradscape-${SW.spec.kind}.csv`, new Blob([SW.job.csv(SW.results)], { type: "text/csv" })));
  $("sweep-png").addEventListener("click", () => SW.job && $("sweep-canvas").toBlob((b) => b && download(`gradscape-${SW.spec.kind}.png`, b)));
  $("sweep-svg").addEventListener("click", () => {
    if (!SW.job) return;
    const box = $("sweep-canvas").getBoundingClientRect();
    try {
      const svg = SW.job.svg(SW.results, $("sweep-measure").value, Math.round(box.width), Math.round(box.height), markOf());
      download(`gradscape-${SW.spec.kind}.svg`, new Blob([svg], { type: "image/svg+xml" }));
    } catch (e) {
      showNotice("The sweep could not be saved as SVG.", [e.message ?? String(e)]);
    }
  });
  $("sweep-cancel").addEventListener("click", cancelSweep);
  const c = $("sweep-canvas");
  c.addEventListener("pointermove", (e) => {
    const i = cellAtEvent(e);
    $("sweep-readout").textContent = i >= 0 ? SW.job.describe(SW.results, i) : " ";
  });
  c.addEventListener("click", (e) => {
    const i = cellAtEvent(e);
    if (i >= 0 && !Number.isNaN(SW.results[i * SW.fields])) loadCell(i);
  });
}
