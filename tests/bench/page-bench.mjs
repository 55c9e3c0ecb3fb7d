// Page benchmark of the playground in headless Chromium (playwright-core, through the
// browser tests' harness). Not part of `make test`: it prints numbers, it asserts none.
//
//   node tests/bench/page-bench.mjs            (after scripts/build-wasm.sh; `make bench` does both)
//
// Environment: SAMPLES (default 20, at least 20 per measure), FRAMES (default 120 drawn
// frames while playing), PROFILE=1 (after the measured frames, play FRAMES more under
// Chromium's sampling profiler and print where the main thread's time went, by function),
// DIST (default dist/: the built page to serve; while dist/ is being rebuilt, copy it once
// and point DIST at the copy), TRACE_SAMPLE=FILE (also write the trace of the race played
// to FILE, Chrome's JSON trace format: ui.perfetto.dev or chrome://tracing open it),
// CHROMIUM and PYTHON as for the browser tests.
//
// The page draws in a worker (www/painter.js): its main thread steps the runs, handles input,
// writes the status text, draws the contour's background (the first figure) and sends the
// painter the state to draw; `gradscape:drawn` marks a main-thread frame that drew the
// background, sent a state or wrote the status, `gradscape:painted` (in the worker) a frame
// the painter drew (the trails, markers, charts and 3-D view). The untraced measures below time the main thread's own
// work; the traced ones also read the painter's thread.
//
// What it measures (medians and p95):
//   load      a fresh browser context per sample (cold cache): navigation start to the first
//             `gradscape:drawn` mark, and to body[data-ready="1"].
//   frame     8 optimizers playing with 5,000-step trails in a 600×600 contour view, loss
//             chart updating: the main-thread ms of every drawn frame (`detail.work`).
//   surface   switch the surface at 600×600 (heatmap, contours, axes redrawn).
//   drag      move the start point: 8 optimizers × 1,000 updates recomputed and redrawn.
//   slider    move the first optimizer's α slider: recompute to the current step and redraw.
// For the three interactions the input is dispatched inside a requestAnimationFrame
// callback (t0) and the clock stops at the next drawn frame: `latency` is t0 → the end of
// that frame's work (the mark's startTime: the page sets the mark after the work), so it
// includes the wait for the next animation frame (headless Chromium paces frames at 60 Hz). `work` is the main-thread time the input costs: its
// handler (t0 → dispatch returned) plus the drawn frame's `detail.work`.
// Sizes: `gzip -9` of the wasm and of the (minified) JavaScript the page loads.
//
// Traced measures ("traced:" rows, no budgets): the page as the browser spends it, read off
// a CDP trace (categories in tests/bench/trace.mjs), in pages without the benchmark's mark
// observer, after the measures above.
//   main thread  the CrRendererMain of the renderer that set the `gradscape:drawn` marks
//                (for a load: that committed the navigation). Its tasks are its top-level
//                trace slices (RunTask: one scheduler task and the microtask checkpoint
//                after it).
//   frame task   a task holding a BeginMainThreadFrame: input queued for the frame, the rAF
//                callbacks (the page's `work`), style, layout, paint and the Commit. The
//                Commit holds the canvas raster (LayerTreeHost::DoUpdateLayers: the 2-D
//                canvases' recorded drawing is played into their bitmaps here, not in the
//                draw calls) and the main thread's wait while the compositor takes the commit
//                (ProxyMain::BeginMainFrame::commit).
//   whole frame  the wall time of every task after the previous frame task up to and
//                including this frame task (input handlers, timers, GC and IPC tasks between
//                frames), summed; `cpu` is the same sum of thread time. The benchmark's own
//                polls of the page are tagged (a `bench:` mark) and left out. A whole frame
//                holds its frame task, which holds the rAF work: it is ≥ `work`.
//   input → frame committed   from the start of the input's DOM dispatch (EventDispatch of
//                pointermove for the drag, keydown for the slider and the select) to the end
//                of the frame task of the first frame the page drew after it (the first
//                `gradscape:drawn` mark after the dispatch): that frame is then committed.
//   input → frame drawn   the same start to the renderer compositor's first DrawFrame after
//                that frame's ActivateLayerTree: the compositor frame that first shows it.
//   busy         main-thread time of the tasks between that start and that end (the parts
//                inside): what the input cost the main thread until its frame was committed.
//   The inputs go through CDP's Input domain, one per sample, each after a clock-sync marker
//   (Tracing.recordClockSyncMarker, browser side) that bounds its window; then the benchmark
//   waits for the frame, and at least SETTLE (500 ms) so that the input's deferred work (the
//   page updates its URL 250 ms after an edit) is done before the next window. Drag =
//   mouseMoved with the left button held, after a mousePressed on #overlay; α slider =
//   rawKeyDown ArrowRight and ArrowLeft in turn on the focused first α range input; surface
//   = rawKeyDown ArrowDown/ArrowUp on the focused #surface select, walking the 13 contour
//   surfaces back and forth (the first switch is left out). Their page: the race at 5,000
//   steps with the controls shown too (a full page: the embed shrinks the contour to fit the
//   controls), contour 600×600. The frames' `work` is the mark's `detail.work` in the trace.
//   playing      whole frames of the frames drawn while playing, after the one that showed
//                the Play click: the default page (`/`, 1200×800) over its whole run (until
//                it stops by itself), and the race from 5,000 steps over FRAMES frames; each
//                also over its last 10 frames.
//   painter      the worker's thread (trace.mjs, painterThread): its tasks that set a
//                `gradscape:painted` mark. For an input, `input → painted` runs from the
//                dispatch to the end of the painter's first such task after the main-thread
//                frame that sent it the state: the input is then on the canvases (their
//                frame goes to the display compositor from the worker, not through the page's
//                main thread). For a played run, the painter's frames and their own work.
//   load         a fresh context per sample, traced from before the navigation; ms after
//                navigationStart: figure painted = the end of the painter's first painted
//                task (the first figure is on its canvases), figure committed = the end of
//                the main-thread frame task that set the first `gradscape:drawn` mark, figure drawn = the compositor's DrawFrame of
//                that frame, DOMContentLoaded (domContentLoadedEventEnd). The printed
//                breakdown (medians): htmlParse (the document's first ParseHTML), appJs (its
//                ResourceFinish), firstContentfulPaint, wasmRequest / wasmResponse /
//                wasmResponseEnd (its ResourceSendRequest / ResourceReceiveResponse /
//                ResourceFinish, as the renderer's main thread notes them), wasmCompiled (end
//                of v8.wasm.compileConsumeDone: streaming compilation done), wasmInstantiated
//                (end of wasm.AsyncInstantiate), firstRaf (the FireAnimationFrame in the first
//                figure's frame task), firstDrawnMark, figureCommitted, figureDrawn; and
//                main-thread ms: mainThreadBusy (navigationStart → figure committed),
//                startupBusy (instantiated → that frame task: the app's start-up),
//                wasmStreamingMain (v8.wasm.compileConsume slices), wasmLazyCompile
//                (wasm.CompileLazy: wasm functions compiled on their first call); then that
//                frame task by kind.
//   Per kind (printed per traced measure, mean ms per frame): each µs of a task goes to the
//   innermost trace slice open then, mapped to script, gc, wasm, style+layout, paint,
//   canvas raster, commit wait, commit or other (the table is in trace.mjs).
//
// The table goes to stdout, the numbers to test-artifacts/page-bench.json.

import { execFileSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { ARTIFACTS, ROOT, launchBrowser, startServer } from "../browser/harness.mjs";
import { CATEGORIES, KIND_NAMES, drawingThread, inputReadings, loadReading, paintedFrames, painterThread, playedFrames, readThread, startTrace } from "./trace.mjs";

const SAMPLES = Math.max(20, Number(process.env.SAMPLES) || 20);
const FRAMES = Math.max(20, Number(process.env.FRAMES) || 120);
const DIST = resolve(process.env.DIST || join(ROOT, "dist"));
const TRACE_SAMPLE = process.env.TRACE_SAMPLE || null;

// The eight-optimizer race: every rule, a noisy GD and a scheduled Adam; gradient
// convergence off so all of them keep moving; the contour, loss chart, status and
// transport only (embed), so the contour can be sized to exactly 600×600 CSS px.
const RACE =
  "v=1&surface=rosenbrock&start=-1.5,2&seed=1&steps=20000&gtol=0" +
  "&opt=gd:lr=0.001&opt=momentum:lr=0.001,gamma=0.9&opt=nesterov:lr=0.001,gamma=0.9" +
  "&opt=adagrad:lr=0.5&opt=rmsprop:lr=0.01&opt=adam:lr=0.05" +
  "&opt=gd:lr=0.0005,noise=0.5&opt=adam:lr=0.02,schedule=exp,k=0.001" +
  "&embed=1&show=contour,loss,status,transport";
const TRAIL = 5000;
const PLOT = 600;
/** The race as a full page with its controls shown (the traced inputs use the α slider and the surface select). */
export const RACE_CONTROLS = RACE.replace("&embed=1&show=contour,loss,status,transport", "&show=contour,loss,status,transport,controls");
export const SLIDER = "#optimizers .opt-card .lr-slider input[type=range]";
const LOAD_VIEWPORT = { width: 1200, height: 800 };
/** Surfaces drawn as heatmap + contours (the SVM is a data view, left out). */
const SURFACES = [
  "bowl", "ellipse", "plateau", "minima", "saddle", "cliff", "rosenbrock", "beale",
  "himmelblau", "neuron", "sparse", "linreg", "deeplinear",
];

/** Recorded in every page before its scripts run: each drawn mark, and when data-ready is set. */
const INIT = `(() => {
  const b = (window.__bench = { drawn: [], ready: null });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if (e.name === "gradscape:drawn") b.drawn.push({ t: e.startTime, work: e.detail?.work ?? NaN });
  }).observe({ type: "mark" });
  new MutationObserver(() => {
    const v = document.body?.dataset.ready;
    if (v && !b.ready) b.ready = { t: performance.now(), value: v };
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-ready"] });
})();`;

// ---------------------------------------------------------------- statistics

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return s[lo] + (s[hi] - s[lo]) * (i - lo);
}

function stats(xs) {
  return {
    n: xs.length,
    median: quantile(xs, 0.5),
    p95: quantile(xs, 0.95),
    min: Math.min(...xs),
    max: Math.max(...xs),
  };
}

const r2 = (x) => Math.round(x * 100) / 100;

// ---------------------------------------------------------------- page helpers

/** A page on `url` once it is ready and has drawn; `observe: false` leaves out INIT (the traced pages). */
async function newPage(browser, url, viewport, { observe = true } = {}) {
  const context = await browser.newContext({ viewport });
  if (observe) await context.addInitScript(INIT);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(url);
  if (observe) {
    await page.waitForFunction(() => window.__bench.ready && window.__bench.drawn.length > 0, null, { timeout: 30_000 });
    if ((await page.evaluate(() => window.__bench.ready.value)) !== "1") throw new Error(`page not ready: ${url}`);
  } else {
    await page.waitForFunction(() => document.body?.dataset.ready, null, { timeout: 30_000 });
    if ((await page.evaluate(() => document.body.dataset.ready)) !== "1") throw new Error(`page not ready: ${url}`);
    await nextFrames(page, 3);
  }
  return { page, context, errors };
}

function watchErrors(page) {
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return errors;
}

const nextFrames = (page, n = 2) =>
  page.evaluate((n) => new Promise((r) => {
    const f = () => (--n <= 0 ? r() : requestAnimationFrame(f));
    requestAnimationFrame(f);
  }), n);

/**
 * Inside a requestAnimationFrame callback, note t0 and dispatch the input `kind` with `arg`
 * (the page's CSP forbids eval, so the inputs are written out here); then wait for the
 * first drawn mark after t0. Returns { latency, work, handler, frameWork } in ms.
 */
