// The animation loop: step the runs while playing, tell the painter (www/painter.js) what
// to draw, keep the status list current and the canvases sized to their boxes.

import { $, S, SETTLE, runChanged, showNotice } from "./state.js";
import { applyPendingStart } from "./pointer.js";
import { readout, updateStatus } from "./status.js";

/** Status text refresh while playing (ms). */
const STATUS_EVERY = 120;

/** Whether the user dragged or slid within the last SETTLE ms. */
const interacting = (now) => now - S.lastInput < SETTLE;
/** Whether the run is moving: playing, or being dragged or slid. */
const moving = (now) => S.playing || interacting(now);

const shown = (id) => !$(id).classList.contains("hide");

/** The canvases, and the element whose box sizes each; the painter (www/painter.js) draws all but the background. */
const CANVASES = [["bg", "contour-wrap"], ["trails", "contour-wrap"], ["overlay", "contour-wrap"], ["loss", null], ["lr", null], ["surface3d", null]];
const PAINTED = CANVASES.filter(([id]) => id !== "bg");

/** The device-pixel ratio the canvases are drawn at. */
const pixelRatio = () => Math.min(window.devicePixelRatio || 1, 4);

/** Give the background canvas (drawn here, not by the painter) device-pixel size `size`. */
function sizeBackground(size) {
  S.sizes.bg = size;
  [$("bg").width, $("bg").height] = size;
}

/** The size in device pixels that canvas `id` should have: its box at ratio `dpr`. */
function canvasSize(id, wrapId, dpr) {
  const box = (wrapId ? $(wrapId) : $(id).parentElement).getBoundingClientRect();
  return [Math.max(1, Math.round(box.width * dpr)), Math.max(1, Math.round(box.height * dpr))];
}

