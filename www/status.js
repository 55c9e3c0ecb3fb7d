// The status lines (one per optimizer: its colour, rule, numbers and state), the step
// counter, and the hover readout of the local geometry.

import { $, S, el, keyValue } from "./state.js";

/** Compact number for the status line and readouts. */
export function fmt(x, digits = 4) {
  if (x === null || x === undefined) return "—";
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "NaN" : x > 0 ? "∞" : "−∞";
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return x.toExponential(2);
  return String(Number(x.toPrecision(digits)));
}

/** Rebuild the status list when the number of optimizers changed, then fill it. */
export function renderStatusList() {
  const list = $("status");
  const n = S.config.optimizers.length;
  if (list.children.length !== n) {
    const items = [];
    for (let i = 0; i < n; i++) {
      const sw = el("span", { class: "swatch" });
      const who = el("span", { class: "who" }, sw, el("span"));
      const li = el("li", {}, who, el("span"), el("span"));
      // The full text as a tooltip, written when the pointer comes (it changes every update).
      li.addEventListener("pointerenter", () => (li.title = S.statusText[i] ?? ""));
      const follow = () => {
        S.selected = i;
        S.dirtyFrame = true;
        updateStatus();
      };
      li.addEventListener("click", follow);
      // On a data view the name is a toggle button (see updateStatus): Enter and Space press it.
      who.addEventListener("keydown", (e) => {
        if (!S.info.data_view || (e.key !== "Enter" && e.key !== " ")) return;
        e.preventDefault();
        e.stopPropagation();
        follow();
      });
      items.push(li);
    }
    list.replaceChildren(...items);
  }
  updateStatus();
}

/** Set `el[prop]` only if it differs: an unchanged write still costs style and layout. */
function put(el, prop, value) {
  if (el[prop] !== value) el[prop] = value;
}

/** Set attribute `name` to `value` (remove it for null) only if it differs. */
function attr(el, name, value) {
  if (el.getAttribute(name) !== value) value === null ? el.removeAttribute(name) : el.setAttribute(name, value);
}

/** Refresh every status line and the counter. */
export function updateStatus() {
  const st = S.pg.status();
  S.statusText = st.map((s) => s.text);
  S.lines = st;
  renderLegends(st);
  const items = $("status").children;
  const epochs = S.info.examples > 0;
  // An embed's key is narrow: the loss only (the step is in the counter, the rest in the tooltip).
  const compact = document.body.classList.contains("embed");
  st.forEach((s, i) => {
    const li = items[i];
    if (!li) return;
    const [who, nums, state] = li.children;
    const sw = who.children[0];
    put(sw.style, "background", s.colour);
    put(sw, "className", s.line >= 8 ? "swatch second" : "swatch");
    put(who.children[1], "textContent", s.name);
    let t = `step ${s.step}`;
    if (epochs) t += ` · epoch ${fmt(s.epoch, 3)}`;
    t += ` · L = ${fmt(s.loss)} · ‖∇L‖ = ${fmt(s.grad_norm)} · α = ${fmt(s.lr)}`;
    if (compact) t = `L = ${fmt(s.loss)}`;
    put(nums, "textContent", t);
    // A run under another's point is hidden by it: say so, or the key has a line no one sees.
    const under = s.same_point_as ?? null;
    const words = under !== null ? `on ${st[under].name}'s point` : "";
    put(state, "textContent", s.state === "running" ? words : under !== null ? `${s.status} · ${words}` : s.status);
    put(state, "className", under !== null && s.state === "running" ? "state-under" : `state-${s.state}`);
    // On a data view the key chooses whose decision regions are shown: each name is a toggle.
    const dv = S.info.data_view;
    attr(who, "role", dv ? "button" : null);
    attr(who, "tabindex", dv ? "0" : null);
    attr(who, "aria-pressed", dv ? String(i === S.selected) : null);
    attr(who, "title", dv ? "Show this optimizer's decision regions" : null);
  });
  marksKey();
  const step = st.reduce((m, s) => Math.max(m, s.step), 0);
  const steps = keyValue("steps");
  put($("counter"), "textContent", `step ${step} / ${steps}`);
  // The timeline follows the run, except while it is being dragged.
  const scrub = $("scrub");
  put(scrub, "max", steps);
  if (S.pendingSeek === null && !(document.activeElement === scrub && S.lastInput > performance.now() - 400)) put(scrub, "value", String(step));
  S.lastStatus = performance.now();
  S.hooks.status(st);
}

