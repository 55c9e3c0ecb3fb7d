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
  "stability-bound": {},
  "momentum-overshoots": {},
  "nesterov-looks-ahead": {},
  "sgd-zigzag": {},
  "noise-escapes-saddle": { t: 300, saddle: [0] },
  "noise-escapes-local-minimum": { t: 800 },
  "learning-rate-schedules": {},
  "adagrad-sparse": { eff: true },
  "rmsprop-keeps-going": { eff: true },
  "adam-bias-correction": {},
  "cliff-explodes": { log: false },
  "saddle-vanishing-gradient": {},
  "hessian-test": { t: 1000, saddle: [0, 1] },
  "rosenbrock-race": {},
  "beale-race": {},
  "saddle-race": {},
  "deep-linear-nonconvex": {},
  "svm-examples-seen": { axis: "examples" },
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
      if (need.saddle) assert.ok(seen.states.every((s) => !/converged/.test(s.text)), `${name}: no run parked on the saddle is called converged`);
    }
    assert.deepEqual(o.pageErrors, []);
    await o.context.close();
  });
});
