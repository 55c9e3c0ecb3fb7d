// The animation loop: step the runs while playing, tell the painter (www/painter.js) what
// to draw, keep the status list current and the canvases sized to their boxes.

import { $, S, runChanged, showNotice } from "./state.js";
import { applyPendingStart } from "./pointer.js";
import { readout, updateStatus } from "./status.js";

/** Status text refresh while playing (ms). */
const STATUS_EVERY = 120;
/** A drag or a slide counts as going on until this long after its last input (ms). */
const SETTLE = 150;

/** Whether the user dragged or slid within the last SETTLE ms. */
const interacting = (now) => now - S.lastInput < SETTLE;
/** Whether the run is moving: playing, or being dragged or slid. */
const moving = (now) => S.playing || interacting(now);

const shown = (id) => !$(id).classList.contains("hide");

/** Embed mode: shrink the contour until the whole page fits the iframe without scrolling. */
function fitEmbed() {
  const wrap = $("contour-wrap");
  wrap.style.maxHeight = "";
  wrap.style.maxWidth = "";
  if (!document.body.classList.contains("embed")) return;
  const over = document.documentElement.scrollHeight - window.innerHeight;
  if (over > 0) {
    const side = Math.max(160, wrap.getBoundingClientRect().height - over);
    wrap.style.maxHeight = `${side}px`;
    wrap.style.maxWidth = `${side}px`;
  }
}

/** The canvases the painter draws on (www/painter.js), and the element whose box sizes each. */
const CANVASES = [["bg", "contour-wrap"], ["trails", "contour-wrap"], ["overlay", "contour-wrap"], ["loss", null], ["lr", null], ["surface3d", null]];

/** Size every canvas to its box at the device-pixel ratio (the painter applies the sizes). */
export function sizeCanvases() {
  fitEmbed();
  const dpr = Math.min(window.devicePixelRatio || 1, 4);
  let changed = dpr !== S.dpr;
  S.dpr = dpr;
  for (const [id, wrapId] of CANVASES) {
    const c = $(id);
    const box = (wrapId ? $(wrapId) : c.parentElement).getBoundingClientRect();
    const size = [Math.max(1, Math.round(box.width * dpr)), Math.max(1, Math.round(box.height * dpr))];
    const old = S.sizes[id];
    if (!old || old[0] !== size[0] || old[1] !== size[1]) {
      S.sizes[id] = size;
      changed = true;
    }
  }
  if (changed) {
    S.sizesChanged = true;
    S.pg.setPlotSize(S.sizes.bg[0], S.sizes.bg[1], dpr);
    S.dirtyBg = true;
    runChanged();
  }
}

/** Whether a chart or the 3-D view can be seen ("on"), is shown but scrolled away ("away"), or is hidden ("off"). */
const seen = (figure) => (!shown(figure) ? "off" : S.offscreen.has(figure) ? "away" : "on");

/**
 * Start the painter: in a worker that owns the canvases where the browser can hand them
 * over, else on this page. `module`: the compiled engine, shared with the worker.
 */
export async function startPainter(module) {
  const canvases = Object.fromEntries(CANVASES.map(([id]) => [id, $(id)]));
  const fromPainter = (m) => {
    if (m.painted !== undefined) {
      S.painted = m.painted;
      S.painterIdle = m.idle;
      S.painterMemory = m.memory;
    } else if (m.bad) showNotice(`The loss is not finite at ${m.bad} sampled points of this view; they are shown grey.`);
    else if (m.exported) S.exports.get(m.id)?.(m);
    else if (m.error) {
      setPlaying(false);
      showNotice("Something went wrong while drawing; the run was paused.", [m.error]);
    }
  };
  if (typeof OffscreenCanvas !== "undefined" && "transferControlToOffscreen" in HTMLCanvasElement.prototype) {
    const worker = new Worker(new URL("./painter.js", import.meta.url), { type: "module" });
    worker.onmessage = (e) => fromPainter(e.data);
    worker.onerror = (e) => fromPainter({ error: `the drawing worker failed: ${e.message ?? "could not load"}` });
    for (const id in canvases) canvases[id] = canvases[id].transferControlToOffscreen();
    worker.postMessage({ init: { canvases, module, settle: SETTLE } }, Object.values(canvases));
    S.paint = (m) => worker.postMessage(m);
  } else {
    const { painter } = await import("./painter.js");
    S.paint = painter((m) => queueMicrotask(() => fromPainter(m)));
    S.paint({ init: { canvases, settle: SETTLE } });
    S.painterMemory = 0;
  }
}

