// Drive an embedded gradscape from a course page, through the playground's postMessage API
// (version gradscape:1; README "Driving an embed"). The playground serves this module beside
// itself as embed.js:
//
//   import * as gradscape from "https://your.site/gradscape/embed.js";
//   const g = await gradscape.attach(document.querySelector("iframe"), { autoheight: true });
//   await g.load({ preset: "momentum-overshoots" });
//   g.on("converged", (e) => console.log(e.name, "converged at step", e.step));
//   await g.play();
//
// Commands resolve once the frame has carried them out and reject with the frame's message
// when it refused them. Messages are exchanged only with the iframe's own window and origin.

export const API = 1;

/**
 * Attach to `iframe` (a gradscape page, usually with `embed=1`): resolves to a handle once
 * the frame is ready. `autoheight`: size the iframe to the frame's `height` events (open it
 * with `autoheight=1`); `timeout`: ms to wait for the frame.
 */
export function attach(iframe, { autoheight = false, timeout = 20000 } = {}) {
  const origin = new URL(iframe.src, location.href).origin;
  const listeners = new Map();
  const pending = new Map();
  let nextId = 1;
  let ready = null;

  const post = (m) => iframe.contentWindow?.postMessage({ gradscape: API, ...m }, origin);
  const fire = (type, event) => {
    for (const fn of listeners.get(type) ?? []) fn(event);
    for (const fn of listeners.get("*") ?? []) fn(event);
  };

  window.addEventListener("message", (e) => {
    if (e.source !== iframe.contentWindow || e.origin !== origin) return;
    const m = e.data;
    if (typeof m !== "object" || m === null || m.gradscape !== API || typeof m.type !== "string") return;
    if ((m.type === "reply" || m.type === "error") && pending.has(m.id)) {
      const { resolve, reject } = pending.get(m.id);
      pending.delete(m.id);
      if (m.type === "reply") resolve(m);
      else reject(new Error(m.message));
    }
    if (m.type === "ready") ready?.(m);
    if (m.type === "height" && autoheight) iframe.height = String(m.height);
    fire(m.type, m);
  });

  /** Send command `type` with `fields`; resolves with the frame's reply. */
  const send = (type, fields = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      post({ type, id, ...fields });
    });

  const handle = {
    origin,
    /** Load a preset (`{preset: "name"}` or its name) or scenario text (`{text}` or a string with `=`). */
    load: (what) => send("load", typeof what === "string" ? (what.includes("=") ? { text: what } : { preset: what }) : what),
    play: () => send("play"),
    pause: () => send("pause"),
    /** Make `n` updates (paused after). */
    step: (n = 1) => send("step", { n }),
    /** Show step `t` of the run. */
    seek: (t) => send("seek", { t }),
    /** Set one parameter: a scenario or page key, `surface`, or optimizer `optimizer`'s (1-based) key. */
    set: (key, value, optimizer) => send("set", { key, value: String(value), ...(optimizer === undefined ? {} : { optimizer }) }),
    /** Listen to event `type` (ready, step, converged, diverged, challenge, height, error, or * for all); returns a function that stops listening. */
    on(type, fn) {
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type).add(fn);
      return () => listeners.get(type)?.delete(fn);
    },
  };

  return new Promise((resolve, reject) => {
    // The frame says `ready` once it has started; one that started before we listened answers `hello`.
    const ask = setInterval(() => post({ type: "hello" }), 250);
    const timer = setTimeout(() => {
      clearInterval(ask);
      reject(new Error(`gradscape at ${origin} did not answer within ${timeout} ms`));
    }, timeout);
    ready = (m) => {
      ready = null;
      clearInterval(ask);
      clearTimeout(timer);
      handle.version = m.version;
      resolve(handle);
    };
    post({ type: "hello" });
  });
}
