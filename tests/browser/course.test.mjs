// The course kit: a parent page on another origin drives the playground through the embed API
// (every command, every event), messages from other windows and other origins are ignored,
// challenges pass and fail and say so, the tour steps and deep-links, and the playground
// reloads and runs offline after one visit.

import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ROOT, openPage, screenshot, servedBrowser, startServer, waitReady } from "./harness.mjs";

/** The elliptic valley with GD: α = 0.01 ends at loss 3e-3 after 200 steps, α = 0.05 below 1e-3 well within them. */
const CHALLENGE = "surface=ellipse&steps=200&opt=gd:lr=0.01,name=you&goal=loss<1e-3&within=200&lock=surface,start,rule,optimizers,params&embed=1";

/**
 * A parent page on origin `parent` with the playground at `src` in an iframe, the embed helper
 * attached as `window.g`, and every event kept in `window.events`. A second iframe (a sibling
 * on the parent's origin) can post to the playground as a window that is not its parent.
 */
function parentPage(playground, src) {
  return `<!doctype html><link rel="icon" href="data:,">
<iframe id="f" src="${src.replace(/&/g, "&amp;")}" width="700" height="520"></iframe>
<iframe id="sibling" src="sibling.html" width="10" height="10"></iframe>
<script type="module">
  window.events = [];
  addEventListener("message", (e) => { if (e.source === document.getElementById("f").contentWindow) events.push(e.data); });
  const { attach } = await import(${JSON.stringify(playground + "embed.js")});
  window.g = await attach(document.getElementById("f"), { autoheight: true });
  window.attached = true;
</script>`;
}

