// The page's state and the one way it changes the scenario: an edit call on the engine's
// handle (Rust writes and checks every scenario), then redraw what the returned change says.

export const $ = (id) => document.getElementById(id);

/** A drag or a slide counts as going on until this long after its last input (ms). */
export const SETTLE = 150;

/** The user dragged the start point or moved a slider just now. */
export function noteInput() {
  const now = performance.now();
  if (now - S.lastInput >= SETTLE) S.inputSince = now;
  S.lastInput = now;
}

/** The engine's settings changed: `S.config` is read again when next used. */
export function configChanged() {
  S.configCache = null;
}

/** Everything the page holds; the scenario itself lives only in the engine (`S.pg`). */
export const S = {
  pg: null,
  cat: null,
  /** The engine's `config()`: the current value of every setting, by catalog row; read when first needed after an edit (`configChanged`). */
  get config() {
    return (this.configCache ??= this.pg.config());
  },
  configCache: null,
  info: null,
  playing: false,
  dragging: false,
  /** What needs drawing: the background, the trail and marker layers, the charts, 3-D. */
  dirtyBg: true,
  dirtyFrame: true,
  dirtyCharts: true,
  dirtyStatus: true,
  dirty3d: true,
  /** When the user last dragged the start point or moved a slider, and when that gesture began (performance.now()). */
  lastInput: -Infinity,
  inputSince: -Infinity,
  /** A start point dragged to, applied at the next frame (pointer.js). */
  pendingStart: null,
  /** A step the timeline was dragged to, shown at the next frame; updates owed by a fractional speed. */
  pendingSeek: null,
  stepDebt: 0,
  /** Views scrolled out of sight (or hidden) are not drawn until they come back. */
  offscreen: new Set(),
  selected: 0,
  /** The last status of each optimizer (name, line, colour, numbers), and the legends' names and lines as drawn. */
  lines: [],
  legendSig: null,
  /** The SVG exporter's module, once loaded (share.js). */
  svgReady: null,
  dpr: 0,
  /** A point to give the hover readout for at the next frame (pointer.js). */
  hover: null,
  /** The data point under the pointer, whose eigen-directions the overlay shows, or null. */
  cursor: null,
  /** The painter (www/painter.js): send it a message; its canvases' sizes [w, h] by id. */
  paint: null,
  sizes: {},
  sizesChanged: false,
  /** The text last sent to the painter, the last state's number and the last it painted. */
  sentText: null,
  seq: 0,
  painted: -1,
  painterIdle: false,
  painterMemory: 0,
  /** Pending PNG exports, by request number. */
  exports: new Map(),
  /** Refused values by field id: { value typed, message }, shown beside the field until fixed. */
  fieldErrors: new Map(),
  yaw: 0.7,
  pitch: 0.45,
  /** The lesson last shown ("title|preset"): a new one opens its note (showLesson in app.js). */
  lessonShown: null,
  /** Watches the page's height for an autoheight embed (tellHeight in app.js). */
  heightWatch: null,
  lastStatus: 0,
  /** Each status line's full text (its tooltip, written when the pointer comes). */
  statusText: [],
  lastReadout: 0,
  lastCharts: 0,
  last3d: 0,
  urlTimer: 0,
  /** Whether the next address written starts a history entry, and when one was last written. */
  urlPush: false,
  urlWritten: -Infinity,
  /** This page's entries in the browser's history: the one shown and the newest. */
  history: { at: 0, top: 0 },
  /** Set by app.js: rebuild the controls, apply page options. */
  hooks: { render() {}, page() {}, history() {}, status() {} },
  /** The tour's stop last shown (course.js). */
  tourAt: 0,
};

/** The run changed (stepped, restarted, edited): every view that shows it needs drawing. */
export function runChanged() {
  S.dirtyFrame = true;
  S.dirtyCharts = true;
  S.dirty3d = true;
}

/** The catalog row of id `id`. */
export const row = (id) => S.cat.params[id];

/** The current value text of top-level key `key` ("" when not set), in `config` (the page's by default). */
export function keyValue(key, config = S.config) {
  return config.keys.find((k) => k.key === key)?.value ?? "";
}


export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") e.className = v;
    else if (k in e) e[k] = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// ---------------------------------------------------------------- notices

export function showNotice(title, lines = []) {
  const box = $("notice-text");
  box.replaceChildren(el("strong", { textContent: title }));
  if (lines.length) box.append(el("ul", {}, ...lines.map((l) => el("li", { textContent: l }))));
  $("notice").hidden = false;
}

export function hideNotice() {
  // Written only when it changes: an attribute write restyles even when the value is the same.
  const n = $("notice");
  if (!n.hidden) n.hidden = true;
}

