// The painter, run in a worker (app.js started as one): draws the views that change as the
// runs move (trails, markers, charts, 3-D) on the canvases the page hands it
// (OffscreenCanvas), so their drawing and rasterising leave the page's main thread, which
// keeps input, stepping, the status text and the contour's background (it changes only with
// the surface, the view or the size, and the page draws it first, before this worker runs).
//
// It keeps its own engine handle equal to the page's: the runs are a function of the
// scenario text and the step, which every state message carries; the rest of a message says
// what to draw (dirty views, selection, cursor, 3-D angles, canvas sizes, visibility).

import init, { Playground, welcome } from "./pkg/gradscape.js";
import { keyValue } from "./state.js";

/** A handle on link text `query` (the welcome scenario when empty); bad parts fall back to defaults and are listed by `notices()`. */
export const decodeLink = (query) => Playground.decode(query || welcome());

/** Whether handle `pg`'s scenario is an embed, which fits its layout to its frame before it draws. */
export const isEmbed = (pg) => keyValue("embed", pg.config()) === "true";

/** Redraw the loss and learning-rate charts at most this often while the run moves (ms). */
const CHARTS_EVERY = 50;
/** Redraw the 3-D view at most this often while playing (ms): it is the costliest view. */
const SURFACE3D_EVERY = 150;

/**
 * A painter that answers through `reply(message)`; returns the function that takes the page's
 * messages: `{init: {canvases, module}}` first, then state messages (see loop.js, postState)
 * and `{export: kind, id}`. It replies `{painted, idle, work, memory}` after each frame it
 * drew, `{exported, id, blob}` and
 * `{error}`.
 */
