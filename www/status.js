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
      const li = el("li", {}, el("span", { class: "who" }, sw, el("span")), el("span"), el("span"));
      // The full text as a tooltip, written when the pointer comes (it changes every update).
      li.addEventListener("pointerenter", () => (li.title = S.statusText[i] ?? ""));
      li.addEventListener("click", () => {
        S.selected = i;
        S.dirtyFrame = true;
        updateStatus();
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
    const current = S.info.data_view && i === S.selected ? "true" : "false";
    if (li.getAttribute("aria-current") !== current) li.setAttribute("aria-current", current);
  });
  const step = st.reduce((m, s) => Math.max(m, s.step), 0);
  const steps = keyValue("steps");
  put($("counter"), "textContent", `step ${step} / ${steps}`);
  // The timeline follows the run, except while it is being dragged.
  const scrub = $("scrub");
  put(scrub, "max", steps);
  if (S.pendingSeek === null && !(document.activeElement === scrub && S.lastInput > performance.now() - 400)) put(scrub, "value", String(step));
  S.lastStatus = performance.now();
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
