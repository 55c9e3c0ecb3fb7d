// Pointer and keyboard on the figures: drag the start point, hover for the local geometry,
// turn the 3-D view, zoom the contour.

import { $, S, configChanged, noteInput, runChanged, scheduleUrl, showNotice } from "./state.js";
import { setPlaying } from "./loop.js";
import { locked } from "./course.js";

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
  if (locked("start")) {
    showNotice("The start point is fixed by this challenge.");
    return;
  }
  S.pg.setStart(pt[0], pt[1]);
  S.pg.step(DRAG_STEPS);
  runChanged();
  if (S.info.dim > 2) S.dirtyBg = true;
}

/** A touch held this long (ms) without moving shows the readout instead of moving the start point. */
const HOLD_MS = 450;
/** A touch that moves more than this (CSS px) before the hold is a drag of the start point. */
const SLOP = 8;

export function wirePointer() {
  const ov = $("overlay");
  const touches = new Map();
  let hold = null;
  let pinch = 0;
  const spread = () => {
    const [a, b] = [...touches.values()];
    return Math.hypot(a[0] - b[0], a[1] - b[1]);
  };
  const grab = (pt) => {
    S.dragging = true;
    setPlaying(false);
    moveStart(pt);
  };
  const end = () => {
    if (!S.dragging) return;
    S.dragging = false;
    applyPendingStart();
    configChanged();
    S.hooks.render();
    scheduleUrl();
  };
  // Touch: a tap moves the start point, a drag drags it, a press-and-hold reads the geometry
  // there (what hovering does for a mouse), two fingers pinch-zoom.
  const touchDown = (e) => {
    touches.set(e.pointerId, [e.clientX, e.clientY]);
    ov.setPointerCapture(e.pointerId);
    if (touches.size === 2) {
      if (hold) clearTimeout(hold.timer);
      hold = null;
      end();
      pinch = spread();
      return;
    }
    const pt = touches.size === 1 && eventPoint(e);
    if (!pt) return;
    hold = { id: e.pointerId, x: e.clientX, y: e.clientY, pt, mode: "wait" };
    hold.timer = setTimeout(() => {
      if (hold?.mode !== "wait") return;
      hold.mode = "read";
      S.hover = S.cursor = hold.pt;
      S.dirtyFrame = true;
    }, HOLD_MS);
  };
  const touchMove = (e) => {
    if (!touches.has(e.pointerId)) return;
    touches.set(e.pointerId, [e.clientX, e.clientY]);
    if (touches.size === 2 && pinch > 0) {
      const [a, b] = [...touches.values()];
      const r = ov.getBoundingClientRect();
      const c = S.pg.toData((a[0] + b[0]) / 2 - r.left, (a[1] + b[1]) / 2 - r.top);
      const d = spread();
      if (c && d > 0) zoomAt(pinch / d, c);
      pinch = d;
      return;
    }
    if (hold?.id !== e.pointerId) return;
    const pt = eventPoint(e);
    if (!pt) return;
    hold.pt = pt;
    if (hold.mode === "wait" && Math.hypot(e.clientX - hold.x, e.clientY - hold.y) > SLOP) {
      clearTimeout(hold.timer);
      hold.mode = "drag";
      if (S.info.dim === 2) grab(pt);
    } else if (hold.mode === "drag" && S.dragging) moveStart(pt);
    else if (hold.mode === "read") {
      S.hover = S.cursor = pt;
      S.dirtyFrame = true;
    }
  };
  const touchUp = (e) => {
    touches.delete(e.pointerId);
    if (touches.size < 2) pinch = 0;
    if (hold?.id !== e.pointerId) return;
    clearTimeout(hold.timer);
    const h = hold;
    hold = null;
    if (h.mode === "wait" && e.type === "pointerup" && S.info.dim === 2) {
      grab(h.pt);
      end();
    } else if (h.mode === "drag") end();
    else if (h.mode === "read") {
      // The readout stays; the cross under the finger goes with it.
      S.cursor = null;
      S.dirtyFrame = true;
    }
  };
  ov.addEventListener("pointerdown", (e) => {
    if (e.pointerType === "touch") return touchDown(e);
    if (S.info.dim !== 2 || e.button !== 0) return;
    const pt = eventPoint(e);
    if (!pt) return;
    ov.setPointerCapture(e.pointerId);
    grab(pt);
  });
  ov.addEventListener("pointermove", (e) => {
    if (e.pointerType === "touch") return touchMove(e);
    const pt = eventPoint(e);
    if (!pt) return;
    if (S.dragging) moveStart(pt);
    S.hover = S.cursor = pt;
    S.dirtyFrame = true;
  });
  ov.addEventListener("pointerleave", (e) => {
    if (e.pointerType === "touch") return;
    S.cursor = null;
    S.dirtyFrame = true;
  });
  for (const type of ["pointerup", "pointercancel"]) {
    ov.addEventListener(type, (e) => (e.pointerType === "touch" ? touchUp(e) : end()));
  }
  // The wheel zooms about the point under the pointer.
  ov.addEventListener(
    "wheel",
    (e) => {
      const pt = eventPoint(e);
      if (!pt) return;
      e.preventDefault();
      const px = e.deltaY * (e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1);
      zoomAt(Math.exp(Math.max(-200, Math.min(200, px)) * 0.002), pt);
    },
    { passive: false },
  );
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

/** Zoom by `factor` (< 1 in) about data point (x, y), which stays put; a view past the engine's limits is refused and the view stays. */
function zoomNow(factor, x, y) {
  try {
    S.pg.zoom(factor, x, y);
  } catch {
    return;
  }
  viewChanged();
}

/** Zooms asked for within one frame (wheel ticks, pinch moves), applied together at its end. */
let pendingZoom = null;

/** Zoom by `factor` about data point `at` (under the pointer) at the next frame. */
function zoomAt(factor, at) {
  if (pendingZoom) {
    pendingZoom.factor *= factor;
    pendingZoom.at = at;
    return;
  }
  pendingZoom = { factor, at };
  requestAnimationFrame(() => {
    const { factor: f, at: a } = pendingZoom;
    pendingZoom = null;
    zoomNow(f, a[0], a[1]);
  });
}

export function wireZoom() {
  const zoom = (factor) => {
    const v = S.pg.surfaceInfo().view;
    zoomNow(factor, (v[0] + v[1]) / 2, (v[2] + v[3]) / 2);
  };
  $("zoom-in").addEventListener("click", () => zoom(0.7));
  $("zoom-out").addEventListener("click", () => zoom(1 / 0.7));
  $("zoom-reset").addEventListener("click", () => {
    S.pg.resetView();
    viewChanged();
  });
}
