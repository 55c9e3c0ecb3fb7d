// Sweep benchmark in headless Chromium: the phase diagram of Adam on Rosenbrock, 64 × 64 cells
// × 1,000 steps, from the click on Run to the frame that shows the last cell, with 1 worker
// and with one per core (the dialog open a second first, as a user spends choosing the axes;
// once more with Run at once); and the main thread's frame intervals while it runs. Prints numbers,
// asserts none. Not part of `make test`.
//
//   node tests/bench/sweep-bench.mjs        (after make page; SAMPLES=5 by default, DIST=dist, CELLS=64)

import { launchBrowser, openPage, startServer, waitReady } from "../browser/harness.mjs";
import { readThread, startTrace } from "./trace.mjs";

const SAMPLES = Number(process.env.SAMPLES || 5);
// Cells per side (64 for the budget; CELLS=128: four times the work, the fixed cost the same).
const CELLS = String(process.env.CELLS || 64);
const TEXT = "v=1&surface=rosenbrock&start=-1.5,2&steps=1000&gtol=0&opt=adam:lr=0.05";

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
};

async function sample(browser, url, workers, traced = false, settle = 1000) {
  const { context, page } = await openPage(browser, url);
  if (workers) await page.addInitScript((n) => Object.defineProperty(navigator, "hardwareConcurrency", { get: () => n }), workers);
  await page.reload();
  await waitReady(page);
  await page.click("#open-sweep");
  await page.selectOption("#sweep-opt", "0");
  await page.selectOption("#sweep-x-key", "lr");
  await page.selectOption("#sweep-y-key", "rho1");
  for (const [id, v] of [["#sweep-x-lo", "0.0001"], ["#sweep-x-hi", "1"], ["#sweep-y-lo", "0"], ["#sweep-y-hi", "0.99"]]) await page.fill(id, v);
  await page.check("#sweep-x-log");
  await page.uncheck("#sweep-y-log");
  await page.selectOption("#sweep-cells", CELLS);
  // Warm the export module (its download and compile are not the sweep's).
  await page.evaluate(() => import("./pkg-svg/gradscape_svg.js").then((m) => m.default()));
  // A second with the dialog open, as a user choosing the axes spends: the worker pool starts
  // and warms its kernels when the dialog opens (settle = 0: Run at once, cold workers).
  await page.waitForTimeout(settle);
  const trace = traced ? await startTrace(browser) : null;
  // The tracer, once started, has the engine log its compiled code again: let that pass first.
  if (trace) await page.waitForTimeout(500);
  const result = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const frames = [];
        const long = [];
        new PerformanceObserver((l) => long.push(...l.getEntries().map((e) => e.duration))).observe({ type: "longtask" });
        performance.clearMeasures("gradscape:sweep-draw");
        performance.clearMeasures("gradscape:sweep-cells");
        let last = performance.now();
        let running = true;
        const tick = (t) => {
          frames.push(t - last);
          last = t;
          if (running) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
        const status = document.querySelector("#sweep-status");
        const t0 = performance.now();
        const obs = new MutationObserver(() => {
          if (!status.textContent.includes("Click a cell")) return;
          obs.disconnect();
          requestAnimationFrame(() => {
            running = false;
            const draws = performance.getEntriesByName("gradscape:sweep-draw").map((e) => e.duration);
            const busy = performance.getEntriesByName("gradscape:sweep-cells").reduce((a, e) => a + e.duration, 0);
            resolve({ ms: performance.now() - t0, frames: frames.slice(1), long, draws, busy });
          });
        });
        obs.observe(status, { childList: true, characterData: true, subtree: true });
        document.querySelector("#sweep-run").click();
      }),
  );
  if (trace) {
    // The page's main thread: the one that measured the repaints; its frames while the sweep ran.
    const { events } = await trace.stop();
    const draw = events.find((e) => e.name === "gradscape:sweep-draw");
    const thread = readThread(events, { pid: draw.pid, tid: draw.tid });
    const clicks = thread.slices.filter((s) => s.name === "EventDispatch" && s.args?.data?.type === "click").map((s) => s.ts);
    const draws = events.filter((e) => e.name === "gradscape:sweep-draw" && e.pid === draw.pid).map((e) => e.ts);
    const last = Math.max(...draws);
    result.whole = thread.frames.filter((f) => f.beginStart > clicks[0] && f.end <= last + 50_000).map((f) => f.wall);
  }
  await context.close();
  return result;
}

const server = await startServer({ dir: process.env.DIST || null });
const browser = await launchBrowser();
const url = `${server.url}?${TEXT}`;
const cores = await (async () => {
  const { context, page } = await openPage(browser, url);
  const n = await page.evaluate(() => navigator.hardwareConcurrency);
  await context.close();
  return n;
})();
{
  const ms = [];
  for (let i = 0; i < SAMPLES; i++) ms.push((await sample(browser, url, Math.min(cores, 16), false, 0)).ms);
  console.log(
    `sweep ${CELLS}×${CELLS}×1000, ${Math.min(cores, 16)} workers, Run clicked as soon as the dialog is set (workers not yet warm): click → last cell shown median ${q(ms, 0.5).toFixed(0)} ms (min ${Math.min(...ms).toFixed(0)}, max ${Math.max(...ms).toFixed(0)}, ${SAMPLES} samples)`,
  );
}
for (const workers of [1, Math.min(cores, 16)]) {
  const ms = [], frames = [], long = [], draws = [], busy = [];
  for (let i = 0; i < SAMPLES; i++) {
    const r = await sample(browser, url, workers);
    ms.push(r.ms);
    frames.push(...r.frames);
    long.push(...r.long);
    draws.push(...r.draws);
    busy.push(r.busy);
  }
  console.log(
    `sweep ${CELLS}×${CELLS}×1000 Adam on Rosenbrock, ${workers} worker(s): click → last cell shown median ${q(ms, 0.5).toFixed(0)} ms (min ${Math.min(...ms).toFixed(0)}, max ${Math.max(...ms).toFixed(0)}, ${SAMPLES} samples); main-thread frame interval while it runs median ${q(frames, 0.5).toFixed(1)} / p95 ${q(frames, 0.95).toFixed(1)} ms (${frames.length} frames); repaints of the cells median ${q(draws, 0.5).toFixed(1)} / p95 ${q(draws, 0.95).toFixed(1)} ms (${draws.length}); main-thread tasks over 50 ms: ${long.length}${long.length ? `, longest ${Math.max(...long).toFixed(0)} ms` : ""}; the workers' time in the cells, summed, median ${q(busy, 0.5).toFixed(0)} ms`,
  );
}
// Traced last, in a browser that has run the others (its caches as warm as theirs).
{
  const r = await sample(browser, url, Math.min(cores, 16), true);
  console.log(
    `traced (CDP, one sample, ${Math.min(cores, 16)} workers): the page's main thread per frame while the sweep ran, whole frame (script, style, layout, paint, raster, GC) median ${q(r.whole, 0.5).toFixed(2)} / p95 ${q(r.whole, 0.95).toFixed(2)} / max ${Math.max(...r.whole).toFixed(2)} ms over ${r.whole.length} frames (${r.whole.map((w) => w.toFixed(1)).join(", ")})`,
  );
}
await browser.close();
await server.stop();
process.exit(0);
