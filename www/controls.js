// The scenario controls: surface picker with its parameters, start, seed and steps, and the
// optimizer cards (rule, hyperparameters with the lecture's symbols, gradient source,
// schedule). Built with DOM calls only: no user text ever goes through innerHTML.

import { getParam, setParam } from "./scenario.js";

const $ = (id) => document.getElementById(id);

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") e.className = v;
    else if (k === "dataset") Object.assign(e.dataset, v);
    else if (k in e) e[k] = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

/** A labelled text input for a number, committing on change (blur or Enter). */
function numberField({ symbol, label, value, title, onCommit, id }) {
  const input = el("input", { inputMode: "decimal", autocomplete: "off", value: value ?? "", id });
  input.title = title ?? "";
  input.addEventListener("change", () => onCommit(input.value.trim(), input));
  const lab = el("label", {}, el("span", { class: "sym" }, symbol), ` ${label}`, input);
  return lab;
}

/** Log-scale slider for α: live updates while dragging (recomputes every trajectory). */
function lrSlider(value, onInput, label) {
  const v = Math.max(1e-5, Math.min(10, Number(value) || 0.1));
  const input = el("input", { type: "range", min: "-5", max: "1", step: "0.01", value: String(Math.log10(v)) });
  input.setAttribute("aria-label", label);
  input.addEventListener("input", () => onInput(Number(Math.pow(10, Number(input.value)).toPrecision(3))));
  return el("div", { class: "lr-slider" }, input);
}

export class Controls {
  /**
   * @param catalog the engine's catalog (surfaces, rules, common knobs)
   * @param commit  (mutator, source) => bool: apply a model change; false when refused
   */
  constructor(catalog, commit) {
    this.cat = catalog;
    this.commit = commit;
    const sel = $("surface");
    for (const s of catalog.surfaces) sel.append(el("option", { value: s.name, textContent: s.title }));
    $("custom-grammar").textContent = `Exact gradient and Hessian by automatic differentiation. ${catalog.grammar}.`;
    $("custom-expr").addEventListener("change", () => {
      const input = $("custom-expr");
      const ok = this.commit((m) => {
        m.surface = "custom";
        m.custom = input.value;
        m.start = null;
        m.page.view = null;
      }, input);
      this.showExprError(ok ? null : this.lastError, input.value);
    });
    sel.addEventListener("change", () =>
      this.commit((m) => {
        m.surface = sel.value;
        m.custom = sel.value === "custom" ? (m.custom ?? catalog.default_expression) : null;
        const def = this.surface(sel.value);
        m.surfaceParams = def.params.map((p) => [p.name, p.default]);
        m.start = null;
        m.page.view = null;
        // Batch sizes belong to the old data set (or none): start every optimizer on full batch.
        for (const o of m.optimizers) setParam(o.params, "batch", null);
      }, sel),
    );
    $("add-opt").addEventListener("click", () => {
      this.commit((m) => {
        const used = new Set(m.optimizers.map((o) => o.rule));
        const rule = this.cat.rules.find((r) => !used.has(r.name)) ?? this.cat.rules[0];
        m.optimizers.push({ rule: rule.name, params: this.defaultParams(rule.name) });
      }, $("add-opt"));
      const cards = $("optimizers").querySelectorAll(".opt-card select");
      cards[cards.length - 1]?.focus();
    });
    const startField = (id, i) =>
      $(id).addEventListener("change", () =>
        this.commit((m) => {
          const v = $(id).value.trim();
          const s = m.start ? [...m.start] : [...this.info.start];
          s[i] = v === "" ? this.info.start[i] : v;
          m.start = s;
        }, $(id)),
      );
    startField("start-x", 0);
    startField("start-y", 1);
    $("seed").addEventListener("change", () => this.commit((m) => (m.seed = $("seed").value.trim()), $("seed")));
    $("steps").addEventListener("change", () => this.commit((m) => (m.steps = $("steps").value.trim()), $("steps")));
  }

