// The parameter table end to end: every key the page can show survives an unrelated edit (in
// the address bar and in Copy link), every `show=` view set opens as asked, the Embed dialog's
// snippets open cleanly, and the page's controls show exactly what `gradscape list` prints.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { cliPath, openPage, servedBrowser, waitReady } from "./harness.mjs";

/** The native CLI's catalog (`gradscape list --format json`), built by `cargo test`. */
function cliCatalog() {
  const exe = cliPath();
  assert.ok(exe, "the native CLI is built (cargo build, or cargo test as make test runs)");
  return JSON.parse(execFileSync(exe, ["list", "--format", "json"], { encoding: "utf8" }));
}

/** A value of row `r` other than its default, written as the engine writes it. */
function other(r) {
  if (r.kind === "bool") return { 1: "0", 0: "1", true: "false", false: "true" }[r.default];
  if (r.kind === "choice") return r.choices.map((c) => c.name).find((n) => n !== r.default);
  // Text keys with a grammar of their own (a challenge, a tour, an embed's parent origin, a sweep).
  const grammar = { origin: "http:%2F%2F127.0.0.1:8001", goal: "loss%3C0.001", tour: "beale-race", sweep: "basins,opt=1,grid=16" };
  if (r.kind === "text") return grammar[r.key] ?? "Race%20one";
  if (r.kind === "set") return r.choices.slice(0, 2).map((c) => c.name).join(",");
  if (r.kind === "point") return "0.5,-1";
  if (r.kind === "view") return "-2,2,-1,3";
  if (r.kind === "batch") return "3";
  const d = Number(r.default);
  if (r.kind === "whole") {
    const v = Number.isFinite(d) ? d + 2 : r.min + 1;
    return String(Math.min(v, r.max));
  }
  // A short decimal strictly inside the range, away from the default.
  const lo = r.min;
  const hi = Math.min(r.max, Math.max(lo + 1, 2 * (Number.isFinite(d) ? Math.abs(d) : 1) + 1));
  const v = Number((d > lo + (hi - lo) / 2 ? lo + (hi - lo) * 0.3 : lo + (hi - lo) * 0.7).toPrecision(2));
  return String(v);
}

/** Scenario text showing row `r` at a value that is not its default. */
function linkFor(r, cat) {
  const v = other(r);
  const pair = `${r.key}=${v}`;
  if (r.scope === "scenario" || r.scope === "page") return { text: `v=1&surface=bowl&opt=gd:lr=0.1&${pair}`, expect: pair };
  if (r.scope === "surface") return { text: `v=1&surface=${r.surface}:${pair}&opt=gd:lr=0.05`, expect: `${r.surface}:` };
  const rule = r.rules[0] ?? "gd";
  const schedule = r.schedules.find((s) => s !== "constant");
  const parts = [];
  if (r.key !== "schedule" && schedule) parts.push(`schedule=${schedule}`);
  if (r.key === "gamma0") parts.push("warmup=5");
  parts.push(pair);
  const surface = r.kind === "batch" ? "linreg" : "bowl";
  return { text: `v=1&surface=${surface}&opt=${rule}:${parts.join(",")}`, expect: pair, cat };
}

