// Refresh docs/screenshots/: the default page at 1280×800 and 1920×1080, a lesson on a 390-px
// phone and in a 520×420 course iframe, each after two seconds of play. Run `make screenshots`
// (after `make page`); it serves dist/ and drives Debian's Chromium like the browser tests.
import http from "node:http";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { launchBrowser, openPage, startServer, waitReady } from "../tests/browser/harness.mjs";

const OUT = join(import.meta.dirname, "..", "docs", "screenshots");
const LESSON = "preset=momentum-overshoots";
const SHOTS = [
  { name: "laptop-1280x800", query: "", viewport: { width: 1280, height: 800 } },
  { name: "projector-1920x1080", query: LESSON, viewport: { width: 1920, height: 1080 } },
  { name: "phone-390x844", query: LESSON, viewport: { width: 390, height: 844 } },
  { name: "embed-520x420", query: `${LESSON}&embed=1&show=contour,transport,status,loss`, frame: { width: 520, height: 420 } },
];

/** Play for `ms`, pause, and wait until every view is drawn. */
async function play(target, ms) {
  await target.click("#play");
  await new Promise((r) => setTimeout(r, ms));
  await target.click("#play");
  await target.waitForFunction(() => window.gradscapePainted?.(), null, { timeout: 10000 });
}

await mkdir(OUT, { recursive: true });
const server = await startServer({ dir: join(import.meta.dirname, "..", "dist") });
const browser = await launchBrowser();
try {
  for (const s of SHOTS) {
    const url = `${server.url}${s.query ? "?" + s.query : ""}`;
    if (!s.frame) {
      const o = await openPage(browser, url, { viewport: s.viewport });
      await waitReady(o.page);
      await play(o.page, 2000);
      await o.page.screenshot({ path: join(OUT, `${s.name}.png`) });
      await o.context.close();
      continue;
    }
    // The embed, as a course page (another origin) shows it.
    const { width, height } = s.frame;
    const parent = http.createServer((_, res) => {
      res.setHeader("content-type", "text/html");
      res.end(`<!doctype html><link rel="icon" href="data:,"><body style="margin:16px;font-family:sans-serif;background:#eee">` +
        `<p>A course page with an embedded lesson:</p><iframe id="f" src="${url.replace(/&/g, "&amp;")}" width="${width}" height="${height}" style="border:1px solid #999;background:#fff"></iframe></body>`);
    });
    await new Promise((r) => parent.listen(0, "127.0.0.1", r));
    const o = await openPage(browser, `http://127.0.0.1:${parent.address().port}/`, { viewport: { width: width + 32, height: height + 80 } });
    const frame = await (await o.page.waitForSelector("#f")).contentFrame();
    await frame.waitForSelector("body[data-ready='1']");
    await play(frame, 2000);
    await o.page.screenshot({ path: join(OUT, `${s.name}.png`) });
    await o.context.close();
    parent.close();
  }
  console.log(`screenshots: ${SHOTS.map((s) => s.name).join(", ")} in docs/screenshots/`);
} finally {
  await browser.close();
  await server.stop();
}
