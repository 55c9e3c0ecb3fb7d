// The page's model of a scenario and its text form. The model is what the controls edit;
// the text is what the engine, share links and the CLI read (DESIGN.md's scenario text).

/** Characters a parameter value may contain (numbers and booleans). */
const VALUE_OK = /^[-+0-9.eE]+$|^(true|false)$/;

/** Model from the engine's `config()` object. */
export function modelFromConfig(c) {
  return {
    surface: c.surface,
    custom: c.custom ?? null,
    surfaceParams: c.surface_params.map(([k, v]) => [k, v]),
    start: c.start ? [...c.start] : null,
    seed: String(c.seed),
    steps: String(c.steps),
    title: c.title ?? null,
    optimizers: c.optimizers.map((o) => ({ rule: o.rule, params: o.params.map(([k, v]) => [k, v]) })),
    page: {
      embed: c.page.embed,
      show: c.page.show ? [...c.page.show] : null,
      log: c.page.log,
      axis: c.page.axis,
      eff: c.page.eff,
      arrows: c.page.arrows,
      speed: c.page.speed,
      view: c.page.view ? [...c.page.view] : null,
    },
  };
}

export function cloneModel(m) {
  return JSON.parse(JSON.stringify(m));
}

/** A value typed into a control, checked before it goes into the text. */
export class ValueError extends Error {
  constructor(field, value) {
    super(`${field} = “${value}”: write a number, e.g. 0.01 or 1e-3`);
    this.field = field;
  }
}

function value(field, v) {
  const s = String(v).trim();
  if (!VALUE_OK.test(s)) throw new ValueError(field, s);
  return s;
}

function numbers(field, xs) {
  return xs.map((x) => value(field, x)).join(",");
}

/** The scenario text of a model (throws ValueError on a malformed value). */
export function modelToText(m) {
  const parts = ["v=1"];
  if (m.surface === "custom") {
    parts.push(`surface=custom:f=${encodeURIComponent(m.custom ?? "")}`);
  } else {
    const sp = m.surfaceParams.map(([k, v]) => `${k}=${value(k, v)}`).join(",");
    parts.push(`surface=${m.surface}${sp ? ":" + sp : ""}`);
  }
  if (m.start) parts.push(`start=${numbers("start", m.start)}`);
  parts.push(`seed=${value("seed", m.seed)}`, `steps=${value("steps", m.steps)}`);
  for (const o of m.optimizers) {
    const ps = o.params.map(([k, v]) => (k === "schedule" ? `${k}=${v}` : `${k}=${value(k, v)}`)).join(",");
    parts.push(`opt=${o.rule}${ps ? ":" + ps : ""}`);
  }
  if (m.title) parts.push(`title=${encodeURIComponent(m.title)}`);
  const p = m.page;
  if (p.embed) parts.push("embed=1");
  if (p.show) parts.push(`show=${p.show.join(",")}`);
  if (!p.log) parts.push("log=0");
  if (p.axis !== "step") parts.push(`axis=${p.axis}`);
  if (p.eff) parts.push("eff=1");
  if (p.arrows) parts.push("arrows=1");
  if (p.speed !== 5) parts.push(`speed=${p.speed}`);
  if (p.view) parts.push(`view=${numbers("view", p.view)}`);
  return parts.join("&");
}

/** Get or set a parameter of an optimizer or surface (`params` is a list of [key, value]). */
export function getParam(params, key) {
  const hit = params.find(([k]) => k === key);
  return hit ? hit[1] : undefined;
}

export function setParam(params, key, v) {
  const hit = params.find(([k]) => k === key);
  if (v === undefined || v === null || v === "") {
    if (hit) params.splice(params.indexOf(hit), 1);
  } else if (hit) {
    hit[1] = String(v);
  } else {
    params.push([key, String(v)]);
  }
}

/** Compact number for the status line and readouts. */
export function fmt(x, digits = 4) {
  if (x === null || x === undefined) return "—";
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "NaN" : x > 0 ? "∞" : "−∞";
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return x.toExponential(2).replace("e", "e");
  return String(Number(x.toPrecision(digits)));
}
