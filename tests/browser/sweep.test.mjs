// Sweeps in the page: a phase diagram and a basin map run in workers, one per core; a cell's
// result is the CLI's (`gradscape sweep`) for the same cell; Cancel stops the workers; a
// click loads the cell's setting into the playground.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { cliPath, openPage, servedBrowser, waitReady } from "./harness.mjs";

const SCENARIO = "v=1&surface=ellipse:kappa=10&steps=200&opt=momentum:lr=0.05,gamma=0.5";

async function runSweep(page, cells) {
  await page.selectOption("#sweep-cells", String(cells));
  await page.click("#sweep-run");
  await page.waitForFunction(() => /Click a cell|stopped|failed/.test(document.querySelector("#sweep-status").textContent), null, { timeout: 60000 });
  return page.textContent("#sweep-status");
}

describe("sweeps", () => {
  const env = servedBrowser();

  it("a phase diagram runs in workers, matches the CLI cell for cell, and a click loads a cell", async () => {
    const exe = cliPath();
    assert.ok(exe, "the gradscape CLI is built before the browser tests");
    const a = await openPage(env.browser, `${env.server.url}?${SCENARIO}`);
    await waitReady(a.page);
    await a.page.click("#open-sweep");
    assert.equal(await a.page.isVisible("#sweep-dialog"), true);
    assert.equal(await a.page.inputValue("#sweep-x-key"), "lr");
    assert.equal(await a.page.inputValue("#sweep-y-key"), "gamma");
    for (const [id, v] of [["#sweep-x-lo", "0.001"], ["#sweep-x-hi", "0.5"], ["#sweep-y-lo", "0"], ["#sweep-y-hi", "0.95"]]) await a.page.fill(id, v);
    await a.page.check("#sweep-x-log");
    const status = await runSweep(a.page, 16);
    const workers = await a.page.evaluate(() => Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 16)));
    assert.match(status, new RegExp(`^256 runs in [\\d.]+ s on ${workers} workers`), status);
    // The cell under the pointer: its setting goes into the playground, and its run is the CLI's.
    const box = await a.page.$("#sweep-canvas").then((c) => c.boundingBox());
    await a.page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.45);
    const loaded = await a.page.textContent("#sweep-readout");
    assert.match(loaded, /^Loaded: lr = /, loaded);
    await a.page.waitForFunction(() => !/lr=0\.05,gamma=0\.5(&|,|$)/.test(location.search), null, { timeout: 5000 });
    const opt = new URL(a.page.url()).searchParams.get("opt");
    const lr = Number(/lr=([^,]+)/.exec(opt)[1]), gamma = Number(/gamma=([^,]+)/.exec(opt)[1]);
    const csv = execFileSync(exe, ["sweep", "--x", "lr=0.001..0.5:log:16", "--y", "gamma=0..0.95:16", SCENARIO], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const rows = csv.trim().split("\n").slice(1).map((l) => l.split(","));
    const cell = rows.find((r) => Number(r[0]) === lr && Number(r[1]) === gamma);
    assert.ok(cell, `the loaded setting lr=${lr}, gamma=${gamma} is one of the CLI's cells`);
    const [, , word, steps] = cell;
    const said = { converged: "converged", stopped: "stopped at the step limit", diverged: "diverged", saddle: "stopped on a saddle point", maximum: "stopped on a maximum" }[word];
    assert.ok(loaded.includes(`${said} at step ${steps}`), `page: ${loaded}; CLI: ${word} at step ${steps}`);
    // The picture and the cells save as PNG, SVG and CSV; the CSV is the CLI's, byte for byte.
    for (const [id, name, head] of [["#sweep-png", "gradscape-phase.png", "\x89PNG"], ["#sweep-svg", "gradscape-phase.svg", "<svg"], ["#sweep-csv", "gradscape-phase.csv", "lr,gamma,status,steps,loss,grad_norm"]]) {
      const [dl] = await Promise.all([a.page.waitForEvent("download"), a.page.click(id)]);
      assert.equal(dl.suggestedFilename(), name);
      const text = (await import("node:fs")).readFileSync(await dl.path(), "latin1");
      assert.ok(text.startsWith(head) || (head === "<svg" && text.includes("<svg")), `${name} starts ${JSON.stringify(text.slice(0, 40))}`);
      if (name.endsWith(".csv")) assert.equal(text, csv, "the page's CSV is `gradscape sweep`'s");
    }
    // The playground's optimizer now has that setting in its fields.
    await a.page.click("#sweep-close");
    assert.equal(Number(await a.page.inputValue("#opt-0-lr")), lr);
    await a.context.close();
  });

  it("Cancel stops a sweep part way; a basin map of Himmelblau reaches its four minima", async () => {
    const a = await openPage(env.browser, `${env.server.url}?v=1&surface=himmelblau&steps=3000&gtol=0&opt=gd:lr=0.001`);
    await waitReady(a.page);
    await a.page.click("#open-sweep");
    await a.page.selectOption("#sweep-kind", "basins");
    assert.equal(await a.page.isVisible("#sweep-axes"), false, "basins take no axes");
    await a.page.selectOption("#sweep-cells", "128");
    await a.page.click("#sweep-run");
    await a.page.waitForFunction(() => / of 16,384 runs/.test(document.querySelector("#sweep-status").textContent), null, { timeout: 30000 });
    await a.page.click("#sweep-cancel");
    const cancelled = await a.page.textContent("#sweep-status");
    const m = /^Cancelled after ([\d,]+) runs\.$/.exec(cancelled);
    assert.ok(m, cancelled);
    assert.ok(Number(m[1].replace(/,/g, "")) < 16384, cancelled);
    assert.equal(await a.page.isDisabled("#sweep-cancel"), true);
    // A small map to the end: the four minima are each some start point's end.
    const status = await runSweep(a.page, 16);
    assert.match(status, /^256 runs/);
    const box = await a.page.$("#sweep-canvas").then((c) => c.boundingBox());
    const ends = new Set();
    for (const [fx, fy] of [[0.2, 0.2], [0.8, 0.2], [0.2, 0.8], [0.8, 0.8]]) {
      await a.page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
      const text = await a.page.textContent("#sweep-readout");
      const m2 = /at critical point (\d+)/.exec(text);
      assert.ok(m2, text);
      ends.add(m2[1]);
    }
    assert.equal(ends.size, 4, `four corners, four minima: ${[...ends]}`);
    // Its CSV is `gradscape basins`' for the same grid, byte for byte.
    const exe = cliPath();
    const [dl] = await Promise.all([a.page.waitForEvent("download"), a.page.click("#sweep-csv")]);
    const text = (await import("node:fs")).readFileSync(await dl.path(), "utf8");
    const cli = execFileSync(exe, ["basins", "--grid", "16x16", "v=1&surface=himmelblau&steps=3000&gtol=0&opt=gd:lr=0.001"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    assert.equal(text, cli, "the page's basin CSV is the CLI's");
    // The map over the contour: a layer under the paths, coloured where the plot is.
    await a.page.check("#sweep-overlay");
    await a.page.click("#sweep-close");
    await a.page.waitForFunction(() => !document.querySelector("#basins-layer").hidden);
    const painted = await a.page.evaluate(() => {
      const c = document.querySelector("#basins-layer");
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n / (c.width * c.height);
    });
    assert.ok(painted > 0.3, `the basin map covers the plot: ${painted}`);
    // Another surface: the map is not its basins, so it goes.
    await a.page.selectOption("#surface", "bowl");
    await a.page.waitForFunction(() => document.querySelector("#basins-layer").hidden);
    await a.context.close();
  });

  it("a sweep travels in its link: sweep= opens and runs it, closing drops it", async () => {
    const spec = "phase,opt=1,x=lr:0.001..0.5:log:16,y=gamma:0..0.95:lin:16,by=loss";
    const a = await openPage(env.browser, `${env.server.url}?${SCENARIO}&sweep=${spec}`);
    await waitReady(a.page);
    await a.page.waitForFunction(() => /^256 runs/.test(document.querySelector("#sweep-status").textContent), null, { timeout: 60000 });
    assert.equal(await a.page.isVisible("#sweep-dialog"), true, "the link opened the sweep");
    assert.equal(await a.page.inputValue("#sweep-measure"), "loss");
    assert.equal(await a.page.inputValue("#sweep-y-key"), "gamma");
    assert.equal(await a.page.inputValue("#sweep-x-hi"), "0.5");
    assert.equal(await a.page.isChecked("#sweep-x-log"), true);
    assert.equal(new URL(a.page.url()).searchParams.get("sweep"), spec, "the address keeps the sweep as written");
    // A new measure goes into the link; closing the sweep takes it out.
    await a.page.selectOption("#sweep-measure", "diverged");
    await a.page.waitForFunction(() => new URL(location.href).searchParams.get("sweep")?.endsWith("by=diverged"), null, { timeout: 5000 });
    await a.page.click("#sweep-close");
    await a.page.waitForFunction(() => !new URL(location.href).searchParams.has("sweep"), null, { timeout: 5000 });
    assert.equal(await a.page.isVisible("#sweep-dialog"), false);
    // A grid of unequal sides runs as the link has it, and the link keeps it.
    const wide = "phase,opt=1,x=lr:0.001..0.5:log:16,y=gamma:0..0.95:lin:8,by=steps";
    const c = await openPage(env.browser, `${env.server.url}?${SCENARIO}&sweep=${wide}`);
    await waitReady(c.page);
    await c.page.waitForFunction(() => /^128 runs/.test(document.querySelector("#sweep-status").textContent), null, { timeout: 60000 });
    assert.equal(await c.page.inputValue("#sweep-cells"), "16x8");
    assert.equal(new URL(c.page.url()).searchParams.get("sweep"), wide, "the link keeps 16 × 8");
    await c.context.close();
    // A bad sweep= opens the page with a notice naming the problem.
    const b = await openPage(env.browser, `${env.server.url}?${SCENARIO}&sweep=spiral,opt=1`);
    await waitReady(b.page);
    const notice = await b.page.textContent("#notice");
    assert.match(notice, /sweep/, notice);
    assert.match(notice, /not phase or basins/, notice);
    await a.context.close();
    await b.context.close();
  });
});

