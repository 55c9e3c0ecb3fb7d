// The scenario controls, built from the engine's catalog (the parameter table) and its
// config: the surface picker and its parameters, the run's keys, the page options bound by
// `data-key`, and one card per optimizer. Nothing here knows a default, a range or a list:
// each control reads its row. Built with DOM calls only: no user text goes through innerHTML.

import { renderData, wireData } from "./data.js";
import { $, S, apply, el, keyValue, row } from "./state.js";

/** "a number in (0, 10000]" and the help of a row, for a control's tooltip. */
function tip(r) {
  return `${r.help}: ${r.range}${r.default ? `; default ${r.default}` : ""}`;
}

/** A labelled text field committing on change (blur or Enter). */
function field(r, value, onCommit, { id, label } = {}) {
  const kind = r.kind === "text" ? "text" : "decimal";
  const input = el("input", { inputMode: kind, autocomplete: "off", value: value ?? "", title: tip(r) });
  if (id) input.id = id;
  input.dataset.param = r.key;
  input.dataset.row = String(r.id);
  input.addEventListener("change", () => onCommit(input.value.trim(), input));
  // A key that only repeats the symbol ("a a", "N n") gives way to the row's words.
  const name = label ?? (r.key.toLowerCase() === r.symbol.toLowerCase() ? r.help : r.key);
  return el("label", {}, el("span", { class: "name" }, el("span", { class: "sym" }, r.symbol), name ? ` ${name}` : ""), input);
}

/** A checkbox for a bool row. */
function checkbox(r, value, onCommit, { id } = {}) {
  const input = el("input", { type: "checkbox", checked: value === "true", title: tip(r) });
  if (id) input.id = id;
  input.dataset.param = r.key;
  input.dataset.row = String(r.id);
  input.addEventListener("change", () => onCommit(input.checked ? "true" : "false", input));
  // The box first, then words (the symbol alone, "f↑", says nothing): centred on each other.
  return el("label", { class: "check", title: tip(r) }, input, el("span", {}, el("span", { class: "sym" }, r.symbol), ` ${r.help}`));
}

/** Fill a select with a choice row's choices. */
function fillChoices(select, r) {
  select.replaceChildren(...r.choices.map((c) => el("option", { value: c.name, textContent: c.label })));
  select.dataset.row = String(r.id);
}

/** A select for a choice row. */
function chooser(r, value, onCommit, { id } = {}) {
  const select = el("select", { title: tip(r) });
  if (id) select.id = id;
  fillChoices(select, r);
  select.value = value;
  select.dataset.param = r.key;
  select.addEventListener("change", () => onCommit(select.value, select));
  return el("label", {}, el("span", { class: "name" }, el("span", { class: "sym" }, r.symbol), ` ${r.key.toLowerCase() === r.symbol.toLowerCase() ? r.help : r.key}`), select);
}

/** Slider position (0–1) of value `v` on a row's slider, and back. */
export function toSlider(s, v) {
  const t = s.log ? (Math.log(v) - Math.log(s.lo)) / (Math.log(s.hi) - Math.log(s.lo)) : (v - s.lo) / (s.hi - s.lo);
  return Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0));
}
export function fromSlider(s, t, integer) {
  const v = s.log ? Math.exp(Math.log(s.lo) + t * (Math.log(s.hi) - Math.log(s.lo))) : s.lo + t * (s.hi - s.lo);
  return integer ? Math.round(v) : Number(v.toPrecision(3));
}

/** A slider over a row's slider range, live while dragged. */
function slider(r, value, onInput, label) {
  const input = el("input", { type: "range", min: "0", max: "1", step: "0.002", value: String(toSlider(r.slider, Number(value))) });
  input.setAttribute("aria-label", label);
  input.dataset.row = String(r.id);
  input.addEventListener("input", () => onInput(fromSlider(r.slider, Number(input.value), r.kind === "whole")));
  return input;
}

/**
 * A page slider's value at position `t`: whole numbers from 1 up (updates per frame), two
 * significant digits below (a fraction of an update per frame: slow play).
 */
function pageSlider(r, t) {
  const v = fromSlider(r.slider, t, false);
  return v >= 1 ? Math.round(v) : Number(v.toPrecision(2));
}

/** The control of a row with value `value`, committing through `commit(text, element)`. */
function control(r, value, commit, opts) {
  if (r.kind === "bool") return checkbox(r, value, commit, opts);
  if (r.kind === "choice") return chooser(r, value, commit, opts);
  return field(r, value, commit, opts);
}

/** The line (colour) of optimizer `o` at place `i`: its `colour` key, else its place. */
export function lineOf(o, i) {
  const v = o.params.find((p) => p.key === "colour")?.value;
  return v ? Number(v) : i;
}