/**
 * Send the painter the state it draws: the scenario text (when it changed) and the step, so
 * its runs equal these; what is dirty; selection, cursor, 3-D angles, sizes, visibility.
 * The charts follow at most every CHARTS_EVERY ms while the run moves (playing, or the user
 * dragging or sliding), the 3-D view every SURFACE3D_EVERY ms while playing and not at all
 * during a drag or a slide: both catch up once the input settles (painter.js keeps the pace).
 */
function postState(now) {
  const text = S.pg.text();
  const m = {
    seq: ++S.seq,
    step: S.pg.currentStep(),
    dirty: { bg: S.dirtyBg, frame: S.dirtyFrame, charts: S.dirtyCharts, d3: S.dirty3d },
    selected: S.selected,
    cursor: S.cursor,
    yaw: S.yaw,
    pitch: S.pitch,
    dpr: S.dpr,
    playing: S.playing,
    input: interacting(now),
    seen: { loss: seen("loss-figure"), lr: seen("lr-figure"), surface3d: seen("surface3d-figure") },
  };
  if (text !== S.sentText) m.text = S.sentText = text;
  if (S.sizesChanged) {
    m.sizes = { ...S.sizes };
    S.sizesChanged = false;
  }
  S.paint(m);
  S.dirtyBg = S.dirtyFrame = S.dirtyCharts = S.dirty3d = false;
}

/** A PNG of view `kind` from the painter (a Promise of a Blob). */
export function exportPng(kind) {
  const id = S.exports.size ? Math.max(...S.exports.keys()) + 1 : 1;
  postState(performance.now());
  return new Promise((resolve, reject) => {
    S.exports.set(id, (m) => {
      S.exports.delete(id);
      if (m.blob) resolve(m.blob);
      else reject(new Error(m.error));
    });
    S.paint({ export: kind, id });
  });
}

export function frame() {
  const t0 = performance.now();
  let drew = false;
  try {
    if (S.pendingStart) applyPendingStart();
    if (S.playing) {
      S.pg.step(S.speed);
      runChanged();
      if (!S.pg.isRunning()) setPlaying(false);
    }
    if (S.dirtyFrame || S.dirtyBg || S.dirtyCharts || S.dirty3d) {
      S.dirtyStatus = true;
      postState(t0);
      drew = true;
    }
    // The status list follows at most every STATUS_EVERY ms while the run moves.
    if (S.dirtyStatus && (!moving(t0) || t0 - S.lastStatus > STATUS_EVERY)) {
      updateStatus();
      S.dirtyStatus = false;
      drew = true;
    }
    if (S.hover && !S.info.data_view) {
      readout(S.hover);
      S.hover = null;
    }
  } catch (e) {
    setPlaying(false);
    showNotice("Something went wrong; the run was paused.", [e.message ?? String(e)]);
  }
  if (drew) {
    // One mark, replaced each frame that sent the painter a state or updated the status:
    // when, and how long this page's work took (read by the page benchmark; bounded).
    performance.clearMarks("gradscape:drawn");
    performance.mark("gradscape:drawn", { detail: { work: performance.now() - t0 } });
  }
  requestAnimationFrame(frame);
}

/** Watch the charts and the 3-D view: one scrolled out of sight is not drawn. */
export function watchVisibility() {
  const io = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (e.isIntersecting) {
        S.offscreen.delete(e.target.id);
        // Catch up on what changed while it was away.
        S.dirtyCharts = true;
        S.dirty3d = true;
      } else S.offscreen.add(e.target.id);
    }
  });
  for (const id of ["loss-figure", "lr-figure", "surface3d-figure"]) io.observe($(id));
}

export function setPlaying(on) {
  if (on && !S.pg.isRunning()) S.pg.reset();
  S.playing = on;
  $("play").textContent = on ? "❚❚ Pause" : "▶ Play";
  $("play").setAttribute("aria-pressed", on ? "true" : "false");
  S.dirtyFrame = true;
}
