// The course kit: the embed API a parent page drives the playground with (gradscape:1 over
// postMessage), a challenge's goal and progress, the controls it locks, the guided tour, and
// the service worker that keeps the playground working offline.

import { $, S, keyValue, runChanged } from "./state.js";
import { fmt } from "./status.js";

/** The API's version: every message in and out carries `gradscape: API`. */
export const API = 1;
/** `step` events go out at most this often while the run moves (ms). */
const STEP_EVERY = 250;
/** The largest `step` command (updates). */
const MAX_STEP = 1_000_000;

// (The bundle also runs as the painter worker, which has no window.)
const embedded = typeof window !== "undefined" && window.parent !== window;

/**
 * The parent origin the frame answers to: `origin=` of the link it was opened with, fixed for
 * the frame's life (a scenario loaded later cannot widen it). "" takes any parent.
 */
let allowed = "";

/** Post event `type` with `fields` to the parent page (only numbers and the page's own text go out). */
export function emit(type, fields = {}) {
  if (!embedded) return;
  window.parent.postMessage({ gradscape: API, type, ...fields }, allowed || "*");
}

// ---------------------------------------------------------------- commands from the parent

const isInt = (x, lo, hi) => Number.isInteger(x) && x >= lo && x <= hi;
const isText = (x, max = 16384) => typeof x === "string" && x.length <= max;

/**
 * Check one command and say what is wrong with it ("" when it is well formed). Only plain
 * fields of known types are read: nothing in a message is evaluated.
 */
function problem(m) {
  switch (m.type) {
    case "load":
      if (isText(m.text) === isText(m.preset, 100)) return "load needs exactly one of text (scenario text) or preset (a preset's name)";
      if (m.preset !== undefined && !S.cat.presets.some((p) => p.name === m.preset))
        return `load: no preset "${String(m.preset).slice(0, 60)}"; use one of ${S.cat.presets.map((p) => p.name).join(", ")}`;
      return "";
    case "hello":
    case "play":
    case "pause":
      return "";
    case "step":
      return isInt(m.n ?? 1, 1, MAX_STEP) ? "" : `step: n must be a whole number in [1, ${MAX_STEP}]`;
    case "seek":
      return isInt(m.t, 0, Number(keyValue("steps"))) ? "" : `seek: t must be a whole number in [0, ${keyValue("steps")}] (the scenario's steps)`;
    case "set":
      if (!isText(m.key, 40) || !isText(m.value, 4096)) return "set needs key and value, both strings";
      if (m.optimizer !== undefined && !isInt(m.optimizer, 1, S.config.optimizers.length))
        return `set: optimizer must be a whole number in [1, ${S.config.optimizers.length}] (1 is the first)`;
      return "";
    default:
      return `unknown command "${String(m.type).slice(0, 40)}"; the commands are hello, load, play, pause, step, seek and set`;
  }
}

/** Carry out a checked command; returns an error message or "". */
function run(m, page) {
  switch (m.type) {
    case "load":
      return m.preset !== undefined ? page.choosePreset(m.preset) : page.loadText(m.text);
    case "play":
      page.setPlaying(true);
      return "";
    case "pause":
      page.setPlaying(false);
      return "";
    case "step":
      page.setPlaying(false);
      S.pg.step(m.n ?? 1);
      runChanged();
      return "";
    case "seek":
      page.setPlaying(false);
      page.seek(m.t);
      return "";
    case "set": {
      const i = m.optimizer === undefined ? -1 : m.optimizer - 1;
      const edit =
        i >= 0 ? (pg) => pg.setParam(i, m.key, m.value) : m.key === "surface" ? (pg) => pg.setSurface(m.value) : (pg) => pg.setKey(m.key, m.value);
      return page.apply(edit) ? "" : S.lastError ?? "the change was refused";
    }
  }
  return "";
}

/**
 * Take commands from the parent page: only from `window.parent`, only gradscape:1 messages,
 * and only from the origin named by `origin=` when there is one. Anything else is ignored
 * without a word (it may be another script's message); a malformed gradscape:1 command from
 * the parent gets an `error` event naming what is wrong. `page` holds the page's own actions
 * (load, seek, play…), so that a command does exactly what the controls do.
 */
export function wireApi(page) {
  if (!embedded) return;
  allowed = keyValue("origin");
  window.addEventListener("message", (e) => {
    if (e.source !== window.parent || (allowed && e.origin !== allowed)) return;
    const m = e.data;
    if (typeof m !== "object" || m === null || Array.isArray(m) || m.gradscape !== API) return;
    const id = isInt(m.id, 0, Number.MAX_SAFE_INTEGER) ? m.id : undefined;
    if (m.type === "hello") return ready(page);
    let message = problem(m);
    if (!message) {
      try {
        message = run(m, page);
      } catch (err) {
        message = err?.message ?? String(err);
      }
    }
    if (message) emit("error", { command: String(m.type).slice(0, 40), message, id });
    else emit("reply", { command: m.type, id, step: S.pg.currentStep() });
  });
  ready(page);
}