export function markInvalid(input, message) {
  // Fields holding a refused value stay marked until they are fixed (showFieldErrors).
  document.querySelectorAll("[aria-invalid=true]").forEach((e) => S.fieldErrors.has(e.id) || e.removeAttribute("aria-invalid"));
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.title = message;
  }
}

/**
 * Show each refused value where it was typed: the field keeps the text and is marked
 * invalid, with the reason right after it (announced: role=alert). Run after the controls
 * are rebuilt; a field no longer on the page forgets its error.
 */
export function showFieldErrors() {
  for (const [id, { value, message }] of S.fieldErrors) {
    const input = document.getElementById(id);
    if (!input) {
      S.fieldErrors.delete(id);
      continue;
    }
    if (input.tagName === "INPUT" && input.type !== "checkbox") input.value = value;
    input.setAttribute("aria-invalid", "true");
    const note = el("p", { class: "field-error", id: `${id}-error`, textContent: message });
    note.setAttribute("role", "alert");
    input.setAttribute("aria-describedby", note.id);
    document.getElementById(note.id)?.remove();
    (input.closest("label") ?? input).after(note);
  }
}

// ---------------------------------------------------------------- edits

/**
 * Apply one edit through the engine (`edit(pg)` calls one of its setters and returns the
 * change). Refused edits leave everything as it was and say why. Returns whether it applied.
 * `live`: a slider being dragged (the controls are not rebuilt); `page: false`: the edit
 * cannot change a page option, so the page's layout is not re-applied; `drawn: false`: no view
 * draws what it changes (a key only links carry), so none is redrawn.
 */
export function apply(edit, source, { live = false, page = true, drawn = true } = {}) {
  let change;
  try {
    change = edit(S.pg);
  } catch (e) {
    const message = e?.message ?? String(e);
    S.lastError = message;
    // A field with an id gets the reason beside it and keeps what was typed; others get a notice.
    if (source?.id && !live) S.fieldErrors.set(source.id, { value: source.value ?? "", message });
    else showNotice("That change was not applied", [message]);
    markInvalid(source, message);
    const focused = source && source === document.activeElement;
    if (!live) S.hooks.render();
    // The rebuilt field takes the focus back, so the user can go on typing.
    if (focused && source.id) document.getElementById(source.id)?.focus();
    return false;
  }
  S.lastError = null;
  if (source?.id && S.fieldErrors.delete(source.id)) document.getElementById(`${source.id}-error`)?.remove();
  markInvalid(null);
  hideNotice();
  configChanged();
  if (change.surface || change.view) S.info = S.pg.surfaceInfo();
  if (change.surface) S.selected = 0;
  S.dirtyBg = S.dirtyBg || change.surface || change.view;
  if (drawn || change.restarted) runChanged();
  if (live) noteInput();
  if (!live) S.hooks.render();
  // An optimizer's parameter changes no page option: its live slider skips that work.
  if (page) S.hooks.page();
  scheduleUrl();
  return true;
}

/**
 * History entry `at` of the scenario as it is: its address, and in its state the number and,
 * for a text too long for a link (a large data set), the text itself, which Back, Forward and
 * a reload reopen, while a link made of the address would be refused.
 */
export function historyEntry(at) {
  const text = S.pg.text();
  return { state: { gradscape: at, ...(text.length > S.cat.max_link ? { text } : {}) }, url: "?" + text };
}

/** Edits closer together than this (ms) make one entry of the history (one undo). */
const HISTORY_MERGE = 1000;

/**
 * Keep the address bar on the scenario's text (debounced). Edits go into the history so
 * Back, Forward and undo walk through them: a burst of edits (a slider's drag, typing) is one
 * entry; `push` starts a new entry whatever the time (a preset chosen).
 */
export function scheduleUrl({ push = false } = {}) {
  clearTimeout(S.urlTimer);
  S.urlPush ||= push;
  S.urlTimer = setTimeout(writeUrl, 250);
}

/** Write a scheduled address now (before undo, redo or leaving). */
export function writeUrl() {
  clearTimeout(S.urlTimer);
  const now = performance.now();
  const push = S.urlPush || now - S.urlWritten > HISTORY_MERGE;
  const { state, url } = historyEntry(S.history.at + (push ? 1 : 0));
  if (location.search !== url) {
    if (push) {
      S.history.at = S.history.top = S.history.at + 1;
      history.pushState(state, "", url);
    } else history.replaceState(state, "", url);
    S.hooks.history();
  }
  S.urlPush = false;
  S.urlWritten = now;
}