export class Controls {
  constructor() {
    const sel = $("surface");
    for (const s of S.cat.surfaces) sel.append(el("option", { value: s.name, textContent: s.title }));
    sel.addEventListener("change", () => apply((pg) => pg.setSurface(sel.value), sel));
    $("custom-grammar").textContent = `Exact gradient and Hessian by automatic differentiation. ${S.cat.grammar}.`;
    $("custom-expr").addEventListener("change", () => {
      const input = $("custom-expr");
      const ok = apply((pg) => pg.setExpression(input.value), input);
      this.showExprError(ok ? null : S.lastError, input.value);
    });
    $("add-opt").addEventListener("click", () => {
      apply((pg) => pg.addOptimizer(""), $("add-opt"));
      const cards = $("optimizers").querySelectorAll(".opt-card select");
      cards[cards.length - 1]?.focus();
    });
    this.wirePage();
    wireData();
  }

  /** Page options live beside the views they change: each element names its key. */
  wirePage() {
    for (const e of document.querySelectorAll("[data-key]")) {
      const r = S.cat.params.find((p) => p.key === e.dataset.key && p.scope === "page");
      if (!r) continue;
      e.dataset.row = String(r.id);
      e.title = tip(r);
      if (r.kind === "choice") fillChoices(e, r);
      if (e.type === "range") {
        e.min = "0";
        e.max = "1";
        e.step = "0.001";
      }
      const commit = (v) => apply((pg) => pg.setKey(r.key, v), e, { live: true });
      if (e.type === "checkbox") e.addEventListener("change", () => commit(e.checked ? "true" : "false"));
      else if (e.type === "range") e.addEventListener("input", () => commit(String(pageSlider(r, Number(e.value)))));
      else e.addEventListener("change", () => commit(e.value));
    }
  }

  /** Show the page options' values. */
  renderPage() {
    for (const e of document.querySelectorAll("[data-key]")) {
      const r = e.dataset.row !== undefined ? row(Number(e.dataset.row)) : null;
      if (!r) continue;
      const v = keyValue(r.key);
      if (e.type === "checkbox") e.checked = v === "true";
      else if (e.type === "range") {
        if (document.activeElement !== e) e.value = String(toSlider(r.slider, Number(v)));
      } else e.value = v;
      const out = document.querySelector(`output[for="${e.id}"]`);
      if (out) out.textContent = Number(v) < 1 ? `${Number((Number(v) * 60).toPrecision(2))} / s` : `${v} ${r.unit}`;
    }
  }

  /** Show where an expression went wrong: the message, and the text with a caret under it. */
  showExprError(message, text) {
    const box = $("custom-error");
    if (!message) {
      box.hidden = true;
      $("custom-expr").removeAttribute("aria-invalid");
      return;
    }
    const m = /at (\d+): /.exec(message);
    const detail = message.replace(/^.*?surface custom: f = ".*?": /s, "");
    box.textContent = m ? `${text}\n${" ".repeat(Number(m[1]))}^\n${detail}` : detail;
    box.hidden = false;
  }

  /** Rebuild every control from the config, the surface info and each optimizer's warning. */
  render(warnings) {
    const c = S.config;
    const info = S.info;
    $("surface").value = c.surface;
    const custom = c.surface === "custom";
    $("custom-box").hidden = !custom;
    const expr = $("custom-expr");
    // Keep what the person typed while it is being edited or shown as wrong.
    if (custom && document.activeElement !== expr && expr.getAttribute("aria-invalid") !== "true") {
      expr.value = c.expression ?? "";
    }
    const surface = S.cat.surfaces.find((s) => s.name === c.surface);
    $("surface-help").textContent = surface?.help ?? "";
    // Rows typed for another surface do not belong to this one.
    if (this.dataSurface !== c.surface) {
      this.dataSurface = c.surface;
      $("data-csv").value = "";
      $("data-own").open = false;
    }
    renderData(surface);
    $("surface-params").replaceChildren(
      ...c.surface_params.map((p) =>
        field(row(p.id), p.value, (v, input) => apply((pg) => pg.setSurfaceParam(p.key, v), input), { id: `surface-${p.key}` }),
      ),
    );
    const keys = [];
    const more = [];
    for (const k of c.keys) {
      const r = row(k.id);
      if (r.scope !== "scenario") continue;
      if (r.kind === "point") {
        const start = k.value ? k.value.split(",") : info.start.map(String);
        const editable = info.dim === 2;
        const axis = (j) => {
          const f = field(
            r,
            start[j],
            (v, input) => {
              const s = [...(k.value ? k.value.split(",") : info.start.map(String))];
              s[j] = v;
              apply((pg) => pg.setKey("start", s.join(",")), input);
            },
            { id: `start-${"xy"[j]}`, label: `${r.key} ${info.axes[j]}` },
          );
          f.querySelector("input").disabled = !editable;
          return f;
        };
        keys.push(axis(0), axis(1));
      } else {
        more.push(control(r, k.value, (v, input) => apply((pg) => pg.setKey(r.key, v), input), { id: `key-${r.key}` }));
      }
    }
    // The start point beside the surface's parameters; the rest of the run's keys folded away.
    $("scenario-params").replaceChildren(...keys);
    $("run-params").replaceChildren(...more);
    $("noise-help").hidden = info.examples > 0;
    $("optimizers").replaceChildren(...c.optimizers.map((o, i) => this.card(o, i, c.optimizers.length, warnings?.[i])));
  }