/** Tell the parent the frame is ready, with what it shows. */
function ready(page) {
  emit("ready", { version: page.version, text: S.pg.text(), step: S.pg.currentStep(), optimizers: S.pg.status().map((s) => s.name), challenge: S.pg.challenge() });
}

// ---------------------------------------------------------------- events from the runs

let lastStep = -1;
let lastStepSent = -Infinity;
let stepTimer = 0;
/** Each optimizer's last state, to send `converged` and `diverged` once per change. */
let states = [];
let verdict = "";

/** A new scenario: its states and its challenge start afresh. */
export function scenarioLoaded() {
  states = [];
  verdict = "";
  lastStep = -1;
}

/**
 * After the controls are rebuilt (a new scenario or an edit): the tour's bar, the challenge's
 * goal and what it locks, and the locked controls disabled. What changes with every update
 * (the challenge's progress) follows the status instead (`statusShown`).
 */
export function showKit() {
  showTour();
  showGoal();
  applyLocks();
}

/** After each refresh of the status (`st`: the engine's status list): the challenge's progress, and the parent's events. */
export function statusShown(st) {
  showProgress();
  if (!embedded) return;
  st.forEach((s, i) => {
    const was = states[i];
    if (was !== undefined && was !== s.state && (s.state === "converged" || s.state === "diverged"))
      emit(s.state, { optimizer: i + 1, name: s.name, step: s.step, loss: s.loss, status: s.status });
    states[i] = s.state;
  });
  states.length = st.length;
  const step = st.reduce((m, s) => Math.max(m, s.step), 0);
  if (step === lastStep) return;
  lastStep = step;
  const send = () => {
    lastStepSent = performance.now();
    emit("step", {
      step: lastStep,
      runs: S.lines.map((s) => ({ name: s.name, rule: s.rule, step: s.step, loss: s.loss, grad_norm: s.grad_norm, state: s.state })),
    });
  };
  clearTimeout(stepTimer);
  const wait = lastStepSent + STEP_EVERY - performance.now();
  if (wait <= 0) send();
  else stepTimer = setTimeout(send, wait);
}

// ---------------------------------------------------------------- the challenge

/** Show the challenge's goal and what it keeps fixed (or hide the box: no goal). */
function showGoal() {
  const c = S.pg.challenge();
  $("challenge").hidden = !c;
  if (!c) return;
  $("challenge-goal").textContent = `reach ${c.goal}${c.within ? ` within ${c.within} steps` : ""}.`;
  const locks = keyValue("lock");
  const choices = S.cat.params.find((p) => p.key === "lock")?.choices ?? [];
  const names = locks ? locks.split(",").map((n) => choices.find((c) => c.name === n)?.label ?? n) : [];
  const words = names.length ? `Fixed by the challenge: ${names.join("; ")}.` : "";
  // An embed is small: the names of what is fixed, the words in the tooltip.
  const box = $("challenge-locks");
  box.textContent = names.length && keyValue("embed") === "true" ? `Fixed: ${locks.split(",").join(", ")}.` : words;
  box.title = words;
}

/** Show the challenge's progress; tell the parent once it passes or fails. */
function showProgress() {
  const c = S.pg.challenge();
  if (!c) return;
  const best = c.best === undefined ? "no value yet" : `best so far ${fmt(c.best)} (${c.best_by})`;
  const budget = c.within ? `step ${c.step} of ${c.within}` : `step ${c.step}`;
  const result = $("challenge-result");
  const text =
    c.state === "passed" ? `✓ Passed: ${c.by} reached it at step ${c.passed_at}.` : c.state === "failed" ? `✗ Not reached: ${best}. Change a setting and try again.` : `${budget} · ${best}`;
  // Written only when they change: an unchanged write still costs style and layout.
  if (result.textContent !== text) result.textContent = text;
  const cls = `challenge-result ${c.state}`;
  if (result.className !== cls) result.className = cls;
  if (c.state !== "pending" && c.state !== verdict) {
    emit("challenge", { state: c.state, goal: c.goal, within: c.within, step: c.passed_at ?? c.step, by: c.by, optimizer: c.by_index === undefined ? undefined : c.by_index + 1, best: c.best });
  }
  verdict = c.state;
}

