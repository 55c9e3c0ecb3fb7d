// Shared helpers of the browser tests: serve dist/ (the built page) with scripts/serve.py on a free port,
// drive Debian's headless Chromium through playwright-core, collect what goes wrong on
// the page, and save screenshots to test-artifacts/.
//
// Environment: CHROMIUM (default /usr/bin/chromium), PYTHON (default python3), CARGO_TARGET_DIR
// (where `cargo test` built the native CLI; default target/).

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const ARTIFACTS = join(ROOT, "test-artifacts");

/** The native CLI `cargo test` built (debug, else release), or undefined. */
export function cliPath() {
  const dir = process.env.CARGO_TARGET_DIR || join(ROOT, "target");
  return [join(dir, "debug", "gradscape"), join(dir, "release", "gradscape")].find(existsSync);
}

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/**
 * Start scripts/serve.py on a free port. Resolves to { url, stop } once the server has
 * printed its URL; `stop()` ends it and waits for it to exit.
 */
export function startServer({ timeoutMs = 15_000, dir = null } = {}) {
  const python = process.env.PYTHON || "python3";
  const args = [join(ROOT, "scripts", "serve.py"), "--port", "0", ...(dir ? ["--dir", dir] : [])];
  const child = spawn(python, args, {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d) => (stderr += d));

  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };

  return new Promise((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`serve.py printed no URL within ${timeoutMs} ms\n${stdout}${stderr}`));
    }, timeoutMs);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d) => {
      stdout += d;
      const m = stdout.match(/serving on (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], stop });
      }
    });
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`serve.py exited (${code ?? signal}) before serving\n${stdout}${stderr}`));
    });
  });
}

/** Launch headless Chromium (Debian's, never a downloaded build). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
}

/**
 * Open a page on `url` in a fresh context. Console errors and uncaught page errors are
 * collected into `consoleErrors` and `pageErrors`; failed requests into `requestErrors`.
 * `bypassCSP` lets a test inject a script (axe-core) past the page's Content-Security-Policy;
 * `hasTouch` gives the context a touch screen.
 */
export async function openPage(browser, url, { viewport = { width: 1200, height: 800 }, bypassCSP = false, hasTouch = false } = {}) {
  const context = await browser.newContext({ viewport, bypassCSP, hasTouch });
  const page = await context.newPage();
  const consoleErrors = [];
  const pageErrors = [];
  const requestErrors = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") consoleErrors.push(msg.text());
  });
  page.on("pageerror", (err) => pageErrors.push(String(err)));
  page.on("requestfailed", (req) => requestErrors.push(`${req.url()}: ${req.failure()?.errorText}`));
  page.on("response", (res) => {
    if (res.status() >= 400) requestErrors.push(`${res.url()}: HTTP ${res.status()}`);
  });
  await page.goto(url);
  return { page, context, consoleErrors, pageErrors, requestErrors };
}

/** Wait until the page has set body[data-ready]; fails if it reports an error instead. */
export async function waitReady(page, { timeout = 15_000 } = {}) {
  await page.waitForSelector("body[data-ready]", { timeout });
  const ready = await page.evaluate(() => document.body.dataset.ready);
  if (ready !== "1") {
    const text = await page.evaluate(() => document.body.innerText);
    throw new Error(`page reported data-ready=${ready}:\n${text}`);
  }
}

/** Save a full-page PNG as test-artifacts/NAME.png and return its path. */
export async function screenshot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * In a `describe`: serve dist/ and launch Chromium before its tests, close both after.
 * Returns `{ server, browser }`, filled in once the tests run.
 */
export function servedBrowser() {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}
