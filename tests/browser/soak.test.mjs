// A soak test: seeded random clicks, drags, keys and control changes (good and absurd
// values) for a bounded time. The page must never throw, and memory must level off.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openPage, screenshot, servedBrowser, waitReady } from "./harness.mjs";

const SECONDS = Number(process.env.SOAK_SECONDS || 20);

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALUES = ["0.01", "0.5", "1e-4", "3", "abc", "-1", "0", "1e300", "NaN", "inf", "", "0.9", "2", "1,2", "x&y=z"];

describe("soak", () => {
  const env = servedBrowser();

  it(`survives ${SECONDS} s of random use with bounded memory`, { timeout: (SECONDS + 60) * 1000 }, async () => {
    const o = await openPage(env.browser, env.server.url, { viewport: { width: 1300, height: 900 } });
    await waitReady(o.page);
    const cdp = await o.context.newCDPSession(o.page);
    const memory = async () => {
      await cdp.send("HeapProfiler.collectGarbage");
      const js = await o.page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
      const wasm = await o.page.evaluate(() => window.gradscapeMemory());
      return { js, wasm };
    };
    const rand = rng(20261122);
    const pick = (xs) => xs[Math.floor(rand() * xs.length)];
    const surfaces = await o.page.$$eval("#surface option", (os) => os.map((x) => x.value));
    const presets = await o.page.$$eval("#preset option", (os) => os.map((x) => x.value).filter(Boolean));
    const box = await o.page.locator("#overlay").boundingBox();
    const actions = [
      async () => o.page.click("#play"),
      async () => o.page.click("#step-btn"),
      async () => o.page.click("#reset"),
      async () => o.page.keyboard.press(pick([" ", "ArrowRight", "r"])),
      async () => {
        const x = box.x + box.width * (0.1 + 0.8 * rand());
        const y = box.y + box.height * (0.1 + 0.8 * rand());
        await o.page.mouse.move(x, y);
        await o.page.mouse.down();
        await o.page.mouse.move(x + 40 * (rand() - 0.5), y + 40 * (rand() - 0.5), { steps: 4 });
        await o.page.mouse.up();
      },
      async () => o.page.selectOption("#surface", pick(surfaces)),
      async () => o.page.selectOption("#preset", pick(presets)),
      async () => {
        const inputs = await o.page.$$("#optimizers input:not([type]), #optimizers input[inputmode], #surface-params input, #key-seed, #key-steps");
        if (!inputs.length) return;
        const input = pick(inputs);
        if (!(await input.isVisible())) return;
        await input.fill(pick(VALUES));
        await input.press("Enter");
      },
      async () => o.page.click(pick(["#loss-log", "#arrows", "#lr-effective"])),
      async () => o.page.selectOption("#loss-axis", pick(["step", "epoch", "examples"])),
      async () => o.page.click(pick(["#zoom-in", "#zoom-out", "#zoom-reset"])),
      async () => {
        const n = await o.page.$$eval("#optimizers > li", (l) => l.length);
        if (n < 8 && rand() < 0.6) await o.page.click("#add-opt");
        else if (n > 1) await o.page.click(`#optimizers > li:nth-child(${1 + Math.floor(rand() * n)}) button[aria-label^="Remove"]`);
      },
      async () => {
        const s = await o.page.$("#speed");
        await s.evaluate((el, v) => {
          el.value = String(v);
          el.dispatchEvent(new Event("input"));
        }, Math.floor(rand() * 10));
      },
      async () => o.page.mouse.move(box.x + box.width * rand(), box.y + box.height * rand()),
    ];
    const samples = [];
    const t0 = Date.now();
    let n = 0;
    o.page.setDefaultTimeout(1500);
    let skipped = 0;
    while (Date.now() - t0 < SECONDS * 1000) {
      try {
        await pick(actions)();
      } catch (e) {
        // A random action may target a control that is disabled or hidden right now.
        if (e.name !== "TimeoutError") throw e;
        skipped++;
      }
      await o.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
      n++;
      if (n % 50 === 0) samples.push(await memory());
      if (o.pageErrors.length) break;
    }
    samples.push(await memory());
    await screenshot(o.page, "soak-end");
    assert.deepEqual(o.pageErrors, [], `page errors after ${n} actions`);
    assert.deepEqual(o.consoleErrors, [], `console errors after ${n} actions`);
    assert.ok(n > 50, `only ${n} actions ran`);
    // Memory levels off: the second half adds little to the first half's peak.
    const half = samples.slice(0, Math.max(1, Math.floor(samples.length / 2)));
    const peakJs = Math.max(...half.map((s) => s.js));
    const last = samples[samples.length - 1];
    assert.ok(last.js < peakJs * 1.5 + 8e6, `JS heap ${last.js} after a first-half peak of ${peakJs}`);
    assert.ok(last.wasm <= 96 * 2 ** 20, `wasm memory ${last.wasm} bytes`);
    console.log(`soak: ${n} actions (${skipped} skipped), JS heap ${(last.js / 1e6).toFixed(1)} MB, wasm ${(last.wasm / 1e6).toFixed(1)} MB`);
    await o.context.close();
  });
});