async function interact(page, kind, arg) {
  return page.evaluate(
    ({ kind, arg }) =>
      new Promise((resolve, reject) => {
        const pointer = (type, p) =>
          document.getElementById("overlay").dispatchEvent(
            new PointerEvent(type, {
              clientX: p.x,
              clientY: p.y,
              pointerId: 1,
              button: 0,
              buttons: type === "pointerup" ? 0 : 1,
              isPrimary: true,
              pointerType: "mouse",
              bubbles: true,
              cancelable: true,
            }),
          );
        const inputs = {
          surface: (name) => {
            const s = document.getElementById("surface");
            s.value = name;
            s.dispatchEvent(new Event("change"));
          },
          pointer: (events) => events.forEach(([type, p]) => pointer(type, p)),
          slider: (v) => {
            const s = document.querySelector("#optimizers .opt-card .lr-slider input[type=range]");
            s.value = v;
            s.dispatchEvent(new Event("input", { bubbles: true }));
          },
        };
        const timer = setTimeout(() => reject(new Error(`${kind}: no drawn frame within 10 s`)), 10_000);
        requestAnimationFrame(() => {
          const t0 = performance.now();
          inputs[kind](arg);
          const t1 = performance.now();
          const poll = () => {
            const e = window.__bench.drawn.find((d) => d.t > t0);
            if (!e) return setTimeout(poll, 1);
            clearTimeout(timer);
            resolve({ latency: e.t - t0, work: t1 - t0 + e.work, handler: t1 - t0, frameWork: e.work });
          };
          poll();
        });
      }),
    { kind, arg },
  );
}

/** Resize the viewport until #overlay is PLOT × PLOT CSS px; returns the viewport used. */
async function fitContour(page) {
  let vp = { width: 640, height: 1100 };
  for (let i = 0; i < 6; i++) {
    await page.setViewportSize(vp);
    await nextFrames(page, 3);
    const box = await page.locator("#overlay").boundingBox();
    if (Math.abs(box.width - PLOT) < 0.5 && Math.abs(box.height - PLOT) < 0.5) {
      const canvas = await page.evaluate(() => [document.getElementById("overlay").width, document.getElementById("overlay").height]);
      return { viewport: vp, box: { width: box.width, height: box.height }, canvas };
    }
    vp = { width: Math.round(vp.width + PLOT - box.width), height: Math.max(vp.height, Math.round(vp.height + PLOT - box.height)) };
  }
  throw new Error("could not size the contour to 600×600");
}

// ---------------------------------------------------------------- the measures

async function measureLoad(browser, url) {
  const viewport = LOAD_VIEWPORT;
  // One discarded run warms the browser process (not the page's cache: each sample gets a new context).
  const warm = await newPage(browser, url, viewport);
  await warm.context.close();
  const drawn = [];
  const ready = [];
  const detail = [];
  for (let i = 0; i < SAMPLES; i++) {
    const { page, context, errors } = await newPage(browser, url, viewport);
    const r = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      const res = performance.getEntriesByType("resource");
      const wasm = res.find((e) => e.name.endsWith(".wasm"));
      return {
        first: window.__bench.drawn[0],
        ready: window.__bench.ready.t,
        domContentLoaded: nav.domContentLoadedEventEnd,
        wasmResponseEnd: wasm ? wasm.responseEnd : NaN,
        transferred: res.reduce((s, e) => s + (e.transferSize || 0), nav.transferSize || 0),
      };
    });
    if (errors.length) throw new Error(`errors while loading: ${errors.join("; ")}`);
    drawn.push(r.first.t);
    ready.push(r.ready);
    detail.push({ firstFrameWork: r.first.work, domContentLoaded: r.domContentLoaded, wasmResponseEnd: r.wasmResponseEnd, transferred: r.transferred });
    await context.close();
  }
  return {
    firstDrawn: stats(drawn),
    ready: stats(ready),
    firstFrameWork: stats(detail.map((d) => d.firstFrameWork)),
    domContentLoaded: stats(detail.map((d) => d.domContentLoaded)),
    wasmResponseEnd: stats(detail.map((d) => d.wasmResponseEnd)),
    transferredBytes: detail[0].transferred,
  };
}

/** The race page (`text`) at 600×600, stepped to TRAIL updates. */
export async function openRace(browser, url, { text = RACE, observe = true } = {}) {
  const o = await newPage(browser, url + "?" + text, { width: 640, height: 1100 }, { observe });
  const fit = await fitContour(o.page);
  await o.page.evaluate((n) => {
    const b = document.getElementById("step-btn");
    for (let i = 0; i < n; i++) b.click();
  }, TRAIL);
  await nextFrames(o.page, 3);
  const counter = await o.page.textContent("#counter");
  if (!counter.includes(`step ${TRAIL} `)) throw new Error(`expected step ${TRAIL}, the page shows "${counter}"`);
  return { ...o, fit };
}

async function measureFrames(page) {
  await page.evaluate(() => (window.__bench.drawn.length = 0));
  await page.click("#play");
  await page.waitForFunction((n) => window.__bench.drawn.length >= n + 1, FRAMES, { timeout: 60_000, polling: 100 });
  await page.click("#play");
  const drawn = await page.evaluate(() => window.__bench.drawn.slice());
  // The first drawn frame after the click is the one that set the button; count from the next.
  const frames = drawn.slice(1, FRAMES + 1);
  const counter = await page.textContent("#counter");
  const intervals = frames.slice(1).map((f, i) => f.t - frames[i].t);
  const meanWork = drawn.reduce((s, f) => s + f.work, 0) / drawn.length;
  return { work: stats(frames.map((f) => f.work)), meanWork, interval: stats(intervals), counter };
}

/**
 * Play FRAMES frames under the V8 sampling profiler (after the measured ones, so its
 * overhead does not touch them) and sum the self time of each function: wasm functions
 * carry their Rust names (the module keeps its name section).
 */
