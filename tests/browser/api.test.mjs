// The JavaScript API against the page's own runs: the scriptable Optimizer's loss-rise schedule
// decays α on the same updates as a Playground's run; a lazy handle ends where an eager one
// does; and the hover readout names a minimum only where the gradient vanishes.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openPage, servedBrowser, waitReady } from "./harness.mjs";

describe("the JavaScript API", () => {
  const env = servedBrowser();

  it("Optimizer's loss-rise schedule compares L before and after each update, like a run", async () => {
    const o = await openPage(env.browser, env.server.url);
    try {
      await waitReady(o.page);
      const got = await o.page.evaluate(async () => {
        const m = await import("./pkg/gradscape.js");
        await m.default();
        // GD with α = 1.05 on the bowl x² + y²: θ ← (1 − 2α)θ = −1.1θ, so L rises and α halves.
        const spec = "gd:lr=1.05,schedule=step,on_increase=true,factor=0.5";
        const pg = new m.Playground(`surface=bowl&start=1,-2&steps=12&gtol=0&opt=${spec}`);
        pg.step(12);
        const path = Array.from(pg.path(0));
        pg.free();
        const opt = new m.Optimizer(spec, 2);
        const theta = new Float64Array([1, -2]);
        const grad = (p) => ({ grad: [2 * p[0], 2 * p[1]], loss: p[0] * p[0] + p[1] * p[1] });
        const scripted = [1, -2];
        const rates = [];
        for (let t = 0; t < 12; t++) {
          rates.push(opt.learningRate());
          opt.step(theta, grad);
          scripted.push(theta[0], theta[1]);
        }
        let refused = "";
        const before = Array.from(theta);
        try {
          opt.step(theta, (p) => [2 * p[0], 2 * p[1]]);
        } catch (e) {
          refused = e.message;
        }
        const after = Array.from(theta);
        opt.free();
        return { path, scripted, rates, refused, before, after };
      });
      assert.equal(got.path.length, got.scripted.length, "13 points each");
      got.path.forEach((x, i) => assert.ok(Math.abs(x - got.scripted[i]) <= 1e-12 * (1 + Math.abs(x)), `coordinate ${i}: run ${x}, Optimizer ${got.scripted[i]}`));
      assert.equal(got.rates[0], 1.05);
      assert.equal(got.rates[1], 0.525, "the first update raised L: the second uses f·α");
      assert.match(got.refused, /on_increase=true compares L before and after each update: return \{grad, loss\}/);
      assert.deepEqual(got.after, got.before, "a refused step leaves θ alone");
    } finally {
      await o.context.close();
    }
  });

  it("a lazy handle (the page's: it owes updates until a number is read) ends where an eager one does", async () => {
    const o = await openPage(env.browser, env.server.url);
    try {
      await waitReady(o.page);
      const got = await o.page.evaluate(async () => {
        const m = await import("./pkg/gradscape.js");
        await m.default();
        // Noise, mini-batches and a schedule: every source of randomness and step dependence.
        const texts = [
          "surface=rosenbrock&start=-1.5,2&seed=3&steps=4000&gtol=1e-6&opt=gd:lr=0.001,noise=0.3&opt=momentum:lr=0.001,gamma=0.9&opt=adam:lr=0.05,noise=0.1",
          "surface=linreg&seed=5&steps=4000&opt=gd:lr=0.05,batch=1&opt=rmsprop:lr=0.01,batch=4&opt=gd:lr=0.1,schedule=exp,k=0.001",
        ];
        const out = [];
        for (const text of texts) {
          const eager = new m.Playground(text);
          const lazy = new m.Playground(text);
          lazy.setLazy(true);
          const owed = [];
          // The same calls on both: steps in pieces, an edit that recomputes to the step, a new start.
          for (const pg of [eager, lazy]) {
            pg.step(300);
            pg.step(450);
            pg.setParam(0, "lr", "0.002");
            pg.step(250);
            if (pg === lazy) owed.push(pg.currentStep());
            pg.setStart(-1.2, 1.5);
            pg.step(1000);
            if (pg === lazy) owed.push(pg.currentStep());
            pg.step(2500);
          }
          out.push({
            text,
            owed,
            eager: JSON.stringify(eager.status()),
            lazy: JSON.stringify(lazy.status()),
            csv: [eager.exportCsv(), lazy.exportCsv()],
            running: [eager.isRunning(), lazy.isRunning()],
          });
          eager.free();
          lazy.free();
        }
        return out;
      });
      for (const g of got) {
        assert.deepEqual(g.owed, [1000, 1000], `${g.text}: a lazy handle counts the updates it owes in its step`);
        assert.equal(g.lazy, g.eager, `${g.text}: the same status once the owed updates are made`);
        assert.ok(g.csv[0].split("\n").length > 100, `${g.text}: the CSV holds the run`);
        assert.equal(g.csv[1], g.csv[0], `${g.text}: the same CSV export`);
        assert.equal(g.running[1], g.running[0], `${g.text}: running or not alike`);
      }
    } finally {
      await o.context.close();
    }
  });

  it("the hover readout says 'curves up in every direction' away from the bowl's minimum", async () => {
    const o = await openPage(env.browser, `${env.server.url}?surface=bowl&opt=gd`);
    try {
      await waitReady(o.page);
      const box = await o.page.locator("#overlay").boundingBox();
      await o.page.mouse.move(box.x + 0.75 * box.width, box.y + 0.5 * box.height);
      await o.page.waitForFunction(() => document.querySelector("#readout").textContent.includes("Hessian eigenvalues"));
      const text = await o.page.textContent("#readout");
      assert.match(text, /‖∇L‖ = [1-9][0-9.]* · Hessian eigenvalues \(2, 2\): curves up in every direction/);
      assert.doesNotMatch(text, /: minimum/);
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.context.close();
    }
  });
});
