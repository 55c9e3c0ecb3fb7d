// The playground page as a person uses it: it draws, plays, takes clicks, survives a
// diverging run, draws every surface, and fits a phone.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openPage, screenshot, servedBrowser, waitReady } from "./harness.mjs";

/**
 * Variance of the pixels shown where canvas `id` is (0 for a blank or flat picture), once the
 * painter has drawn everything: read off a screenshot, since the page hands its canvases to a
 * worker and cannot read them back.
 */
async function canvasVariance(page, id) {
  await page.waitForFunction(() => window.gradscapePainted());
  const png = (await page.locator(`#${id}`).screenshot()).toString("base64");
  return page.evaluate(async (png) => {
    const img = new Image();
    img.src = `data:image/png;base64,${png}`;
    await img.decode();
    const c = new OffscreenCanvas(img.width, img.height);
    const ctx = c.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let s = 0;
    let s2 = 0;
    let n = 0;
    for (let i = 0; i < d.length; i += 4 * 7) {
      const v = d[i] + d[i + 1] + d[i + 2];
      s += v;
      s2 += v * v;
      n++;
    }
    const m = s / n;
    return s2 / n - m * m;
  }, png);
}

/** Step counter and each optimizer's status text. */
async function status(page) {
  const counter = await page.textContent("#counter");
  const lines = await page.$$eval("#status li", (lis) => lis.map((li) => li.textContent));
  const losses = lines.map((l) => Number((l.match(/L = ([^ ]+)/) ?? [])[1]));
  return { step: Number(counter.match(/step (\d+)/)[1]), lines, losses };
}

