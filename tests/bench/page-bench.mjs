// Page benchmark of the playground in headless Chromium (playwright-core, through the
// browser tests' harness). Not part of `make test`: it prints numbers, it asserts none.
//
//   node tests/bench/page-bench.mjs            (after scripts/build-wasm.sh; `make bench` does both)
//
// Environment: SAMPLES (default 20, at least 20 per measure), FRAMES (default 120 drawn
// frames while playing), PROFILE=1 (after the measured frames, play FRAMES more under
// Chromium's sampling profiler and print where the main thread's time went, by function),
// CHROMIUM and PYTHON as for the browser tests.
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
// Sizes: `gzip -9` of dist/pkg/gradscape_bg.wasm and of the (minified) JavaScript the page loads.
//
// The table goes to stdout, the numbers to test-artifacts/page-bench.json.

import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ARTIFACTS, ROOT, launchBrowser, startServer } from "../browser/harness.mjs";

const SAMPLES = Math.max(20, Number(process.env.SAMPLES) || 20);
const FRAMES = Math.max(20, Number(process.env.FRAMES) || 120);

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

async function newPage(browser, url, viewport) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(INIT);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(url);
  await page.waitForFunction(() => window.__bench.ready && window.__bench.drawn.length > 0, null, { timeout: 30_000 });
  if ((await page.evaluate(() => window.__bench.ready.value)) !== "1") throw new Error(`page not ready: ${url}`);
  return { page, context, errors };
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
  const viewport = { width: 1200, height: 800 };
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

/** The race page at 600×600, stepped to TRAIL updates. */
async function openRace(browser, url) {
  const o = await newPage(browser, url + "?" + RACE, { width: 640, height: 1100 });
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
  // Time the engine's calls inside the page's own frames: wrap the Playground methods (the
  // page's instance uses the module's prototype) and sum them per drawn frame.
  await page.evaluate(async () => {
    const m = await import("./pkg/gradscape.js");
    const acc = (window.__calls = {});
    window.__unwrap = [];
    for (const name of ["step", "isRunning", "drawBackground", "drawOverlay", "drawLoss", "drawLearningRate", "status"]) {
      const orig = m.Playground.prototype[name];
      acc[name] = 0;
      m.Playground.prototype[name] = function (...args) {
        const a = performance.now();
        try {
          return orig.apply(this, args);
        } finally {
          acc[name] += performance.now() - a;
        }
      };
      window.__unwrap.push(() => (m.Playground.prototype[name] = orig));
    }
    window.__bench.drawn.length = 0;
  });
  await page.click("#play");
  await page.waitForFunction((n) => window.__bench.drawn.length >= n + 1, FRAMES, { timeout: 60_000, polling: 100 });
  await page.click("#play");
  const { drawn, calls } = await page.evaluate(() => {
    window.__unwrap.forEach((f) => f());
    return { drawn: window.__bench.drawn.slice(), calls: { ...window.__calls } };
  });
  // The first drawn frame after the click is the one that set the button; count from the next.
  const frames = drawn.slice(1, FRAMES + 1);
  const counter = await page.textContent("#counter");
  const intervals = frames.slice(1).map((f, i) => f.t - frames[i].t);
  const n = drawn.length;
  const callsPerFrame = Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, v / n]));
  const meanWork = drawn.reduce((s, f) => s + f.work, 0) / n;
  return { work: stats(frames.map((f) => f.work)), meanWork, callsMeanPerFrameMs: callsPerFrame, interval: stats(intervals), counter };
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
      const m = await import("./pkg/gradscape.js");
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

// ---------------------------------------------------------------- sizes

function gz9(file) {
  try {
    return Number(execFileSync("sh", ["-c", `gzip -9 -c "$1" | wc -c`, "sh", file]).toString().trim());
  } catch {
    return null;
  }
}

async function sizes() {
  const dist = join(ROOT, "dist");
  const js = [join(dist, "pkg", "gradscape.js"), ...(await readdir(dist)).filter((f) => f.endsWith(".js")).map((f) => join(dist, f))];
  const wasm = join(dist, "pkg", "gradscape_bg.wasm");
  const one = async (f) => {
    const raw = await readFile(f);
    return { file: f.slice(ROOT.length + 1), bytes: raw.length, gzip9: gz9(f) ?? gzipSync(raw, { level: 9 }).length };
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

function verdict(value, budget) {
  return value <= budget ? "met" : "MISSED";
}

function table(res) {
  const rows = [];
  const row = (what, s, budget, key = "median") =>
    rows.push([what, r2(s.median).toFixed(2), r2(s.p95).toFixed(2), budget ?? "", budget === undefined ? "" : verdict(key === "p95" ? s.p95 : s.median, budget)]);
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
  const head = ["what", "median", "p95", "budget", "verdict"];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join("  ");
  return [line(head), w.map((n) => "-".repeat(n)).join("  "), ...rows.map(line)].join("\n");
}

async function main() {
  const started = new Date().toISOString();
  const loadBefore = loadavg();
  const server = await startServer();
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
    res.sizes = await sizes();
    res.environment.loadavgAfter = loadavg().map(r2);
  } finally {
    await browser.close();
    await server.stop();
  }
  res.budgets = BUDGETS;
  console.log(table(res));
  console.log(
    `\nengine calls inside the playing frames (mean ms per frame, frame mean ${r2(res.frame.meanWork)}): ` +
      Object.entries(res.frame.callsMeanPerFrameMs).map(([k, v]) => `${k} ${r2(v)}`).join(", "),
  );
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
  console.log(`contour: ${res.layout.box.width}×${res.layout.box.height} CSS px (canvas ${res.layout.canvas.join("×")}) at viewport ${res.layout.viewport.width}×${res.layout.viewport.height}`);
  console.log(`load average before ${res.environment.loadavgBefore.join(" ")}, after ${res.environment.loadavgAfter.join(" ")}; ${res.environment.chromium}`);
  await mkdir(ARTIFACTS, { recursive: true });
  const out = join(ARTIFACTS, "page-bench.json");
  await writeFile(out, JSON.stringify(res, null, 2) + "\n");
  console.log(`wrote ${out.slice(ROOT.length + 1)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
