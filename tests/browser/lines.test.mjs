// A key for every line: legends on the contour, the charts and the exports; each optimizer keeps
// its colour through duplicates and removals; names the user gives travel in links.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { openPage, screenshot, servedBrowser, waitReady } from "./harness.mjs";

/** Okabe–Ito, in the playground's order: the colours of lines 0–7 (8–15 repeat them). */
const OKABE_ITO = ["#e69f00", "#56b4e9", "#009e73", "#cc79a7", "#d55e00", "#0072b2", "#f0e442", "#000000"];
const rgb = (hex) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(", ")})`;

async function frames(page, n = 3) {
  for (let i = 0; i < n; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
}

/** Names and colours of a legend's entries, and of the status list's. */
async function keys(page) {
  await frames(page);
  const legend = (sel) =>
    page.$$eval(`${sel} li`, (lis) =>
      lis.map((li) => ({ name: li.lastElementChild.textContent, colour: getComputedStyle(li.firstElementChild).borderTopColor, dashed: getComputedStyle(li.firstElementChild).borderTopStyle === "dashed" })),
    );
  const status = await page.$$eval("#status li", (lis) =>
    lis.map((li) => ({ name: li.querySelector(".who").textContent, colour: getComputedStyle(li.querySelector(".swatch")).backgroundColor })),
  );
  return { contour: await legend("#contour-legend"), loss: await legend("#loss-figure .legend"), status };
}

describe("a key for every line", () => {
  const env = servedBrowser();

  it("keeps each optimizer's colour through a duplicate and a removal, and names travel in links", async () => {
    const a = await openPage(env.browser, `${env.server.url}?v=1&surface=bowl&opt=gd:lr=0.1&opt=momentum:lr=0.1&opt=adam:lr=0.1`);
    await a.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.server.url });
    await waitReady(a.page);
    let k = await keys(a.page);
    assert.deepEqual(k.contour.map((e) => e.name), ["GD", "Momentum", "Adam"]);
    assert.deepEqual(k.contour.map((e) => e.colour), OKABE_ITO.slice(0, 3).map(rgb));
    assert.deepEqual(k.loss, k.contour, "the loss chart's legend is the contour's");
    assert.deepEqual(k.status.map((e) => e.colour), k.contour.map((e) => e.colour), "the key's swatches are the legend's colours");

    // Removing GD leaves Momentum and Adam their colours.
    await a.page.click('button[aria-label="Remove optimizer 1"]');
    k = await keys(a.page);
    assert.deepEqual(k.contour.map((e) => [e.name, e.colour]), [["Momentum", rgb(OKABE_ITO[1])], ["Adam", rgb(OKABE_ITO[2])]]);

    // A copy of Momentum takes the lowest free colour (GD's, now free); the others keep theirs.
    await a.page.click('button[aria-label="Copy optimizer 1"]');
    k = await keys(a.page);
    assert.deepEqual(k.contour.map((e) => [e.name, e.colour]), [["Momentum #1", rgb(OKABE_ITO[1])], ["Momentum #2", rgb(OKABE_ITO[0])], ["Adam", rgb(OKABE_ITO[2])]]);
    // The two identical runs stand on one point: the key says the later one is hidden.
    await a.page.click("#step-btn");
    await frames(a.page);
    assert.match(await a.page.textContent("#status li:nth-child(2)"), /on Momentum #1's point/);

    // A name set in its card replaces "Momentum #2" everywhere and goes into the link.
    await a.page.fill("#opt-1-name", "heavy ball, 2nd");
    await a.page.press("#opt-1-name", "Enter");
    k = await keys(a.page);
    assert.deepEqual(k.contour.map((e) => e.name), ["Momentum", "heavy ball, 2nd", "Adam"]);
    assert.deepEqual(k.status.map((e) => e.name), k.contour.map((e) => e.name));
    await a.page.click("#copy-link");
    const link = await a.page.evaluate(() => navigator.clipboard.readText());
    assert.match(link, /name=heavy%20ball%252C%202nd/);

    // The receiver sees the same names and the same colours.
    const b = await openPage(env.browser, link);
    await waitReady(b.page);
    const kb = await keys(b.page);
    assert.deepEqual(kb.contour, k.contour);
    assert.deepEqual(kb.status, k.status);
    await screenshot(b.page, "lines-legend");

    // A PNG export carries the legend: the picture is taller than the view by the key's rows.
    await b.page.click("#export-menu summary");
    const [dl] = await Promise.all([b.page.waitForEvent("download"), b.page.click('[data-export="loss"]')]);
    const png = readFileSync(await dl.path());
    const height = png.readUInt32BE(20);
    const view = await b.page.$eval("#loss", (c) => c.getBoundingClientRect().height * devicePixelRatio);
    assert.ok(height > view + 15, `export ${height} px tall, the chart ${view} px`);
    // So do the SVGs, drawn by the exporter module the page loads for them: the names as text,
    // the paths as vector lines.
    for (const kind of ["contour", "loss"]) {
      await b.page.click("#export-menu summary");
      const [svg] = await Promise.all([b.page.waitForEvent("download"), b.page.click(`[data-export="${kind}-svg"]`)]);
      assert.equal(svg.suggestedFilename(), `gradscape-${kind}.svg`);
      const text = readFileSync(await svg.path(), "utf8").replace(/>\s+/g, ">").replace(/\s+</g, "<");
      assert.match(text, /^<svg[^>]*width="\d+"/);
      for (const name of ["Momentum", "heavy ball, 2nd", "Adam"]) assert.ok(text.includes(`>${name}</text>`), `${kind} SVG names ${name}`);
      assert.ok((text.match(/<polyline/g) ?? []).length >= 3, `${kind} SVG has its lines as polylines`);
    }
    assert.equal(await b.page.isVisible("#notice"), false, "no notice after the exports");
    await a.context.close();
    await b.context.close();
  });

  it("tells the second eight lines apart: same palette, dashed in the legends", async () => {
    const opts = Array.from({ length: 10 }, (_, i) => `opt=gd:lr=${(0.01 * (i + 1)).toFixed(2)}`).join("&");
    const o = await openPage(env.browser, `${env.server.url}?v=1&surface=bowl&${opts}`);
    await waitReady(o.page);
    const k = await keys(o.page);
    assert.equal(k.contour.length, 10);
    assert.deepEqual(k.contour.map((e) => e.dashed), [...Array(8).fill(false), true, true]);
    assert.equal(k.contour[8].colour, rgb(OKABE_ITO[0]));
    assert.equal(new Set(k.contour.map((e) => e.name)).size, 10, `names differ: ${k.contour.map((e) => e.name)}`);
    assert.equal(k.contour[0].name, "GD α=0.01");
    await o.context.close();
  });
});
