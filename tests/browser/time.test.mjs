// Control of time: the timeline moves the run to any step (the points, the key, the charts and
// the link together), Step back, slow play, and the charts' read-out of every run at a step.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openPage, servedBrowser, waitReady } from "./harness.mjs";

async function frames(page, n = 3) {
  for (let i = 0; i < n; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
}

/** GD on the bowl L = x² + y² from (x, y): θ ← θ − α·2θ, t times; the loss there. */
function bowlLoss(alpha, [x, y], t) {
  for (let k = 0; k < t; k++) {
    x -= alpha * 2 * x;
    y -= alpha * 2 * y;
  }
  return x * x + y * y;
}

/** The counter's step and each status line's loss. */
async function shown(page) {
  // The key follows a drag once it settles (150 ms; it is not laid out on the drag's frames).
  await page.waitForTimeout(300);
  await frames(page, 2);
  await page.waitForFunction(() => window.gradscapePainted());
  const counter = await page.textContent("#counter");
  const losses = await page.$$eval("#status li", (lis) => lis.map((li) => Number((li.textContent.match(/L = ([^ ]+)/) ?? [])[1])));
  return { step: Number(counter.match(/step (\d+)/)[1]), losses, scrub: Number(await page.inputValue("#scrub")) };
}

const close = (a, b) => Math.abs(a - b) <= 1e-3 * Math.abs(b);
const SCENARIO = "v=1&surface=bowl&start=-4,3&steps=100&gtol=0&opt=gd:lr=0.05&opt=gd:lr=0.02&log=0";

describe("control of time", () => {
  const env = servedBrowser();

  it("the timeline, Step back and ← show any step exactly, and the link carries it", async () => {
    const o = await openPage(env.browser, `${env.server.url}?${SCENARIO}&t=100`);
    await o.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.server.url });
    await waitReady(o.page);
    let s = await shown(o.page);
    assert.equal(s.step, 100);
    assert.equal(s.scrub, 100, "the timeline follows the run");
    assert.equal(await o.page.getAttribute("#scrub", "max"), "100", "the timeline spans the scenario's steps");

    // Drag the timeline back to step 40: the key's numbers are the equation's at step 40.
    await o.page.$eval("#scrub", (e) => {
      e.value = "40";
      e.dispatchEvent(new Event("input", { bubbles: true }));
    });
    s = await shown(o.page);
    assert.equal(s.step, 40);
    for (const [i, alpha] of [0.05, 0.02].entries()) {
      assert.ok(close(s.losses[i], bowlLoss(alpha, [-4, 3], 40)), `run ${i + 1} at step 40: ${s.losses[i]} vs ${bowlLoss(alpha, [-4, 3], 40)}`);
    }
    // The link opens at the step shown.
    await o.page.click("#copy-link");
    assert.match(await o.page.evaluate(() => navigator.clipboard.readText()), /[?&]t=40(&|$)/);

    // One update back, by the button and by ←.
    await o.page.click("#back-btn");
    s = await shown(o.page);
    assert.equal(s.step, 39);
    assert.ok(close(s.losses[0], bowlLoss(0.05, [-4, 3], 39)));
    await o.page.focus("#overlay");
    await o.page.keyboard.press("ArrowLeft");
    await o.page.locator("body").press("ArrowLeft");
    s = await shown(o.page);
    assert.ok(s.step <= 38 && s.step >= 37, `← went back: step ${s.step}`);
    // Forward again from there continues the same run.
    await o.page.click("#step-btn");
    const back = s.step;
    s = await shown(o.page);
    assert.equal(s.step, back + 1);
    assert.ok(close(s.losses[1], bowlLoss(0.02, [-4, 3], back + 1)));
    assert.deepEqual(o.pageErrors, []);
    await o.context.close();
  });

  it("plays as slowly as about one update a second", async () => {
    const o = await openPage(env.browser, `${env.server.url}?${SCENARIO}&speed=0.0167`);
    await waitReady(o.page);
    assert.match(await o.page.textContent("#speed-out"), /^1 \/ s$/);
    await o.page.click("#play");
    await o.page.waitForTimeout(3000);
    await o.page.click("#play");
    const { step } = await shown(o.page);
    // About 3 in 3 s at 60 frames a second; headless frames come more slowly, never faster.
    assert.ok(step >= 1 && step <= 6, `${step} updates in 3 s`);
    assert.deepEqual(o.pageErrors, []);
    await o.context.close();
  });

  it("hovering a chart reads every run's value at the step under the pointer", async () => {
    const o = await openPage(env.browser, `${env.server.url}?${SCENARIO}&t=100`);
    await waitReady(o.page);
    await shown(o.page);
    const box = await o.page.locator("#loss").boundingBox();
    // The plot spans 60 px from the left to 14 px from the right: x of step 50.
    const x = box.x + 60 + (50 / 100) * (box.width - 74);
    await o.page.mouse.move(x, box.y + box.height / 2);
    const tip = o.page.locator("#loss-figure .chart-tip");
    await tip.waitFor({ state: "visible" });
    const text = await tip.textContent();
    const step = Number(text.match(/step (\d+)/)[1]);
    assert.ok(Math.abs(step - 50) <= 1, `cursor at step ${step}`);
    const values = [...text.matchAll(/GD α=0\.0[52]: ([^ ]+?)(?=GD|$)/g)].map((m) => Number(m[1]));
    assert.equal(values.length, 2, text);
    assert.ok(close(values[0], bowlLoss(0.05, [-4, 3], step)), `${values[0]} at step ${step}`);
    assert.ok(close(values[1], bowlLoss(0.02, [-4, 3], step)), `${values[1]} at step ${step}`);
    assert.equal(await o.page.isVisible("#loss-figure .chart-cursor"), true);
    await o.page.mouse.move(box.x - 30, box.y - 30);
    await tip.waitFor({ state: "hidden" });
    await o.context.close();
  });
});
