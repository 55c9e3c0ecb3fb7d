// Copy as NumPy / PyTorch: the page's script is the CLI's (`gradscape code`) for the same
// scenario, data set included; tests/python/code_matches.py runs the scripts themselves.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { cliPath, openPage, servedBrowser, waitReady } from "./harness.mjs";

describe("code export", () => {
  const env = servedBrowser();

  it("Copy as NumPy and Copy as PyTorch copy the CLI's scripts, rows and all", async () => {
    const exe = cliPath();
    assert.ok(exe, "the gradscape CLI is built (cargo build) before the browser tests");
    const text = "v=1&surface=linreg&data=0,1;1,2.5;2,2.9;3,4.2&steps=40&opt=gd:lr=0.05&opt=nesterov:lr=0.02&opt=adam:lr=0.1,batch=2,schedule=exp,k=0.01";
    const a = await openPage(env.browser, `${env.server.url}?${text}`);
    await a.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.server.url });
    await waitReady(a.page);
    await a.page.click("#copy-link");
    const link = new URL(await a.page.evaluate(() => navigator.clipboard.readText()));
    const scenario = decodeURIComponent(link.search.slice(1));
    for (const [lang, label, marks] of [
      ["numpy", "Copy as NumPy", ["import numpy as np", "class Nesterov:", "class ExpDecay:", "    [3.0, 4.2],"]],
      ["pytorch", "Copy as PyTorch", ["import torch", "torch.optim.SGD(p, lr=0.05)", "class Nesterov(torch.optim.Optimizer):", "torch.optim.Adam(", "LambdaLR"]],
    ]) {
      await a.page.evaluate(() => navigator.clipboard.writeText(""));
      await a.page.click("#export-menu summary");
      const button = `[data-code=${lang}]`;
      assert.equal((await a.page.textContent(button)).trim(), label);
      await a.page.click(button);
      await a.page.waitForFunction((b) => document.querySelector(b).textContent.includes("Copied"), button);
      const script = await a.page.evaluate(() => navigator.clipboard.readText());
      const want = execFileSync(exe, ["code", "--lang", lang, scenario], { encoding: "utf8" });
      assert.equal(script, want, `${lang}: the page's script is the CLI's`);
      for (const m of marks) assert.ok(script.includes(m), `${lang} script has ${m}`);
      await a.page.keyboard.press("Escape");
    }
    assert.equal(await a.page.isVisible("#notice"), false, "no notice");
    await a.context.close();
  });
});