async function frames(page, n = 3) {
  for (let i = 0; i < n; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
}

/** The views each element of the page belongs to, and whether it is shown. */
function shownViews(page) {
  return page.$$eval("[data-view]", (es) => es.map((e) => [e.dataset.view, !e.classList.contains("hide")]));
}

describe("the parameter table in the page", () => {
  const env = servedBrowser();

  it("every key the page can show survives an unrelated edit, in the URL and in Copy link", async () => {
    const cat = cliCatalog();
    const o = await openPage(env.browser, env.server.url);
    await o.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.server.url });
    await waitReady(o.page);
    // t= opens the run at a step and is then spent (a link to a moment: tested in share.test.mjs).
    const rows = cat.params.filter((r) => r.kind !== "structural" && r.key !== "show" && r.key !== "t");
    assert.ok(rows.length >= 40, `${rows.length} rows`);
    const checked = new Set();
    for (const r of rows) {
      const { text, expect } = linkFor(r, cat);
      const want = r.scope === "surface" ? new RegExp(`surface=${r.surface}:[^&]*\\b${r.key}=${other(r).replace(".", "\\.")}(,|&|$)`) : null;
      await o.page.goto(`${env.server.url}?${text}`);
      await waitReady(o.page);
      assert.equal(await o.page.isHidden("#notice"), true, `${text}: opens without a notice: ${await o.page.textContent("#notice-text")}`);
      // An unrelated control: the arrows toggle (or the log axis when arrows is the key).
      const toggle = r.key === "arrows" ? "#loss-log" : "#arrows";
      // Through the DOM: an embed hides the arrows toggle.
      await o.page.$eval(toggle, (b) => b.click());
      await o.page.waitForFunction((t) => location.search.includes(t), r.key === "arrows" ? "log=0" : "arrows=1");
      const search = decodeURIComponent(await o.page.evaluate(() => location.search));
      const has = (s) => (want ? want.test(s) : decodeURIComponent(s).includes(decodeURIComponent(expect)));
      assert.ok(has(search), `${r.scope} ${r.key}: ${expect} kept in the URL after an edit: ${search}`);
      // Through the DOM: the embed layout hides the header that holds the button.
      await o.page.$eval("#copy-link", (b) => b.click());
      const link = await o.page.evaluate(() => navigator.clipboard.readText());
      assert.ok(has(decodeURIComponent(link)), `${r.scope} ${r.key}: ${expect} kept in Copy link: ${link}`);
      checked.add(`${r.scope}:${r.key}:${r.rules.join("|")}:${r.surface ?? ""}`);
    }
    assert.equal(checked.size, rows.length, "each row checked once");
    await o.context.close();
  });

  it("show= with each view name opens without a notice and shows exactly those views", async () => {
    const cat = cliCatalog();
    const views = cat.params.find((p) => p.key === "show").choices.map((c) => c.name);
    assert.ok(views.includes("surface3d"));
    const o = await openPage(env.browser, env.server.url);
    for (const set of [...views.map((v) => [v]), views, ["contour", "surface3d", "loss"]]) {
      await o.page.goto(`${env.server.url}?surface=bowl&opt=gd:lr=0.1&show=${set.join(",")}`);
      await waitReady(o.page);
      assert.equal(await o.page.isHidden("#notice"), true, `show=${set}: no notice`);
      for (const [v, on] of await shownViews(o.page)) assert.equal(on, set.includes(v), `show=${set}: ${v} ${on ? "shown" : "hidden"}`);
    }
    await o.context.close();
  });

  it("the Embed dialog's snippet opens without a notice for every view and the default set", async () => {
    const o = await openPage(env.browser, env.server.url);
    await waitReady(o.page);
    await o.page.click("#open-embed");
    const boxes = await o.page.$$eval("#embed-options input", (is) => is.map((i) => [i.value, i.checked]));
    const views = boxes.map(([v]) => v);
    const sets = [boxes.filter(([, c]) => c).map(([v]) => v), ...views.map((v) => [v]), views];
    for (const set of sets) {
      for (const v of views) {
        const box = o.page.locator(`#embed-options input[value="${v}"]`);
        if ((await box.isChecked()) !== set.includes(v)) await box.click();
      }
      const code = await o.page.inputValue("#embed-code");
      const src = /src="([^"]+)"/.exec(code)[1].replace(/&amp;/g, "&");
      const e = await openPage(env.browser, src);
      await waitReady(e.page);
      assert.equal(await e.page.isHidden("#notice"), true, `embed of ${set}: no notice`);
      for (const [v, on] of await shownViews(e.page)) assert.equal(on, set.includes(v), `embed of ${set}: ${v}`);
      await e.context.close();
    }
    await o.context.close();
  });

  it("each optimizer card, the surface box and the page options show the CLI's parameters, ranges and defaults", async () => {
    const cat = cliCatalog();
    const o = await openPage(env.browser, env.server.url);
    await waitReady(o.page);
    const page = await o.page.evaluate(() => ({
      ids: [...document.querySelectorAll("[data-key]")].map((e) => Number(e.dataset.row)),
    }));
    for (const id of page.ids) assert.equal(cat.params[id].scope, "page");
    for (const rule of cat.rules) {
      for (const schedule of cat.params.find((p) => p.key === "schedule").choices.map((c) => c.name)) {
        const sched = schedule === "constant" ? "" : `,schedule=${schedule}`;
        await o.page.goto(`${env.server.url}?surface=linreg&opt=${rule.name}:lr=0.01${sched}`);
        await waitReady(o.page);
        const shown = await o.page.$$eval("#optimizers [data-row]:not([type=range])", (es) =>
          es.map((e) => ({ id: Number(e.dataset.row), title: e.title })),
        );
        // The line's colour (the card's swatch) and name first, then the settings in table order.
        const line = ["colour", "name"].map((k) => cat.params.find((p) => p.key === k && p.scope === "line"));
        const want = line.concat(
          cat.params.filter(
            (p) => ["rule", "schedule", "source"].includes(p.scope) && (p.rules.includes(rule.name) || p.schedules.includes(schedule) || p.scope === "source"),
          ),
        );
        assert.deepEqual(shown.map((s) => s.id), want.map((p) => p.id), `${rule.name} with ${schedule}: the table's rows, in order`);
        for (const s of shown) {
          const p = cat.params[s.id];
          assert.ok(s.title.includes(p.range), `${rule.name} ${p.key}: range ${p.range} in “${s.title}”`);
          if (p.default) assert.ok(s.title.includes(`default ${p.default}`), `${rule.name} ${p.key}: default ${p.default} in “${s.title}”`);
        }
      }
    }
    for (const s of cat.surfaces.filter((s) => s.params.length)) {
      await o.page.goto(`${env.server.url}?surface=${s.name}&opt=gd:lr=0.01`);
      await waitReady(o.page);
      const shown = await o.page.$$eval("#surface-params [data-row]", (es) => es.map((e) => [Number(e.dataset.row), e.title, e.value]));
      assert.deepEqual(shown.map(([id]) => id), s.params, `${s.name}: its parameters`);
      for (const [id, title, value] of shown) {
        const p = cat.params[id];
        assert.ok(title.includes(p.range) && title.includes(`default ${p.default}`), `${s.name} ${p.key}: “${title}”`);
        assert.equal(value, p.default, `${s.name} ${p.key} opens at its default`);
      }
    }
    await o.context.close();
  });
});
