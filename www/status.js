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
      sw.style.background = S.colourOf(i);
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
  const items = $("status").children;
  const epochs = S.info.examples > 0;
  // An embed's key is narrow: the loss only (the step is in the counter, the rest in the tooltip).
  const compact = document.body.classList.contains("embed");
  st.forEach((s, i) => {
    const li = items[i];
    if (!li) return;
    const [who, nums, state] = li.children;
    const same = st.filter((x) => x.title === s.title).length > 1;
    put(who.children[1], "textContent", same ? `${s.title} #${i + 1}` : s.title);
    let t = `step ${s.step}`;
    if (epochs) t += ` · epoch ${fmt(s.epoch, 3)}`;
    t += ` · L = ${fmt(s.loss)} · ‖∇L‖ = ${fmt(s.grad_norm)} · α = ${fmt(s.lr)}`;
    if (compact) t = `L = ${fmt(s.loss)}`;
    put(nums, "textContent", t);
    put(state, "textContent", s.state === "running" ? "" : s.status);
    put(state, "className", `state-${s.state}`);
    const current = S.info.data_view && i === S.selected ? "true" : "false";
    if (li.getAttribute("aria-current") !== current) li.setAttribute("aria-current", current);
  });
  const step = st.reduce((m, s) => Math.max(m, s.step), 0);
  put($("counter"), "textContent", `step ${step} / ${keyValue("steps")}`);
  S.lastStatus = performance.now();
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
