// Your own data on the data-set surfaces, as a person uses it: a CSV pasted (a bad one is
// explained at its line and column and kept to fix), dropped or opened; the rows travel in the
// link and survive a reload; the page's runs on them equal the CLI's; a shipped real data set
// with its source; a data set too large for a link goes through a scenario file instead.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cliPath, openPage, screenshot, servedBrowser, waitReady } from "./harness.mjs";

const ROWS = "x,y\n1,2\n2,3\n3,5\n4,4.5\n";

async function useCsv(page, text) {
  if (!(await page.isVisible("#data-csv"))) await page.click("#data-own summary");
  await page.fill("#data-csv", text);
  await page.click("#data-use");
}

async function exported(page, selector) {
  await page.click("#export-menu summary");
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), "utf8") };
}

describe("your own data", () => {
  const env = servedBrowser();

  it("a pasted CSV: a bad one is explained where it was typed, a good one is used and travels in the link", async () => {
    const o = await openPage(env.browser, `${env.server.url}?surface=linreg&opt=gd:lr=0.05`, { viewport: { width: 1280, height: 800 } });
    try {
      await waitReady(o.page);
      assert.equal(await o.page.isVisible("#data-box"), true, "a data-set surface offers its data");
      assert.equal(await o.page.inputValue("#data-source"), "");
      await useCsv(o.page, "x,y\n1,2\n2,oops\n");
      const error = o.page.locator("#data-csv-error");
      await error.waitFor();
      assert.match(await error.textContent(), /line 3, column 2: `oops` is not a number/);
      assert.equal(await o.page.getAttribute("#data-csv", "aria-invalid"), "true");
      assert.equal(await o.page.inputValue("#data-csv"), "x,y\n1,2\n2,oops\n", "the text stays to be fixed");
      assert.doesNotMatch(o.page.url(), /data=/, "nothing was applied");
      await useCsv(o.page, "x,y\n1,2\n2,3,4\n");
      await o.page.waitForFunction(() => /line 3: 3 columns; this surface takes 2 \(x, y\)/.test(document.getElementById("data-csv-error")?.textContent ?? ""));
      await useCsv(o.page, ROWS);
      await o.page.waitForFunction(() => document.getElementById("data-help").textContent.startsWith("4 rows of your own"));
      assert.equal(await o.page.locator("#data-csv-error").count(), 0, "the error went with the fix");
      assert.equal(await o.page.inputValue("#data-source"), "own");
      // The generated examples' count and seed do not apply to these rows.
      assert.equal(await o.page.locator("#surface-n").count(), 0);
      assert.equal(await o.page.locator("#surface-data_seed").count(), 0);
      await o.page.waitForFunction(() => decodeURIComponent(location.search).includes("data=1,2;2,3;3,5;4,4.5"));
      await screenshot(o.page, "data-own-rows");
      // The page's runs on the rows are the CLI's, bit for bit.
      await o.page.click("#step-btn");
      await o.page.click("#step-btn");
      const csv = (await exported(o.page, "[data-export=csv]")).text;
      const exe = cliPath();
      if (exe) {
        const file = join(tmpdir(), `gradscape-rows-${process.pid}.csv`);
        writeFileSync(file, ROWS);
        const text = decodeURIComponent(new URL(o.page.url()).search.slice(1));
        assert.equal(csv, execFileSync(exe, ["run", "--steps", "2", "--data", file, text.replace(/&data=[^&]*/, "")], { encoding: "utf8" }));
      }
      // A reload (the address) keeps the rows.
      await o.page.reload();
      await waitReady(o.page);
      assert.match(await o.page.textContent("#data-help"), /^4 rows of your own/);
      // Back to the generated examples.
      await o.page.selectOption("#data-source", "");
      await o.page.waitForFunction(() => document.getElementById("data-help").textContent.startsWith("Seeded synthetic"));
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.context.close();
    }
  });

  it("a CSV file opened or dropped on the data box is used", async () => {
    const o = await openPage(env.browser, `${env.server.url}?surface=svm`, { viewport: { width: 1280, height: 800 } });
    try {
      await waitReady(o.page);
      await o.page.click("#data-own summary");
      await o.page.setInputFiles("#data-file", { name: "points.csv", mimeType: "text/csv", buffer: Buffer.from("x1,x2,class\n0,0,0\n1,1,1\n2,0,2\n") });
      await o.page.waitForFunction(() => document.getElementById("data-help").textContent.startsWith("3 rows of your own"));
      // Dropped: a DataTransfer holding a file, as a drag from the desktop gives.
      await o.page.evaluate(() => {
        const dt = new DataTransfer();
        dt.items.add(new File(["x1,x2,class\n0,0,0\n1,1,1\n2,0,2\n3,3,1\n"], "more.csv", { type: "text/csv" }));
        const box = document.getElementById("data-box");
        box.dispatchEvent(new DragEvent("dragover", { dataTransfer: dt, bubbles: true, cancelable: true }));
        box.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
      });
      await o.page.waitForFunction(() => document.getElementById("data-help").textContent.startsWith("4 rows of your own"));
      // A class outside 0..2 is refused at its line.
      await o.page.setInputFiles("#data-file", { name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from("0,0,0\n1,1,7\n") });
      await o.page.waitForFunction(() => /line 2, column 3: class `7` is not one of 0, 1, 2/.test(document.getElementById("data-csv-error")?.textContent ?? ""));
      assert.match(await o.page.textContent("#data-help"), /^4 rows of your own/, "the rows in use stay");
      // Save these rows: the rows in use, as CSV with its header.
      const [dl] = await Promise.all([o.page.waitForEvent("download"), o.page.click("#data-save")]);
      assert.equal(readFileSync(await dl.path(), "utf8"), "x1,x2,class\n0,0,0\n1,1,1\n2,0,2\n3,3,1\n");
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.context.close();
    }
  });

  it("the Iris preset shows the real flowers with their source", async () => {
    const o = await openPage(env.browser, `${env.server.url}?preset=iris-svm&t=600`, { viewport: { width: 1280, height: 800 } });
    try {
      await waitReady(o.page);
      assert.equal(await o.page.inputValue("#data-source"), "iris");
      assert.match(await o.page.textContent("#data-help"), /^150 rows: petal length and width .* Fisher \(1936\)/);
      assert.match(await o.page.textContent("#lesson"), /irises/);
      const saved = await exported(o.page, "[data-export=csv]");
      assert.match(saved.text.split("\n")[1], /^0,0,/, "trajectories export as ever");
      await o.page.waitForFunction(() => window.gradscapePainted());
      await screenshot(o.page, "data-iris");
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.context.close();
    }
  });

  it("rows too many for a link: the page says so and a scenario file carries them", async () => {
    const o = await openPage(env.browser, `${env.server.url}?surface=linreg`, { viewport: { width: 1280, height: 800 } });
    const rows = ["x,y", ...Array.from({ length: 2000 }, (_, i) => `${(i / 7).toFixed(6)},${((i * 13) % 101) / 3}`)].join("\n");
    try {
      await waitReady(o.page);
      await useCsv(o.page, rows);
      await o.page.waitForFunction(() => document.getElementById("data-help").textContent.startsWith("2000 rows of your own"));
      await o.page.click("#copy-link");
      await o.page.waitForSelector("#notice:not([hidden])");
      assert.match(await o.page.textContent("#notice"), /characters long with its data; a link carries at most 16,384/);
      assert.match(await o.page.textContent("#notice"), /Scenario file/);
      // The page keeps the whole scenario through a reload all the same.
      await o.page.waitForFunction(() => typeof history.state?.text === "string");
      await o.page.reload();
      await waitReady(o.page);
      assert.match(await o.page.textContent("#data-help"), /^2000 rows of your own/);
      const file = await exported(o.page, "[data-export=scenario]");
      assert.equal(file.name, "gradscape-scenario.json");
      const json = JSON.parse(file.text);
      assert.equal(json.gradscape, 1);
      assert.ok(json.scenario.length > 16384);
      // Opened in a fresh page: the same 2,000 rows.
      const p = await openPage(env.browser, env.server.url, { viewport: { width: 1280, height: 800 } });
      try {
        await waitReady(p.page);
        await p.page.click("#export-menu summary");
        await p.page.setInputFiles("#scenario-file", { name: "s.json", mimeType: "application/json", buffer: Buffer.from(file.text) });
        await p.page.waitForFunction(() => document.getElementById("data-help")?.textContent.startsWith("2000 rows of your own"));
        assert.equal(await p.page.inputValue("#surface"), "linreg");
        // Not a scenario file: said, and nothing changes.
        await p.page.click("#export-menu summary");
        await p.page.setInputFiles("#scenario-file", { name: "notes.json", mimeType: "application/json", buffer: Buffer.from('{"hello": 1}') });
        await p.page.waitForFunction(() => /notes\.json is not a gradscape scenario file/.test(document.getElementById("notice").textContent));
        assert.match(await p.page.textContent("#data-help"), /^2000 rows of your own/);
        assert.deepEqual(p.pageErrors, []);
      } finally {
        await p.context.close();
      }
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.context.close();
    }
  });
});
