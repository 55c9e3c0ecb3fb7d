// Pointer and keyboard on the figures: drag the start point, hover for the local geometry,
// turn the 3-D view, zoom the contour.

import { $, S, configChanged, noteInput, runChanged, scheduleUrl } from "./state.js";
import { setPlaying } from "./loop.js";

/** Updates recomputed while the start point is dragged. */
const DRAG_STEPS = 1000;

function eventPoint(e) {
  const r = $("overlay").getBoundingClientRect();
  return S.pg.toData(e.clientX - r.left, e.clientY - r.top);
}

/** Move the start point there, at the next frame: several moves within a frame cost one. */
function moveStart(pt) {
  S.pendingStart = pt;
  noteInput();
}

/** Restart every optimizer at the pending start point and recompute its first updates. */
export function applyPendingStart() {
  const pt = S.pendingStart;
  if (!pt) return;
  S.pendingStart = null;
  S.pg.setStart(pt[0], pt[1]);
  S.pg.step(DRAG_STEPS);
  runChanged();
  if (S.info.dim > 2) S.dirtyBg = true;
}

export function wirePointer() {
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
    S.hover = S.cursor = pt;
    S.dirtyFrame = true;
  });
  ov.addEventListener("pointerleave", () => {
    S.cursor = null;
    S.dirtyFrame = true;
  });
  const end = () => {
    if (!S.dragging) return;
    S.dragging = false;
    applyPendingStart();
    configChanged();
    S.hooks.render();
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
    const s = S.pg.surfaceInfo().start;
    S.dragging = true;
    moveStart([s[0] + (d[0] * (v[1] - v[0])) / 50, s[1] + (d[1] * (v[3] - v[2])) / 50]);
    end();
  });
}

/** Turn the 3-D view by dragging it (or with the arrow keys when it has focus). */
export function wire3d() {
  const c = $("surface3d");
  let drag = null;
  const turn = (dyaw, dpitch) => {
    S.yaw += dyaw;
    S.pitch = Math.max(0.05, Math.min(1.5, S.pitch + dpitch));
    S.dirty3d = true;
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

function viewChanged() {
  configChanged();
  S.info = S.pg.surfaceInfo();
  S.dirtyBg = true;
  S.dirty3d = true;
  scheduleUrl();
}

export function wireZoom() {
  const zoom = (factor) => {
    const v = S.pg.surfaceInfo().view;
    S.pg.zoom(factor, (v[0] + v[1]) / 2, (v[2] + v[3]) / 2);
    viewChanged();
  };
  $("zoom-in").addEventListener("click", () => zoom(0.7));
  $("zoom-out").addEventListener("click", () => zoom(1 / 0.7));
  $("zoom-reset").addEventListener("click", () => {
    S.pg.resetView();
    viewChanged();
  });
}
