// Small things on the page: the wheel zooms the contour about the pointer, the key follows
// another optimizer on a data view from the keyboard, checkboxes sit centred on their words.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openPage, servedBrowser, waitReady } from "./harness.mjs";

async function frames(page, n = 3) {
  for (let i = 0; i < n; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
}

describe("small things", () => {
  const env = servedBrowser();
  const open = async (query, viewport = { width: 1280, height: 800 }) => {
    const o = await openPage(env.browser, `${env.server.url}?v=1&${query}`, { viewport });
    await waitReady(o.page);
    await frames(o.page);
    return o;
  };
  const clean = (o) => assert.deepEqual([...o.pageErrors, ...o.consoleErrors], [], "no page or console errors");

  it("zooms the contour with the wheel about the point under the pointer", async () => {
    const o = await open("surface=bowl&opt=gd");
    try {
      const box = await o.page.locator("#overlay").boundingBox();
      await o.page.mouse.move(box.x + box.width * 0.75, box.y + box.height * 0.3);
      // The readout names the data point under the pointer.
      await o.page.waitForFunction(() => /x = /.test(document.getElementById("readout").textContent));
      const text = await o.page.textContent("#readout");
      const [, px, py] = text.match(/x = (-?[\d.]+), y = (-?[\d.]+)/).map(Number);
      assert.ok(px > 0 && py > 0, `the pointer is right of and above the centre (${px}, ${py})`);
      const before = [-5, 5, -5, 5]; // the bowl's default view
      assert.ok(!(await o.page.evaluate(() => location.search)).includes("view="), "no view key before zooming");
      await o.page.mouse.wheel(0, -100);
      await o.page.waitForFunction(() => /view=/.test(location.search));
      const view = (await o.page.evaluate(() => new URLSearchParams(location.search).get("view"))).split(",").map(Number);
      // A wheel of −100 px scales the view by f = exp(−100 · 0.002) about the pointer's point p:
      // v' = p + (v − p)·f, so p stays under the pointer.
      const f = Math.exp(-0.2);
      const want = [px + (before[0] - px) * f, px + (before[1] - px) * f, py + (before[2] - py) * f, py + (before[3] - py) * f];
      // The readout prints p to 3 significant digits: allow that much (times 1 − f) and the link's rounding.
      view.forEach((v, k) => assert.ok(Math.abs(v - want[k]) < 0.02, `view[${k}] = ${v}, want ${want[k]}`));
      // Wheeling back out (+100) returns the view to the bowl's default.
      await o.page.mouse.wheel(0, 100);
      await o.page.waitForFunction(() => {
        const v = new URLSearchParams(location.search).get("view");
        return !v || v.split(",").map(Number).every((x, k) => Math.abs(x - [-5, 5, -5, 5][k]) < 1e-3);
      });
      clean(o);
    } finally {
      await o.context.close();
    }
  });

  it("on a touch screen a press-and-hold reads the point, a tap moves the start, two fingers pinch-zoom", async () => {
    const o = await openPage(env.browser, `${env.server.url}?v=1&surface=bowl&start=-4,3&opt=gd`, { viewport: { width: 390, height: 844 }, hasTouch: true });
    try {
      await waitReady(o.page);
      await frames(o.page);
      const cdp = await o.context.newCDPSession(o.page);
      const touch = (type, points) => cdp.send("Input.dispatchTouchEvent", { type, touchPoints: points.map(([x, y], id) => ({ x, y, id })) });
      await o.page.locator("#overlay").scrollIntoViewIfNeeded();
      const box = await o.page.locator("#overlay").boundingBox();
      const at = [box.x + box.width * 0.7, box.y + box.height * 0.3];
      const start = () => o.page.evaluate(() => new URLSearchParams(location.search).get("start"));
      // Hold: after 450 ms the readout names the point under the finger; the start stays.
      await touch("touchStart", [at]);
      await o.page.waitForTimeout(700);
      await frames(o.page);
      await o.page.waitForFunction(() => /x = [\d.]+, y = [\d.]+ · L = /.test(document.getElementById("readout").textContent));
      await touch("touchEnd", []);
      await frames(o.page);
      assert.equal(await start(), "-4,3", "a hold does not move the start point");
      // A tap moves the start point there (right of and above the centre).
      await touch("touchStart", [at]);
      await touch("touchEnd", []);
      await o.page.waitForFunction(() => new URLSearchParams(location.search).get("start") !== "-4,3");
      const [sx, sy] = (await start()).split(",").map(Number);
      assert.ok(sx > 0 && sy > 0, `the tap's point (${sx}, ${sy})`);
      // Two fingers moving apart zoom in: the view shrinks.
      const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
      await touch("touchStart", [[cx - 20, cy], [cx + 20, cy]]);
      for (const d of [30, 45, 60, 80]) await touch("touchMove", [[cx - d, cy], [cx + d, cy]]);
      await touch("touchEnd", []);
      await o.page.waitForFunction(() => /view=/.test(location.search));
      const view = (await o.page.evaluate(() => new URLSearchParams(location.search).get("view"))).split(",").map(Number);
      assert.ok(view[1] - view[0] < 10 * 0.5 * 1.05, `pinching out by 4× zooms in: view ${view}`);
      clean(o);
    } finally {
      await o.context.close();
    }
  });

  it("follows another optimizer on the SVM's data view from the keyboard", async () => {
    const o = await open("surface=svm&opt=gd&opt=adam");
    try {
      const who = (i) => o.page.locator(`#status li:nth-child(${i}) .who`);
      assert.equal(await who(1).getAttribute("role"), "button");
      assert.equal(await who(1).getAttribute("aria-pressed"), "true", "the first optimizer is followed at first");
      assert.equal(await who(2).getAttribute("aria-pressed"), "false");
      // Tab reaches it (it is in the tab order), Enter and Space press it.
      await who(1).focus();
      await o.page.keyboard.press("Tab");
      assert.equal(await o.page.evaluate(() => document.activeElement.closest("#status li")?.textContent.includes("Adam")), true, "Tab goes to Adam's name");
      await o.page.keyboard.press("Enter");
      await frames(o.page);
      assert.equal(await who(2).getAttribute("aria-pressed"), "true");
      assert.equal(await who(1).getAttribute("aria-pressed"), "false");
      await who(1).focus();
      await o.page.keyboard.press(" ");
      await frames(o.page);
      assert.equal(await who(1).getAttribute("aria-pressed"), "true");
      assert.equal(await who(2).getAttribute("aria-pressed"), "false");
      clean(o);
    } finally {
      await o.context.close();
    }
    // Off a data view the names are not buttons.
    const b = await open("surface=bowl&opt=gd&opt=adam");
    try {
      assert.equal(await b.page.locator("#status li:nth-child(1) .who").getAttribute("role"), null);
    } finally {
      await b.context.close();
    }
  });

  it("centres every checkbox on its label's words (within 2 px)", async () => {
    const o = await open("surface=bowl&opt=gd:schedule=step,on_increase=true&opt=adam&arrows=1");
    try {
      const rows = await o.page.$$eval('label input[type="checkbox"]', (boxes) =>
        boxes
          .filter((b) => b.getClientRects().length && b.getBoundingClientRect().width > 0)
          .map((b) => {
            const label = b.closest("label");
            let top = Infinity;
            let bottom = -Infinity;
            for (const n of label.childNodes) {
              if (n === b) continue;
              const range = document.createRange();
              range.selectNodeContents(n);
              for (const r of n.nodeType === 3 ? range.getClientRects() : [n.getBoundingClientRect()]) {
                if (!r.height) continue;
                top = Math.min(top, r.top);
                bottom = Math.max(bottom, r.bottom);
              }
            }
            const r = b.getBoundingClientRect();
            return { id: b.id, text: label.textContent.trim().slice(0, 30), box: (r.top + r.bottom) / 2, words: (top + bottom) / 2 };
          }),
      );
      const ids = rows.map((r) => r.id);
      for (const id of ["arrows", "loss-log", "lr-effective", "opt-0-on_increase", "opt-1-bias_correction"]) assert.ok(ids.includes(id), `${id} is checked (${ids})`);
      for (const r of rows) assert.ok(Math.abs(r.box - r.words) <= 2, `${r.id} "${r.text}": box centre ${r.box}, words centre ${r.words}`);
      // The loss-rise box says what it does in words, not "f↑" alone.
      assert.match(await o.page.textContent('label:has(> #opt-0-on_increase)'), /whenever the loss rose/);
      clean(o);
    } finally {
      await o.context.close();
    }
  });
});