export function painter(reply) {
  let wasm = null;
  let pg = null;
  let cv = null;
  let text = null;
  let pending = null;
  const exports = [];
  const dirty = { frame: true, loss: true, lr: true, d3: true };
  const st = { seq: 0, selected: 0, cursor: null, yaw: 0.7, pitch: 0.45, dpr: 1, playing: false, seen: {} };
  let lastInput = -Infinity;
  /** A drag or a slide counts as going on until this long after its last input (ms; the page's SETTLE). */
  let settle = 0;
  let lastCharts = -Infinity;
  let last3d = -Infinity;
  let scheduled = false;
  /** The first frame draws the contour's layers only: the charts and the 3-D view follow a frame later. */
  let first = true;
  const raf = self.requestAnimationFrame ?? ((f) => setTimeout(f, 16));

  const interacting = (now) => now - lastInput < settle;
  const moving = (now) => st.playing || interacting(now);

  function schedule() {
    if (scheduled || !wasm) return;
    scheduled = true;
    raf(frame);
  }

  /** Bring the handle to the page's state: its text, its step, the cursor. */
  function apply(m) {
    if (m.sizes) {
      for (const [id, [w, h]] of Object.entries(m.sizes)) {
        if (cv[id].width !== w || cv[id].height !== h) {
          cv[id].width = w;
          cv[id].height = h;
        }
      }
    }
    if (m.text !== undefined && m.text !== text) {
      if (pg) pg.setText(m.text);
      else pg = new Playground(m.text);
      text = m.text;
    }
    let at = pg.currentStep();
    if (m.step < at) {
      pg.reset();
      at = 0;
    }
    if (m.step > at) pg.step(m.step - at);
    const c = m.cursor;
    if (c) pg.setHover(c[0], c[1]);
    else pg.clearHover();
    Object.assign(st, { seq: m.seq, selected: m.selected, cursor: c, yaw: m.yaw, pitch: m.pitch, dpr: m.dpr, playing: m.playing, seen: m.seen });
  }

  /**
   * The first markers before the page's first state: the link's scenario (decoded as the
   * page's load() does; the page reports what it could not use) at the contour's size.
   * The page's state then finds the same text.
   */
  function start({ query, sizes, dpr }) {
    let first;
    try {
      first = decodeLink(query);
    } catch {
      return; // the page's state brings the scenario, and the page says what was wrong
    }
    // An embed's layout (and so its size) is known only once the page has applied it: wait for its state.
    if (isEmbed(first)) {
      first.free();
      return;
    }
    pg = first;
    text = pg.text();
    apply({ ...st, sizes, dpr, step: 0 });
  }

  /** Draw what is dirty, each view at its own pace (see frame() in loop.js for the rules). */
  function draw(now) {
    let drew = false;
    if (dirty.frame) {
      pg.drawTrails(cv.trails, st.dpr);
      pg.drawOverlay(cv.overlay, st.dpr, st.selected);
      dirty.frame = false;
      drew = true;
    }
    if (first) {
      first = false;
      return drew;
    }
    const { loss, lr, surface3d } = st.seen;
    // A chart out of sight stays dirty: it is drawn when it comes back.
    const charts = (dirty.loss && loss === "on") || (dirty.lr && lr === "on");
    if (charts && (!moving(now) || now - lastCharts >= CHARTS_EVERY)) {
      if (dirty.loss && loss === "on") pg.drawLoss(cv.loss, st.dpr);
      if (dirty.lr && lr === "on") pg.drawLearningRate(cv.lr, st.dpr);
      dirty.loss &&= loss !== "on";
      dirty.lr &&= lr !== "on";
      lastCharts = now;
      drew = true;
    }
    const turn = st.playing ? now - last3d >= SURFACE3D_EVERY : !interacting(now);
    if (dirty.d3 && turn && surface3d === "on") {
      pg.drawSurface3d(cv.surface3d, st.dpr, st.yaw, st.pitch);
      last3d = now;
      dirty.d3 = false;
      drew = true;
    }
    return drew;
  }

  /** Whether a view that can be seen still waits for its turn. */
  const waiting = () => {
    const { loss, lr, surface3d } = st.seen;
    return dirty.frame || (dirty.loss && loss === "on") || (dirty.lr && lr === "on") || (dirty.d3 && surface3d === "on");
  };

  function frame() {
    scheduled = false;
    const t0 = performance.now();
    let drew = false;
    try {
      if (pending) {
        const m = pending;
        pending = null;
        apply(m);
      }
      if (!pg) return;
      drew = draw(t0);
    } catch (e) {
      reply({ error: e?.message ?? String(e) });
    }
    for (const job of exports.splice(0)) exportView(job);
    const idle = !waiting();
    if (drew) {
      const work = performance.now() - t0;
      performance.clearMarks("gradscape:painted");
      performance.mark("gradscape:painted", { detail: { work } });
      reply({ painted: st.seq, idle, work, memory: wasm.memory.buffer.byteLength });
    } else if (idle) reply({ painted: st.seq, idle, work: 0, memory: wasm.memory.buffer.byteLength });
    if (!idle || pending) schedule();
  }

  /**
   * A PNG of view `kind` ("contour": the three layers in one) at `scale` times the screen's
   * pixels, with its legend below, for the page to download.
   */
  async function exportView({ kind, id, under, scale = 1 }) {
    try {
      const dpr = st.dpr * scale;
      const size = (c) => [Math.round(c.width * scale), Math.round(c.height * scale)];
      let c = cv[kind];
      if (kind === "contour") {
        // The background is the page's (drawn on its main thread at this scale): it comes as a
        // bitmap. The trail and marker layers are drawn again at the scale asked for.
        const [w, h] = size(cv.trails);
        c = new OffscreenCanvas(w, h);
        const ctx = c.getContext("2d");
        if (under) ctx.drawImage(under, 0, 0, w, h);
        under?.close();
        for (const draw of [(t) => pg.drawTrails(t, dpr), (t) => pg.drawOverlay(t, dpr, st.selected)]) {
          const layer = new OffscreenCanvas(w, h);
          draw(layer);
          ctx.drawImage(layer, 0, 0);
        }
        // The trail layer's memory now describes the export: the screen's is drawn anew.
        dirty.frame = true;
      } else if (scale !== 1) {
        c = new OffscreenCanvas(...size(cv[kind]));
        if (kind === "loss") pg.drawLoss(c, dpr);
        else if (kind === "lr") pg.drawLearningRate(c, dpr);
        else pg.drawSurface3d(c, dpr, st.yaw, st.pitch);
      }
      // The SVM's data view shows data and classes, not the optimizers' lines.
      const keyed = kind === "contour" && pg.surfaceInfo().data_view ? c : withLegend(c, dpr);
      reply({ exported: kind, id, blob: await keyed.convertToBlob({ type: "image/png" }) });
    } catch (e) {
      reply({ exported: kind, id, error: e?.message ?? String(e) });
    }
  }

  /** `view` with the engine's legend (each line's sample and name) drawn under it. */
  function withLegend(view, dpr) {
    const key = new OffscreenCanvas(view.width, pg.legendHeight(view.width, dpr));
    pg.drawLegend(key, dpr);
    const out = new OffscreenCanvas(view.width, view.height + key.height);
    const ctx = out.getContext("2d");
    ctx.drawImage(view, 0, 0);
    ctx.drawImage(key, 0, view.height);
    return out;
  }

  return async function receive(m) {
    if (m.init) {
      // plotters-canvas checks that a context is a CanvasRenderingContext2D; an
      // OffscreenCanvas's 2-D context has the same calls under another name.
      self.CanvasRenderingContext2D ??= self.OffscreenCanvasRenderingContext2D;
      wasm = await init(m.init.module ? { module_or_path: m.init.module } : undefined);
      cv = m.init.canvases;
      settle = m.init.settle;
      if (!pending && m.init.early) start(m.init.early);
      schedule();
      return;
    }
    if (m.export) {
      exports.push({ kind: m.export, id: m.id, under: m.under, scale: m.scale });
    } else {
      // Coalesce: the latest state wins, dirty views and inputs add up.
      if (m.input) lastInput = performance.now();
      const d = m.dirty;
      dirty.frame ||= d.frame;
      dirty.loss ||= d.charts;
      dirty.lr ||= d.charts;
      dirty.d3 ||= d.d3;
      if (pending) {
        if (m.text === undefined) m.text = pending.text;
        if (!m.sizes) m.sizes = pending.sizes;
      }
      pending = m;
    }
    schedule();
  };
}
