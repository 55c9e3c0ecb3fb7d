// The animation loop: step the runs while playing, redraw what is dirty, keep the canvases
// sized to their boxes at the device-pixel ratio.

import { $, S, runChanged, showNotice } from "./state.js";
import { applyPendingStart } from "./pointer.js";
import { readout, updateStatus } from "./status.js";

/** Status text refresh while playing (ms). */
const STATUS_EVERY = 120;
/** Redraw the loss and learning-rate charts at most this often while playing (ms). */
const CHARTS_EVERY = 50;
/** Redraw the 3-D view at most this often while playing (ms): it is the costliest view. */
const SURFACE3D_EVERY = 150;
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

export function sizeCanvases() {
  fitEmbed();
  const dpr = Math.min(window.devicePixelRatio || 1, 4);
  S.dpr = dpr;
  let changed = false;
  for (const [id, wrapId] of [["bg", "contour-wrap"], ["trails", "contour-wrap"], ["overlay", "contour-wrap"], ["loss", null], ["lr", null], ["surface3d", null]]) {
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
    runChanged();
  }
}

/** Whether a chart or the 3-D view `id` can be seen: shown, and not scrolled away. */
const visible = (figure) => shown(figure) && !S.offscreen.has(figure);

/**
 * Draw what is dirty. Every frame: the background when it changed, the trail layer (only
 * new segments, see drawTrails) and the marker layer. The charts follow at most every
 * CHARTS_EVERY ms while the run moves (playing, or the user dragging or sliding), the 3-D
 * view every SURFACE3D_EVERY ms while playing and not at all during a drag or a slide: both
 * catch up once the input settles. Views out of sight are left dirty until they come back.
 */
function draw(now) {
  if (S.dirtyBg) {
    S.pg.drawBackground($("bg"), S.dpr);
    S.dirtyBg = false;
    const bad = S.pg.surfaceInfo().non_finite_cells;
    if (bad > 0) showNotice(`The loss is not finite at ${bad} sampled points of this view; they are shown grey.`);
  }
  if (S.dirtyFrame) {
    S.pg.drawTrails($("trails"), S.dpr);
    S.pg.drawOverlay($("overlay"), S.dpr, S.selected);
    S.dirtyFrame = false;
  }
  if (S.dirtyCharts && (!moving(now) || now - S.lastCharts >= CHARTS_EVERY)) {
    const loss = visible("loss-figure");
    const lr = visible("lr-figure");
    if (loss) S.pg.drawLoss($("loss"), S.dpr);
    if (lr) S.pg.drawLearningRate($("lr"), S.dpr);
    if (loss || lr) S.lastCharts = now;
    // Still dirty while a shown chart is out of sight.
    S.dirtyCharts = (shown("loss-figure") && !loss) || (shown("lr-figure") && !lr);
  }
  const turn = S.playing ? now - S.last3d >= SURFACE3D_EVERY : !interacting(now);
  if (S.dirty3d && turn && visible("surface3d-figure")) {
    S.pg.drawSurface3d($("surface3d"), S.dpr, S.yaw, S.pitch);
    S.last3d = now;
    S.dirty3d = false;
  }
}

export function frame(now) {
  const t0 = performance.now();
  let drew = false;
  try {
    if (S.pendingStart) applyPendingStart();
    if (S.playing) {
      S.pg.step(S.speed);
      runChanged();
      if (!S.pg.isRunning()) setPlaying(false);
    }
    if (S.dirtyFrame || S.dirtyBg || S.dirtyCharts || S.dirty3d || S.dirtyStatus) {
      if (S.dirtyFrame) S.dirtyStatus = true;
      draw(t0);
      drew = true;
      // The status list follows at most every STATUS_EVERY ms while the run moves.
      if (S.dirtyStatus && (!moving(t0) || t0 - S.lastStatus > STATUS_EVERY)) {
        updateStatus();
        S.dirtyStatus = false;
      }
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
