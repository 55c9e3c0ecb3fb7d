// Every preset opens with the page state its note depends on (the loss axis, the toggles) and,
// run to the end (t=), with the status words its note uses. One browser, one page reused.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openPage, servedBrowser, waitReady } from "./harness.mjs";

/** What each note needs on screen; unlisted keys have the page's defaults. */
const DEFAULT = { axis: "step", log: true, eff: false, arrows: false };
const NEEDS = {
  "steep-and-flat": { arrows: true },
  "plateau-crawl": {},
  "stability-bound": { t: 300, diverged: [1], capped: true },
  "momentum-overshoots": {},
  "nesterov-looks-ahead": {},
  "sgd-zigzag": {},
  "noise-escapes-saddle": { t: 300, saddle: [0] },
  "noise-escapes-local-minimum": { t: 800 },
  "learning-rate-schedules": { t: 1000, diverged: [1], capped: true },
  "adagrad-sparse": { eff: true },
  "rmsprop-keeps-going": { eff: true },
  "adam-bias-correction": {},
  "cliff-explodes": { log: false },
  "saddle-vanishing-gradient": {},
  "hessian-test": { t: 1000, saddle: [0, 1] },
  "rosenbrock-race": {},
  "beale-race": { t: 3000, diverged: [1], capped: true },
  "saddle-race": {},
  "deep-linear-nonconvex": {},
  "svm-examples-seen": { axis: "examples" },
  "cars-valley": {},
  "iris-svm": {},
};

describe("presets show their claim", () => {
  const env = servedBrowser();

  it("each preset opens with the axis, toggles and status words its note needs", async () => {
    const o = await openPage(env.browser, env.server.url, { viewport: { width: 1280, height: 800 } });
    await waitReady(o.page);
    const names = await o.page.$$eval("#preset option", (os) => os.map((x) => x.value).filter(Boolean));
    assert.deepEqual([...names].sort(), Object.keys(NEEDS).sort(), "every preset has its expectations here");
    const labels = await o.page.$$eval("#preset option", (os) => os.map((x) => x.textContent));
    for (const l of labels) assert.doesNotMatch(l, /^(Race|Lesson \d+): (Race|Lesson)/, `menu label ${l}`);
    for (const name of names) {
      const need = { ...DEFAULT, ...NEEDS[name] };
      await o.page.goto(`${env.server.url}?preset=${name}${need.t ? `&t=${need.t}` : ""}`);
      await waitReady(o.page);
      const seen = await o.page.evaluate(() => ({
        axis: document.getElementById("loss-axis").value,
        log: document.getElementById("loss-log").checked,
        eff: document.getElementById("lr-effective").checked,
        arrows: document.getElementById("arrows").checked,
        states: [...document.querySelectorAll("#status li")].map((li) => ({ text: li.children[2].textContent, cls: li.children[2].className })),
      }));
      for (const k of ["axis", "log", "eff", "arrows"]) assert.equal(seen[k], need[k], `${name}: ${k}`);
      for (const i of need.saddle ?? []) {
        const s = seen.states[i];
        assert.match(s.text, /^stopped at a saddle point at step \d+/, `${name} run ${i}: ${s.text}`);
        assert.equal(s.cls, "state-saddle", `${name} run ${i} is not shown as a success`);
      }
      for (const i of need.diverged ?? []) {
        assert.match(seen.states[i].text, /^diverged at step \d+/, `${name} run ${i}: ${seen.states[i].text}`);
        assert.equal(seen.states[i].cls, "state-diverged", `${name} run ${i}`);
      }
      if (need.capped) {
        // A diverged run does not stretch the loss axis: it ends at most 10× above where
        // every run started, read from the chart's hover at both ends.
        const at = async (fraction) => {
          const box = await o.page.locator("#loss").boundingBox();
          await o.page.mouse.move(box.x + 60 + fraction * (box.width - 74), box.y + box.height / 2);
          const tip = o.page.locator("#loss-figure .chart-tip");
          await tip.waitFor({ state: "visible" });
          const rows = await tip.locator("li").allTextContents();
          await o.page.mouse.move(0, 0);
          await tip.waitFor({ state: "hidden" });
          return rows.map((r) => Number(r.slice(r.lastIndexOf(": ") + 2).split(" ")[0]));
        };
        await o.page.locator("#loss").scrollIntoViewIfNeeded();
        const [start, end] = [await at(0), await at(1)];
        for (const i of need.diverged) {
          assert.ok(Number.isFinite(end[i]) && end[i] <= 10.01 * Math.max(...start), `${name}: the diverged run's last value ${end[i]} vs start ${start}`);
        }
      }
      if (need.saddle) assert.ok(seen.states.every((s) => !/converged/.test(s.text)), `${name}: no run parked on the saddle is called converged`);
    }
    assert.deepEqual(o.pageErrors, []);
    await o.context.close();
  });
});