/** The contour's marks for the surface's critical points, as drawn (render/contour_frame.rs). */
const CRITICAL = [
  ["minimum", "✕ minimum"],
  ["saddle", "◇ saddle point"],
  ["maximum", "△ maximum"],
];

/** A key entry: a small copy of the mark (CSS, `mk-KIND`, in colour `c`) and what it means. */
function mark(kind, text, c) {
  const m = el("span", { class: `mk mk-${kind}` });
  m.setAttribute("aria-hidden", "true");
  if (c) m.style.setProperty("--c", c);
  return el("span", { class: "mk-item" }, m, text);
}

/**
 * Say what each mark on the contour means, for the marks it shows now (render/overlay.rs):
 * the start point, the current points (discs, squares for the second eight, red once
 * diverged), Nesterov's look-ahead ring, the step arrows, and the critical points. Rebuilt
 * only when that set changes. None on a data view.
 */
export function marksKey() {
  const box = $("marks-key");
  const st = S.lines ?? [];
  const opts = S.config.optimizers;
  const first = (f) => st.find((s, i) => f(s, opts[i]));
  const disc = first((s) => s.line < 8 && s.state !== "diverged");
  const square = first((s) => s.line >= 8 && s.state !== "diverged");
  const nesterov = first((s, o) => o?.rule === "nesterov" && s.step > 0);
  const diverged = first((s) => s.state === "diverged");
  const arrows = keyValue("arrows") === "true";
  const heavy = first((s, o) => (o?.rule === "momentum" || o?.rule === "nesterov") && s.step > 0);
  const kinds = new Set(S.info.critical.map((c) => c.kind));
  const crit = CRITICAL.filter(([k]) => kinds.has(k)).map(([, text]) => text);
  const sig = [disc?.colour, square?.colour, nesterov?.colour, !!diverged, arrows, heavy?.colour, crit.join()].join("|");
  const hidden = S.info.data_view;
  if (box.hidden === hidden && box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  box.hidden = hidden;
  // An embed keeps its key to one line: the short words, the full ones in its tooltip.
  const compact = document.body.classList.contains("embed");
  const items = [mark("start", compact ? "start" : "start (drag it)")];
  if (disc) items.push(mark("now", "now", disc.colour));
  if (square) items.push(mark("square", "now, lines 9–16", square.colour));
  if (diverged) items.push(mark("now", "diverged", "#c80000"));
  if (nesterov) items.push(mark("ring", "Nesterov's look-ahead", nesterov.colour));
  if (arrows) items.push(mark("arrow", "gradient step −α∇L", "#191919"));
  if (arrows && heavy) items.push(mark("arrow", "momentum step −v", heavy.colour));
  const zero = `${crit.join(" · ")}: where the gradient is zero`;
  if (crit.length) items.push(el("span", { class: "mk-item" }, compact ? crit.join(" · ") : zero));
  box.title = compact && crit.length ? zero : "";
  box.replaceChildren(...items);
}

/** One legend entry: the line's sample (colour; the second eight dashed) and its name. */
function legendItem(s) {
  const mark = el("span", { class: s.line >= 8 ? "mark second" : "mark" });
  mark.style.setProperty("--c", s.colour);
  return el("li", {}, mark, el("span", { textContent: s.name }));
}

/**
 * The contour legend's corner: the one farthest from the start and every current point (in
 * the view's unit square), so the key covers as little of the paths as it can.
 */
function legendCorner(st) {
  const v = S.info.view;
  const pts = [S.info.start, ...st.map((s) => s.theta)].map((p) => [(p[0] - v[0]) / (v[1] - v[0]), (p[1] - v[2]) / (v[3] - v[2])]);
  const corners = { tl: [0.2, 0.88], tr: [0.8, 0.8], bl: [0.2, 0.12], br: [0.8, 0.12] };
  let best = "tl";
  let far = -1;
  for (const [name, [cx, cy]] of Object.entries(corners)) {
    const d = Math.min(...pts.map(([x, y]) => Math.hypot(x - cx, y - cy)));
    if (d > far + 0.05) {
      far = d;
      best = name;
    }
  }
  return best;
}

/** The legends on the contour and the charts, rebuilt only when a name or line changed. */
function renderLegends(st) {
  const box = $("contour-legend");
  if (!S.info.data_view && st.length > 0) put(box, "className", `legend contour-legend at-${legendCorner(st)}`);
  const sig = st.map((s) => `${s.line}:${s.name}`).join("|");
  if (sig === S.legendSig) return;
  S.legendSig = sig;
  for (const box of document.querySelectorAll(".legend")) box.replaceChildren(...st.map(legendItem));
}

/**
 * Hovering (or touching) the loss and learning-rate charts: a cursor line at the step under the
 * pointer and every run's value there, in its colour, read from the engine (`chartAt`).
 */
export function wireChartHover() {
  for (const kind of ["loss", "lr"]) {
    const canvas = $(kind);
    const wrap = canvas.parentElement;
    const line = el("div", { class: "chart-cursor", hidden: true });
    const tip = el("div", { class: "chart-tip", hidden: true });
    wrap.append(line, tip);
    const show = (e) => {
      const box = canvas.getBoundingClientRect();
      let at;
      try {
        at = S.pg.chartAt(kind, e.clientX - box.left, box.width);
      } catch {
        return;
      }
      line.style.left = `${at.px}px`;
      const rows = at.rows.map((r) => {
        const sw = el("span", { class: "swatch" });
        sw.style.background = r.colour;
        const where = r.x === undefined ? "" : ` (${at.x_desc} ${fmt(r.x, 6)})`;
        return el("li", {}, sw, `${r.name}: ${fmt(r.value ?? null)}${Math.abs((r.x ?? at.x) - at.x) > (at.x || 1) * 0.02 ? where : ""}`);
      });
      tip.replaceChildren(el("b", { textContent: `${at.x_desc} ${fmt(at.x, 5)} · ${at.y_desc}` }), el("ul", {}, ...rows));
      // On the side of the cursor with more room.
      tip.classList.toggle("left", at.px > box.width / 2);
      tip.style.setProperty("--x", `${at.px}px`);
      line.hidden = tip.hidden = false;
    };
    const hide = () => (line.hidden = tip.hidden = true);
    canvas.addEventListener("pointermove", show);
    canvas.addEventListener("pointerdown", show);
    canvas.addEventListener("pointerleave", hide);
  }
}

/** The loss, gradient and Hessian at the hovered point. */
export function readout(pt) {
  let g;
  try {
    g = S.pg.pointInfo(pt[0], pt[1]);
  } catch {
    return;
  }
  const box = $("readout");
  if (!Number.isFinite(g.loss)) {
    box.replaceChildren("The loss is not finite at this point.");
    return;
  }
  const axes = S.info.axes;
  const lam = g.eigenvalues.map((x) => fmt(x, 3)).join(", ");
  box.replaceChildren(
    `${axes[0]} = ${fmt(pt[0], 3)}, ${axes[1]} = ${fmt(pt[1], 3)} · L = ${fmt(g.loss)} · ‖∇L‖ = ${fmt(g.grad_norm)} · Hessian eigenvalues (${lam}): `,
    el("b", { textContent: g.kind }),
    Number.isFinite(g.stability_bound) ? ` · GD is locally stable for α < 2/λ_max = ${fmt(g.stability_bound)}` : " · no positive curvature here",
  );
}
