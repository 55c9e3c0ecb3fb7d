// Screenshots of presets at 1280×800, each opened at a step (t=) so the picture its note
// describes is on screen: `node scripts/preset-shots.mjs OUTDIR name[@t] ...` after `make page`.
import { join } from "node:path";
import { launchBrowser, startServer, waitReady } from "../tests/browser/harness.mjs";

const [out, ...items] = process.argv.slice(2);
const server = await startServer({ dir: join(import.meta.dirname, "..", "dist") });
const browser = await launchBrowser();
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  for (const item of items) {
    const [name, t] = item.split("@");
    await page.goto(`${server.url}?preset=${name}${t ? `&t=${t}` : ""}`);
    await waitReady(page);
    await page.waitForFunction(() => window.gradscapePainted?.(), null, { timeout: 20000 });
    await page.screenshot({ path: join(out, `${name}${t ? "-" + t : ""}.png`), fullPage: true });
    const st = await page.evaluate(() => [...document.querySelectorAll("#status li")].map((li) => li.innerText.replace(/\n/g, " | ")));
    console.log(name, t ?? "", "\n  " + st.join("\n  "));
  }
} finally {
  await browser.close();
  await server.stop();
}