/** Size every canvas to its box at the device-pixel ratio (the painter applies the sizes). */
export function sizeCanvases() {
  const dpr = pixelRatio();
  let changed = dpr !== S.dpr;
  S.dpr = dpr;
  for (const [id, wrapId] of CANVASES) {
    const size = canvasSize(id, wrapId, dpr);
    const old = S.sizes[id];
    if (!old || old[0] !== size[0] || old[1] !== size[1]) {
      if (id === "bg") sizeBackground(size);
      else S.sizes[id] = size;
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
 * The painter's worker (www/painter.js), started as soon as the page's script runs, before
 * the document is ready: a worker's thread starts only when the main thread is free to take
 * its script, which the page's own set-up would delay. Throws where a browser cannot hand
 * canvases to a worker.
 */
export function spawnPainter() {
  if (typeof OffscreenCanvas === "undefined" || !("transferControlToOffscreen" in HTMLCanvasElement.prototype))
    throw new Error("This browser cannot draw in a worker (no OffscreenCanvas): use Chrome or Edge 69+, Firefox 105+ or Safari 16.4+.");
  // The page's own script, which becomes the painter in a worker (the bundle is one file).
  return new Worker(new URL("./app.js", import.meta.url), { type: "module" });
}

/**
 * Hand the canvases to the painter `worker` (spawnPainter), which then draws them.
 * `module`: a Promise of the compiled engine, shared with it once it is ready.
 */
export function startPainter(worker, module) {
  worker.onmessage = ({ data: m }) => {
    if (m.painted !== undefined) {
      S.painted = m.painted;
      S.painterIdle = m.idle;
      S.painterMemory = m.memory;
    } else if (m.exported) S.exports.get(m.id)?.(m);
    else if (m.error) {
      setPlaying(false);
      showNotice("Something went wrong while drawing; the run was paused.", [m.error]);
    }
  };
  worker.onerror = (e) => {
    setPlaying(false);
    showNotice("The drawing worker failed.", [e.message ?? "it could not be loaded"]);
  };
  // What the first figure needs before this page has the engine: the link's text (the
  // painter decodes it as load() in app.js does) and the contour's size as laid out now.
  const dpr = pixelRatio();
  const sizes = Object.fromEntries(PAINTED.filter(([, wrap]) => wrap).map(([id, wrap]) => [id, canvasSize(id, wrap, dpr)]));
  const early = { query: location.search.slice(1), sizes, dpr };
  const canvases = Object.fromEntries(PAINTED.map(([id]) => [id, $(id).transferControlToOffscreen()]));
  module.then((m) => worker.postMessage({ init: { canvases, module: m, settle: SETTLE, early } }, Object.values(canvases)));
  // States sent from a frame go out after it (a task queued behind the frame's style, paint
  // and commit): the painter's work for them (8 × 1,000 updates recomputed on a slider move)
  // then does not compete with this frame for the cores. Everything keeps its order.
  let queued = [];
  const flush = () => {
    for (const [m, transfer] of queued) worker.postMessage(m, transfer);
    queued = [];
  };
  S.paint = (m, transfer = [], { afterFrame = false } = {}) => {
    if (!afterFrame) {
      flush();
      worker.postMessage(m, transfer);
      return;
    }
    if (!queued.length) setTimeout(flush, 0);
    queued.push([m, transfer]);
  };
}

/**
 * Send the painter the state it draws: the scenario text (when it changed) and the step, so
 * its runs equal these; what is dirty; selection, cursor, 3-D angles, sizes, visibility.
 * The charts follow at most every CHARTS_EVERY ms while the run moves (playing, or the user
 * dragging or sliding), the 3-D view every SURFACE3D_EVERY ms while playing and not at all
 * during a drag or a slide: both catch up once the input settles (painter.js keeps the pace).
 * `afterFrame`: sent once this frame is done (S.paint).
 */
function postState(now, afterFrame = false) {
  const text = S.pg.text();
  const m = {
    seq: ++S.seq,
    step: S.pg.currentStep(),
    dirty: { frame: S.dirtyFrame, charts: S.dirtyCharts, d3: S.dirty3d },
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
    m.sizes = Object.fromEntries(PAINTED.map(([id]) => [id, S.sizes[id]]));
    S.sizesChanged = false;
  }
  S.paint(m, [], { afterFrame });
  S.dirtyFrame = S.dirtyCharts = S.dirty3d = false;
}

/** Draw the contour's background (heatmap, contours, axes) here, on the main thread. */
export function drawBackground(pg = S.pg) {
  pg.drawBackground($("bg"), S.dpr);
  S.dirtyBg = false;
  // Layers over the background follow it (a basin map, www/sweep.js).
  if (pg === S.pg) S.hooks.background?.();
  const bad = pg.surfaceInfo().non_finite_cells;
  if (bad > 0) showNotice(`The loss is not finite at ${bad} sampled points of this view; they are shown grey.`);
}

/**
 * The first figure, as soon as the engine is ready and before the page builds its controls:
 * the background of `pg` at the contour's size as laid out now, shown by the next frame
 * (resolves after it). The runs' markers follow from the painter.
 */
export function firstFigure(pg) {
  S.dpr = pixelRatio();
  const size = canvasSize("bg", "contour-wrap", S.dpr);
  // Kept in S.sizes: sizeCanvases then leaves the canvas alone while its box is the same.
  sizeBackground(size);
  pg.setPlotSize(size[0], size[1], S.dpr);
  return new Promise((resolve) =>
    requestAnimationFrame(() => {
      try {
        const t0 = performance.now();
        drawBackground(pg);
        performance.mark("gradscape:drawn", { detail: { work: performance.now() - t0 } });
      } finally {
        setTimeout(resolve, 0);
      }
    }),
  );
}

/** A PNG of view `kind` at `scale` times the screen's pixels from the painter (a Promise of a Blob). */
export async function exportPng(kind, scale = 1) {
  const id = S.exports.size ? Math.max(...S.exports.keys()) + 1 : 1;
  if (S.dirtyBg) drawBackground();
  postState(performance.now());
  // The contour's background is drawn here (at the scale asked for, on a canvas of its own,
  // then the screen's again, as the handle maps the pointer through the last one drawn): the
  // painter lays its layers over a copy.
  let under;
  if (kind === "contour" && scale === 1) under = await createImageBitmap($("bg"));
  else if (kind === "contour") {
    const big = document.createElement("canvas");
    big.width = Math.round($("bg").width * scale);
    big.height = Math.round($("bg").height * scale);
    S.pg.drawBackground(big, S.dpr * scale);
    drawBackground();
    under = await createImageBitmap(big);
  }
  return new Promise((resolve, reject) => {
    S.exports.set(id, (m) => {
      S.exports.delete(id);
      if (m.blob) resolve(m.blob);
      else reject(new Error(m.error));
    });
    S.paint({ export: kind, id, under, scale }, under ? [under] : []);
  });
}

export function frame() {
  const t0 = performance.now();
  let drew = false;
  try {
    if (S.pendingStart) applyPendingStart();
    if (S.pendingSeek !== null) {
      seek(S.pendingSeek);
      S.pendingSeek = null;
    }
    if (S.playing) {
      // A fractional speed owes its updates across frames: 0.1 is one update every 10 frames.
      S.stepDebt += S.speed;
      const n = Math.floor(S.stepDebt);
      S.stepDebt -= n;
      if (n > 0) {
        S.pg.step(n);
        runChanged();
      }
      if (!S.pg.isRunning()) setPlaying(false);
    }
    if (S.dirtyBg) {
      drawBackground();
      drew = true;
    }
    if (S.dirtyFrame || S.dirtyCharts || S.dirty3d) {
      S.dirtyStatus = true;
      postState(t0, true);
      drew = true;
    }
    // The numbers (status list, hover readout) follow at most every STATUS_EVERY ms while the
    // run moves, counted during a drag or a slide from its first input: the frame that shows
    // an input carries no text to lay out, and the page's handle makes the updates it owes
    // (setLazy) only here.
    const due = (last) => !moving(t0) || t0 - Math.max(last, interacting(t0) ? S.inputSince : -Infinity) > STATUS_EVERY;
    if (S.dirtyStatus && due(S.lastStatus)) {
      updateStatus();
      S.dirtyStatus = false;
      drew = true;
    }
    if (S.hover && !S.info.data_view && due(S.lastReadout)) {
      readout(S.hover);
      S.hover = null;
      S.lastReadout = t0;
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

/**
 * Show the run at step `t`: forward it steps on, back it replays from the start. Runs are a
 * function of the scenario and the step (seeded), so the state at `t` is exact however far the
 * kept history was thinned, and every view (points, trails, charts, key) shows that step.
 */
export function seek(t) {
  const at = S.pg.currentStep();
  if (t === at) return;
  if (t < at) S.pg.reset();
  S.pg.step(t - S.pg.currentStep());
  runChanged();
}

export function setPlaying(on) {
  S.stepDebt = 0;
  if (on && !S.pg.isRunning()) S.pg.reset();
  S.playing = on;
  $("play-icon").textContent = on ? "❚❚" : "▶";
  $("play-label").textContent = on ? "Pause" : "Play";
  $("play").setAttribute("aria-pressed", on ? "true" : "false");
  S.dirtyFrame = true;
}
