// The page loads the WebAssembly module and shows what it reports, without errors.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT, openPage, screenshot, servedBrowser, waitReady } from "./harness.mjs";

const CRATE_VERSION = readFileSync(join(ROOT, "Cargo.toml"), "utf8").match(/^version\s*=\s*"([^"]+)"/m)[1];

describe("smoke", () => {
  const env = servedBrowser();

  it("serves the module with the right content types", async () => {
    const wasm = await fetch(new URL("pkg/gradscape_bg.wasm", env.server.url));
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers.get("content-type"), "application/wasm");
    assert.equal(wasm.headers.get("cache-control"), "no-cache");
    const bytes = new Uint8Array(await wasm.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 4)], [0x00, 0x61, 0x73, 0x6d], "wasm magic number");

    const js = await fetch(new URL("pkg/gradscape.js", env.server.url));
    assert.equal(js.status, 200);
    assert.match(js.headers.get("content-type"), /^text\/javascript/);
    await js.arrayBuffer();
  });

  it("loads the wasm and shows the version and every surface in the picker", async () => {
    const { page, context, consoleErrors, pageErrors, requestErrors } = await openPage(env.browser, env.server.url);
    try {
      await waitReady(page);
      const fromWasm = await page.evaluate(async () => {
        const m = await import("./pkg/gradscape.js");
        await m.default();
        return { version: m.version(), surfaces: m.catalog().surfaces.map((s) => s.name) };
      });
      assert.equal(fromWasm.version, CRATE_VERSION);
      assert.equal(await page.textContent("#version"), `gradscape v${fromWasm.version}`);
      const shown = await page.$$eval("#surface option", (os) => os.map((o) => o.value));
      assert.deepEqual(shown, fromWasm.surfaces);
      assert.equal(shown.length, 15, "the 14 built-in surfaces and your own");
      await screenshot(page, "smoke");

      assert.deepEqual(pageErrors, [], "uncaught page errors");
      assert.deepEqual(consoleErrors, [], "console errors");
      assert.deepEqual(requestErrors, [], "failed requests");
    } finally {
      await context.close();
    }
  });
});