async function frames(page, n = 3) {
  for (let i = 0; i < n; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
}

describe("playground page", () => {
  const env = servedBrowser();

  async function open(query = "", viewport) {
    const o = await openPage(env.browser, env.server.url + (query ? `?${query}` : ""), viewport ? { viewport } : undefined);
    await waitReady(o.page);
    await frames(o.page);
    return o;
  }

  function clean(o) {
    assert.deepEqual(o.pageErrors, [], "uncaught page errors");
    assert.deepEqual(o.consoleErrors, [], "console errors");
    assert.deepEqual(o.requestErrors, [], "failed requests");
  }

  it("loads without errors and draws a heatmap on the contour view", async () => {
    const o = await open();
    try {
      assert.ok((await canvasVariance(o.page, "bg")) > 500, "the heatmap has structure");
      assert.ok((await canvasVariance(o.page, "loss")) > 10, "the loss chart is drawn");
      const lines = (await status(o.page)).lines;
      assert.equal(lines.length, 4, "the default race has four optimizers");
      await screenshot(o.page, "page-default");
      clean(o);
    } finally {
      await o.context.close();
    }
  });

  it("plays: the step counter advances and the bowl's loss falls", async () => {
    const o = await open("surface=bowl&start=-4,3&steps=5000&opt=gd:lr=0.01&speed=2");
    try {
      const before = await status(o.page);
      assert.equal(before.step, 0);
      await o.page.click("#play");
      await o.page.waitForFunction(() => /step ([3-9]\d|\d{3,})/.test(document.getElementById("counter").textContent));
      await o.page.click("#play");
      await frames(o.page);
      const after = await status(o.page);
      assert.ok(after.step > before.step, `step ${before.step} → ${after.step}`);
      assert.ok(after.losses[0] < before.losses[0], `loss ${before.losses[0]} → ${after.losses[0]}`);
      // Keyboard: → makes exactly one update, r resets.
      await o.page.focus("#overlay");
      await o.page.keyboard.press("ArrowRight");
      await frames(o.page);
      assert.equal((await status(o.page)).step, after.step + 1);
      await o.page.keyboard.press("r");
      await frames(o.page);
      assert.equal((await status(o.page)).step, 0);
      clean(o);
    } finally {
      await o.context.close();
    }
  });

  it("a click on the contour moves the start point and the link follows", async () => {
    const o = await open("surface=bowl&start=-4,3&opt=gd");
    try {
      const box = await o.page.locator("#overlay").boundingBox();
      await o.page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.3);
      await frames(o.page);
      const x = Number(await o.page.inputValue("#start-x"));
      const y = Number(await o.page.inputValue("#start-y"));
      assert.ok(x > 1 && y > 1, `start moved to (${x}, ${y})`);
      await o.page.waitForFunction(() => !location.search.includes("start=-4,3"));
      assert.match(await o.page.evaluate(() => location.search), /start=[0-9.]+,[0-9.]+/);
      // Zooming puts the view box in the link; resetting the view takes it out again.
      await o.page.click("#zoom-in");
      await o.page.waitForFunction(() => /view=-3\.5,3\.5,-3\.5,3\.5/.test(location.search));
      await o.page.click("#zoom-reset");
      await o.page.waitForFunction(() => !location.search.includes("view="));
      clean(o);
    } finally {
      await o.context.close();
    }
  });

  it("GD with a huge α reports where it diverged and the page keeps working", async () => {
    const o = await open("surface=bowl&opt=gd:lr=5&opt=gd:lr=0.1&speed=20");
    try {
      await o.page.click("#play");
      await o.page.waitForFunction(() => /diverged at step \d+/.test(document.getElementById("status").textContent));
      const s = await status(o.page);
      assert.match(s.lines[0], /diverged at step \d+/);
      assert.doesNotMatch(s.lines[1], /diverged/);
      await screenshot(o.page, "page-diverged");
      await o.page.click("#reset");
      await o.page.click("#step-btn");
      await frames(o.page);
      assert.equal((await status(o.page)).step, 1, "still steps after a divergence");
      // An absurd value typed into a control is refused beside the field, which keeps what
      // was typed (and the focus); the scenario keeps its old value until the field is fixed.
      const field = "#opt-1-lr";
      for (const [typed, why] of [["-3", /lr.*\(0, 10000\]/], ["abc", /lr.*not a number/], ["", /lr.*empty/]]) {
        await o.page.fill(field, typed);
        await o.page.press(field, "Enter");
        await frames(o.page);
        const got = await o.page.evaluate((sel) => {
          const input = document.querySelector(sel);
          const note = document.getElementById(input.getAttribute("aria-describedby") ?? "");
          return { value: input.value, invalid: input.getAttribute("aria-invalid"), focused: document.activeElement === input, note: note?.textContent, role: note?.getAttribute("role"), next: input.closest("label").nextElementSibling === note };
        }, field);
        assert.equal(got.value, typed, `the field keeps "${typed}"`);
        assert.equal(got.invalid, "true");
        assert.equal(got.focused, true, "the field keeps the focus");
        assert.match(got.note ?? "", why, `the reason for "${typed}" beside the field`);
        assert.equal(got.role, "alert", "announced to screen readers");
        assert.equal(got.next, true, "right after the field");
        assert.equal(await o.page.isHidden("#notice"), true, "no notice far away");
        assert.match(await o.page.evaluate(() => location.search), /opt=gd:lr=0\.1/);
      }
      // Another edit elsewhere keeps the refused text and its reason.
      await o.page.fill("#opt-0-lr", "4");
      await o.page.press("#opt-0-lr", "Enter");
      await frames(o.page);
      assert.equal(await o.page.inputValue(field), "");
      assert.equal(await o.page.locator(".field-error").count(), 1);
      // Fixed: the reason goes, the value applies.
      await o.page.fill(field, "0.2");
      await o.page.press(field, "Enter");
      await frames(o.page);
      assert.equal(await o.page.locator(".field-error").count(), 0);
      assert.equal(await o.page.getAttribute(field, "aria-invalid"), null);
      await o.page.waitForFunction(() => /opt=gd:lr=0\.2/.test(location.search));
      clean(o);
    } finally {
      await o.context.close();
    }
  });

  it("draws every surface without error", async () => {
    const o = await open();
    try {
      const names = await o.page.$$eval("#surface option", (os) => os.map((x) => x.value));
      for (const name of names) {
        await o.page.selectOption("#surface", name);
        await frames(o.page, 2);
        const canvas = name === "svm" ? "overlay" : "bg";
        assert.ok((await canvasVariance(o.page, canvas)) > 100, `${name} draws`);
        await o.page.click("#step-btn");
        await frames(o.page, 1);
      }
      await screenshot(o.page, "page-svm");
      clean(o);
    } finally {
      await o.context.close();
    }
  });

  it("draws a typed function, shares it by link, and shows where a bad one is wrong", async () => {
    const o = await open("surface=bowl&opt=gd&opt=adam");
    try {
      await o.page.selectOption("#surface", "custom");
      await frames(o.page);
      await o.page.fill("#custom-expr", "x^2 + 10*y^2 + sin(3*x)*y");
      await o.page.press("#custom-expr", "Enter");
      await frames(o.page, 4);
      assert.ok((await canvasVariance(o.page, "bg")) > 300, "the typed surface is drawn");
      await o.page.waitForFunction(() => location.search.includes("surface=custom:f=") && location.search.includes("sin(3*x)*y"));
      const link = await o.page.evaluate(() => location.href);
      // The link reopens the same function.
      const b = await open(new URL(link).search.slice(1));
      assert.equal(await b.page.inputValue("#custom-expr"), "x^2 + 10*y^2 + sin(3*x)*y");
      assert.equal(await b.page.isHidden("#notice"), true);
      await b.context.close();
      // A malformed one: the position and what was expected; the page keeps the old surface.
      await o.page.fill("#custom-expr", "x^2 + * y");
      await o.page.press("#custom-expr", "Enter");
      await frames(o.page);
      const err = await o.page.textContent("#custom-error");
      assert.match(err, /x\^2 \+ \* y\n {6}\^\n/, "a caret under position 6");
      assert.match(err, /at 6: expected a number, x, y, a function or "\("/);
      assert.equal(await o.page.inputValue("#custom-expr"), "x^2 + * y", "the typed text is kept");
      assert.match(await o.page.evaluate(() => location.search), /10\*y%5E2/, "the link keeps the last good function");
      await o.page.click("#step-btn");
      await frames(o.page);
      assert.match(await o.page.textContent("#counter"), /step 1 /);
      await screenshot(o.page, "page-custom");
      clean(o);
    } finally {
      await o.context.close();
    }
  });

  it("fits a phone: every view visible without horizontal scrolling", async () => {
    const o = await open("", { width: 375, height: 812 });
    try {
      const fit = await o.page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        width: window.innerWidth,
        canvases: ["bg", "overlay", "loss", "lr"].map((id) => {
          const r = document.getElementById(id).getBoundingClientRect();
          return [id, r.width, r.height, r.left, r.right];
        }),
      }));
      assert.ok(fit.scroll <= fit.width, `page ${fit.scroll}px wide in a ${fit.width}px viewport`);
      for (const [id, w, h, l, r] of fit.canvases) {
        assert.ok(w > 200 && h > 100, `${id} is ${w}×${h}`);
        assert.ok(l >= 0 && r <= fit.width, `${id} spans ${l}–${r}`);
      }
      await screenshot(o.page, "page-phone");
      clean(o);
    } finally {
      await o.context.close();
    }
  });

  it("says what the contour's critical-point marks mean, for the kinds the surface has", async () => {
    const key = async (surface) => {
      const o = await open(`?v=1&surface=${surface}`);
      try {
        const got = { hidden: await o.page.isHidden("#marks-key"), text: await o.page.textContent("#marks-key") };
        clean(o);
        return got;
      } finally {
        await o.context.close();
      }
    };
    const rosen = await key("rosenbrock");
    assert.equal(rosen.hidden, false);
    assert.match(rosen.text, /✕ minimum/);
    assert.doesNotMatch(rosen.text, /saddle|maximum/, "Rosenbrock has one minimum only");
    const saddle = await key("saddle");
    assert.match(saddle.text, /◇ saddle point/);
    const himmelblau = await key("himmelblau");
    assert.match(himmelblau.text, /✕ minimum · ◇ saddle point · △ maximum/);
    assert.equal((await key("svm")).hidden, true, "the SVM's data view draws no such marks");
  });

  it("shows the keyboard focus in a ring that stands out and is no optimizer's colour", async () => {
    // Eight optimizers: every colour of the palette is on the page as a status swatch.
    const opts = ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "gd", "momentum"].map((r) => `&opt=${r}`).join("");
    const o = await open(`?v=1&surface=bowl${opts}`);
    try {
      await o.page.focus("#play");
      await o.page.keyboard.press("Tab");
      const got = await o.page.evaluate(() => {
        const rgb = (c) => c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
        const lum = ([r, g, b]) => {
          const f = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        const contrast = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
        const focused = document.activeElement;
        const style = getComputedStyle(focused);
        const ring = rgb(style.outlineColor);
        const panel = rgb(getComputedStyle(document.getElementById("stage")).backgroundColor);
        const swatches = [...document.querySelectorAll("#status .swatch")].map((s) => rgb(getComputedStyle(s).backgroundColor));
        return {
          id: focused.id,
          width: parseFloat(style.outlineWidth),
          visible: style.outlineStyle !== "none",
          panel: contrast(ring, panel),
          closest: Math.min(...swatches.map((s) => Math.hypot(s[0] - ring[0], s[1] - ring[1], s[2] - ring[2]))),
          swatches: swatches.length,
        };
      });
      assert.equal(got.id, "back-btn", "Tab moved the focus to the next button (Step back)");
      assert.ok(got.visible && got.width >= 2, `a ring ${got.width}px wide`);
      assert.ok(got.panel >= 4.5, `ring against the panel ${got.panel.toFixed(2)}:1 (at least 4.5:1)`);
      assert.equal(got.swatches, 8);
      assert.ok(got.closest > 100, `the ring's colour is ${got.closest.toFixed(0)} from the nearest optimizer's (RGB distance)`);
      clean(o);
    } finally {
      await o.context.close();
    }
  });

  it("fits one screen: the figure, the key, the transport, the readout and the first α, without scrolling", async () => {
    // What must be in sight, by selector: the whole box inside the viewport.
    const inView = (page, selectors) =>
      page.evaluate((sel) => {
        const out = {};
        for (const q of sel) {
          const r = document.querySelector(q).getBoundingClientRect();
          out[q] = r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight + 0.5 && r.right <= innerWidth + 0.5;
        }
        return { out, scrollH: document.documentElement.scrollHeight, h: innerHeight, side: document.getElementById("contour-wrap").getBoundingClientRect().width };
      }, selectors);
    const must = ["#overlay", "#status li:last-child", "#play", "#counter", "#readout", "#opt-0-lr", "#loss"];
    for (const [viewport, least] of [[{ width: 1280, height: 800 }, 520], [{ width: 1920, height: 1080 }, 780]]) {
      const o = await open("", viewport);
      try {
        const got = await inView(o.page, must);
        for (const q of must) assert.ok(got.out[q], `${viewport.width}×${viewport.height}: ${q} in sight`);
        assert.ok(got.scrollH <= got.h, `${viewport.width}×${viewport.height}: the page does not scroll (${got.scrollH} > ${got.h})`);
        assert.ok(got.side >= least, `${viewport.width}×${viewport.height}: the contour is ${got.side} px`);
        // Presenting: the controls step aside, the contour grows, the key stays.
        await o.page.click("#present");
        await frames(o.page);
        const big = await inView(o.page, ["#overlay", "#status li:last-child", "#play"]);
        assert.ok(Object.values(big.out).every(Boolean), JSON.stringify(big.out));
        assert.ok(big.side > got.side, `presenting: ${big.side} > ${got.side} px`);
        assert.equal(await o.page.isHidden("#controls"), true);
        await o.page.click("#present");
        assert.equal(await o.page.isVisible("#controls"), true);
        clean(o);
      } finally {
        await o.context.close();
      }
    }
    // A phone scrolls, but the figure, the transport and the key come first.
    const o = await open("", { width: 390, height: 844 });
    try {
      const got = await inView(o.page, ["#overlay", "#play"]);
      assert.ok(got.out["#overlay"] && got.out["#play"], JSON.stringify(got.out));
      const order = await o.page.evaluate(() => ["stage", "status", "controls"].map((id) => document.getElementById(id).getBoundingClientRect().top));
      assert.ok(order[0] < order[1] && order[1] < order[2], `stage, key, controls in that order: ${order}`);
      clean(o);
    } finally {
      await o.context.close();
    }
  });

  it("keeps edits in the history: Back, Forward, undo and redo walk through them, never out of the app", async () => {
    const o = await open("preset=steep-and-flat");
    try {
      const lr = () => o.page.inputValue("#opt-0-lr");
      assert.equal(await lr(), "2");
      await o.page.fill("#opt-0-lr", "1.5");
      await o.page.press("#opt-0-lr", "Enter");
      await o.page.waitForFunction(() => location.search.includes("lr=1.5"));
      // A second edit more than a moment later is an entry of its own.
      await o.page.waitForTimeout(1100);
      await o.page.fill("#opt-0-lr", "0.5");
      await o.page.press("#opt-0-lr", "Enter");
      await o.page.waitForFunction(() => location.search.includes("lr=0.5"));
      assert.match(await o.page.evaluate(() => location.search), /^\?v=1&preset=steep-and-flat&/, "the edited lesson keeps its preset");
      assert.equal(await o.page.isVisible("#preset-explain"), true, "and its note");
      await o.page.goBack();
      await o.page.waitForFunction(() => document.getElementById("opt-0-lr")?.value === "1.5");
      await o.page.focus("#overlay");
      await o.page.keyboard.press("Control+z");
      await o.page.waitForFunction(() => document.getElementById("opt-0-lr")?.value === "2");
      assert.equal(await o.page.isDisabled("#undo"), true, "nothing before the first state to undo");
      await o.page.keyboard.press("Control+z");
      await o.page.waitForTimeout(300);
      assert.ok(o.page.url().startsWith(env.server.url), "undo never leaves the app");
      await o.page.click("#redo");
      await o.page.waitForFunction(() => document.getElementById("opt-0-lr")?.value === "1.5");
      await o.page.goForward();
      await o.page.waitForFunction(() => document.getElementById("opt-0-lr")?.value === "0.5");
      assert.equal(await o.page.isDisabled("#redo"), true);
      // A preset chosen is an entry too: Back returns to the edited one.
      await o.page.selectOption("#preset", "plateau-crawl");
      await o.page.waitForFunction(() => location.search.includes("preset=plateau-crawl"));
      await o.page.goBack();
      await o.page.waitForFunction(() => document.getElementById("opt-0-lr")?.value === "0.5");
      assert.equal(await o.page.inputValue("#preset"), "steep-and-flat");
      clean(o);
    } finally {
      await o.context.close();
    }
  });

  it("draws the surface first, before the controls, at its final size (an embed at its fitted size)", async () => {
    for (const [query, viewport] of [
      ["", { width: 1280, height: 800 }],
      ["preset=beale-race", { width: 390, height: 844 }],
      ["preset=noise-escapes-saddle&embed=1", { width: 520, height: 420 }],
    ]) {
      const context = await env.browser.newContext({ viewport });
      // At the page's first drawn mark (set synchronously, after the frame's drawing): what exists.
      await context.addInitScript(() => {
        const mark = performance.mark.bind(performance);
        performance.mark = (name, options) => {
          if (name === "gradscape:drawn" && !window.__first) {
            const bg = document.getElementById("bg");
            window.__first = { cards: document.querySelectorAll("#optimizers .opt-card").length, size: [bg.width, bg.height] };
          }
          return mark(name, options);
        };
      });
      const page = await context.newPage();
      try {
        await page.goto(env.server.url + (query ? `?${query}` : ""));
        await waitReady(page);
        await frames(page);
        const got = await page.evaluate(() => {
          const bg = document.getElementById("bg");
          return { first: window.__first, size: [bg.width, bg.height], cards: document.querySelectorAll("#optimizers .opt-card").length };
        });
        assert.ok(got.first, `${query}: a first drawn frame`);
        assert.ok(got.cards > 0, `${query}: the controls are built`);
        if (!query.includes("embed=1")) assert.equal(got.first.cards, 0, `${query}: the first figure came before the controls`);
        assert.deepEqual(got.first.size, got.size, `${query}: the first figure at the size it keeps`);
        assert.ok(got.size[0] > 100 && got.size[1] > 100, `${query}: the contour is ${got.size.join("×")}`);
      } finally {
        await context.close();
      }
    }
  });
});
