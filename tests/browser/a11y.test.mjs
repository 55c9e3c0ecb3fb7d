// Accessibility: axe-core finds no violations on the default page, a preset, the embed and the
// phone layout. axe is injected past the page's Content-Security-Policy (bypassCSP).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { openPage, servedBrowser, waitReady } from "./harness.mjs";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

async function frames(page, n = 3) {
  for (let i = 0; i < n; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
}

/** Run axe on the page as it stands; returns its violations, one line each, for the message. */
async function violations(page) {
  await page.addScriptTag({ content: AXE });
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return res.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary.replace(/\n/g, " ")}`).join("\n")}`);
}

async function check(env, query, opts) {
  const o = await openPage(env.browser, `${env.server.url}${query}`, { ...opts, bypassCSP: true });
  try {
    await waitReady(o.page);
    await frames(o.page);
    return o;
  } catch (e) {
    await o.context.close();
    throw e;
  }
}

describe("accessibility (axe-core)", () => {
  const env = servedBrowser();

  const cases = [
    ["the default page", "", { viewport: { width: 1280, height: 800 } }],
    ["the embed at 520×420", "?embed=1", { viewport: { width: 520, height: 420 } }],
    ["the phone layout at 390×844", "", { viewport: { width: 390, height: 844 } }],
    ["a tour stop with a challenge and locked controls", "?preset=stability-bound&tour=lessons&goal=loss%3C1e-6&within=300&lock=surface,start,rule", { viewport: { width: 1280, height: 800 } }],
  ];
  for (const [name, query, opts] of cases) {
    it(`finds no violations on ${name}`, async () => {
      const o = await check(env, query, opts);
      try {
        const v = await violations(o.page);
        assert.deepEqual(v, [], v.join("\n"));
      } finally {
        await o.context.close();
      }
    });
  }

  it("finds no violations on a preset, and the preset menu lists one to pick", async () => {
    const o = await check(env, "", { viewport: { width: 1280, height: 800 } });
    const preset = await o.page.$$eval("#preset option", (os) => os.map((x) => x.value).filter(Boolean));
    await o.context.close();
    assert.ok(preset.length > 0, "the #preset select lists presets");
    // The first preset in the menu; a second, different one, guards against a rule hidden by one scenario.
    for (const p of [preset[0], preset[preset.length - 1]]) {
      const q = await check(env, `?preset=${encodeURIComponent(p)}`, { viewport: { width: 1280, height: 800 } });
      try {
        const v = await violations(q.page);
        assert.deepEqual(v, [], `preset ${p}:\n${v.join("\n")}`);
      } finally {
        await q.context.close();
      }
    }
  });
});