describe("course kit: embed API, challenges, tour, offline", () => {
  const env = servedBrowser();
  let parent;
  let dir;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "gradscape-parent-"));
    await writeFile(
      join(dir, "sibling.html"),
      `<!doctype html><script>window.poke = (m) => parent.frames[0].postMessage(m, "*");</script>`,
    );
    await writeFile(join(dir, "index.html"), "<!doctype html><title>course</title>");
    parent = await startServer({ dir });
  });
  after(async () => {
    await parent?.stop();
  });

  /** Open the parent page (a second origin) holding the playground at query `query`. */
  async function open(query, name = "course.html") {
    await writeFile(join(dir, name), parentPage(env.server.url, `${env.server.url}?${query}`));
    const o = await openPage(env.browser, parent.url + name, { viewport: { width: 900, height: 900 } });
    const frame = await (await o.page.waitForSelector("#f")).contentFrame();
    await frame.waitForSelector("body[data-ready='1']");
    return { ...o, frame };
  }

  /** Wait until `frame`'s step counter shows step `n`. */
  const atStep = (frame, n) => frame.waitForFunction((n) => document.getElementById("counter").textContent.startsWith(`step ${n} /`), n, { timeout: 10_000 });
  const events = (page, type) => page.evaluate((t) => window.events.filter((e) => e.type === t), type);
  const waitEvent = (page, type, test = "true") =>
    page.waitForFunction(([t, f]) => window.events.some((e) => e.type === t && new Function("e", `return ${f}`)(e)), [type, test], { timeout: 15_000 });

  it("a parent on another origin drives every command and hears every event", async () => {
    assert.notEqual(new URL(parent.url).origin, new URL(env.server.url).origin, "two origins");
    const o = await open(`preset=momentum-overshoots&embed=1&autoheight=1&origin=${encodeURIComponent(new URL(parent.url).origin)}`);
    try {
      await o.page.waitForFunction(() => window.attached === true);
      const ready = (await events(o.page, "ready"))[0];
      assert.match(ready.version, /^\d+\.\d+\.\d+/);
      assert.match(ready.text, /preset=momentum-overshoots/);
      assert.equal(ready.optimizers.length, 2);
      // height: autoheight sizes the parent's iframe.
      await waitEvent(o.page, "height");
      const h = (await events(o.page, "height")).at(-1).height;
      await o.page.waitForFunction((h) => document.getElementById("f").height === String(h), h);
      // step n: paused after, at step n; every command is answered.
      const r = await o.page.evaluate(() => g.step(25));
      assert.equal(r.type, "reply");
      assert.equal(r.step, 25);
      await atStep(o.frame, 25);
      // seek t: back and forward to an exact step.
      await o.page.evaluate(() => g.seek(10));
      await atStep(o.frame, 10);
      // set: one parameter, through the same check as the controls; a refusal is an error.
      await o.page.evaluate(() => g.set("lr", "0.002", 1));
      assert.equal(await o.frame.inputValue("#opt-0-lr"), "0.002");
      const refused = await o.page.evaluate(() => g.set("lr", "-1", 1).then(() => "", (e) => e.message));
      assert.match(refused, /lr.*must be a number in \(0, 10000\]/);
      const bad = await o.page.evaluate(() => g.set("lr", "1", 9).then(() => "", (e) => e.message));
      assert.match(bad, /optimizer must be a whole number in \[1, 2\]/);
      // load: a preset, then scenario text; bad text changes nothing and says why.
      await o.page.evaluate(() => g.load("saddle-race"));
      assert.equal(await o.frame.inputValue("#preset"), "saddle-race");
      assert.equal(await o.frame.evaluate(() => document.body.classList.contains("embed")), true, "still an embed");
      const wrong = await o.page.evaluate(() => g.load({ text: "surface=nowhere" }).then(() => "", (e) => e.message));
      assert.match(wrong, /surface.*nowhere/);
      assert.equal(await o.frame.inputValue("#preset"), "saddle-race", "a refused load leaves the scenario");
      await o.page.evaluate(() => g.load({ text: "surface=bowl&opt=gd:lr=0.1&opt=gd:lr=2.5&steps=400" }));
      assert.equal(await o.frame.evaluate(() => document.body.classList.contains("embed")), true, "text without embed= keeps the frame an embed");
      // play: the runs move, step events come (throttled), one converges and one diverges.
      await o.page.evaluate(() => g.play());
      await waitEvent(o.page, "converged");
      await waitEvent(o.page, "diverged");
      const conv = (await events(o.page, "converged"))[0];
      assert.equal(conv.optimizer, 1);
      assert.ok(conv.step > 0 && conv.loss < 1e-3, JSON.stringify(conv));
      const div = (await events(o.page, "diverged"))[0];
      assert.equal(div.optimizer, 2);
      assert.match(div.status, /diverged at step/);
      const steps = await events(o.page, "step");
      assert.ok(steps.length >= 2, `${steps.length} step events`);
      assert.ok(steps.every((e) => Array.isArray(e.runs) && e.runs.length >= 1), "each step event has the runs' numbers");
      // pause stops the run where it is.
      await o.page.evaluate(() => g.load({ text: "surface=rosenbrock&opt=gd:lr=0.001&steps=100000&speed=50" }));
      await o.page.evaluate(() => g.play());
      await o.page.waitForTimeout(300);
      const r2 = await o.page.evaluate(() => g.pause());
      await o.page.waitForTimeout(300);
      assert.match(await o.frame.textContent("#play-label"), /Play/);
      assert.ok(r2.step > 0, "it had moved");
      const held = await o.frame.textContent("#counter");
      await o.page.waitForTimeout(300);
      assert.equal(await o.frame.textContent("#counter"), held, "paused, it stays");
      // An unknown command is an error naming the commands.
      await o.page.evaluate(() => document.getElementById("f").contentWindow.postMessage({ gradscape: 1, type: "explode", id: 99 }, "*"));
      await waitEvent(o.page, "error", "e.id === 99");
      const err = (await events(o.page, "error")).find((e) => e.id === 99);
      assert.match(err.message, /unknown command "explode"; the commands are hello, load, play, pause, step, seek and set/);
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.context.close();
    }
  });

  it("ignores windows that are not its parent, and parents not allowed by origin=", async () => {
    const o = await open("surface=bowl&opt=gd:lr=0.1&embed=1");
    try {
      await o.page.waitForFunction(() => window.attached === true);
      // A sibling frame (same origin as the parent) is not the parent: nothing happens.
      const sibling = o.page.frames().find((f) => f.url().endsWith("sibling.html"));
      await sibling.evaluate(() => poke({ gradscape: 1, type: "step", n: 7, id: 5 }));
      await o.page.waitForTimeout(500);
      assert.match(await o.frame.textContent("#counter"), /^step 0 \//, "the sibling's step was ignored");
      assert.equal((await events(o.page, "reply")).some((e) => e.id === 5), false);
      // The parent itself is heard.
      await o.page.evaluate(() => g.step(3));
      await atStep(o.frame, 3);
    } finally {
      await o.context.close();
    }
    // origin= names another origin: the real parent is not allowed to drive it.
    const p = await open("surface=bowl&opt=gd:lr=0.1&embed=1&origin=https://course.example.edu", "other.html");
    try {
      await p.page.waitForTimeout(1500);
      assert.equal(await p.page.evaluate(() => window.attached === true), false, "no ready reached this parent");
      await p.page.evaluate(() => document.getElementById("f").contentWindow.postMessage({ gradscape: 1, type: "step", n: 4, id: 1 }, "*"));
      await p.page.waitForTimeout(500);
      assert.match(await p.frame.textContent("#counter"), /^step 0 \//, "commands from a parent of another origin are ignored");
      assert.equal((await events(p.page, "reply")).length + (await events(p.page, "error")).length, 0);
    } finally {
      await p.context.close();
    }
  });

  it("a challenge fails and passes as it should, shows it, and reports it to the parent", async () => {
    const o = await open(CHALLENGE);
    try {
      await o.page.waitForFunction(() => window.attached === true);
      const box = o.frame.locator("#challenge");
      assert.equal(await box.isVisible(), true);
      assert.match(await o.frame.textContent("#challenge-goal"), /loss < 1e-3 within 200 steps/);
      assert.match(await o.frame.getAttribute("#challenge-locks", "title"), /the surface and its parameters; the start point/);
      assert.match(await o.frame.textContent("#challenge-locks"), /^Fixed: surface, start, rule, optimizers, params\.$/);
      // Locked controls are disabled; α is not.
      assert.equal(await o.frame.isDisabled("#surface"), true);
      assert.equal(await o.frame.isDisabled("#opt-0-rule"), true);
      assert.equal(await o.frame.isDisabled("#add-opt"), true);
      assert.equal(await o.frame.isDisabled("#opt-0-lr"), false);
      // The engine refuses a locked edit from the API too, and says what is locked.
      const locked = await o.page.evaluate(() => g.set("surface", "rosenbrock").then(() => "", (e) => e.message));
      assert.match(locked, /locked by this challenge: the surface and its parameters stay as set \(lock=surface\)/);
      // α = 0.01: 200 steps end above 1e-3: failed.
      await o.page.evaluate(() => g.play());
      await waitEvent(o.page, "challenge", 'e.state === "failed"');
      const failed = (await events(o.page, "challenge")).find((e) => e.state === "failed");
      assert.equal(failed.step, 200);
      assert.ok(failed.best > 1e-3, JSON.stringify(failed));
      assert.match(await o.frame.textContent("#challenge-result"), /✗ Not reached: best so far/);
      // α = 0.05 (typed into its field, as a student does): passed, at the step the loss fell below.
      await o.frame.fill("#opt-0-lr", "0.05");
      await o.frame.press("#opt-0-lr", "Enter");
      await o.page.evaluate(() => g.play());
      await waitEvent(o.page, "challenge", 'e.state === "passed"');
      const passed = (await events(o.page, "challenge")).find((e) => e.state === "passed");
      assert.equal(passed.by, "you");
      assert.equal(passed.optimizer, 1);
      assert.ok(passed.step > 0 && passed.step < 200, JSON.stringify(passed));
      assert.match(await o.frame.textContent("#challenge-result"), new RegExp(`✓ Passed: you reached it at step ${passed.step}\\.`));
      await screenshot(o.page, "course-challenge");
    } finally {
      await o.context.close();
    }
  });

  it("the tour steps forward and back, deep-links to a stop and works embedded", async () => {
    const o = await openPage(env.browser, `${env.server.url}?tour=lessons`);
    try {
      await waitReady(o.page);
      const first = await o.page.inputValue("#preset");
      assert.ok(first, "a tour link without a preset opens its first stop");
      assert.match(await o.page.textContent("#tour-where"), /^Tour: stop 1 of 1[0-9]$/);
      assert.equal(await o.page.isDisabled("#tour-back"), true);
      await o.page.click("#tour-next");
      const second = await o.page.inputValue("#preset");
      assert.notEqual(second, first);
      assert.match(await o.page.textContent("#tour-where"), /^Tour: stop 2 of /);
      assert.ok((await o.page.textContent("#preset-explain")).length > 40, "each stop has its text");
      await o.page.click("#tour-back");
      assert.equal(await o.page.inputValue("#preset"), first);
      // The address keeps the tour and the stop: it deep-links.
      await o.page.click("#tour-next");
      await o.page.waitForFunction((p) => location.search.includes(`preset=${p}`), second);
      const link = o.page.url();
      assert.match(link, /tour=lessons/);
      assert.match(link, new RegExp(`preset=${second}`));
      const d = await openPage(env.browser, `${env.server.url}?preset=adam-bias-correction&tour=lessons&embed=1&show=contour,transport,status,loss`, { viewport: { width: 520, height: 420 } });
      try {
        await waitReady(d.page);
        assert.equal(await d.page.inputValue("#preset"), "adam-bias-correction");
        const where = await d.page.textContent("#tour-where");
        assert.match(where, /^Tour: stop \d+ of /);
        assert.equal(await d.page.isVisible("#tour-next"), true, "embedded, the tour's buttons show");
        await d.page.click("#tour-next");
        assert.notEqual(await d.page.inputValue("#preset"), "adam-bias-correction");
        assert.equal(await d.page.evaluate(() => document.body.classList.contains("embed")), true, "the next stop is still an embed");
        await screenshot(d.page, "course-tour-embed");
      } finally {
        await d.context.close();
      }
      const bad = await openPage(env.browser, `${env.server.url}?tour=nowhere`);
      try {
        await waitReady(bad.page);
        assert.match(await bad.page.textContent("#notice"), /tour.*no preset `nowhere`/);
        assert.equal(await bad.page.isHidden("#tour"), true);
      } finally {
        await bad.context.close();
      }
    } finally {
      await o.context.close();
    }
  });

  it("after one visit the playground reloads and runs offline", async () => {
    const o = await openPage(env.browser, `${env.server.url}?preset=saddle-race`);
    try {
      await waitReady(o.page);
      // The service worker has cached every file and controls the page.
      await o.page.evaluate(() => navigator.serviceWorker.ready);
      await o.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
      await o.context.setOffline(true);
      await o.page.goto(`${env.server.url}?preset=beale-race`);
      await waitReady(o.page);
      assert.equal(await o.page.inputValue("#preset"), "beale-race", "another preset opens offline");
      await o.page.click("#step-btn");
      await o.page.click("#step-btn");
      await atStep(o.page, 2);
      const cached = await o.page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith("gradscape-")));
      assert.equal(cached.length, 1, "one versioned cache");
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.context.close();
    }
  });

  it("a new build is picked up whole: the old page keeps the old files until it switches", async () => {
    // A copy of the shipped page, so that this test can publish a "new build" of it.
    const site = await mkdtemp(join(tmpdir(), "gradscape-site-"));
    await cp(join(ROOT, "dist"), site, { recursive: true });
    const srv = await startServer({ dir: site });
    const o = await openPage(env.browser, `${srv.url}?preset=saddle-race`);
    const marker = () => o.page.evaluate(() => getComputedStyle(document.body).getPropertyValue("--build").trim());
    try {
      await waitReady(o.page);
      await o.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
      assert.equal(await marker(), "");
      // Publish: a changed file and the service worker of its new version.
      await writeFile(join(site, "style.css"), (await readFile(join(site, "style.css"), "utf8")) + "\nbody { --build: two; }\n");
      const sw = await readFile(join(site, "sw.js"), "utf8");
      await writeFile(join(site, "sw.js"), sw.replace(/const VERSION = "([0-9a-f]+)"/, 'const VERSION = "$1-two"'));
      // The next visit finds it; the page it opens is still the old build's, whole.
      await o.page.reload();
      await waitReady(o.page);
      await o.page.waitForSelector("#update:not([hidden])", { timeout: 30_000 }).catch(async (e) => {
        // Say where the update stopped: no new worker, one still installing, or one waiting unoffered.
        const state = await o.page.evaluate(async () => {
          const r = await navigator.serviceWorker.getRegistration();
          const w = (x) => x && `${x.state} ${new URL(x.scriptURL).pathname}`;
          return { controlled: !!navigator.serviceWorker.controller, installing: w(r?.installing), waiting: w(r?.waiting), active: w(r?.active), caches: await caches.keys() };
        });
        throw new Error(`${e.message}\nservice worker: ${JSON.stringify(state)}`);
      });
      assert.equal(await marker(), "", "the old page keeps the old build's files");
      // Switching reloads into the new build; one cache is left, the new one.
      await Promise.all([o.page.waitForEvent("load"), o.page.click("#update-now")]);
      await waitReady(o.page);
      assert.equal(await marker(), "two");
      await o.page.waitForFunction(async () => (await caches.keys()).filter((k) => k.startsWith("gradscape-")).length === 1);
      assert.match((await o.page.evaluate(() => caches.keys())).join(), /-two$/);
    } finally {
      await o.context.close();
      await srv.stop();
    }
  });

  it("the example course page embeds two frames and reports the challenge", async () => {
    const course = await startServer({ dir: join(ROOT, "examples", "course") });
    const o = await openPage(env.browser, `${course.url}?playground=${encodeURIComponent(env.server.url)}`, { viewport: { width: 1000, height: 1400 } });
    try {
      await o.page.waitForFunction(() => document.querySelector("#log li")?.textContent.startsWith("ready"), null, { timeout: 20_000 });
      await o.page.click("#large");
      await o.page.waitForFunction(() => document.getElementById("result").classList.contains("passed"), null, { timeout: 20_000 });
      assert.match(await o.page.textContent("#result"), /^Passed: you reached loss < 1e-3 at step \d+\.$/);
      await o.page.click("#small");
      await o.page.waitForFunction(() => document.getElementById("result").classList.contains("failed"), null, { timeout: 20_000 });
      await screenshot(o.page, "course-example");
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.context.close();
      await course.stop();
    }
  });
});
