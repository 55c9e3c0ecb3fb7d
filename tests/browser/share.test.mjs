// Scenarios people share: links replay a run exactly (and match the CLI bit for bit), bad
// links open with a notice, the embed mode works in a cross-origin iframe, exports download.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT, cliPath, openPage, screenshot, servedBrowser, startServer, waitReady } from "./harness.mjs";

async function frames(page, n = 3) {
  for (let i = 0; i < n; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
}

async function download(page, selector) {
  await page.click("#export-menu summary");
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
}

/** The native CLI (built by `cargo test`), for comparing the page's numbers with it. */
function cli(...args) {
  const exe = cliPath();
  if (!exe) return null;
  return execFileSync(exe, args, { encoding: "utf8", maxBuffer: 64 << 20 });
}

describe("share links, presets, embedding and export", () => {
  const env = servedBrowser();

  it("a preset's copied link replays the same state and the same first 50 updates", async () => {
    const a = await openPage(env.browser, env.server.url);
    await a.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.server.url });
    await waitReady(a.page);
    const names = await a.page.$$eval("#preset option", (os) => os.map((o) => o.value).filter(Boolean));
    assert.ok(names.length >= 14, `${names.length} presets`);
    // Lessons and the other presets in their own groups, each under its own title.
    const groups = await a.page.$$eval("#preset optgroup", (gs) => gs.map((g) => ({ label: g.label, options: [...g.children].map((o) => o.textContent) })));
    assert.deepEqual(groups.map((g) => g.label), ["Lessons", "Races and more"]);
    assert.ok(groups[0].options.every((t) => /^\d+\. /.test(t)), `lessons numbered: ${groups[0].options}`);
    assert.ok(groups[1].options.length > 0 && groups[1].options.every((t) => !/^(Race: |\d+\. )/.test(t)), `others by title: ${groups[1].options}`);
    // Esc closes the export menu and gives the focus back to its button.
    await a.page.click("#export-menu summary");
    assert.equal(await a.page.$eval("#export-menu", (d) => d.open), true);
    await a.page.keyboard.press("Escape");
    assert.equal(await a.page.$eval("#export-menu", (d) => d.open), false, "Esc closed the menu");
    assert.equal(await a.page.evaluate(() => document.activeElement?.matches("#export-menu summary")), true, "focus back on the menu's button");
    const links = await a.page.$$eval("#gallery-list a", (as) => as.map((x) => x.getAttribute("href")));
    assert.deepEqual(links, names.map((n) => `?preset=${n}`), "each preset has a link of its own");
    await a.page.goto(`${env.server.url}?preset=${names[0]}`);
    await waitReady(a.page);
    assert.equal(await a.page.inputValue("#preset"), names[0]);
    assert.ok((await a.page.textContent("#preset-explain")).length > 40, "the preset explains itself");
    await a.page.click("#copy-link");
    const link = await a.page.evaluate(() => navigator.clipboard.readText());
    // The lesson's name first (its note travels), then the full scenario (the run does not depend on the preset's text).
    assert.match(link, new RegExp(`^http://127\\.0\\.0\\.1:\\d+/\\?v=1&preset=${names[0]}&surface=`));
    assert.doesNotMatch(link, /[?&]t=/, "at step 0 the link has no moment");
    await a.page.focus("#overlay");
    for (let i = 0; i < 50; i++) await a.page.keyboard.press("ArrowRight");
    await frames(a.page);
    const csvA = (await download(a.page, "[data-export=csv]")).bytes.toString();
    // A link to this moment: the receiver opens at step 50 with the lesson's note, and sees the same run.
    await a.page.click("#copy-link");
    const moment = await a.page.evaluate(() => navigator.clipboard.readText());
    assert.match(moment, /&t=50(&|$)/, moment);
    const c = await openPage(env.browser, moment);
    await waitReady(c.page);
    await frames(c.page);
    assert.match(await c.page.textContent("#counter"), /^step 50 \//);
    assert.equal(await c.page.isVisible("#preset-explain"), true, "the lesson's note came with the link");
    assert.equal(await c.page.textContent("#preset-explain"), await a.page.textContent("#preset-explain"));
    assert.equal((await download(c.page, "[data-export=csv]")).bytes.toString(), csvA, "the same 50 updates at the moment linked");
    assert.doesNotMatch(await c.page.evaluate(() => location.search), /[?&]t=/, "the moment is not kept in the address bar");
    await c.context.close();

    const b = await openPage(env.browser, link);
    await waitReady(b.page);
    assert.equal(await b.page.evaluate(() => location.search), new URL(link).search, "same state");
    assert.equal(await b.page.isHidden("#notice"), true, "a good link shows no notice");
    await b.page.focus("#overlay");
    for (let i = 0; i < 50; i++) await b.page.keyboard.press("ArrowRight");
    await frames(b.page);
    const csvB = (await download(b.page, "[data-export=csv]")).bytes.toString();
    assert.equal(csvB, csvA, "the same 50 updates, bit for bit");
    const rows = csvA.trim().split("\n");
    assert.equal(rows[0].split(",").slice(0, 5).join(","), "opt,step,loss,lr,grad_norm");
    assert.ok(rows.length > 50);
    // The native CLI gives the very same numbers for the same text.
    const native = cli("run", "--steps", "50", decodeURIComponent(new URL(link).search.slice(1)));
    if (native !== null) assert.equal(native, csvA, "wasm and native agree bit for bit");
    for (const o of [a, b]) {
      assert.deepEqual(o.pageErrors, []);
      assert.deepEqual(o.consoleErrors, []);
      await o.context.close();
    }
  });

  // Every transcendental function the engine uses (sin cos tan exp ln log tanh sigmoid,
  // non-integer powers; the decay schedules; Gaussian noise; a data-set loss): the page's
  // WebAssembly and the native CLI must print the same CSV, byte for byte.
  const MATH_SCENARIOS = [
    "v=1&surface=custom:f=sin(x)*cos(y) %2B tan(x/4) %2B exp(-(x^2%2By^2)/4) %2B ln(1%2Bx^2) %2B log(2%2By^2) %2B tanh(x*y) %2B sigmoid(x-y) %2B sqrt(1%2Bx^2%2By^2) %2B abs(x)^1.5" +
      "&start=1.3,-0.7&steps=300&opt=gd:lr=0.05,schedule=exp,k=0.01&opt=adam:lr=0.05,schedule=step,every=7,factor=0.7" +
      "&opt=momentum:lr=0.02,noise=0.3&opt=rmsprop:lr=0.01,schedule=inv,k=0.05&opt=nesterov:lr=0.01&opt=adagrad:lr=0.3",
    "v=1&surface=neuron&steps=300&opt=gd:lr=1,batch=1&opt=adam:lr=0.05&opt=momentum:lr=0.5,noise=0.1",
    "v=1&surface=linreg&steps=300&opt=gd:lr=0.05,batch=1&opt=adam:lr=0.05,batch=4",
    "v=1&surface=rosenbrock&steps=300&opt=adam:lr=0.05,schedule=exp,k=0.003&opt=gd:lr=0.001,schedule=step,on_increase=true,factor=0.5",
  ];

  it("the page's numbers equal the native CLI's for every math function", async () => {
    assert.ok(cli("list") !== null, "the native CLI is built (cargo build, or cargo test as make test runs)");
    const o = await openPage(env.browser, env.server.url);
    await waitReady(o.page);
    for (const text of MATH_SCENARIOS) {
      const page = await o.page.evaluate(async (text) => {
        const m = await import("./pkg/gradscape.js");
        await m.default();
        const pg = new m.Playground(text);
        pg.step(1e9);
        return pg.exportCsv();
      }, decodeURIComponent(text));
      const native = cli("run", decodeURIComponent(text));
      assert.ok(page.split("\n").length > 300, "a full run");
      assert.equal(page, native, `wasm and native agree bit for bit on ${text.slice(0, 60)}…`);
    }
    assert.deepEqual(o.pageErrors, []);
    await o.context.close();
  });

  const BAD_LINKS = [
    ["opt=gd:lr=abc", /lr.*not a number/],
    ["surface=nope&opt=adam", /surface.*unknown surface/],
    ["seed=-1", /seed.*whole number/],
    ["steps=1e99", /steps/],
    ["opt=adam:rho1=2&colour=red", /rho1.*\[0, 1\)[\s\S]*colour.*unknown key/],
    ["start=NaN,1", /start.*finite/],
    ["v=9", /unsupported version/],
    ["opt=gd%ZZ", /malformed %-escape/],
    ["preset=..%2F..%2Fetc", /unknown preset/],
    ["opt=gd:lr=1e300", /lr.*\(0, 10000\]/],
    [`title=${"x".repeat(20000)}`, /at most 16384/],
  ];

  it("bad links open with a notice naming what was wrong, and the page works", async () => {
    const o = await openPage(env.browser, env.server.url);
    await waitReady(o.page);
    for (const [query, expected] of BAD_LINKS) {
      await o.page.goto(`${env.server.url}?${query}`);
      await waitReady(o.page);
      await frames(o.page);
      assert.equal(await o.page.isVisible("#notice"), true, `${query.slice(0, 40)}: notice shown`);
      assert.match(await o.page.textContent("#notice"), expected, query.slice(0, 40));
      await o.page.click("#step-btn");
      await frames(o.page);
      assert.match(await o.page.textContent("#counter"), /step 1 /, `${query.slice(0, 40)}: still steps`);
    }
    await screenshot(o.page, "share-bad-link");
    assert.deepEqual(o.pageErrors, []);
    assert.deepEqual(o.consoleErrors, []);
    await o.context.close();
  });

  it("a title with script stays text and nothing runs", async () => {
    const o = await openPage(env.browser, `${env.server.url}?title=${encodeURIComponent("<img src=x onerror=alert(1)><script>alert(2)</script>")}`);
    let dialogs = 0;
    o.page.on("dialog", async (d) => {
      dialogs++;
      await d.dismiss();
    });
    await waitReady(o.page);
    await frames(o.page);
    assert.equal(await o.page.textContent("#scenario-title"), "<img src=x onerror=alert(1)><script>alert(2)</script>");
    assert.equal(await o.page.locator("#scenario-title img, #scenario-title script").count(), 0);
    assert.equal(dialogs, 0);
    await o.context.close();
  });

  it("embeds in a cross-origin iframe, shows only the chosen views and fits", async () => {
    // The course page lives on another origin (another port) and only holds the iframe.
    const src = `${env.server.url}?surface=rosenbrock&opt=adam:lr=0.05&embed=1&show=contour,transport,status`;
    const html =
      `<!doctype html><link rel="icon" href="data:,"><body style="margin:20px;font-family:sans-serif"><p>A course page.</p>` +
      `<iframe id="f" src="${src}" width="520" height="620" style="border:1px solid #ccc"></iframe></body>`;
    const dir = await mkdtemp(join(tmpdir(), "gradscape-course-"));
    await writeFile(join(dir, "index.html"), html);
    const parent = await startServer({ dir });
    const o = await openPage(env.browser, parent.url, { viewport: { width: 900, height: 700 } });
    assert.notEqual(new URL(parent.url).origin, new URL(env.server.url).origin, "cross-origin");
    const frame = await (await o.page.waitForSelector("#f")).contentFrame();
    await frame.waitForSelector("body[data-ready='1']");
    await frame.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const fit = await frame.evaluate(() => {
      const vis = (id) => {
        const e = document.getElementById(id);
        const r = e.getBoundingClientRect();
        return !e.closest(".hide") && r.width > 0 && r.height > 0;
      };
      const c = document.getElementById("overlay").getBoundingClientRect();
      return {
        scroll: document.documentElement.scrollWidth,
        width: window.innerWidth,
        scrollH: document.documentElement.scrollHeight,
        height: window.innerHeight,
        contour: vis("overlay"),
        contourRight: c.right,
        loss: vis("loss"),
        controls: vis("controls"),
        // The header is not seen (its actions not displayed, the bar clipped to nothing); its h1 stays for screen readers.
        header: getComputedStyle(document.querySelector(".bar-actions")).display === "none" && document.querySelector(".bar").getBoundingClientRect().height <= 1 ? "none" : "shown",
        full: document.getElementById("full-link").getAttribute("href"),
        fullShown: !document.getElementById("full-link").hidden,
      };
    });
    assert.ok(fit.scroll <= fit.width, `iframe content ${fit.scroll}px in ${fit.width}px`);
    assert.ok(fit.scrollH <= fit.height + 1, `iframe content ${fit.scrollH}px tall in ${fit.height}px`);
    assert.ok(fit.contour && fit.contourRight <= fit.width, "contour visible and inside the frame");
    assert.equal(fit.loss, false, "loss chart hidden");
    assert.equal(fit.controls, false, "controls hidden");
    assert.equal(fit.header, "none", "no header in embed mode");
    assert.ok(fit.fullShown && fit.full.startsWith("./?v=1&surface=rosenbrock") && !fit.full.includes("embed"), fit.full);
    await frame.click("#play");
    await frame.waitForFunction(() => /step [1-9]/.test(document.getElementById("counter").textContent));
    await screenshot(o.page, "share-embed");
    assert.deepEqual(o.pageErrors, []);
    assert.deepEqual(o.consoleErrors, []);
    await o.context.close();
    await parent.stop();
  });

  it("fits a 520×420 course frame: the contour takes most of it, nothing scrolls, the note folds", async () => {
    const src = `${env.server.url}?preset=momentum-overshoots&embed=1&show=contour,transport,status,loss`;
    const dir = await mkdtemp(join(tmpdir(), "gradscape-course-"));
    await writeFile(join(dir, "index.html"), `<!doctype html><link rel="icon" href="data:,"><iframe id="f" src="${src.replace(/&/g, "&amp;")}" width="520" height="420"></iframe>`);
    const parent = await startServer({ dir });
    const o = await openPage(env.browser, parent.url, { viewport: { width: 640, height: 520 } });
    try {
      const frame = await (await o.page.waitForSelector("#f")).contentFrame();
      await frame.waitForSelector("body[data-ready='1']");
      await frame.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const fit = await frame.evaluate(() => {
        const box = (id) => document.getElementById(id).getBoundingClientRect();
        const inside = (r) => r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight + 0.5 && r.right <= innerWidth + 0.5;
        return {
          scrollH: document.documentElement.scrollHeight,
          scrollW: document.documentElement.scrollWidth,
          contour: box("contour-wrap").width,
          seen: ["contour-wrap", "play", "status", "loss", "full-link", "lesson"].filter((id) => !inside(box(id))),
          open: document.getElementById("lesson").open,
          title: document.getElementById("scenario-title").textContent,
        };
      });
      assert.ok(fit.scrollH <= 420 && fit.scrollW <= 520, `the frame does not scroll: ${fit.scrollW}×${fit.scrollH}`);
      assert.ok(fit.contour >= 290, `the contour is ${fit.contour} px wide`);
      assert.deepEqual(fit.seen, [], "all in the frame");
      assert.equal(fit.open, false, "the note starts folded");
      assert.match(fit.title, /Momentum/);
      await frame.click("#lesson summary");
      assert.ok((await frame.textContent("#preset-explain")).length > 40, "unfolded, the note explains the lesson");
    } finally {
      await o.context.close();
      await parent.stop();
    }
  });

  it("autoheight: the embed tells its parent page its height, and the parent can size the frame to it", async () => {
    const src = `${env.server.url}?preset=saddle-race&embed=1&autoheight=1&show=contour,transport,status`;
    const dir = await mkdtemp(join(tmpdir(), "gradscape-course-"));
    await writeFile(
      join(dir, "index.html"),
      `<!doctype html><link rel="icon" href="data:,"><iframe id="f" src="${src.replace(/&/g, "&amp;")}" width="480" height="200"></iframe>` +
        `<script>window.heights = []; addEventListener("message", (e) => { if (e.data?.gradscape === 1 && e.data.type === "height") { heights.push(e.data.height); document.getElementById("f").height = e.data.height; } });</script>`,
    );
    const parent = await startServer({ dir });
    const o = await openPage(env.browser, parent.url, { viewport: { width: 600, height: 900 } });
    try {
      const frame = await (await o.page.waitForSelector("#f")).contentFrame();
      await frame.waitForSelector("body[data-ready='1']");
      await o.page.waitForFunction(() => window.heights.length > 0);
      await o.page.waitForTimeout(300);
      const told = await o.page.evaluate(() => window.heights.at(-1));
      const content = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
      assert.ok(told > 300, `told ${told} px`);
      assert.ok(Math.abs(told - content) <= 1, `told ${told} px, the page is ${content} px`);
      assert.equal(await frame.evaluate(() => document.documentElement.scrollHeight <= innerHeight + 1), true, "sized to it, the frame does not scroll");
    } finally {
      await o.context.close();
      await parent.stop();
    }
  });

  it("works from a sub-path of a course site", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gradscape-site-"));
    await mkdir(join(dir, "courses", "optimization"), { recursive: true });
    await symlink(join(ROOT, "dist"), join(dir, "courses", "optimization", "gradscape"));
    await writeFile(join(dir, "index.html"), "<!doctype html><title>site</title>");
    const site = await startServer({ dir });
    const o = await openPage(env.browser, `${site.url}courses/optimization/gradscape/?preset=saddle-race&embed=1`);
    try {
      await waitReady(o.page);
      await frames(o.page);
      assert.ok(await o.page.isVisible("#overlay"));
      assert.equal(await o.page.getAttribute("#full-link", "href").then((h) => h.startsWith("./?v=1&preset=saddle-race&surface=saddle")), true);
      assert.deepEqual(o.requestErrors, [], "every asset loads relative to the sub-path");
      assert.deepEqual(o.pageErrors, []);
      assert.deepEqual(o.consoleErrors, []);
    } finally {
      await o.context.close();
      await site.stop();
    }
  });

  it("the embed dialog writes an iframe snippet for the current scenario", async () => {
    const o = await openPage(env.browser, `${env.server.url}?surface=saddle&opt=gd`);
    await waitReady(o.page);
    await o.page.click("#open-embed");
    const code = await o.page.inputValue("#embed-code");
    assert.match(code, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?v=1&amp;surface=saddle.*&amp;embed=1&amp;show=contour,transport,status,loss,lr"/);
    assert.match(code, /height="560"/);
    await o.page.keyboard.press("Escape");
    assert.equal(await o.page.isHidden("#embed-dialog"), true);
    await o.context.close();
  });

  it("exports PNG views and CSV/JSON trajectories", async () => {
    const o = await openPage(env.browser, `${env.server.url}?surface=bowl&steps=20&opt=gd&opt=adam`);
    await waitReady(o.page);
    await o.page.click("#play");
    await o.page.waitForFunction(() => /step 20 /.test(document.getElementById("counter").textContent));
    const dims = await o.page.evaluate(() => ["bg", "loss", "lr"].map((id) => [document.getElementById(id).width, document.getElementById(id).height]));
    const dpr = await o.page.evaluate(() => devicePixelRatio);
    // Under each picture its legend: two short names fit one row of 20 CSS px, with 10 px of padding.
    const legend = (scale) => Math.round(30 * dpr * scale);
    for (const scale of [1, 2]) {
      for (const [kind, [w, h]] of [["contour", dims[0]], ["loss", dims[1]], ["lr", dims[2]]]) {
        await o.page.click("#export-menu summary");
        if ((await o.page.isChecked("#export-2x")) !== (scale === 2)) await o.page.click("#export-2x");
        const [dl] = await Promise.all([o.page.waitForEvent("download"), o.page.click(`[data-export=${kind}]`)]);
        const bytes = readFileSync(await dl.path());
        assert.equal(dl.suggestedFilename(), `gradscape-${kind}${scale === 2 ? "@2x" : ""}.png`);
        assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], "PNG signature");
        assert.deepEqual(
          [bytes.readUInt32BE(16), bytes.readUInt32BE(20)],
          [w * scale, h * scale + legend(scale)],
          `${kind} at ${scale}× the screen's resolution, its legend under it`,
        );
      }
    }
    const csv = (await download(o.page, "[data-export=csv]")).bytes.toString();
    const lines = csv.trim().split("\n");
    assert.equal(lines[0], "opt,step,loss,lr,grad_norm,p0,p1");
    assert.equal(lines.length, 1 + 2 * 21);
    const json = JSON.parse((await download(o.page, "[data-export=json]")).bytes.toString());
    assert.equal(json.optimizers.length, 2);
    assert.equal(json.optimizers[1].rule, "adam");
    assert.equal(json.optimizers[0].steps.length, 21);
    assert.equal(json.optimizers[0].steps[20].loss, Number(lines[21].split(",")[2]));
    assert.deepEqual(o.pageErrors, []);
    await o.context.close();
  });
});