async function profileFrames(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 50 });
  await page.evaluate(() => (window.__bench.drawn.length = 0));
  await cdp.send("Profiler.start");
  await page.click("#play");
  await page.waitForFunction((n) => window.__bench.drawn.length >= n + 1, FRAMES, { timeout: 60_000, polling: 100 });
  await page.click("#play");
  const { profile } = await cdp.send("Profiler.stop");
  await cdp.detach();
  const drawn = await page.evaluate(() => window.__bench.drawn.length);
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const key = f.functionName || `(anonymous ${f.url.split("/").pop()}:${f.lineNumber})`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const top = [...self.entries()]
    .filter(([k]) => k !== "(idle)") // "(program)" is native time: canvas drawing, layout
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([name, ms]) => ({ name: name.replace(/::h[0-9a-f]{16}$/, ""), msPerFrame: ms / drawn }));
  return { frames: drawn, top };
}

async function measureSurfaces(page) {
  const lat = [];
  const work = [];
  const perSurface = {};
  for (let i = 0; i < SAMPLES + 1; i++) {
    const name = SURFACES[i % SURFACES.length];
    const r = await interact(page, "surface", name);
    await nextFrames(page, 2);
    if (i === 0) continue; // the first switch also sizes scratch canvases; not a steady-state sample
    lat.push(r.latency);
    work.push(r.work);
    (perSurface[name] ??= []).push(r2(r.work));
  }
  return { latency: stats(lat), work: stats(work), perSurface };
}

/** A drag of the start point: pointerdown once, then one pointermove per sample. */
async function measureDrag(page) {
  const box = await page.locator("#overlay").boundingBox();
  // Inside the plot (margins: 50 left, 12 top, 12 right, 40 bottom CSS px).
  const at = (i) => ({
    x: box.x + 60 + ((i * 37) % 400) + 0.5,
    y: box.y + 20 + ((i * 53) % 400) + 0.5,
  });
  const down = await interact(page, "pointer", [["pointerdown", at(0)], ["pointermove", at(1)]]);
  const lat = [];
  const work = [];
  for (let i = 0; i < SAMPLES; i++) {
    const r = await interact(page, "pointer", [["pointermove", at(i + 2)]]);
    lat.push(r.latency);
    work.push(r.work);
  }
  // Release (no redraw follows a pointerup, so nothing to time).
  await page.evaluate((p) => {
    const init = { clientX: p.x, clientY: p.y, pointerId: 1, button: 0, isPrimary: true, pointerType: "mouse", bubbles: true };
    document.getElementById("overlay").dispatchEvent(new PointerEvent("pointerup", init));
  }, at(SAMPLES + 1));
  await nextFrames(page, 2);
  const counter = await page.textContent("#counter");
  return { latency: stats(lat), work: stats(work), pointerdownPlusMove: { latency: down.latency, work: down.work }, counter };
}

async function measureSlider(page) {
  const lat = [];
  const work = [];
  for (let i = 0; i < SAMPLES; i++) {
    // log10 α of the first optimizer (GD, α = 0.001) between −3.1 and −2.96: it neither diverges nor stalls.
    const v = (-3.1 + (i % 8) * 0.02).toFixed(2);
    const r = await interact(page, "slider", v);
    lat.push(r.latency);
    work.push(r.work);
    await nextFrames(page, 1);
  }
  const counter = await page.textContent("#counter");
  return { latency: stats(lat), work: stats(work), counter };
}

/**
 * Where a playing frame's time goes: the same calls the page makes per frame, timed one by
 * one on a second Playground of the race at TRAIL updates, drawing on canvases of the
 * page's sizes (the module is the page's own, already initialised).
 */
async function measureBreakdown(page) {
  return page.evaluate(
    async ({ text, trail, reps, surfaces }) => {
      // The engine's JavaScript API (the page's own copy is inside app.js).
      const m = await import("./pkg/gradscape.js");
      await m.default();
      const pg = new m.Playground(text);
      pg.step(trail);
      const mk = (id) => {
        const src = document.getElementById(id);
        const c = document.createElement("canvas");
        c.width = src.width;
        c.height = src.height;
        return c;
      };
      const bg = mk("bg");
      const ov = mk("overlay");
      const loss = mk("loss");
      pg.drawBackground(bg, 1);
      // performance.now() is coarse on a page without cross-origin isolation (0.1 ms), so
      // each call is timed over a batch of 10 and the median of the batch means is kept.
      const ops = {
        step5: () => pg.step(5),
        drawOverlay: () => pg.drawOverlay(ov, 1, 0),
        drawLoss: () => pg.drawLoss(loss, 1, true, "step"),
        status: () => pg.status(),
      };
      const t = Object.fromEntries(Object.keys(ops).map((k) => [k, []]));
      for (let i = 0; i < reps; i++) {
        for (const [k, f] of Object.entries(ops)) {
          const a = performance.now();
          for (let j = 0; j < 10; j++) f();
          t[k].push((performance.now() - a) / 10);
        }
      }
      pg.free();
      const med = (xs) => {
        const s = [...xs].sort((x, y) => x - y);
        return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
      };
      const frame = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, med(v)]));
      // A surface switch's background: first draw (sample the field, extract 14 contour
      // levels, heatmap pixels, then draw) against a redraw from the cached field.
      const background = {};
      for (const name of surfaces) {
        const first = [];
        const again = [];
        for (let i = 0; i < 8; i++) {
          const p = new m.Playground(text.replace("surface=rosenbrock&start=-1.5,2", `surface=${name}`));
          let a = performance.now();
          p.drawBackground(bg, 1);
          first.push(performance.now() - a);
          a = performance.now();
          p.drawBackground(bg, 1);
          again.push(performance.now() - a);
          p.free();
        }
        background[name] = { first: med(first), cached: med(again) };
      }
      return { frame, background };
    },
    { text: RACE, trail: TRAIL, reps: 20, surfaces: ["rosenbrock", "beale", "neuron", "sparse"] },
  );
}

// ---------------------------------------------------------------- traced measures

/**
 * After an input, wait this long before first asking the page whether it drew (ms; the ask
 * is a task on its main thread): longer than the page's 250 ms debounce of its URL update,
 * so an input's deferred work lands in its own window.
 */