  card(o, i, count, warning) {
    const rule = S.cat.rules.find((r) => r.name === o.rule);
    const line = lineOf(o, i);
    const colour = S.colourOf(line);
    // The swatch is the line's colour, and a button to the next free one.
    const colourRow = S.cat.params.find((p) => p.key === "colour" && p.scope === "line");
    const swatch = el("button", { type: "button", class: `swatch line-swatch${line >= 8 ? " second" : ""}`, title: `${tip(colourRow)}. Click for the next free colour` });
    swatch.dataset.row = String(colourRow.id);
    swatch.setAttribute("aria-label", `Optimizer ${i + 1} colour ${line + 1} of ${S.cat.max_optimizers}: change`);
    swatch.style.background = colour;
    swatch.addEventListener("click", () => {
      const used = new Set(S.config.optimizers.map(lineOf));
      const n = S.cat.max_optimizers;
      let next = (line + 1) % n;
      for (let k = 1; k < n; k++) {
        const c = (line + k) % n;
        if (!used.has(c)) {
          next = c;
          break;
        }
      }
      apply((pg) => pg.setParam(i, "colour", String(next)), swatch);
      $("optimizers").children[i]?.querySelector(".line-swatch")?.focus();
    });
    const pick = el("select", { id: `opt-${i}-rule` });
    pick.setAttribute("aria-label", `Optimizer ${i + 1} rule`);
    for (const r of S.cat.rules) pick.append(el("option", { value: r.name, textContent: r.title }));
    pick.value = o.rule;
    pick.addEventListener("change", () => {
      apply((pg) => pg.setRule(i, pick.value), pick);
      $(`opt-${i}-rule`)?.focus();
    });
    const dup = el("button", {
      type: "button",
      textContent: "Copy",
      title: "Duplicate: add a copy of this optimizer",
      disabled: count >= S.cat.max_optimizers,
    });
    dup.setAttribute("aria-label", `Copy optimizer ${i + 1}`);
    dup.addEventListener("click", () => apply((pg) => pg.duplicateOptimizer(i), dup));
    const del = el("button", { type: "button", textContent: "✕", title: "Remove this optimizer", disabled: count <= 1 });
    del.setAttribute("aria-label", `Remove optimizer ${i + 1}`);
    del.addEventListener("click", () => apply((pg) => pg.removeOptimizer(i), del));
    const head = el("div", { class: "opt-head" }, swatch, pick, dup, del);

    const set = (key) => (v, input) => apply((pg) => pg.setParam(i, key, v), input);
    const params = el("div", { class: "params" });
    let lrSlider = null;
    for (const p of o.params) {
      const r = row(p.id);
      // The line's colour is the swatch; its name comes first.
      if (r.scope === "line") {
        if (r.kind === "text") params.prepend(control(r, p.value, set(r.key), { id: `opt-${i}-${r.key}`, label: "" }));
        continue;
      }
      // Mini-batches exist only on data sets.
      if (r.kind === "batch" && S.info.examples === 0) continue;
      const label = r.kind === "batch" ? `${r.key} (1–${S.info.examples}, empty = all)` : undefined;
      params.append(control(r, p.value, set(r.key), { id: `opt-${i}-${r.key}`, label }));
      if (r.slider && !lrSlider) {
        lrSlider = el(
          "div",
          { class: "lr-slider" },
          slider(
            r,
            p.value,
            (v) => {
              if (apply((pg) => pg.setParam(i, r.key, String(v)), null, { live: true, page: false })) {
                const input = $(`opt-${i}-${r.key}`);
                if (input) input.value = String(v);
              }
            },
            `Optimizer ${i + 1} ${r.help} ${r.symbol}${r.slider.log ? " (log scale)" : ""}`,
          ),
        );
      }
    }
    const eq = el("p", { class: "eq", textContent: rule?.equation ?? "" });
    const card = el("li", { class: "opt-card" }, head, lrSlider, params, eq);
    if (warning) card.append(el("p", { class: "field-warn", textContent: `⚠ ${warning}` }));
    card.style.setProperty("--c", colour);
    return card;
  }
}