  surface(name) {
    return this.cat.surfaces.find((s) => s.name === name);
  }

  rule(name) {
    return this.cat.rules.find((r) => r.name === name);
  }

  defaultParams(rule) {
    const text = this.rule(rule).defaults;
    const rest = text.includes(":") ? text.slice(text.indexOf(":") + 1) : "";
    return rest ? rest.split(",").map((kv) => kv.split("=")) : [];
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

  /** Rebuild every control from the model and the surface info. */
  render(model, info, stability) {
    this.model = model;
    this.info = info;
    $("surface").value = model.surface;
    const custom = model.surface === "custom";
    $("custom-box").hidden = !custom;
    const expr = $("custom-expr");
    // Keep what the person typed while it is being edited or shown as wrong.
    if (custom && document.activeElement !== expr && expr.getAttribute("aria-invalid") !== "true") {
      expr.value = model.custom ?? "";
    }
    const def = this.surface(model.surface);
    $("surface-help").textContent = def.help;
    const box = $("surface-params");
    box.replaceChildren(
      ...def.params.map((p) =>
        numberField({
          symbol: p.symbol,
          label: p.name,
          value: getParam(model.surfaceParams, p.name),
          title: `${p.help} (${p.min} to ${p.max})`,
          onCommit: (v, input) => this.commit((m) => setParam(m.surfaceParams, p.name, v || p.default), input),
        }),
      ),
    );
    const start = model.start ?? info.start;
    $("start-x").value = start[0];
    $("start-y").value = start[1];
    const startEditable = info.dim === 2;
    $("start-x").disabled = !startEditable;
    $("start-y").disabled = !startEditable;
    $("seed").value = model.seed;
    $("steps").value = model.steps;
    $("noise-help").hidden = info.examples > 0;
    this.renderOptimizers(model, info, stability);
  }

  renderOptimizers(model, info, stability) {
    const list = $("optimizers");
    const cards = model.optimizers.map((o, i) => this.card(o, i, model.optimizers.length, info, stability?.[i]));
    list.replaceChildren(...cards);
  }

  card(o, i, count, info, warning) {
    const rule = this.rule(o.rule);
    const colour = this.colour(i);
    const head = el("div", { class: "opt-head" });
    const swatch = el("span", { class: "swatch" });
    swatch.style.background = colour;
    const pick = el("select", { id: `opt-${i}-rule` });
    pick.setAttribute("aria-label", `Optimizer ${i + 1} rule`);
    for (const r of this.cat.rules) pick.append(el("option", { value: r.name, textContent: r.title }));
    pick.value = o.rule;
    pick.addEventListener("change", () => {
      this.commit((m) => {
        const old = m.optimizers[i];
        const keep = ["lr", "batch", "noise", "schedule", "every", "factor", "on_increase", "k"];
        const params = this.defaultParams(pick.value).filter(([k]) => k !== "lr");
        const kept = old.params.filter(([k]) => keep.includes(k));
        m.optimizers[i] = { rule: pick.value, params: [...kept, ...params] };
      }, pick);
      document.getElementById(`opt-${i}-rule`)?.focus();
    });
    const dup = el("button", { type: "button", textContent: "Duplicate", title: "Add a copy of this optimizer" });
    dup.addEventListener("click", () =>
      this.commit((m) => m.optimizers.splice(i + 1, 0, JSON.parse(JSON.stringify(m.optimizers[i]))), dup),
    );
    const del = el("button", { type: "button", textContent: "Remove", disabled: count <= 1 });
    del.setAttribute("aria-label", `Remove optimizer ${i + 1}`);
    del.addEventListener("click", () => this.commit((m) => m.optimizers.splice(i, 1), del));
    head.append(swatch, pick, dup, del);

    const params = el("div", { class: "params" });
    const field = (knob, fallback) =>
      numberField({
        symbol: knob.symbol,
        label: knob.name,
        value: getParam(o.params, knob.name) ?? fallback ?? "",
        title: `${knob.help}: ${rangeText(knob)}`,
        id: `opt-${i}-${knob.name}`,
        onCommit: (v, input) => this.commit((m) => setParam(m.optimizers[i].params, knob.name, v), input),
      });
    for (const knob of rule.params) {
      // γ₀ only acts during a warm-up: show it next to the warm-up length.
      const fallback = knob.name === "gamma0" ? getParam(o.params, "gamma") : knob.default;
      params.append(field(knob, fallback));
    }
    if (o.rule === "adam") {
      const bc = el("input", { type: "checkbox", checked: getParam(o.params, "bias_correction") !== "false" });
      bc.addEventListener("change", () =>
        this.commit((m) => setParam(m.optimizers[i].params, "bias_correction", bc.checked ? "true" : "false"), bc),
      );
      params.append(el("label", {}, el("span", { class: "sym" }, "bias"), " correction", bc));
    }
    const common = Object.fromEntries(this.cat.common.map((k) => [k.name, k]));
    if (info.examples > 0) {
      params.append(
        numberField({
          symbol: "m",
          label: `batch (1–${info.examples}, empty = all)`,
          value: getParam(o.params, "batch") ?? "",
          title: `mini-batch size m: 1 is SGD, ${info.examples} is batch GD`,
          id: `opt-${i}-batch`,
          onCommit: (v, input) => this.commit((m) => setParam(m.optimizers[i].params, "batch", v), input),
        }),
      );
    }
    params.append(field(common.noise, "0"));
    // Schedule and its parameters.
    const sched = el("select", { id: `opt-${i}-schedule` });
    for (const [v, t] of [["constant", "constant α"], ["step", "step decay"], ["exp", "exponential"], ["inv", "1/t decay"]])
      sched.append(el("option", { value: v, textContent: t }));
    sched.value = getParam(o.params, "schedule") ?? "constant";
    sched.addEventListener("change", () =>
      this.commit((m) => {
        const ps = m.optimizers[i].params;
        for (const k of ["schedule", "every", "factor", "on_increase", "k"]) setParam(ps, k, null);
        if (sched.value !== "constant") setParam(ps, "schedule", sched.value);
      }, sched),
    );
    params.append(el("label", {}, el("span", { class: "sym" }, "α_t"), " schedule", sched));
    const s = sched.value;
    if (s === "step") {
      params.append(field(common.every, "100"), field(common.factor, "0.5"));
      const oi = el("input", { type: "checkbox", checked: getParam(o.params, "on_increase") === "true" });
      oi.addEventListener("change", () =>
        this.commit((m) => {
          const ps = m.optimizers[i].params;
          setParam(ps, "on_increase", oi.checked ? "true" : null);
          if (oi.checked) setParam(ps, "every", null);
        }, oi),
      );
      params.append(el("label", {}, el("span", { class: "sym" }, "f"), " when loss rose", oi));
    } else if (s === "exp" || s === "inv") {
      params.append(field(common.k, "0.01"));
    }
    const lr = getParam(o.params, "lr") ?? "0.1";
    const slider = lrSlider(
      lr,
      (v) => {
        if (this.commit((m) => setParam(m.optimizers[i].params, "lr", v), null, { live: true })) {
          const input = document.getElementById(`opt-${i}-lr`);
          if (input) input.value = String(v);
        }
      },
      `Optimizer ${i + 1} learning rate α (log scale)`,
    );
    const eq = el("p", { class: "eq", textContent: rule.equation });
    const card = el("li", { class: "opt-card" }, head, slider, params, eq);
    if (warning) card.append(el("p", { class: "field-warn", textContent: warning }));
    card.style.setProperty("--c", colour);
    return card;
  }

  colour(i) {
    return this.colourOf ? this.colourOf(i) : "#888";
  }
}

function rangeText(k) {
  const lo = k.min_open ? "(" : "[";
  const hi = k.max_open ? ")" : "]";
  return `${k.integer ? "whole number" : "number"} in ${lo}${k.min}, ${k.max}${hi}`;
}