const SETTLE = 500;
/** After a traced load's wasm has arrived, wait this long before first asking whether the page drew (ms). */
const LOAD_TAIL = 1500;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** startTime of the page's last `gradscape:drawn` mark (the page keeps one), -1 before any; tags its own task (`bench:`). */
const lastDrawn = (page) =>
  page.evaluate(() => {
    performance.mark("bench:poll");
    performance.clearMarks("bench:poll");
    return performance.getEntriesByName("gradscape:drawn").at(-1)?.startTime ?? -1;
  });

/** Wait, at least `first` ms, until the page has drawn a frame after `before` (a lastDrawn() value). */
async function waitDrawn(page, before, first = SETTLE) {
  await sleep(first);
  for (let waited = 0; (await lastDrawn(page)) <= before; waited += 100) {
    if (waited > 10_000) throw new Error("no drawn frame within 10 s");
    await sleep(100);
  }
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Mean ms per frame of each kind over `frames` (each with `kinds`). */
function meanKinds(frames) {
  return Object.fromEntries(KIND_NAMES.map((k) => [k, r2(mean(frames.map((f) => f.kinds[k] ?? 0)))]));
}

/** Mean whole frame, cpu and work over `frames`. */
function means(frames) {
  return Object.fromEntries(["whole", "cpu", "work"].map((k) => [k, r2(mean(frames.map((f) => f[k])))]));
}

/** The painter worker's frames (paintedFrames in trace.mjs): wall, cpu and its own work. */
function painterSummary(painted) {
  return { frames: painted.length, whole: stats(painted.map((p) => p.whole)), cpu: stats(painted.map((p) => p.cpu)), work: stats(painted.map((p) => p.work)) };
}

/** Whole frames (and their cpu, work, frame task) of `frames`, and over the last 10. */
function frameSummary(frames) {
  const pick = (fs, key) => stats(fs.map((f) => f[key]));
  return {
    frames: frames.length,
    whole: pick(frames, "whole"),
    wholeLast10: pick(frames.slice(-10), "whole"),
    cpu: pick(frames, "cpu"),
    cpuLast10: pick(frames.slice(-10), "cpu"),
    work: pick(frames, "work"),
    frameTask: pick(frames, "frameTask"),
    mean: means(frames),
    meanKinds: meanKinds(frames),
    wholeBelowWork: frames.filter((f) => f.whole < f.work).length,
    /** The slowest tenth of the frames (their p95 lies among them): whole frame and kinds. */
    slowest: [...frames]
      .sort((a, b) => b.whole - a.whole)
      .slice(0, Math.ceil(frames.length / 10))
      .map((f) => ({ whole: r2(f.whole), kinds: Object.fromEntries(Object.entries(f.kinds).map(([k, v]) => [k, r2(v)])) })),
  };
}

/**
 * Trace one played run on `page`: press Play, poll (tagged, every 500 ms) until `until(arg)`
 * holds in the page, Pause if it still plays; returns the frames drawn in between.
 */
async function tracePlay(browser, page, until, arg, saveTo = null) {
  const trace = await startTrace(browser);
  await page.click("#play");
  await page.waitForFunction(until, arg, { polling: 500, timeout: 300_000 });
  if ((await page.getAttribute("#play", "aria-pressed")) === "true") await page.click("#play");
  await nextFrames(page, 3);
  const { events, text, dataLoss } = await trace.stop();
  if (saveTo) await writeFile(saveTo, text);
  const main = drawingThread(events);
  const frames = playedFrames(readThread(events, main));
  const painter = painterThread(events, main.pid);
  const painted = painter && frames.length ? paintedFrames(painter, frames[0].start, frames.at(-1).end) : [];
  return { frames, painted, dataLoss };
}

/** Predicates for tracePlay (they run in the page and tag their task). */
function runStopped() {
  performance.mark("bench:poll");
  performance.clearMarks("bench:poll");
  return document.getElementById("play").getAttribute("aria-pressed") === "false";
}
function stepReached(step) {
  performance.mark("bench:poll");
  performance.clearMarks("bench:poll");
  return Number(/step (\d+)/.exec(document.getElementById("counter").textContent)?.[1]) >= step;
}

export async function measureTracedPlay(browser, url) {
  const def = await newPage(browser, url, LOAD_VIEWPORT, { observe: false });
  const counter = { before: await def.page.textContent("#counter") };
  const whole = await tracePlay(browser, def.page, runStopped, null);
  counter.after = await def.page.textContent("#counter");
  if (def.errors.length) throw new Error(`page errors: ${def.errors.join("; ")}`);
  await def.context.close();

  const race = await openRace(browser, url, { observe: false });
  const speed = Number(/\d+/.exec(await race.page.textContent("#speed-out"))?.[0]) || 1;
  // A few frames past FRAMES: the Pause click's own checks run in the frames just before it.
  const played = await tracePlay(browser, race.page, stepReached, TRAIL + (FRAMES + 4) * speed, TRACE_SAMPLE);
  await race.context.close();
  return {
    default: { counter, dataLoss: whole.dataLoss, ...frameSummary(whole.frames), painter: painterSummary(whole.painted) },
    race: { speed, dataLoss: played.dataLoss, ...frameSummary(played.frames.slice(0, FRAMES)), painter: painterSummary(played.painted.filter((p) => p.end <= (played.frames[FRAMES - 1] ?? played.frames.at(-1)).end)) },
  };
}

/**
 * Trace `n` inputs: for each, a clock-sync marker, `press(i)` (a CDP Input call), a wait for
 * the frame that shows it, then `release(i)`. Returns the readings of DOM event `type`.
 */
async function traceInputs(browser, page, n, type, press, release = async () => {}) {
  const trace = await startTrace(browser);
  for (let i = 0; i < n; i++) {
    const before = await lastDrawn(page);
    await trace.mark(`bench-input-${i}`);
    await press(i);
    await waitDrawn(page, before);
    await release(i);
  }
  const { events, dataLoss } = await trace.stop();
  const main = drawingThread(events);
  return { readings: inputReadings(events, readThread(events, main), "bench-input-", type, painterThread(events, main.pid)), dataLoss };
}

function inputSummary({ readings, dataLoss }) {
  const ok = readings.filter(Boolean);
  const pick = (key) => stats(ok.map((r) => r[key]).filter((x) => x !== null));
  return {
    samples: readings.length,
    read: ok.length,
    dataLoss,
    whole: pick("whole"),
    latency: pick("latency"),
    drawn: pick("drawn"),
    busy: pick("busy"),
    painted: pick("painted"),
    painterWhole: pick("painterWhole"),
    painterWork: pick("painterWork"),
    cpu: pick("cpu"),
    work: pick("work"),
    mean: means(ok),
    meanKinds: meanKinds(ok),
    wholeBelowWork: ok.filter((r) => r.whole < r.work).length,
    /** Each reading's whole frame and its kinds, in input order. */
    each: ok.map((r) => ({ whole: r2(r.whole), kinds: Object.fromEntries(Object.entries(r.kinds).map(([k, v]) => [k, r2(v)])) })),
  };
}

const KEYS = { ArrowLeft: 37, ArrowUp: 38, ArrowRight: 39, ArrowDown: 40 };
const key = (cdp, type, k) => cdp.send("Input.dispatchKeyEvent", { type, key: k, code: k, windowsVirtualKeyCode: KEYS[k], nativeVirtualKeyCode: KEYS[k] });
/** A CDP mouse event at `p`; `held`: the left button is down during (or, for mouseReleased, until) it. */
const mouse = (cdp, type, p, held) =>
  cdp.send("Input.dispatchMouseEvent", {
    type,
    x: p.x,
    y: p.y,
    button: held ? "left" : "none",
    buttons: held && type !== "mouseReleased" ? 1 : 0,
    clickCount: type === "mouseMoved" ? 0 : 1,
  });

/** Drag, α slider and surface select on the race with its controls, through CDP input. */
export async function measureTracedInputs(browser, url) {
  const o = await openRace(browser, url, { text: RACE_CONTROLS, observe: false });
  const { page } = o;
  const cdp = await o.context.newCDPSession(page);
  const res = { layout: o.fit };

  // Drag (first: the page is still scrolled to the top, the contour in view).
  const box = await page.locator("#overlay").boundingBox();
  const at = (i) => ({ x: box.x + 60 + ((i * 37) % 400) + 0.5, y: box.y + 20 + ((i * 53) % 400) + 0.5 });
  const before = await lastDrawn(page);
  await mouse(cdp, "mouseMoved", at(0), false);
  await mouse(cdp, "mousePressed", at(0), true);
  await waitDrawn(page, before);
  res.drag = inputSummary(await traceInputs(browser, page, SAMPLES, "pointermove", (i) => mouse(cdp, "mouseMoved", at(i + 1), true)));
  await mouse(cdp, "mouseReleased", at(SAMPLES), true);
  // Off the contour, so no hover redraw meets the key inputs.
  await mouse(cdp, "mouseMoved", { x: 2, y: 2 }, false);
  await nextFrames(page, 3);

  // α slider: focused (this scrolls it into view), one arrow key per sample, right and left in turn.
  await page.focus(SLIDER);
  await nextFrames(page, 3);
  const arrow = (i) => (i % 2 ? "ArrowLeft" : "ArrowRight");
  res.slider = inputSummary(
    await traceInputs(browser, page, SAMPLES, "keydown", (i) => key(cdp, "rawKeyDown", arrow(i)), (i) => key(cdp, "keyUp", arrow(i))),
  );

  // Surface select: walk the contour surfaces (SURFACES, in the select's order) back and forth.
  await page.focus("#surface");
  await nextFrames(page, 3);
  const options = await page.$$eval("#surface option", (os) => os.map((x) => x.value));
  if (SURFACES.some((name, i) => options[i] !== name)) throw new Error(`the surface select's first options are not ${SURFACES.join(", ")}`);
  let index = options.indexOf(await page.inputValue("#surface"));
  let dir = 1;
  const moves = [];
  for (let i = 0; i < SAMPLES + 1; i++) {
    if (index + dir < 0 || index + dir >= SURFACES.length) dir = -dir;
    index += dir;
    moves.push({ key: dir > 0 ? "ArrowDown" : "ArrowUp", surface: SURFACES[index] });
  }
  const switches = await traceInputs(browser, page, SAMPLES + 1, "keydown", (i) => key(cdp, "rawKeyDown", moves[i].key), (i) => key(cdp, "keyUp", moves[i].key));
  // The first switch also sizes scratch canvases: left out, as in `surface` above.
  res.surface = { ...inputSummary({ readings: switches.readings.slice(1), dataLoss: switches.dataLoss }), shown: await page.inputValue("#surface"), expected: moves.at(-1).surface };
  if (o.errors.length) throw new Error(`page errors: ${o.errors.join("; ")}`);
  await o.context.close();
  return res;
}

/** A fresh context per sample, traced from before the navigation to just after the first figure is drawn. */
export async function measureTracedLoad(browser, url) {
  const warm = await newPage(browser, url, LOAD_VIEWPORT, { observe: false });
  await warm.context.close();
  const readings = [];
  let dataLoss = false;
  for (let i = 0; i < SAMPLES; i++) {
    const context = await browser.newContext({ viewport: LOAD_VIEWPORT });
    const page = await context.newPage();
    const errors = watchErrors(page);
    const trace = await startTrace(browser);
    const wasm = page.waitForEvent("requestfinished", { predicate: (r) => r.url().endsWith(".wasm"), timeout: 30_000 });
    await page.goto(url);
    await wasm;
    await waitDrawn(page, -1, LOAD_TAIL);
    await sleep(200); // the compositor's draw of that frame
    const t = await trace.stop();
    dataLoss ||= t.dataLoss;
    if (errors.length) throw new Error(`errors while loading: ${errors.join("; ")}`);
    readings.push(loadReading(t.events, url));
    await context.close();
  }
  const ok = readings.filter(Boolean);
  const pick = (key) => stats(ok.map((r) => r[key]).filter((x) => x !== null));
  const keys = Object.keys(ok[0]).filter((k) => typeof ok[0][k] === "number" || ok[0][k] === null);
  return {
    samples: readings.length,
    read: ok.length,
    dataLoss,
    figureCommitted: pick("figureCommitted"),
    figureDrawn: pick("figureDrawn"),
    figurePainted: pick("figurePainted"),
    domContentLoaded: pick("domContentLoaded"),
    breakdownMedianMs: Object.fromEntries(keys.map((k) => [k, r2(pick(k).median)])),
    firstFrameTask: {
      whole: stats(ok.map((r) => r.firstFrameTask.whole)),
      cpu: stats(ok.map((r) => r.firstFrameTask.cpu)),
      meanKinds: meanKinds(ok.map((r) => r.firstFrameTask)),
    },
  };
}

// ---------------------------------------------------------------- sizes

function gz9(file) {
  try {
    return Number(execFileSync("sh", ["-c", `gzip -9 -c "$1" | wc -c`, "sh", file]).toString().trim());
  } catch {
    return null;
  }
}

async function sizes() {
  // What the page loads: app.js (the page, its painter worker and the glue in one file) and
  // the wasm. dist/pkg/gradscape.js, the glue alone for scripts, is not loaded by the page.
  const js = [join(DIST, "app.js")];
  const wasm = join(DIST, "pkg", "gradscape_bg.wasm");
  const one = async (f) => {
    const raw = await readFile(f);
    return { file: relative(ROOT, f), bytes: raw.length, gzip9: gz9(f) ?? gzipSync(raw, { level: 9 }).length };
  };
  const wasmSize = await one(wasm);
  const jsSizes = await Promise.all(js.map(one));
  const jsGzip = jsSizes.reduce((s, f) => s + f.gzip9, 0);
  return { wasm: wasmSize, js: jsSizes, jsGzip9: jsGzip, totalGzip9: wasmSize.gzip9 + jsGzip };
}

// ---------------------------------------------------------------- report

const BUDGETS = {
  frameMedian: 3,
  frameP95: 6,
  interaction: 8,
  surface: 40,
  load: 300,
  sizeKB: 150,
};

/** Whole-frame budgets of the frame-cost issue, [median, p95] ms (docs/PERFORMANCE.md). */
const WHOLE = { playing: [2, 4], race: [6, 10], drag: [8, 14], slider: [5, 10] };

function verdict(value, budget) {
  return value <= budget ? "met" : "MISSED";
}

function table(res) {
  const rows = [];
  // A budget is a median, or [median, p95] (the whole-frame budgets: both must hold).
  const row = (what, s, budget, key = "median") =>
    rows.push([
      what,
      r2(s.median).toFixed(2),
      r2(s.p95).toFixed(2),
      Array.isArray(budget) ? budget.join(" / ") : budget ?? "",
      budget === undefined ? "" : Array.isArray(budget) ? verdict(Math.max(s.median / budget[0], s.p95 / budget[1]), 1) : verdict(key === "p95" ? s.p95 : s.median, budget),
    ]);
  row("load: navigation → first drawn frame (ms)", res.load.firstDrawn, BUDGETS.load);
  row("load: navigation → body[data-ready=1] (ms)", res.load.ready);
  row("load: first frame's work (ms)", res.load.firstFrameWork);
  row("frame, 8 optimizers playing: work (ms)", res.frame.work, BUDGETS.frameMedian);
  rows.push(["  same, p95 against its budget", "", r2(res.frame.work.p95).toFixed(2), BUDGETS.frameP95, verdict(res.frame.work.p95, BUDGETS.frameP95)]);
  row("surface switch 600×600: work (ms)", res.surface.work, BUDGETS.surface);
  row("surface switch: latency to next drawn frame (ms)", res.surface.latency);
  row("drag 8×1000: work (ms)", res.drag.work, BUDGETS.interaction);
  row("drag: latency to next drawn frame (ms)", res.drag.latency);
  row("α slider 8×1000: work (ms)", res.slider.work, BUDGETS.interaction);
  row("α slider: latency to next drawn frame (ms)", res.slider.latency);
  const kb = (b) => (b / 1024).toFixed(1);
  rows.push(["gzip -9: wasm (KB)", kb(res.sizes.wasm.gzip9), "", "", ""]);
  rows.push(["gzip -9: JS (KB)", kb(res.sizes.jsGzip9), "", "", ""]);
  rows.push(["gzip -9: wasm + JS (KB)", kb(res.sizes.totalGzip9), "", BUDGETS.sizeKB, verdict(res.sizes.totalGzip9 / 1024, BUDGETS.sizeKB)]);
  const t = res.traced;
  row("traced: load: navigation → first figure (the surface) committed (ms)", t.load.figureCommitted);
  row("traced: load: navigation → first figure (the surface) drawn (ms)", t.load.figureDrawn, BUDGETS.load);
  row("traced: load: navigation → the runs' markers painted by the worker (ms)", t.load.figurePainted);
  row("traced: load: navigation → DOMContentLoaded (ms)", t.load.domContentLoaded);
  const play = (name, p, budget) => {
    row(`traced: playing, ${name}, ${p.frames} frames: whole frame (ms)`, p.whole, budget);
    row(`traced: playing, ${name}, last 10 frames: whole frame (ms)`, p.wholeLast10, budget === WHOLE.race ? budget : undefined);
    row(`traced: playing, ${name}: painter frame, worker wall (${p.painter.frames} frames, ms)`, p.painter.whole);
    row(`traced: playing, ${name}: painter frame, its own work (ms)`, p.painter.work);
  };
  play("default page", t.play.default, WHOLE.playing);
  play("8 optimizers from 5,000 steps", t.play.race, WHOLE.race);
  for (const [name, r, budget] of [["drag", t.inputs.drag, WHOLE.drag], ["α slider", t.inputs.slider, WHOLE.slider], ["surface switch", t.inputs.surface]]) {
    row(`traced: ${name}: whole frame (ms)`, r.whole, budget);
    row(`traced: ${name}: input → frame committed (ms)`, r.latency);
    row(`traced: ${name}: input → frame drawn (ms)`, r.drawn);
    row(`traced: ${name}: main-thread busy, input → committed (ms)`, r.busy);
    row(`traced: ${name}: input → painted by the worker (ms)`, r.painted);
    row(`traced: ${name}: painter frame, worker wall (ms)`, r.painterWhole);
  }
  const head = ["what", "median", "p95", "budget", "verdict"];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join("  ");
  return [line(head), w.map((n) => "-".repeat(n)).join("  "), ...rows.map(line)].join("\n");
}

/** What the traced frames spent their time on, the load's steps, and the check whole ≥ work. */
function printTraced(t) {
  const kinds = (k) => Object.entries(k).map(([name, v]) => `${name} ${v}`).join(", ");
  const per = (name, s) => console.log(`  ${name}: whole ${s.mean.whole} = ${kinds(s.meanKinds)} (cpu ${s.mean.cpu}; work ${s.mean.work})`);
  console.log("traced frames, mean ms per frame: whole frame (main-thread wall time) by kind:");
  per(`playing, default page (${t.play.default.frames} frames)`, t.play.default);
  per(`playing, race (${t.play.race.frames} frames)`, t.play.race);
  per(`drag (${t.inputs.drag.read} of ${t.inputs.drag.samples})`, t.inputs.drag);
  per(`α slider (${t.inputs.slider.read} of ${t.inputs.slider.samples})`, t.inputs.slider);
  per(`surface switch (${t.inputs.surface.read} of ${t.inputs.surface.samples})`, t.inputs.surface);
  const l = t.load;
  const f = l.firstFrameTask;
  console.log(
    `traced load (${l.read} of ${l.samples}), median ms after navigationStart: ` +
      Object.entries(l.breakdownMedianMs).map(([k, v]) => `${k} ${v}`).join(", ") +
      `\n  first figure's frame task: whole ${r2(f.whole.median)} (cpu ${r2(f.cpu.median)}), mean by kind: ${kinds(f.meanKinds)}`,
  );
  const frames = [t.play.default, t.play.race, t.inputs.drag, t.inputs.slider, t.inputs.surface];
  const below = frames.reduce((n, s) => n + s.wholeBelowWork, 0);
  const total = frames.reduce((n, s) => n + (s.frames ?? s.read), 0);
  const lost = [l, t.play.default, t.play.race, t.inputs.drag, t.inputs.slider, t.inputs.surface].some((s) => s.dataLoss);
  console.log(`check: whole frame < work in ${below} of ${total} traced frames${lost ? "; THE TRACE BUFFER OVERFLOWED (events lost)" : ""}`);
}

async function main() {
  const started = new Date().toISOString();
  const loadBefore = loadavg();
  const server = await startServer({ dir: DIST });
  const browser = await launchBrowser();
  const res = { started, samples: SAMPLES, frames: FRAMES };
  try {
    res.environment = {
      chromium: browser.version(),
      node: process.version,
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      memoryGiB: r2(totalmem() / 2 ** 30),
      loadavgBefore: loadBefore.map(r2),
      dist: DIST,
    };
    console.error("page-bench: cold loads …");
    res.load = await measureLoad(browser, server.url);
    console.error("page-bench: frames while playing …");
    const race = await openRace(browser, server.url);
    res.layout = race.fit;
    res.frame = await measureFrames(race.page);
    res.breakdownMedianMs = await measureBreakdown(race.page);
    if (process.env.PROFILE) res.frameProfile = await profileFrames(race.page);
    console.error("page-bench: surface switches …");
    res.surface = await measureSurfaces(race.page);
    await race.context.close();
    // A fresh race page for the start-point drag and the slider (both recompute 8 × 1,000).
    console.error("page-bench: drag and slider …");
    const race2 = await openRace(browser, server.url);
    res.drag = await measureDrag(race2.page);
    res.slider = await measureSlider(race2.page);
    if (race2.errors.length) throw new Error(`page errors: ${race2.errors.join("; ")}`);
    await race2.context.close();
    console.error("page-bench: traced loads …");
    res.traced = { categories: CATEGORIES, load: await measureTracedLoad(browser, server.url) };
    console.error("page-bench: traced playing …");
    res.traced.play = await measureTracedPlay(browser, server.url);
    console.error("page-bench: traced inputs …");
    res.traced.inputs = await measureTracedInputs(browser, server.url);
    res.sizes = await sizes();
    res.environment.loadavgAfter = loadavg().map(r2);
  } finally {
    await browser.close();
    await server.stop();
  }
  res.budgets = BUDGETS;
  console.log(table(res));
  if (res.frameProfile) {
    console.log(`profile of ${res.frameProfile.frames} playing frames, self time (ms per frame):`);
    for (const f of res.frameProfile.top) console.log(`  ${r2(f.msPerFrame).toFixed(2).padStart(6)}  ${f.name.slice(0, 110)}`);
  }
  const b = res.breakdownMedianMs;
  console.log(
    `frame interval while playing: median ${r2(res.frame.interval.median)} ms; calls of a playing frame (median ms): ` +
      Object.entries(b.frame).map(([k, v]) => `${k} ${r2(v)}`).join(", "),
  );
  console.log(
    "background at 600×600, first draw / redraw from the cached field (median ms): " +
      Object.entries(b.background).map(([k, v]) => `${k} ${r2(v.first)} / ${r2(v.cached)}`).join(", "),
  );
  printTraced(res.traced);
  const fit = (l) => `${l.box.width}×${l.box.height} CSS px (canvas ${l.canvas.join("×")}) at viewport ${l.viewport.width}×${l.viewport.height}`;
  console.log(`contour: ${fit(res.layout)}; traced inputs' page (controls shown): ${fit(res.traced.inputs.layout)}; served ${res.environment.dist}`);
  console.log(`load average before ${res.environment.loadavgBefore.join(" ")}, after ${res.environment.loadavgAfter.join(" ")}; ${res.environment.chromium}`);
  await mkdir(ARTIFACTS, { recursive: true });
  const out = join(ARTIFACTS, "page-bench.json");
  await writeFile(out, JSON.stringify(res, null, 2) + "\n");
  console.log(`wrote ${out.slice(ROOT.length + 1)}`);
}

// Run as a script (other scripts may import the measures above).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