/** Whether the challenge locks `what` (a name of `lock=`: surface, start, rule, lr, params, optimizers). */
export function locked(what) {
  const v = keyValue("lock");
  return v !== "" && v.split(",").includes(what);
}

/**
 * Disable the controls the challenge locks (the engine refuses those edits anyway; this says
 * so before they are tried). Run after the controls are rebuilt.
 */
function applyLocks() {
  if (!keyValue("lock")) return;
  const off = (e) => {
    if (!e) return;
    e.disabled = true;
    e.title = "Fixed by this challenge";
  };
  const rowOf = (e) => (e.dataset.row !== undefined ? S.cat.params[Number(e.dataset.row)] : null);
  if (locked("surface")) [$("surface"), $("custom-expr"), ...$("surface-params").querySelectorAll("input")].forEach(off);
  if (locked("start")) [$("start-x"), $("start-y")].forEach(off);
  if (locked("optimizers")) {
    off($("add-opt"));
    for (const b of $("optimizers").querySelectorAll(".opt-head button:not(.line-swatch)")) off(b);
  }
  if (locked("rule")) for (const s of $("optimizers").querySelectorAll(".opt-head select")) off(s);
  for (const e of $("optimizers").querySelectorAll(".params input, .params select, .lr-slider input")) {
    const r = rowOf(e);
    if (!r || r.scope === "line") continue;
    const lr = r.key === "lr" || r.scope === "schedule";
    if (locked(lr ? "lr" : "params")) off(e);
  }
}

// ---------------------------------------------------------------- the tour

/** The tour's stops and where the page is in it: `{stops, at}` (at −1 when off its stops). */
function tourPlace() {
  const stops = S.pg.tourStops();
  const at = stops.indexOf(S.config.preset ?? "");
  if (at >= 0) S.tourAt = at;
  return { stops, at };
}

/** Show the tour's bar: which stop of how many, with Back and Next. */
function showTour() {
  const bar = $("tour");
  const { stops, at } = tourPlace();
  bar.hidden = stops.length === 0;
  if (!stops.length) return;
  const here = at >= 0 ? at : S.tourAt;
  $("tour-where").textContent = at >= 0 ? `Tour: stop ${at + 1} of ${stops.length}` : `Tour: edited stop ${here + 1} of ${stops.length}`;
  const prog = $("tour-progress");
  prog.max = stops.length;
  prog.value = here + 1;
  $("tour-back").disabled = at === 0;
  $("tour-next").disabled = at === stops.length - 1;
}

/**
 * Go `delta` stops on (its preset, keeping the tour and the frame's page keys). Off the stops
 * (the stop's scenario edited), Back reopens the stop left and Next the one after it.
 */
function goTour(page, delta) {
  const { stops, at } = tourPlace();
  const next = at >= 0 ? at + delta : S.tourAt + Math.max(delta, 0);
  page.choosePreset(stops[Math.max(0, Math.min(stops.length - 1, next))]);
}

/** Wire the tour's buttons; a tour link without a preset (or off its stops) opens its first stop. */
export function wireTour(page) {
  $("tour-back").addEventListener("click", () => goTour(page, -1));
  $("tour-next").addEventListener("click", () => goTour(page, 1));
  const { stops, at } = tourPlace();
  if (stops.length && at < 0 && !S.config.preset) page.choosePreset(stops[0], { replace: true });
}

// ---------------------------------------------------------------- offline

/**
 * Keep the playground working offline: the service worker (`sw.js`, written by the build with
 * the version of every file it caches) serves each version from its own cache. A new version
 * waits until no page of the old one is open, so a page never mixes old and new files; the
 * page offers to switch at once.
 */
export function registerOffline() {
  if (!("serviceWorker" in navigator) || !location.protocol.startsWith("http")) return;
  navigator.serviceWorker
    .register("./sw.js")
    .then((reg) => {
      const offer = () => {
        if (!reg.waiting || !navigator.serviceWorker.controller) return;
        const box = $("update");
        box.hidden = false;
        $("update-now").onclick = () => reg.waiting?.postMessage({ gradscape: API, type: "activate" });
      };
      // The page's own navigation may have found the new version before this ran: follow a
      // worker already installing as well as one found later, and ask once more ourselves.
      const follow = () => reg.installing?.addEventListener("statechange", offer);
      offer();
      follow();
      reg.addEventListener("updatefound", follow);
      reg.update().catch(() => {}); // offline: the cached version stays
      let reloading = false;
      navigator.serviceWorker.addEventListener("controllerchange", () => {
        if (!reloading && !$("update").hidden) {
          reloading = true;
          location.reload();
        }
      });
    })
    .catch(() => {}); // no sw.js (the unbuilt page in www/) or a browser that refuses: online only
}
