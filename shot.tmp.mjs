import { chromium } from "playwright-core";
const [url, out, w = "1280", h = "800"] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const p = await (await b.newContext({ viewport: { width: +w, height: +h } })).newPage();
await p.goto(url);
await p.waitForSelector("body[data-ready]");
await p.waitForTimeout(800);
if (process.env.PLAY) { await p.click("#play"); await p.waitForTimeout(+process.env.PLAY); }
await p.screenshot({ path: out });
await b.close();
