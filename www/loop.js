// The animation loop: step the runs while playing, redraw what is dirty, keep the canvases
// sized to their boxes at the device-pixel ratio.

import { $, S, showNotice } from "./state.js";
import { readout, updateStatus } from "./status.js";

/** Status text refresh while playing (ms). */
const STATUS_EVERY = 120;
/** Redraw the loss and learning-rate charts at most this often while playing (ms). */
const CHARTS_EVERY = 50;
/** Redraw the 3-D view at most this often while playing (ms): it is the costliest view. */
const SURFACE3D_EVERY = 150;

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
    S.dirty3d = true;
  }
}

function draw() {
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
    if (shown("loss-figure")) S.pg.drawLoss($("loss"), S.dpr);
    if (shown("lr-figure")) S.pg.drawLearningRate($("lr"), S.dpr);
    S.lastCharts = now;
  }
  if (shown("surface3d-figure") && (S.dirty3d || now - S.last3d > SURFACE3D_EVERY)) {
    S.pg.drawSurface3d($("surface3d"), S.dpr, S.yaw, S.pitch);
    S.last3d = now;
    S.dirty3d = false;
  }
}

export function frame(now) {
  const t0 = performance.now();
  let drew = false;
  try {
    if (S.playing) {
      S.pg.step(S.speed);
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

export function setPlaying(on) {
  if (on && !S.pg.isRunning()) S.pg.reset();
  S.playing = on;
  $("play").textContent = on ? "❚❚ Pause" : "▶ Play";
  $("play").setAttribute("aria-pressed", on ? "true" : "false");
  S.dirtyFrame = true;
}
